#!/bin/sh
# Make this machine able to play a Fedora VM's rootless podman for the
# project tests (tests/integration/projects.bats). Root only; idempotent,
# and a fraction of a second once everything is in place.
#
#  * packages: podman with runc, uidmap, slirp4netns, catatonit (--init)...
#  * system-wide podman config, so that EVERY user works without per-user
#    files: dvm's sync creates the dev user in the middle of a test, so
#    nothing can be written into its home beforehand;
#  * /dev/net/tun usable by everyone (slirp4netns, published ports);
#  * a tiny bash+coreutils+busybox root filesystem built from Debian .debs,
#    cached as $DVM_IT_CACHE/base-rootfs.tar. It is NOT imported here: each
#    test's dev user imports it from the VM's setup.sh, as a real VM would
#    pull its base image.
#
# Why these settings (measured on Debian 12, podman 4.3.1, hybrid cgroups,
# no systemd): see the comments at each step.
set -eu

cache=${DVM_IT_CACHE:-/var/cache/dvm-it}
tarball=$cache/base-rootfs.tar
marker="# Written by dvm's tests/integration/podman-setup.sh."
changed=0

# ---------------------------------------------------------------- packages

# shellcheck source=tests/lib/pkg.sh
. "$(dirname "$0")/../lib/pkg.sh"

have podman || pkg podman
have runc || pkg runc
have newuidmap || pkg uidmap
have slirp4netns || pkg slirp4netns
have fuse-overlayfs || pkg fuse-overlayfs
have catatonit || pkg catatonit
have bwrap || pkg bubblewrap
have curl || pkg curl
have dpkg-deb || pkg dpkg

export DEBIAN_FRONTEND=noninteractive
# --no-install-recommends leaves out crun (unusable here, see below),
# netavark and buildah: podman 4.3 uses CNI and has buildah built in.
if install_needed podman-setup.sh; then
	changed=1
fi

# ---------------------------------------------------------------- config

# write_conf FILE CONTENT: replace FILE when its content differs.
write_conf() {
	if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then
		return 0
	fi
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1.tmp"
	chmod 0644 "$1.tmp"
	mv -f "$1.tmp" "$1"
	changed=1
}

# Rootless podman reads /etc/containers/containers.conf (then the user's
# own, which our users never have). Verified for a brand-new user:
#  * runtime: crun 1.8.1 refuses to start anything on this host's hybrid
#    cgroup v1/v2 layout ("cgroups in hybrid mode not supported"), even with
#    --cgroups=disabled; runc works, also for `podman build` RUN steps;
#  * cgroup_manager/events_logger: there is no systemd (PID 1 is not
#    systemd), so neither the systemd cgroup manager nor journald exist.
write_conf /etc/containers/containers.conf "$marker
# The host-as-guest integration suite runs rootless podman on a Debian 12
# machine with hybrid cgroups and no systemd; see the script for details.
[engine]
runtime = \"runc\"
cgroup_manager = \"cgroupfs\"
events_logger = \"file\""

# Rootless storage also starts from /etc/containers/storage.conf: `driver`
# is honoured (graphroot/runroot are not: a rootless store always lives in
# ~/.local/share/containers/storage and $XDG_RUNTIME_DIR/containers). Debian
# ships no storage.conf, and without one rootless podman picks vfs, which
# copies every layer. Native overlay works unprivileged on kernels >= 5.13,
# without fuse-overlayfs (/dev/fuse is 0600 here anyway).
write_conf /etc/containers/storage.conf "$marker
[storage]
driver = \"overlay\""

# slirp4netns (rootless networking and -p) opens /dev/net/tun, which is
# 0600 on this machine (Debian's usual mode is 0666).
if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
	chmod 0666 /dev/net/tun
fi

# ---------------------------------------------------------------- base rootfs

