# shellcheck shell=bash
# guest/secrets.sh: stage the secrets of this run as 0600 files in a
# private temp dir, removed when the script ends, and export
# DVM_SECRET_FILE_<NAME> with each file's path.
#
# Runs in the VM as Lima's login user, at the top of the guest script and
# not in a step, so that the exports and the trap last for every step.
# Parameters: NAME VALUE pairs (names checked on the host). The values
# only ever travel in the script's stdin, and printf is a builtin: they
# are in no argv.
dvm_secret_dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dvm_secret_dir"' EXIT
while [ $# -ge 2 ]; do
	(umask 077 && printf '%s' "$2" >"$dvm_secret_dir/$1") || exit 1
	export "DVM_SECRET_FILE_$1=$dvm_secret_dir/$1"
	shift 2
done
