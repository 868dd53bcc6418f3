#!/bin/sh
# Run the unit and CLI tests against an ASan+UBSan build of dvm and fail on
# any sanitizer report (leaks included), then restore the normal build.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logs=$(mktemp -d "${TMPDIR:-/tmp}/dvm-sanitize.XXXXXX")
status=0

make -s asan >/dev/null || exit 1
ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1"
UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS
./tests/unit/unit >/dev/null 2>&1 || status=1
bats tests/*.bats >"$logs/bats.out" 2>&1 || { cat "$logs/bats.out"; status=1; }
unset ASAN_OPTIONS UBSAN_OPTIONS
for f in "$logs"/asan.* "$logs"/ubsan.*; do
	[ -e "$f" ] || continue
	echo "sanitizer report: $f" >&2
	cat "$f" >&2
	status=1
done
[ "$status" -eq 0 ] && echo "sanitize: unit and bats suites clean under ASan+UBSan"
rm -rf "$logs"
make -s clean && make -s dvm >/dev/null
exit "$status"
