#!/bin/sh
# Install what the test suite needs on Debian 12 (run as root). Quick when
# everything is already there, so `make test` can always call it.
set -eu

need=""
have() { command -v "$1" >/dev/null 2>&1; }
pkg() { need="$need $1"; }

have cc || pkg gcc
have make || pkg make
have clang || pkg clang
have musl-gcc || pkg musl-tools
have bats || pkg bats
have shellcheck || pkg shellcheck
have sudo || pkg sudo
have runuser || pkg util-linux
have flock || pkg util-linux
have pgrep || pkg procps
have script || pkg bsdutils
have git || pkg git

if [ -z "$need" ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "tests/deps.sh: missing:$need; run as root to install them" >&2
	exit 1
fi
echo "tests/deps.sh: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
