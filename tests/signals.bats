#!/usr/bin/env bats
# Signals during a sync: SIGINT, SIGTERM and SIGHUP stop the running
# child's whole process group (down to a command setup.sh started), show
# the cursor again on a terminal, leave no temp file on the host or in the
# (stub) guest, release the lock, and exit 128 + the signal.
# (tests/sync.bats covers a signal during limactl start; tests/ls.bats the
# quiet SIGPIPE of `dvm ls | head -1`.)

load test_helper

setup() {
	setup_dvm_env
	export TMPDIR=$BATS_TEST_TMPDIR/tmp TOKEN=s3cret
	mkdir -p "$TMPDIR"
	STATE=$XDG_STATE_HOME/dvm/app
	MARK=$BATS_TEST_TMPDIR/setup-started
	# A secret makes the guest script stage a temp dir; setup.sh then
	# starts a long sleep of its own.
	write_vm_config app 'DVM_SECRETS=(TOKEN)'
	write_vm_setup app "touch '$MARK'; sleep 300 & wait"
}
teardown() {
	kill_ours "sleep 300"
	teardown_dvm_env
}

wait_for_setup() {
	wait_for_file "$MARK" 10 "setup.sh did not start"
}

# interrupt SIG STATUS: sync, send SIG to dvm while setup.sh runs, check.
interrupt() {
	local sig=$1 want=$2 pid status=0
	rm -f "$MARK"
	"$DVM" sync app >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	wait_for_setup
	kill -s "$sig" "$pid"
	wait "$pid" || status=$?
	[ "$status" -eq "$want" ] || fail "SIG$sig: exit $status, want $want: $(cat "$BATS_TEST_TMPDIR/out")"
	grep -q "dvm: interrupted during: running VM setup" "$BATS_TEST_TMPDIR/out" ||
		fail "SIG$sig: no interrupted line: $(cat "$BATS_TEST_TMPDIR/out")"
	grep -q "== interrupted" "$STATE/setup.log"
	# The whole group went: limactl, the guest bash, setup.sh and its sleep.
	sleep 0.2
	[ -z "$(our_pids "sleep 300")" ] || fail "SIG$sig: setup.sh's sleep survived"
	[ -z "$(our_pids "$FAKE_LIMACTL")" ] || fail "SIG$sig: limactl survived"
	# The guest's traps removed the secret dir and the script's temp file.
	local left
	left=$(find "$TMPDIR" "$FAKE_GUEST_ROOT/tmp" -mindepth 1 2>/dev/null || true)
	[ -z "$left" ] || fail "SIG$sig: temp files left: $left"
	# The lock went with dvm.
	write_vm_setup app 'echo quick'
	run_dvm sync app
	assert_success
	write_vm_setup app "touch '$MARK'; sleep 300 & wait"
}

@test "signals: SIGINT during setup.sh stops its process group, cleans up and exits 130" {
	interrupt INT 130
}

@test "signals: SIGTERM during setup.sh stops its process group, cleans up and exits 143" {
	interrupt TERM 143
}

@test "signals: SIGHUP during setup.sh stops its process group, cleans up and exits 129" {
	interrupt HUP 129
}

@test "signals: an interrupt on a terminal shows the cursor again" {
	command -v script >/dev/null || fail "script(1) is needed for this test"
	script -qec "TERM=xterm '$DVM' sync app" "$BATS_TEST_TMPDIR/typescript" >/dev/null 2>&1 &
	local spid=$! pid
	wait_for_setup
	pid=$(our_pids "^$DVM sync app" | head -1)
	[ -n "$pid" ] || fail "no dvm process found"
	kill -INT "$pid"
	wait "$spid" || true
	local out
	out=$(cat "$BATS_TEST_TMPDIR/typescript")
	[[ $out == *$'\e[?25l'* ]] || fail "the spinner never hid the cursor"
	# After the last hide there is a show.
	[[ ${out##*$'\e[?25l'} == *$'\e[?25h'* ]] || fail "the cursor stayed hidden: $(printf '%q' "${out: -200}")"
	[[ $out == *"dvm: interrupted during: running VM setup"* ]]
}
