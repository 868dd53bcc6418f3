# shellcheck shell=bash
# guest/run-egress.sh: run guest/egress.sh, which comes on stdin, as root
# from a private temp file, and report the one word it prints (applied,
# unchanged or removed) with the prelude's dvm_result.
#
# A step of the guest script, in the VM as Lima's login user (it runs
# egress.sh through sudo). Parameters: those of egress.sh (apply ... or
# off).
f=$(mktemp) || exit 1
trap 'rm -f "$f"' EXIT
cat >"$f"
r=$(sudo bash "$f" "$@" </dev/null)
printf 'guest/egress.sh: %s\n' "$r"
case $r in
applied | unchanged | removed) dvm_result "$r" ;;
*)
	echo 'dvm: guest/egress.sh did not say applied, unchanged or' \
	    'removed' >&2
	exit 1
	;;
esac
