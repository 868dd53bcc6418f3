# shellcheck shell=bash
# guest/podman-prep.sh: podman for DVM_USER before any project: podman
# installed, linger and a runtime dir so rootless podman works without a
# login session, podman-restart so --restart=always containers come back
# after a reboot. The last two are best effort: a guest without systemd
# has neither.
#
# A step of the guest script, in the VM as Lima's login user. No
# parameters: it reads DVM_USER and uses the prelude's dvm_as_dev.
if ! command -v podman >/dev/null 2>&1; then
	sudo dnf5 install -y podman
fi
uid=$(id -u "$DVM_USER")
sudo loginctl enable-linger "$DVM_USER" >/dev/null 2>&1 || true
if [ ! -d "/run/user/$uid" ]; then
	sudo install -d -m 0700 -o "$DVM_USER" \
	    -g "$(id -gn "$DVM_USER")" "/run/user/$uid"
fi
dvm_as_dev systemctl --user enable podman-restart.service \
    >/dev/null 2>&1 || true
