# shellcheck shell=bash
# stop-container.sh: dvm stop <vm>/<project>, as DVM_USER in the VM,
# behind dev-env.sh and has-container.sh.
#   $1 the container; a missing one is already stopped.
dvm_has_container "$1" || exit 0
podman stop "$1" >/dev/null
