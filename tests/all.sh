#!/bin/sh
# make test: the whole suite, then what it ran. Each stage's output goes to
# a log; a stage that fails is shown in full. At the end, one line per
# suite (run, passed, failed, skipped) and a last line
# "N passed, N failed[, N skipped]". With CI set (.ci/run sets it), a
# skipped test counts as a failure: on CI nothing has a reason to skip.
#
# Stages: the builds (gcc, clang, musl, zig's macOS targets), shellcheck,
# the unit tests and the demo on the normal build; then, on an ASan+UBSan
# build (tests/sanitize.sh), the unit tests, the CLI suite (bats) and the
# integration suite (root only), with the fuzzers alongside.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
results=$(mktemp -d "${TMPDIR:-/tmp}/dvm-test.XXXXXX")
trap 'rm -rf "$results"' EXIT
summary=$results/summary
: >"$summary"
start=$(date +%s)

# row SUITE RUN PASSED FAILED SKIPPED
row() { printf '%s %s %s %s %s\n' "$@" >>"$summary"; }

# stage NAME COMMAND...: a step that passes or fails as a whole.
stage() {
	name=$1
	shift
	echo "== $name" >&2
	t0=$(date +%s)
	if "$@" >"$results/$name.log" 2>&1; then
		row "$name" 1 1 0 0
		echo "== $name: $(($(date +%s) - t0)) s" >&2
	else
		cat "$results/$name.log" >&2
		echo "== $name: FAILED" >&2
		row "$name" 1 0 1 0
	fi
}

# tap SUITE FILE: count a TAP stream's results (bats and tests/unit).
tap() {
	awk -v suite="$1" '
	    /^ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) skip++; else pass++ }
	    /^not ok / { fail++ }
	    END { printf "%s %d %d %d %d\n", suite, pass + fail + skip,
		pass, fail, skip }' "$2" >>"$summary"
}

stage deps tests/deps.sh
stage builds make -j2 compilers
stage shellcheck make lint
stage unit make check
stage demo make demo

echo "== ASan+UBSan: unit, CLI and integration suites, fuzzers alongside" >&2
t0=$(date +%s)
DVM_TEST_RESULTS=$results FUZZ_SECONDS=${FUZZ_SECONDS:-60} tests/sanitize.sh
sanitize_status=$?
echo "== ASan+UBSan stage: $(($(date +%s) - t0)) s" >&2
tap unit-asan "$results/unit.out"
tap bats-asan "$results/bats.out"
if [ -f "$results/integration.skipped" ]; then
	echo "########################################################" >&2
	echo "# The integration suite did NOT run: it needs root."       >&2
	echo "########################################################" >&2
	row integration 0 0 0 1
else
	tap integration "$results/integration.out"
fi
if [ -f "$results/fuzz.out" ]; then
	# One row per target; the bash round trip fails the run as one more.
	awk '/^fuzz_[a-z_]*: ok/ { p++ } /^fuzz_[a-z_]*: FAILED/ { f++ }
	    /^fuzz: FAILED/ { any = 1 }
	    END { if (any && !f) f = 1
		printf "fuzz %d %d %d 0\n", p + f, p, f }' \
	    "$results/fuzz.out" >>"$summary"
fi
# A sanitizer report or a stage that died without a TAP line.
if [ "$sanitize_status" -ne 0 ] &&
	! awk '$4 > 0 { bad = 1 } END { exit !bad }' "$summary"; then
	row sanitizer 1 0 1 0
fi

echo "== done in $(($(date +%s) - start)) s" >&2
echo
awk -v ci="${CI:-}" '
    { printf "%-12s %5d run, %5d passed, %3d failed, %3d skipped\n",
	$1, $2, $3, $4, $5; p += $3; f += $4; s += $5 }
    END {
	if (ci != "" && s > 0) {
		printf "CI: %d skipped test(s) count as failures\n", s
		f += s
	}
	printf "%d passed, %d failed", p, f
	if (s > 0) printf ", %d skipped", s
	printf "\n"
	exit f > 0
    }' "$summary"
