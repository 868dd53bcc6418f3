#!/usr/bin/env bash
# Description: the basics every VM gets: curl, git, tar, unzip, jq, ACL tools, a UTF-8 locale (runs first; DVM_NO_BASELINE=1 skips it)
#
# Small and fast when already done: a few rpm queries, no network.

# sudo must work without a password, and every sudoers file must parse (a
# broken drop-in would lock sudo for every later step).
sudo -n true 2>/dev/null || dvm_die "passwordless sudo does not work for $(id -un)"
sudo visudo -cq >/dev/null || dvm_die "the sudoers configuration does not parse (sudo visudo -c shows where)"

# /usr/bin/curl: whichever of curl and curl-minimal the image has.
dvm_pkg /usr/bin/curl ca-certificates git-core tar gzip unzip which jq findutils \
	acl rsync shadow-utils

# A UTF-8 locale for every login (C.UTF-8 is part of glibc).
if ! sudo grep -qs '^LANG=' /etc/locale.conf; then
	printf 'LANG=C.UTF-8\n' | dvm_put_file /etc/locale.conf 0644
fi

# Where user-level tools go; login shells on Fedora put it on PATH.
home=$(getent passwd "$DVM_USER" | cut -d: -f6)
[[ -n $home ]] || dvm_die "user $DVM_USER has no passwd entry"
if ! sudo test -d "$home/.local/bin"; then
	dvm_as_user mkdir -p -- "$home/.local/bin"
fi
