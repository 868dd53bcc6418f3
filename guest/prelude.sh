# shellcheck shell=bash disable=SC2154 # dvm_nonce: set by the frame
# guest/prelude.sh: helpers for dvm's own steps, defined once near the top
# of the guest script (src/guest.c puts it after the export line and the
# "dvm_nonce=" line); the steps run in subshells of it. The scripts of
# recipes and of the user run in a child bash, which has none of these.
#
# Runs in the VM as Lima's login user (passwordless sudo). No parameters.
#
#   dvm_as_dev CMD...      CMD as DVM_USER, with the runtime dir rootless
#                          podman needs
#   dvm_has_container NAME true only for a container named exactly NAME
#                          (podman takes a name it cannot find for an ID
#                          prefix)
#   dvm_result WORD        report one word to dvm (a result marker)
#   dvm_warn_host TEXT...  a warning dvm shows when the step ends (a warn
#                          marker, on one line)

dvm_as_dev() {
	sudo -u "$DVM_USER" -H env \
	    XDG_RUNTIME_DIR="/run/user/$(id -u "$DVM_USER")" "$@"
}
dvm_has_container() {
	[ "$(dvm_as_dev podman container inspect --format '{{.Name}}' "$1" \
	    2>/dev/null </dev/null)" = "$1" ]
}
dvm_result() {
	printf '\n@dvm:%s:result:%s\n' "$dvm_nonce" "$1"
}
dvm_warn_host() {
	printf '\n@dvm:%s:warn:%s\n' "$dvm_nonce" \
	    "$(printf '%s' "$*" | tr '\r\n' '  ')"
}
