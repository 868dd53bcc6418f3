#!/bin/sh
# Prepare this machine to play the guest for the host-as-guest suite:
# a login user like Lima's (passwordless sudo, a runtime dir), which the
# fake limactl in host mode runs guest commands as. Idempotent; root only.
set -eu

lima_user=${FAKE_LIMA_USER:-dvmlima}

if ! id "$lima_user" >/dev/null 2>&1; then
	useradd --create-home --shell /bin/bash "$lima_user"
fi
printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$lima_user" \
    >/etc/sudoers.d/dvm-integration
chmod 0440 /etc/sudoers.d/dvm-integration
uid=$(id -u "$lima_user")
install -d -m 0700 -o "$lima_user" -g "$lima_user" "/run/user/$uid"

# Rootless podman for the project tests (packages, system-wide config, the
# cached base image rootfs).
"$(dirname "$0")/podman-setup.sh"
