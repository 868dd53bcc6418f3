# shellcheck shell=sh
# dvm_term_fallback: dvm sh brings the host terminal's TERM along, but a
# Fedora VM or a project image may have no terminfo entry for a newer
# terminal (xterm-ghostty, xterm-kitty, wezterm...), which leaves keys and
# `clear` broken. Fall back to xterm-256color then, and say so once.
# POSIX sh: it also runs inside project containers. Put in front of
# sh-login.sh (the VM) and term-exec.sh (a container).
dvm_term_fallback() {
	case ${TERM:-} in
	'' | dumb | *[!A-Za-z0-9._+-]*) return 0 ;;
	esac
	if command -v infocmp >/dev/null 2>&1; then
		infocmp "$TERM" >/dev/null 2>&1 && return 0
	else
		first=$(printf '%.1s' "$TERM")
		for dir in "${HOME:-/nonexistent}/.terminfo" /etc/terminfo \
			/lib/terminfo /usr/share/terminfo /usr/lib/terminfo; do
			[ -e "$dir/$first/$TERM" ] && return 0
		done
	fi
	echo "dvm: no terminfo entry for TERM=$TERM here; using xterm-256color" >&2
	TERM=xterm-256color
	export TERM
}
