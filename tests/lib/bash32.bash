# shellcheck shell=bash
# Loaded by tests that check host-side Bash (the config shim, the bash
# completion) keeps to bash 3.2, the /bin/bash of macOS.

# bash4_constructs FILE: fail, listing them, when FILE's code (comments dropped) uses
# something bash 3.2 lacks.
bash4_constructs() {
	local code found
	code=$(sed -E 's/(^|[[:space:]])#.*$//' "$1")
	found=$(grep -nE \
		-e '(declare|local|typeset|readonly)[[:space:]]+-[a-zA-Z]*[Agn]' \
		-e '(^|[^a-zA-Z_])(mapfile|readarray|coproc)([^a-zA-Z_]|$)' \
		-e '\$\{[#!]?[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?(,|\^)' \
		-e '\$\{[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?:([[:space:]]+|\()-' \
		-e '\$\{[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?:[^:}]+:[[:space:]]*\(?-' \
		-e '\[-[0-9]+\]' \
		-e '\$\{[^}]*@[QEPAaUuLK]\}' \
		-e '\|&|;;&|[^;];&|&>>' \
		-e 'shopt[[:space:]]+-[su][[:space:]]+.*(globstar|lastpipe|autocd|direxpand|globasciiranges)' \
		-e '(\[\[|test|\[)[[:space:]]+-v[[:space:]]' \
		-e '\{[A-Za-z_][A-Za-z0-9_]*\}[<>]' \
		-e 'wait[[:space:]]+-n|%\([^)]*\)T|EPOCH(SECONDS|REALTIME)|BASH_ARGV0' \
		<<<"$code") || true
	# compopt is bash 4: only behind a guard.
	found+=$(grep -nE '(^|[^a-zA-Z_])compopt([^a-zA-Z_]|$)' <<<"$code" |
		grep -vE 'type[[:space:]]+compopt|command[[:space:]]+-v[[:space:]]+compopt|2>[[:space:]]*/dev/null') || true
	if [[ -n $found ]]; then
		printf 'bash 4 (or later) constructs in %s:\n%s\n' "$1" "$found" >&2
		return 1
	fi
}
