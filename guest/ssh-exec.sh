# shellcheck shell=bash
# ssh-exec.sh: dvm ssh <vm> cmd..., as DVM_USER in the VM (bash -lc).
#   $1 the code dir (home when it is missing, and / when home is missing
#   too), then the command, run as given: its words are not split again.
cd "$1" 2>/dev/null || cd || :
shift
exec "$@"
