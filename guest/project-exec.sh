# shellcheck shell=bash
# project-exec.sh: run a command in front of which a project's container
# must exist (dvm sh, ssh and logs of <vm>/<project>; cp and the
# unsaved-work check into a container), as DVM_USER in the VM, behind
# dev-env.sh and has-container.sh.
#   $1 the VM, $2 the container (the project), $3 "start" to start a
#   stopped container first (anything else: leave it), then the command
#   to exec (podman exec ...).
if ! dvm_has_container "$2"; then
	echo "dvm: error: no container for $1/$2 (run: dvm sync $1/$2)" >&2
	exit 1
fi
if [ "$3" = start ]; then
	podman start "$2" >/dev/null || exit
fi
shift 3
exec "$@"
