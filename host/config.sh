# shellcheck shell=bash
# host/config.sh: reads the user's config files and hands every DVM_*
# variable back to dvm as NUL-separated records (parsed by src/config.c).
#
# Run by dvm on the host, as the user, once per command:
# bash --noprofile --norc -c "$script" dvm-config ARGS. Only bash 3.2
# (macOS's /bin/bash): ${!prefix@}, arrays, eval of names that are
# identifiers.
#
# ARGS: the number of defaults, the defaults (NAME=value, names chosen by
# dvm), the global config path ("" if none), then per VM: its name, its
# config path, its project count and that many project name/path pairs.
#
# Records go to fd 3; the config files' own stdout goes to stderr:
#   [R path] (F rc | G dump)          the global config
#   V vm R path (F rc | D dump)       each VM, in a subshell
#     P proj R path (F rc | D dump)   each project, in a nested subshell
#   Z                                 the end
# A dump is "name count value..." repeated, closed by ".". A missing Z
# tells dvm that a config file called exit.

exec 3>&1 1>&2
# Only what the config files set counts, not the caller's environment.
# shellcheck disable=SC2086 # variable names: nothing to split or glob
for _dvm_v in ${!DVM_@}; do unset "$_dvm_v" 2>/dev/null; done

_dvm_use=()
# use RECIPE...: what a config file calls to add recipes to its VM.
use() {
	if [ "$#" -eq 0 ]; then
		echo 'dvm: error: use: a recipe name is required' >&2
		return 1
	fi
	_dvm_use=("${_dvm_use[@]}" "$@")
}

# _dvm_dump NAME...: each variable's name, value count and values, then ".".
_dvm_dump() {
	for _dvm_v in "$@"; do
		_dvm_n=0
		eval "_dvm_n=\${#${_dvm_v}[@]}"
		printf '%s\0%s\0' "$_dvm_v" "$_dvm_n" >&3
		if [ "$_dvm_n" -gt 0 ]; then
			eval "printf '%s\\0' \"\${${_dvm_v}[@]}\"" >&3
		fi
	done
	printf '.\0' >&3
}

_dvm_i=$1
shift
while [ "$_dvm_i" -gt 0 ]; do
	eval "${1%%=*}=\${1#*=}"
	shift
	_dvm_i=$((_dvm_i - 1))
done
# shellcheck disable=SC2034 # read back through ${!DVM_@}
DVM_PORTS=()
if [ -n "$1" ]; then
	printf 'R\0%s\0' "$1" >&3
	# shellcheck source=/dev/null # the user's global config
	. "$1" || { printf 'F\0%s\0' "$?" >&3; exit 0; }
fi
shift
printf 'G\0' >&3
# shellcheck disable=SC2086 # variable names: nothing to split or glob
_dvm_dump ${!DVM_@} _dvm_use

# Each VM in a subshell over the global scope, each project in one over
# its VM's, so nothing leaks from one to the next.
while [ "$#" -ge 3 ]; do
	_dvm_vm=$1 _dvm_cfg=$2 _dvm_np=$3
	shift 3
	(
		printf 'V\0%s\0R\0%s\0' "$_dvm_vm" "$_dvm_cfg" >&3
		# shellcheck source=/dev/null # the VM's config.sh
		. "$_dvm_cfg" || { printf 'F\0%s\0' "$?" >&3; exit 0; }
		printf 'D\0' >&3
		# shellcheck disable=SC2086 # variable names: nothing to split or glob
		_dvm_dump ${!DVM_@} _dvm_use
		_dvm_left=$_dvm_np
		while [ "$_dvm_left" -gt 0 ]; do
			(
				# shellcheck disable=SC2034 # read back by _dvm_dump
				IMAGE='' NESTED=0 PROJ_WORKDIR=/work
				# shellcheck disable=SC2034 # read back by _dvm_dump
				PROJ_PORTS=()
				printf 'P\0%s\0R\0%s\0' "$1" "$2" >&3
				# shellcheck source=/dev/null # the project's project.sh
				. "$2" || { printf 'F\0%s\0' "$?" >&3; exit 0; }
				printf 'D\0' >&3
				_dvm_dump IMAGE NESTED PROJ_WORKDIR PROJ_PORTS
			)
			shift 2
			_dvm_left=$((_dvm_left - 1))
		done
	)
	shift $((_dvm_np * 2))
done
printf 'Z\0' >&3
