# shellcheck shell=bash
# guest/run-script.sh: run the script that comes on stdin (a recipe, a
# setup.sh) with bash -Eeu -o pipefail from a private temp file, so that
# its own stdin is /dev/null and nothing it runs can read what follows.
# The file goes on any exit.
#
# Runs as the body of a step, in the VM as Lima's login user (recipes,
# the VM's setup.sh), and as the command of podman exec in a project's
# container (its setup.sh: bash -c "$runner" dvm-setup). No parameters.
f=$(mktemp) || exit 1
trap 'rm -f "$f"' EXIT
cat >"$f" && bash -Eeu -o pipefail "$f" </dev/null
