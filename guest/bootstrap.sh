# shellcheck shell=bash
# guest/bootstrap.sh: the first step of every sync: DVM_USER, its
# subuid/subgid ranges for rootless podman, and the code dir.
#
# A step of the guest script, in the VM as Lima's login user (passwordless
# sudo). No parameters: it reads only the exported DVM_USER,
# DVM_USER_SUDO, DVM_CODE_DIR, DVM_SUBUID_COUNT and DVM_SUBGID_COUNT, and
# calls the prelude's dvm_warn_host.
#
# Its first act repeats the host's check (src/devuser.c) where the answer
# is sure: DVM_USER must not be this login user, unless DVM_USER_SUDO=1,
# and an existing DVM_USER must not be a system account (uid below 1000;
# the login user itself, accepted with DVM_USER_SUDO=1, has the host's
# uid, 501 on most Macs). Its last act looks for root the user was given
# by hand and warns once (docs/security.md).

# Groups that are as good as root on Fedora (and the Debian family's names
# for the same): wheel, sudo and admin are sudo's admin groups; docker can
# start a privileged container; disk and kmem read and write raw disks and
# memory; libvirt and lxd run VMs and containers with host devices; root
# is gid 0. adm and systemd-journal only read logs, so they are not here.
root_groups='wheel|sudo|admin|root|docker|disk|kmem|libvirt|lxd'

u=$DVM_USER
alt=developer
[ "$u" != developer ] || alt=dev
if [ "$(id -un)" = "$u" ]; then
	if [ "${DVM_USER_SUDO:-0}" != 1 ]; then
		echo "dvm guest: DVM_USER=$u is Lima's login user in this VM," \
		    "which has passwordless root; set DVM_USER=$alt, or" \
		    "DVM_USER_SUDO=1 to accept a dev user with root" >&2
		exit 1
	fi
elif uid=$(id -u "$u" 2>/dev/null) && [ "$uid" -lt 1000 ]; then
	echo "dvm guest: DVM_USER=$u is a system account in this VM" \
	    "(uid $uid, below 1000); set DVM_USER=$alt" >&2
	exit 1
fi
if ! id -u "$u" >/dev/null 2>&1; then
	# useradd lives in sbin, which only root's PATH is sure to hold.
	if ! sudo sh -c 'command -v useradd' >/dev/null 2>&1; then
		echo "dvm guest: useradd is missing, cannot create $u" >&2
		exit 1
	fi
	sudo useradd --create-home --shell /bin/bash "$u"
fi
# Subordinate ids for rootless podman: append a range after the highest
# one in use, unless the user already has one.
add_range() {
	[ "$3" -gt 0 ] || return 0
	if awk -F: -v u="$u" '$1 == u { f = 1 } END { exit !f }' \
	    "$1" 2>/dev/null; then
		return 0
	fi
	first=$(awk -F: 'BEGIN { top = 99999 }
	    $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $2 + $3 - 1 > top {
	    top = $2 + $3 - 1 } END { print top + 1 }' "$1" \
	    2>/dev/null || echo 100000)
	sudo usermod "$2" "$first-$((first + $3 - 1))" "$u"
}
add_range /etc/subuid --add-subuids "$DVM_SUBUID_COUNT"
add_range /etc/subgid --add-subgids "$DVM_SUBGID_COUNT"
home=$(getent passwd "$u" | cut -d: -f6)
if [ -z "$home" ]; then
	echo "dvm guest: user $u has no passwd entry" >&2
	exit 1
fi
group=$(id -gn "$u")
# Only what is missing: install -d would reset the modes (and the ACLs
# the agent sandbox adds) of directories that exist.
for d in "$home" "/home/$u/code" "$DVM_CODE_DIR"; do
	[ -d "$d" ] || sudo install -d -o "$u" -g "$group" "$d"
done
[ "${DVM_USER_SUDO:-0}" != 1 ] || exit 0
# dvm gives DVM_USER no root: sudo rules other than the agent-user
# recipe's (run the sandbox helper as dvm-agent) and root-equivalent
# groups were given by hand.
rules=$(LC_ALL=C sudo -n -l -U "$u" 2>/dev/null | awk '
    /may run the following commands/ { f = 1; next }
    f && /^    \(/ && !/^    \(dvm-agent\) / {
	sub(/^ +/, ""); printf "%s%s", n++ ? "; " : "", $0 }') ||
    rules=
groups=$(id -nG "$u" 2>/dev/null | awk -v re="^($root_groups)\$" '{
    for (i = 1; i <= NF; i++)
	if ($i ~ re)
		printf "%s%s", n++ ? " " : "", $i }') || groups=
if [ -n "$rules$groups" ]; then
	what=${rules:+sudo: $rules}
	[ -z "$groups" ] || what="$what${what:+; }groups: $groups"
	dvm_warn_host "DVM_USER=$u has root that dvm did not give it" \
	    "($what); take it away in the VM, or set DVM_USER_SUDO=1" \
	    "to accept a dev user with root"
fi
