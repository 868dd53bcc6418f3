#!/usr/bin/env bash
# Description: Docker (Fedora's moby-engine and docker-compose), the daemon enabled, DVM_USER in the docker group
#
# The docker group is as good as root in this VM, so DVM_USER gets root
# through it (the VM stays the boundary). The AI sandbox does not: dvm-agent
# is not in the group and the sandbox has no /run/docker.sock.

dvm_pkg moby-engine docker-compose
if ! systemctl is-enabled --quiet docker.service || ! systemctl is-active --quiet docker.service; then
	sudo systemctl enable --now docker.service
fi
if ! id -nG "$DVM_USER" | tr ' ' '\n' | grep -qx docker; then
	dvm_log "adding $DVM_USER to the docker group (takes effect at the next login)"
	sudo usermod --append --groups docker "$DVM_USER"
fi
