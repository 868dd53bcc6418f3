# shellcheck shell=bash
# dvm_has_container NAME: true only when a container is named exactly NAME.
# podman takes a name it cannot find as an ID prefix, so `podman container
# exists api` can be true for another container whose ID starts with "api".
# The script this is put in front of defines dvm_podman: plain podman when
# it already runs as DVM_USER, podman through dvm_as_dev from Lima's user.
dvm_has_container() {
	[ "$(dvm_podman container inspect --format '{{.Name}}' "$1" 2>/dev/null)" = "$1" ]
}
