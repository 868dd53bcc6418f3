# shellcheck shell=bash
# tests/test_helper.bash: loaded by every tests/*.bats file (`load test_helper`).
#
# Each file's setup calls setup_dvm_env and its teardown calls teardown_dvm_env:
#
#   setup() { setup_dvm_env; }
#   teardown() { teardown_dvm_env; }
#
# setup_dvm_env [DIR] gives every test a hermetic HOME/XDG_*/LIMA_HOME under DIR (default
# $BATS_TEST_TMPDIR; see unprivileged_dir for another) and points
# dvm at the fake limactl (tests/fake/limactl), which records every call in $FAKE_LIMA_LOG_DIR.
# teardown_dvm_env fails the test when a recorded limactl call breaks the Lima 2.0.0 contract
# (tests/contract/check-lima-argv) or when dvm walked into a Lima trap (traps.log).
# No bats-assert/bats-support: the assertions below are self-contained.

# ---------------------------------------------------------------- paths (absolute, no subprocess)

_th_src=${BASH_SOURCE[0]}
[[ $_th_src == */* ]] || _th_src=./$_th_src
[[ $_th_src == /* ]] || _th_src=$PWD/$_th_src
_th_old_pwd=$PWD
cd -- "${_th_src%/*}" || return 1
TESTS_DIR=$PWD
cd -- "$_th_old_pwd" || return 1
unset _th_src _th_old_pwd
REPO_DIR=${TESTS_DIR%/*}
FAKE_LIMACTL=$TESTS_DIR/fake/limactl
HOSTILE_TAR=$TESTS_DIR/lib/hostile-tar
# The system's python3 for the Python test tools (tests/lib), run with -S (no site: faster): a
# version manager's python3 shim first on PATH can cost half a second a start.
PYTHON3=/usr/bin/python3
[[ -x $PYTHON3 ]] || PYTHON3=$(type -P python3) || PYTHON3=python3
LIMA_CONTRACT_CHECKER=$TESTS_DIR/contract/check-lima-argv

# ---------------------------------------------------------------- strict skip

# With DVM_STRICT_SKIP=1 a skipped test fails: a run that skips must not count as a pass.
# (Evaluated at load time: setup_dvm_env unsets every DVM_* variable afterwards.)
if [[ ${DVM_STRICT_SKIP:-} == 1 ]]; then
	skip() {
		printf 'skip is not allowed with DVM_STRICT_SKIP=1 (reason given: %s)\n' "${*:-none}" >&2
		return 1
	}
fi

# `run --separate-stderr` (run_dvm_split) needs this to avoid a bats warning.
if declare -F bats_require_minimum_version >/dev/null; then
	bats_require_minimum_version 1.5.0
fi

# ---------------------------------------------------------------- environment

# The stub guest of tests/fake/limactl runs only where this marker is;
# call again after removing $FAKE_LIMA_LOG_DIR.
fake_guest_marker() {
	mkdir -p -- "$FAKE_GUEST_ROOT"
	: >"$FAKE_GUEST_ROOT/.fake-guest"
}

setup_dvm_env() {
	local v t=${1:-$BATS_TEST_TMPDIR}
	# Nothing from the caller's DVM_* configuration may leak into a test.
	for v in "${!DVM_@}"; do
		unset "$v"
	done
	unset NO_COLOR LIMA_INSTANCE LIMA_SHELL LIMA_WORKDIR LIMACTL LIMA_TEMPLATES_PATH \
		FAKE_LIMA_FAIL_CALL FAKE_LIMA_FAIL_MATCH FAKE_LIMA_FAIL_MODE FAKE_LIMA_FAIL_RC
	umask 077
	# The usual layout under a fresh HOME, so dvm can print paths as ~/.config/dvm/...
	export HOME=$t/home
	export XDG_CONFIG_HOME=$HOME/.config
	export XDG_STATE_HOME=$HOME/.local/state
	export XDG_CACHE_HOME=$HOME/.cache
	export LIMA_HOME=$HOME/.lima
	mkdir -p -- "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$LIMA_HOME"
	export DVM_LIMACTL=$FAKE_LIMACTL
	export FAKE_LIMA_LOG_DIR=$t/lima-calls
	export FAKE_GUEST_ROOT=$FAKE_LIMA_LOG_DIR/guest-root
	fake_guest_marker
	GUEST_TAR_DIR=$t/guest-tar # see guest_tar_crafted
	export TERM=dumb
	DVM=${DVM:-$REPO_DIR/dvm}
	[[ $DVM == /* ]] || DVM=$PWD/$DVM
	export DVM # for `run bash -c '"$DVM" ... | ...'`
	# shellcheck disable=SC2034 # for the .bats files: dvm's default config dir
	TEST_CONFIG_DIR=$XDG_CONFIG_HOME/dvm
	_th_allow_violations=0
	_th_allow_traps=0
	stub_baseline
}

# our_pids PATTERN: the pids `pgrep -f PATTERN` finds that belong to this
# test, i.e. whose environment holds this test's FAKE_LIMA_LOG_DIR (dvm,
# the fake limactl and everything a stub guest starts inherit it), so that
# tests and suites running side by side never see each other's processes.
our_pids() {
	local pid
	for pid in $(pgrep -f -- "$1"); do
		if grep -qzx "FAKE_LIMA_LOG_DIR=$FAKE_LIMA_LOG_DIR" "/proc/$pid/environ" 2>/dev/null; then
			printf '%s\n' "$pid"
		fi
	done
	return 0
}

# kill_ours PATTERN: SIGKILL this test's processes matching PATTERN.
kill_ours() {
	local pid
	for pid in $(our_pids "$1"); do
		kill -KILL "$pid" 2>/dev/null || true
	done
}

# wait_for_file PATH SECONDS WHAT: wait until PATH exists, or fail
# saying WHAT did not happen within SECONDS.
wait_for_file() {
	local _
	for _ in $(seq 1 $(($2 * 20))); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	fail "$3 within $2 s"
}

# wait_for_lima_call: wait (up to 5 s) until a dvm running in the
# background has made its first limactl call, i.e. holds its lock.
wait_for_lima_call() {
	wait_for_file "$FAKE_LIMA_LOG_DIR/calls.log" 5 "no limactl call"
}

# Every sync runs the baseline recipe. In stub mode a guest script really
# runs on this host, so the tests use a harmless user override of it
# (which also exercises the override). recipes.bats tests the real one.
stub_baseline() {
	mkdir -p -- "$XDG_CONFIG_HOME/dvm/recipes"
	# shellcheck disable=SC2016 # $DVM_VM is expanded in the guest
	printf '%s\n' '# Description: test stand-in for the baseline' \
		'echo "baseline ran for $DVM_VM"' >"$XDG_CONFIG_HOME/dvm/recipes/baseline.sh"
}

teardown_dvm_env() {
	local rc=0 out
	local -a files=()
	[[ -n ${FAKE_LIMA_LOG_DIR:-} && -d $FAKE_LIMA_LOG_DIR ]] || return 0
	if [[ ${_th_allow_violations:-0} != 1 ]]; then
		for out in "$FAKE_LIMA_LOG_DIR"/*.argv; do
			[[ -e $out ]] && files+=("$out")
		done
		if ((${#files[@]})) && ! out=$("$LIMA_CONTRACT_CHECKER" "${files[@]}" 2>&1); then
			printf 'limactl calls that break the Lima 2.0.0 contract:\n%s\n' "$out" >&2
			rc=1
		fi
	fi
	if [[ ${_th_allow_traps:-0} != 1 && -e $FAKE_LIMA_LOG_DIR/traps.log ]]; then
		printf 'dvm walked into Lima traps (%s):\n' "$FAKE_LIMA_LOG_DIR/traps.log" >&2
		_th_print_file "$FAKE_LIMA_LOG_DIR/traps.log" >&2
		rc=1
	fi
	return "$rc"
}

# For tests that provoke bad limactl calls or traps on purpose (the fake's own tests).
allow_lima_violations() { _th_allow_violations=1; }
allow_lima_traps() { _th_allow_traps=1; }

# ---------------------------------------------------------------- running dvm

require_dvm() {
	local d=${DVM:-$REPO_DIR/dvm}
	if [[ ! -f $d || ! -x $d ]]; then
		printf 'dvm binary not found or not executable: %s (build it with make, or set DVM=/path/to/dvm)\n' "$d" >&2
		return 1
	fi
}

run_dvm() {
	require_dvm || return 1
	run "${DVM:-$REPO_DIR/dvm}" "$@"
}

# Like run_dvm, with stderr kept apart in $stderr (and $stderr_lines).
run_dvm_split() {
	require_dvm || return 1
	run --separate-stderr "${DVM:-$REPO_DIR/dvm}" "$@"
}

# ---------------------------------------------------------------- assertions

fail() {
	printf '%s\n' "$@" >&2
	return 1
}

_th_print_file() {
	local l
	while IFS= read -r l || [[ -n $l ]]; do
		printf '%s\n' "$l"
	done <"$1"
}

_th_show_run() {
	printf -- '-- status: %s\n-- output:\n%s\n' "${status-}" "${output-}"
	if [[ -n ${stderr+x} ]]; then
		printf -- '-- stderr:\n%s\n' "$stderr"
	fi
	printf -- '--\n'
}

assert_success() {
	if [[ ${status-} != 0 ]]; then
		fail "expected success (status 0), got status ${status-<unset>}" "$(_th_show_run)"
	fi
}

# assert_failure [N]: non-zero status, or exactly N.
assert_failure() {
	if (($#)); then
		if [[ ${status-} != "$1" ]]; then
			fail "expected status $1, got status ${status-<unset>}" "$(_th_show_run)"
		fi
	elif [[ ${status-} == 0 ]]; then
		fail "expected failure (non-zero status), got status 0" "$(_th_show_run)"
	fi
}

# assert_output STRING (exact); `assert_output -` reads the expected text from stdin.
assert_output() {
	local expected
	if [[ $# -eq 1 && $1 == - ]]; then
		IFS= read -r -d '' expected || true
		while [[ $expected == *$'\n' ]]; do expected=${expected%$'\n'}; done
	else
		expected=${1-}
	fi
	if [[ ${output-} != "$expected" ]]; then
		fail "output differs" "-- expected:" "$expected" "-- actual:" "${output-}" "--"
	fi
}

assert_output_contains() {
	if [[ ${output-} != *"$1"* ]]; then
		fail "output does not contain: $1" "$(_th_show_run)"
	fi
}

refute_output_contains() {
	if [[ ${output-} == *"$1"* ]]; then
		fail "output contains (it must not): $1" "$(_th_show_run)"
	fi
}

# assert_line_contains STRING: some line of $output contains STRING.
assert_line_contains() {
	local l
	while IFS= read -r l; do
		[[ $l == *"$1"* ]] && return 0
	done <<<"${output-}"
	fail "no output line contains: $1" "$(_th_show_run)"
}

assert_stderr_contains() {
	if [[ ${stderr-} != *"$1"* ]]; then
		fail "stderr does not contain: $1 (use run_dvm_split)" "$(_th_show_run)"
	fi
}

_th_mode() {
	REPLY=$(stat -c %a -- "$1" 2>/dev/null || stat -f %Lp -- "$1" 2>/dev/null)
}

# assert_file_mode PATH MODE (octal, e.g. 600 or 0700)
assert_file_mode() {
	if [[ ! -e $1 ]]; then
		fail "assert_file_mode: $1 does not exist"
		return
	fi
	_th_mode "$1"
	if [[ -z $REPLY ]] || ((8#$REPLY != 8#$2)); then
		fail "mode of $1: expected $2, got ${REPLY:-?}"
	fi
}

assert_file_exists() {
	if [[ ! -e $1 && ! -L $1 ]]; then
		fail "expected file to exist: $1"
	fi
}

refute_file_exists() {
	if [[ -e $1 || -L $1 ]]; then
		fail "expected file not to exist: $1"
	fi
}

# assert_file_contains FILE STRING: FILE exists and contains STRING.
assert_file_contains() {
	local content=''
	if [[ ! -f $1 ]]; then
		fail "expected file to exist: $1"
		return
	fi
	IFS= read -r -d '' content <"$1" || true
	if [[ $content != *"$2"* ]]; then
		fail "$1 does not contain: $2" "-- content:" "$content" "--"
	fi
}

# ---------------------------------------------------------------- fake limactl records

_th_call_id() { printf -v REPLY '%04d' "$((10#$1))"; }

# lima_calls: the calls.log lines (one call per line: `limactl` + printf ' %q' per argument).
lima_calls() {
	[[ -f $FAKE_LIMA_LOG_DIR/calls.log ]] || return 0
	_th_print_file "$FAKE_LIMA_LOG_DIR/calls.log"
}

# lima_call_count: how many times limactl was called.
lima_call_count() {
	local f n=0
	for f in "$FAKE_LIMA_LOG_DIR"/*.argv; do
		[[ -e $f ]] && n=$((n + 1))
	done
	printf '%s\n' "$n"
}

assert_lima_call_count() {
	local n
	n=$(lima_call_count)
	if [[ $n != "$1" ]]; then
		fail "expected $1 limactl call(s), got $n" "-- calls:" "$(lima_calls)" "--"
	fi
}

# lima_call N: the calls.log line of call N (1-based).
lima_call() {
	local i=0 l
	[[ -f $FAKE_LIMA_LOG_DIR/calls.log ]] || return 1
	while IFS= read -r l; do
		i=$((i + 1))
		if ((i == $1)); then
			printf '%s\n' "$l"
			return 0
		fi
	done <"$FAKE_LIMA_LOG_DIR/calls.log"
	return 1
}

# lima_argv N: the arguments of call N, one per line.
lima_argv() {
	local a
	_th_call_id "$1"
	[[ -f $FAKE_LIMA_LOG_DIR/$REPLY.argv ]] || fail "no limactl call $1"
	while IFS= read -r -d '' a; do
		printf '%s\n' "$a"
	done <"$FAKE_LIMA_LOG_DIR/$REPLY.argv"
}

# assert_lima_call STRING: some calls.log line contains STRING.
assert_lima_call() {
	local l
	if [[ -f $FAKE_LIMA_LOG_DIR/calls.log ]]; then
		while IFS= read -r l; do
			[[ $l == *"$1"* ]] && return 0
		done <"$FAKE_LIMA_LOG_DIR/calls.log"
	fi
	fail "no limactl call contains: $1" "-- calls:" "$(lima_calls)" "--"
}

refute_lima_call() {
	local l
	[[ -f $FAKE_LIMA_LOG_DIR/calls.log ]] || return 0
	while IFS= read -r l; do
		if [[ $l == *"$1"* ]]; then
			fail "a limactl call contains (it must not): $1" "-- call: $l" "-- calls:" "$(lima_calls)" "--"
			return
		fi
	done <"$FAKE_LIMA_LOG_DIR/calls.log"
}

# lima_stdin N: what call N (a `limactl shell`) read from stdin.
lima_stdin() {
	_th_call_id "$1"
	local f=$FAKE_LIMA_LOG_DIR/$REPLY.stdin
	if [[ ! -f $f ]]; then
		fail "limactl call $1 has no recorded stdin ($f)"
		return
	fi
	cat -- "$f"
}

# last_lima_stdin: the stdin of the most recent call that recorded one.
last_lima_stdin() {
	local f last=''
	for f in "$FAKE_LIMA_LOG_DIR"/*.stdin; do
		[[ -e $f ]] && last=$f
	done
	if [[ -z $last ]]; then
		fail "no limactl call recorded stdin"
		return
	fi
	cat -- "$last"
}

# guest_calls: the guest.log lines written by the guest-bin stubs (stub mode).
guest_calls() {
	[[ -f $FAKE_LIMA_LOG_DIR/guest.log ]] || return 0
	_th_print_file "$FAKE_LIMA_LOG_DIR/guest.log"
}

assert_guest_call() {
	local l
	if [[ -f $FAKE_LIMA_LOG_DIR/guest.log ]]; then
		while IFS= read -r l; do
			[[ $l == *"$1"* ]] && return 0
		done <"$FAKE_LIMA_LOG_DIR/guest.log"
	fi
	fail "no guest command contains: $1" "-- guest.log:" "$(guest_calls)" "--"
}

refute_guest_call() {
	local l
	[[ -f $FAKE_LIMA_LOG_DIR/guest.log ]] || return 0
	while IFS= read -r l; do
		if [[ $l == *"$1"* ]]; then
			fail "a guest command contains (it must not): $1" "-- guest.log:" "$(guest_calls)" "--"
			return
		fi
	done <"$FAKE_LIMA_LOG_DIR/guest.log"
}

# ---------------------------------------------------------------- fixtures

# make_instance NAME [Running|Stopped] [CPUS] [MEMORY_GIB] [DISK_GIB]: fake Lima state, written
# directly (not a recorded limactl call). Defaults: Running, 4, 4, 100.
make_instance() {
	local d=$LIMA_HOME/$1
	mkdir -p -- "$d"
	{
		printf '# Written by make_instance (tests/test_helper.bash) for the fake limactl.\n'
		printf 'template: "template:fedora"\n'
		printf 'cpus: %s\n' "${3:-4}"
		printf 'memory: "%sGiB"\n' "${4:-4}"
		printf 'disk: "%sGiB"\n' "${5:-100}"
		printf 'mounts: null\n'
		printf 'containerd: "none"\n'
		printf 'portForwards: []\n'
		printf 'networks: []\n'
	} >"$d/lima.yaml"
	printf '%s\n' "${2:-Running}" >"$d/fake-status"
}

# make_guest_user NAME [UID]: a user of the fake guest (stub mode), as `useradd -m NAME` would
# leave it, written directly (not a recorded call): passwd/group lines and home under
# $FAKE_GUEST_ROOT. UID defaults to the next free one from 2000.
make_guest_user() {
	local name=$1 uid=${2-} u
	mkdir -p -- "$FAKE_GUEST_ROOT/home/$name"
	if [[ -z $uid ]]; then
		uid=1999
		if [[ -f $FAKE_GUEST_ROOT/passwd ]]; then
			while IFS=: read -r _ _ u _; do
				((u > uid)) && uid=$u
			done <"$FAKE_GUEST_ROOT/passwd"
		fi
		uid=$((uid + 1))
	fi
	printf '%s:x:%s:%s::/home/%s:/bin/bash\n' "$name" "$uid" "$uid" "$name" >>"$FAKE_GUEST_ROOT/passwd"
	printf '%s:x:%s:\n' "$name" "$uid" >>"$FAKE_GUEST_ROOT/group"
}

_th_private_dirs() {
	mkdir -p -- "$@" && chmod 700 -- "$@"
}

_th_private_file() {
	local body=$2
	[[ -z $body || $body == *$'\n' ]] || body+=$'\n'
	printf '%s' "$body" >"$1" && chmod 600 -- "$1"
}

# write_vm_config VM [BODY]: $XDG_CONFIG_HOME/dvm/vms/VM/config.sh (dirs 0700, file 0600).
write_vm_config() {
	local c=$XDG_CONFIG_HOME/dvm
	_th_private_dirs "$c" "$c/vms" "$c/vms/$1"
	_th_private_file "$c/vms/$1/config.sh" "${2-}"
}

# write_global_config BODY: $XDG_CONFIG_HOME/dvm/config.sh.
write_global_config() {
	local c=$XDG_CONFIG_HOME/dvm
	_th_private_dirs "$c"
	_th_private_file "$c/config.sh" "${1-}"
}

# write_vm_setup VM BODY: $XDG_CONFIG_HOME/dvm/vms/VM/setup.sh.
write_vm_setup() {
	local c=$XDG_CONFIG_HOME/dvm
	_th_private_dirs "$c" "$c/vms" "$c/vms/$1"
	_th_private_file "$c/vms/$1/setup.sh" "${2-}"
}

# ---------------------------------------------------------------- the guest's tar (cp downloads)

# In stub mode a guest command runs here with tests/fake/guest-bin and then the test's PATH, so a
# `tar` put at the front of PATH is the guest's tar for `dvm cp` downloads, in a VM and in a
# container alike. These put one in $GUEST_TAR_DIR (set by setup_dvm_env):
#   guest_tar_crafted [--outside DIR] SCENARIO   writes `hostile-tar [--outside DIR] SCENARIO`
#                                                (tests/lib/hostile-tar) whatever it is asked
#   guest_tar_replay FILE                        writes FILE whatever it is asked
#   guest_tar_bsdtar                             is bsdtar
#   guest_tar_gnu                                is the host's tar again (the default)
# Crafted and replayed ones answer a `--version` probe like GNU tar, append their pid to
# $GUEST_TAR_DIR/pids (then exec: the pid is the writer's), and hand a `-x` call to the real tar
# (an unpacking host side that still runs `tar -x` reads the stream instead of being served it).

_th_guest_tar() {
	mkdir -p -- "$GUEST_TAR_DIR"
	printf '#!/bin/bash\n# The guest tar of a test (tests/test_helper.bash).\n%s\n' "$1" >"$GUEST_TAR_DIR/tar.new"
	chmod 755 -- "$GUEST_TAR_DIR/tar.new"
	mv -f -- "$GUEST_TAR_DIR/tar.new" "$GUEST_TAR_DIR/tar"
	case ":$PATH:" in
	*":$GUEST_TAR_DIR:"*) ;;
	*) export PATH=$GUEST_TAR_DIR:$PATH ;;
	esac
}

# _th_guest_tar_writer CMD...: a guest tar that runs CMD (quoted here) to write its stream.
_th_guest_tar_writer() {
	local real cmd q
	real=$(type -P tar) || real=/bin/tar
	[[ $real == "$GUEST_TAR_DIR/tar" ]] && real=/bin/tar
	printf -v cmd '%q ' "$@"
	printf -v q '%q' "$real"
	_th_guest_tar "for a; do [[ \$a == --version ]] && { echo 'tar (GNU tar) 1.34'; exit 0; }; done
for a; do [[ \$a == -x ]] && exec $q \"\$@\"; done
echo \"\$\$\" >>$(printf '%q' "$GUEST_TAR_DIR/pids")
exec $cmd"
}

guest_tar_crafted() { _th_guest_tar_writer "$PYTHON3" -S "$HOSTILE_TAR" "$@"; }
guest_tar_replay() { _th_guest_tar_writer cat -- "$1"; }
guest_tar_bsdtar() { _th_guest_tar 'exec bsdtar "$@"'; }
guest_tar_gnu() { rm -f -- "$GUEST_TAR_DIR/tar"; }

# guest_tar_pids: the pids the crafted or replayed guest tars recorded, one a line.
guest_tar_pids() {
	[[ -f $GUEST_TAR_DIR/pids ]] || return 0
	_th_print_file "$GUEST_TAR_DIR/pids"
}

# kill_guest_tars (in teardown): SIGKILL the recorded guest tars still running; a pid counts
# only while its environment holds this test's FAKE_LIMA_LOG_DIR (pids get reused).
kill_guest_tars() {
	local pid
	for pid in $(guest_tar_pids); do
		kill -0 "$pid" 2>/dev/null || continue
		if grep -qzx "FAKE_LIMA_LOG_DIR=$FAKE_LIMA_LOG_DIR" "/proc/$pid/environ" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	return 0
}

# ---------------------------------------------------------------- running unprivileged

# Root reads, writes and removes mode-000 directories, so permission cases must run dvm as
# somebody else; and a hostile guest is best met without root's power over the host.
#
#   unprivileged_dir     sets UNPRIV_DIR, UNPRIV_UID, UNPRIV_GID; then setup_dvm_env "$UNPRIV_DIR"
#   run_unprivileged CMD...
#   unprivileged_argv CMD... (below)
#   cleanup_unprivileged (in teardown)
#
# As root: UNPRIV_DIR is a fresh 0755 directory under /tmp (the bats temp dirs are 0700 and
# root's), the user is nobody:nogroup, and run_unprivileged first gives it everything under
# UNPRIV_DIR that it does not own (chown -h: never through a symlink; never a regular file with
# more than one link, which could be a host file's other name), then runs CMD with setpriv:
# real and effective ids nobody's, no supplementary groups, no capabilities, the environment
# kept. When nobody cannot reach dvm, the fake limactl or hostile-tar where they are (asked once
# a run), they are copied into UNPRIV_DIR/tools and DVM, FAKE_LIMACTL, HOSTILE_TAR point there.
# Not root: the suite already is unprivileged; UNPRIV_DIR is under $BATS_TEST_TMPDIR and
# run_unprivileged just runs CMD.
# (Under ASan, a report from an unprivileged dvm cannot be written to a root-only log_path: ASan
# then says so on stderr and the test fails there.)
unprivileged_dir() {
	if ((EUID != 0)); then
		UNPRIV_DIR=$BATS_TEST_TMPDIR/unpriv UNPRIV_UID=$EUID UNPRIV_GID=$(id -g)
		mkdir -p -- "$UNPRIV_DIR"
		return 0
	fi
	IFS=: read -r _ _ UNPRIV_UID UNPRIV_GID _ < <(getent passwd nobody)
	if [[ -z $UNPRIV_UID || -z $UNPRIV_GID ]]; then
		fail "unprivileged_dir: no user nobody"
		return 1
	fi
	UNPRIV_DIR=$(mktemp -d /tmp/dvm-unpriv.XXXXXX) || return 1
	chmod 755 -- "$UNPRIV_DIR"
	local dvm=${DVM:-$REPO_DIR/dvm} probe=${BATS_RUN_TMPDIR:-$BATS_TEST_TMPDIR}/unpriv-reach
	# Whether nobody reaches them where they are: asked once a run.
	if [[ ! -f $probe ]]; then
		# shellcheck disable=SC2016 # expanded by sh
		if _th_setpriv sh -c '[ -x "$1" ] && [ -x "$2" ] && [ -r "$3" ] && [ -r "$4" ]' sh \
			"$dvm" "$FAKE_LIMACTL" "$HOSTILE_TAR" "$TESTS_DIR/lib/hostile_tar.py" 2>/dev/null; then
			echo yes >"$probe"
		else
			echo no >"$probe"
		fi
	fi
	if [[ $(<"$probe") != yes ]]; then
		mkdir -p -- "$UNPRIV_DIR/tools"
		cp -- "$dvm" "$UNPRIV_DIR/tools/dvm"
		cp -R -- "$TESTS_DIR/fake" "$UNPRIV_DIR/tools/fake"
		cp -- "$HOSTILE_TAR" "$TESTS_DIR/lib/hostile_tar.py" "$UNPRIV_DIR/tools/"
		chmod -R go+rX -- "$UNPRIV_DIR/tools"
		DVM=$UNPRIV_DIR/tools/dvm
		FAKE_LIMACTL=$UNPRIV_DIR/tools/fake/limactl
		HOSTILE_TAR=$UNPRIV_DIR/tools/hostile-tar
	fi
}

_th_setpriv() {
	setpriv --reuid="$UNPRIV_UID" --regid="$UNPRIV_GID" --clear-groups --inh-caps=-all -- "$@"
}

run_unprivileged() {
	unprivileged_argv "$@" || return 1
	"${UNPRIV_ARGV[@]}"
}

# unprivileged_argv CMD...: what run_unprivileged does but run CMD: UNPRIV_ARGV is the command
# line that runs CMD unprivileged, with exec in place (the pid stays CMD's), e.g. for a
# background job to signal: (exec "${UNPRIV_ARGV[@]}") & pid=$!
unprivileged_argv() {
	if ((EUID != 0)); then
		UNPRIV_ARGV=("$@")
		return 0
	fi
	[[ -n ${UNPRIV_DIR-} && -d $UNPRIV_DIR ]] || {
		fail "run_unprivileged: call unprivileged_dir first"
		return 1
	}
	find "$UNPRIV_DIR" ! -user "$UNPRIV_UID" \( -type d -o -type l -o \( -type f -links 1 \) \) \
		-exec chown -h "$UNPRIV_UID:$UNPRIV_GID" -- {} + || return 1
	UNPRIV_ARGV=(setpriv --reuid="$UNPRIV_UID" --regid="$UNPRIV_GID" --clear-groups --inh-caps=-all -- "$@")
}

cleanup_unprivileged() {
	[[ -n ${UNPRIV_DIR-} && -d $UNPRIV_DIR ]] || return 0
	chmod -R u+rwX -- "$UNPRIV_DIR" 2>/dev/null
	if ((EUID == 0)); then
		rm -rf -- "$UNPRIV_DIR"
	fi
	return 0
}

# ---------------------------------------------------------------- hostile guest text

# What a hostile guest sends to get at the host's terminal: a window title, an
# OSC 52 clipboard write, clear screen, cursor up + erase line, a C1 CSI
# (U+009B), a bidi override (U+202E) and two bytes that are not UTF-8. No '/',
# newline or tab, so it also makes one file name and one table field.
# HOSTILE_PRINTF is a printf(1) format that prints it (for guest scripts);
# HOSTILE_SHOWN is how dvm's sanitizer shows it.
HOSTILE_PRINTF='t\033]0;owned\007\033]52;c;b3duZWQ=\007\033[2J\033[1A\033[2K\302\23331m\342\200\256txt.exe\377\376'
# shellcheck disable=SC2059,SC2034 # the format is the point; for the .bats files
printf -v HOSTILE "$HOSTILE_PRINTF"
# shellcheck disable=SC2034 # for the .bats files
HOSTILE_SHOWN='t\x1b]0;owned\x07\x1b]52;c;b3duZWQ=\x07\x1b[2J\x1b[1A\x1b[2K\u009b31m\u202etxt.exe'$'\xef\xbf\xbd\xef\xbf\xbd'
# The same decoded from dvm's JSON (json_add_str escapes C0 controls only).
# shellcheck disable=SC2034 # for the .bats files
HOSTILE_JSON=$'t\e]0;owned\a\e]52;c;b3duZWQ=\a\e[2J\e[1A\e[2K\xc2\x9b31m\xe2\x80\xaetxt.exe\xef\xbf\xbd\xef\xbf\xbd'

# refute_raw_controls TEXT: TEXT (what dvm printed) holds none of HOSTILE's
# raw bytes (ESC, BEL, C1 CSI, U+202E, 0xff, 0xfe), is valid UTF-8 and holds
# no C0 (but newline and tab), C1 or bidi control at all.
refute_raw_controls() {
	local b
	for b in $'\e' $'\a' $'\xc2\x9b' $'\xe2\x80\xae' $'\xff' $'\xfe'; do
		if printf '%s' "$1" | LC_ALL=C grep -qF -- "$b"; then
			fail "raw bytes$(printf '%s' "$b" | od -An -tx1) reached the terminal:" "$1"
			return
		fi
	done
	printf '%s' "$1" | python3 -c '
import sys
t = sys.stdin.buffer.read().decode("utf-8")
bad = [hex(ord(c)) for c in t if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
sys.exit("controls in the text: " + " ".join(bad) if bad else 0)' ||
		fail "not clean UTF-8 text:" "$1"
}

# assert_json_utf8 TEXT: TEXT is strict UTF-8 and parses as JSON.
assert_json_utf8() {
	printf '%s' "$1" | python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' ||
		fail "not valid UTF-8 JSON:" "$1"
}

# refute_raw_run: neither stdout nor stderr of the last run_dvm_split holds
# raw control characters (refute_raw_controls).
refute_raw_run() {
	refute_raw_controls "${output-}"
	refute_raw_controls "${stderr-}"
}

# assert_stderr_line LINE: some line of the last run's stderr is exactly LINE.
assert_stderr_line() {
	grep -qxF -- "$1" <<<"${stderr-}" || fail "no stderr line is exactly: $1" "$(_th_show_run)"
}

# make_project_container VM PROJECT: the project's config and, in the stub
# guest, its running container (workdir /work) and workspace volume, written
# directly as `dvm sync VM` would leave them. Needs the VM's config.
make_project_container() {
	local c=$XDG_CONFIG_HOME/dvm/vms/$1/projects/$2 p=$FAKE_GUEST_ROOT/podman
	_th_private_dirs "${c%/*}" "$c"
	_th_private_file "$c/project.sh" ''
	mkdir -p -- "$p/containers" "$p/volumes" "$p/workdirs/work"
	printf 'image=registry.fedoraproject.org/fedora:latest\nstate=running\nlabels=dvm.vm=%s dvm.project=%s \n' \
		"$1" "$2" >"$p/containers/$2"
	: >"$p/volumes/dvm-$1-$2"
}

# guest_find_complains: a `find` for the stub guest (first on PATH after
# guest-bin) that writes HOSTILE to stderr before it runs the real one.
# Prints the directory to put in front of PATH.
guest_find_complains() {
	local d=$BATS_TEST_TMPDIR/hostile-bin real
	real=$(command -v find) || fail "no find on PATH"
	mkdir -p -- "$d"
	{
		printf '#!/bin/sh\n'
		# shellcheck disable=SC2016 # expanded by the stub's sh
		printf 'printf "find: %%s: Permission denied\\n" '"'%s'"' >&2\nexec %s "$@"\n' "$HOSTILE" "$real"
	} >"$d/find"
	chmod +x -- "$d/find"
	printf '%s\n' "$d"
}
