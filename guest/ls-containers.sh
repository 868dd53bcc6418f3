# shellcheck shell=bash
# ls-containers.sh: dvm ls <vm>, as DVM_USER in the VM, behind dev-env.sh
# and has-container.sh. Prints one "name<TAB>state<TAB>image" line per
# container labelled as the VM's; dvm parses them as hostile text.
#   $1 the VM.
podman ps -a --filter "label=dvm.vm=$1" --format '{{.Names}}' |
while read -r name; do
	podman inspect --format \
	    $'{{.Name}}\t{{.State.Status}}\t{{.ImageName}}' "$name"
done
