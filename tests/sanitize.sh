#!/bin/sh
# The suites against an ASan+UBSan build of dvm (make asan): the unit
# tests, the CLI tests (bats) and, as root, the host-as-guest integration
# suite. Any sanitizer report, leaks included, fails the run. Then the
# normal build is put back.
#
# With FUZZ_SECONDS set (make test sets it), the libFuzzer targets
# (tests/fuzz/run) run alongside the integration suite, which spends much
# of its time waiting on podman: on two CPUs that saves minutes.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# With DVM_TEST_RESULTS (tests/all.sh), the suites' outputs stay there
# for its summary: unit.out, bats.out, integration.out, fuzz.out, and
# integration.skipped when the integration suite could not run.
if [ -n "${DVM_TEST_RESULTS:-}" ]; then
	logs=$DVM_TEST_RESULTS
else
	logs=$(mktemp -d "${TMPDIR:-/tmp}/dvm-sanitize.XXXXXX")
fi
status=0
fuzz_pid=

make -s -j2 asan >/dev/null || exit 1
ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1"
UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS

start=$(date +%s)
step() { echo "== sanitize: $* (at $(($(date +%s) - start)) s)" >&2; }

step "unit tests"
./tests/unit/unit >"$logs/unit.out" 2>&1 || { cat "$logs/unit.out"; status=1; }
step "CLI tests (bats)"
# A file at a time per CPU (GNU parallel, from tests/deps.sh); the tests
# of one file stay in order.
bats --jobs "$(nproc)" --no-parallelize-within-files tests/*.bats \
	>"$logs/bats.out" 2>&1 || { cat "$logs/bats.out"; status=1; }
tail -n 1 "$logs/bats.out" >&2

if [ -n "${FUZZ_SECONDS:-}" ]; then
	step "fuzzers, ${FUZZ_SECONDS}s each, alongside the integration suite"
	# The fuzzers have their own sanitizer runtime and report crashes
	# themselves; our log_path settings are not theirs.
	(unset ASAN_OPTIONS UBSAN_OPTIONS
	 tests/fuzz/run "$FUZZ_SECONDS" >"$logs/fuzz.out" 2>&1) &
	fuzz_pid=$!
fi
step "integration suite"
[ "$(id -u)" -eq 0 ] || : >"$logs/integration.skipped"
tests/integration/run >"$logs/integration.out" 2>&1 || {
	cat "$logs/integration.out"
	status=1
}
grep -E '^(ok|not ok) ' "$logs/integration.out" | tail -n 1 >&2
grep -F 'SKIPPED' "$logs/integration.out" >&2
if [ -n "$fuzz_pid" ]; then
	if wait "$fuzz_pid"; then
		cat "$logs/fuzz.out"
	else
		cat "$logs/fuzz.out"
		echo "sanitize: the fuzzers failed" >&2
		status=1
	fi
fi

unset ASAN_OPTIONS UBSAN_OPTIONS
for f in "$logs"/asan.* "$logs"/ubsan.*; do
	[ -e "$f" ] || continue
	echo "sanitizer report: $f" >&2
	cat "$f" >&2
	status=1
done
[ "$status" -eq 0 ] && echo "sanitize: unit, bats and integration suites clean under ASan+UBSan"
[ -n "${DVM_TEST_RESULTS:-}" ] || rm -rf "$logs"
make -s clean && make -s dvm >/dev/null
exit "$status"
