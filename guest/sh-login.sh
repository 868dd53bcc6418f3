# shellcheck shell=bash
# sh-login.sh: dvm sh <vm>, as DVM_USER in the VM (bash -lc), behind
# term.sh: DVM_USER's own login shell, in the code dir, with a TERM the
# VM knows.
#   $1 the code dir; home when it is missing, and / (limactl's workdir)
#   when home is missing too.
dvm_term_fallback
cd "$1" 2>/dev/null || cd || :
shell=$(getent passwd "$(id -un)" | cut -d: -f7)
exec "${shell:-/bin/bash}" -l
