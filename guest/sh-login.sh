# shellcheck shell=bash
# sh-login.sh: dvm sh <vm>, as DVM_USER in the VM (bash -lc): DVM_USER's
# own login shell, in the code dir.
#   $1 the code dir; home when it is missing, and / (limactl's workdir)
#   when home is missing too.
cd "$1" 2>/dev/null || cd || :
shell=$(getent passwd "$(id -un)" | cut -d: -f7)
exec "${shell:-/bin/bash}" -l
