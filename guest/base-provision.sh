# shellcheck shell=bash
# guest/base-provision.sh: ready the builder VM of `dvm base build`:
# podman installed, bootc-image-builder pulled.
#
# A step of the build's guest script, in the builder VM as Lima's login
# user (passwordless sudo). Parameters: the bootc-image-builder image.
command -v podman >/dev/null 2>&1 ||
    sudo dnf5 install -y --setopt=install_weak_deps=False podman
sudo podman pull "$1"
