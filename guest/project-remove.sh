# shellcheck shell=bash
# guest/project-remove.sh: remove one project's container, and its
# workspace volume when asked. Only a container of exactly that name goes,
# never one whose ID starts with it.
#
# A step of the guest script, in the VM as Lima's login user; podman runs
# as DVM_USER (the prelude's dvm_as_dev). Parameters: NAME, then argument
# vectors from src/podman.c, each as a count and its words: the podman rm
# argv and, only when the volume goes too, the podman volume exists and
# podman volume rm argvs.
name=$1
shift
remove=("${@:2:$1}")
shift $(($1 + 1))
if dvm_has_container "$name"; then
	dvm_as_dev "${remove[@]}" >/dev/null
fi
if [ $# -gt 0 ]; then
	exists=("${@:2:$1}")
	shift $(($1 + 1))
	if dvm_as_dev "${exists[@]}"; then
		dvm_as_dev "${@:2:$1}" >/dev/null
	fi
fi
