# shellcheck shell=sh
# term-exec.sh: dvm sh <vm>/<project>, inside the container (sh -c),
# behind term.sh: fix TERM up, then become the shell.
#   $@ the shell and its arguments (bash -l)
dvm_term_fallback
exec "$@"
