# shellcheck shell=bash
# dev-env.sh: what a one-shot script run as DVM_USER in the VM (bash -lc
# through sudo) needs for DVM_USER's rootless podman. dvm puts it, then
# has-container.sh, in front of ls-containers.sh, stop-container.sh and
# project-exec.sh. No positional parameters of its own.

# sudo does not set the runtime dir rootless podman keeps its state in.
XDG_RUNTIME_DIR=/run/user/$(id -u)
export XDG_RUNTIME_DIR
# has-container.sh calls podman through this: here it is our own podman.
dvm_podman() { podman "$@"; }
