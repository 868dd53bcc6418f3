# shellcheck shell=sh
# Shared by the test setup scripts: collect the Debian packages whose
# commands are missing, then install them in one apt-get call.
#
#   . tests/lib/pkg.sh
#   have bwrap || pkg bubblewrap
#   install_needed my-script.sh    # returns 0 when nothing was missing

need=""
updated=0
have() { command -v "$1" >/dev/null 2>&1; }
pkg() { need="$need $1"; }

apt_update() {
	if [ "$updated" -eq 0 ]; then
		apt-get update -qq
		updated=1
	fi
}

# install_needed WHO: install what pkg collected (root only). Exit status
# 0 if something was installed, 1 if nothing was missing.
install_needed() {
	[ -n "$need" ] || return 1
	if [ "$(id -u)" -ne 0 ]; then
		echo "$1: missing:$need; run as root to install them" >&2
		exit 1
	fi
	echo "$1: installing$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt_update
	# --no-install-recommends: only what the tests use (no crun, netavark).
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >/dev/null
	need=""
	return 0
}
