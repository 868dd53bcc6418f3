#!/usr/bin/env bash
# Description: Docker (Fedora's moby-engine and docker-compose), the daemon enabled, DVM_USER in the docker group
# Requires: DVM_USER_SUDO=1 (the docker group is as good as root in the VM)
#
# The docker group is as good as root in this VM: whoever is in it can
# start a privileged container with / mounted. So DVM_USER gets root
# through it, and the recipe is only for a VM whose config accepts a dev
# user with root (DVM_USER_SUDO=1). The Requires: line makes dvm refuse
# `use docker` without it before the VM is touched; the first lines below
# refuse it again in the VM. The AI sandbox stays out: dvm-agent is not
# in the group and the sandbox has no /run/docker.sock. For containers
# without root, the projects' rootless podman is there.

[[ ${DVM_USER_SUDO:-0} == 1 ]] ||
	dvm_die "the docker group is as good as root, so use docker needs DVM_USER_SUDO=1 in the VM's config (a dev user with root); without it, use the projects' rootless podman"

dvm_pkg moby-engine docker-compose
if ! systemctl is-enabled --quiet docker.service || ! systemctl is-active --quiet docker.service; then
	sudo systemctl enable --now docker.service
fi
if ! id -nG "$DVM_USER" | tr ' ' '\n' | grep -qx docker; then
	dvm_log "adding $DVM_USER to the docker group (takes effect at the next login)"
	sudo usermod --append --groups docker "$DVM_USER"
fi