# The .debs of a minimal root filesystem: bash, coreutils and friends,
# procps, busybox-static for httpd (no registry is reachable here), and
# git with ssh for dvm key <vm>/<project>.
debs="libc6 libgcc-s1 gcc-12-base libtinfo6 libselinux1 libpcre2-8-0 libacl1
libattr1 libgmp10 libcap2 libcrypt1 base-files bash coreutils dash grep sed
findutils tar gzip debianutils busybox-static procps libproc2-0 libsystemd0
liblzma5 libzstd1 liblz4-1 libgcrypt20 libgpg-error0 libncursesw6
git zlib1g openssh-client libssl3 libgssapi-krb5-2 libkrb5-3 libk5crypto3
libcom-err2 libkrb5support0 libkeyutils1"

build_rootfs() {
	work=$(mktemp -d)
	# A failed build leaves nothing behind, not even the temporary dirs.
	trap 'rm -rf "$work"' EXIT
	dl=$work/debs
	root=$work/root
	mkdir -p "$dl" "$root"
	# shellcheck disable=SC2086
	if ! (cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root $debs); then
		# Stale or missing package lists: refresh them once and retry.
		rm -f "$dl"/*.deb
		apt_update
		# shellcheck disable=SC2086
		(cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root $debs)
	fi
	# Merged /usr, as on Fedora and Debian 12.
	mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" "$root/usr/lib64"
	for d in bin sbin lib lib64; do
		ln -s "usr/$d" "$root/$d"
	done
	# No maintainer scripts run: unpack the data members only.
	for deb in "$dl"/*.deb; do
		dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$root"
	done
	rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/locale" \
		"$root/usr/share/info" "$root/usr/share/lintian"
	ln -sfn dash "$root/usr/bin/sh"
	mkdir -p "$root/tmp" "$root/var/tmp" "$root/root" "$root/home" "$root/proc" \
		"$root/sys" "$root/dev" "$root/run" "$root/etc" \
		"$root/usr/local/bin" "$root/usr/local/sbin" "$root/usr/local/lib"
	chmod 1777 "$root/tmp" "$root/var/tmp"
	# What base-passwd's maintainer script would have written.
	printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
		'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >"$root/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
	mkdir -p "$cache"
	chmod 0755 "$cache"
	tar -C "$root" --numeric-owner -cf "$tarball.tmp" .
	chmod 0644 "$tarball.tmp"
	mv -f "$tarball.tmp" "$tarball"
	rm -rf "$work"
	trap - EXIT
	changed=1
}

# The tarball is made again when the package list changed.
if [ ! -s "$tarball" ] || [ "$(cat "$tarball.debs" 2>/dev/null)" != "$debs" ]; then
	echo "podman-setup.sh: building $tarball" >&2
	build_rootfs
	printf '%s' "$debs" >"$tarball.debs"
fi

# ---------------------------------------------------------------- check

# After a change, prove that a user without any podman files of its own
# gets overlay + runc (a user with an old vfs store would need
# `podman system reset -f`).
if [ "$changed" -eq 1 ]; then
	probe=dvmitprobe$$
	useradd --create-home --shell /bin/bash "$probe"
	puid=$(id -u "$probe")
	install -d -m 0700 -o "$probe" -g "$probe" "/run/user/$puid"
	got=$(cd / && runuser -u "$probe" -- env -i HOME="/home/$probe" USER="$probe" \
		XDG_RUNTIME_DIR="/run/user/$puid" PATH=/usr/bin:/bin:/usr/sbin:/sbin \
		sh -c 'cd && podman info --format "{{.Store.GraphDriverName}} {{.Host.OCIRuntime.Name}}" 2>/dev/null &&
			podman system reset -f >/dev/null 2>&1') || got="podman info failed"
	pkill -KILL -u "$probe" 2>/dev/null || true
	sleep 0.2
	userdel -r "$probe" >/dev/null 2>&1 || true
	rm -rf "/run/user/$puid"
	if [ "$got" != "overlay runc" ]; then
		echo "podman-setup.sh: a new user's podman gives '$got', expected 'overlay runc'" >&2
		exit 1
	fi
fi
