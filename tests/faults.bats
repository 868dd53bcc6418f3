#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031  # each test's exports stay in that test
# Fault injection: every limactl call of a sync fails in turn, in every way
# the fake can fail it (exit 1, exit 255, killed by a signal, output cut
# off, hanging past DVM_STEP_TIMEOUT). Each time dvm must exit 1 naming
# the step, its log and its last lines, release the lock, leave no temp
# file on the host or in the (stub) guest and no process behind, and the
# next sync must recover.

load test_helper

setup() {
	setup_dvm_env
	STATE=$XDG_STATE_HOME/dvm/app
	export TMPDIR=$BATS_TEST_TMPDIR/tmp TOKEN=s3cret
	mkdir -p "$TMPDIR"
	write_vm_config app 'DVM_SECRETS=(TOKEN)'
	write_vm_setup app 'echo "setup line 1"; echo "setup line 2"'
	mkdir -p "$XDG_CONFIG_HOME/dvm/vms/app/projects/api"
	printf 'IMAGE=fedora:41\n' >"$XDG_CONFIG_HOME/dvm/vms/app/projects/api/project.sh"
	printf 'echo api-setup-ran\n' >"$XDG_CONFIG_HOME/dvm/vms/app/projects/api/setup.sh"
}
teardown() {
	kill_ours "$FAKE_LIMACTL"
	kill_ours "sleep 3600"
	teardown_dvm_env
}

# The limactl calls a clean sync makes from this state (a fresh VM, or a
# stopped one), counted on a scratch copy of the fake's log dir.
calls_of_clean_sync() {
	local saved=$FAKE_LIMA_LOG_DIR n
	FAKE_LIMA_LOG_DIR=$BATS_TEST_TMPDIR/count
	"$DVM" sync app >/dev/null 2>&1 || fail "the clean sync failed"
	n=$(lima_call_count)
	FAKE_LIMA_LOG_DIR=$saved
	rm -rf "$BATS_TEST_TMPDIR/count"
	echo "$n"
}

# reset_state fresh|stopped: the VM as the sync under test finds it.
reset_state() {
	rm -rf "$LIMA_HOME/dvm-app" "$STATE" "$FAKE_LIMA_LOG_DIR"
	fake_guest_marker
	[ "$1" = stopped ] && make_instance dvm-app Stopped
	return 0
}

no_leftovers() {
	local left
	left=$(find "$TMPDIR" "$FAKE_GUEST_ROOT/tmp" -mindepth 1 2>/dev/null || true)
	[ -z "$left" ] || fail "temp files left behind: $left"
	# A limactl, or the sleep a hanging one became (the fake execs it).
	[ -z "$(our_pids "$FAKE_LIMACTL")" ] || fail "a limactl is still running"
	[ -z "$(our_pids "sleep 3600")" ] || fail "the hung limactl is still running"
}

# inject MODE STATE: fail each call of a sync from STATE in turn with MODE.
inject() {
	local mode=$1 from=$2 n k
	reset_state "$from"
	n=$(calls_of_clean_sync)
	[ "$n" -ge 2 ] || fail "a sync from a $from VM made only $n limactl calls"
	for k in $(seq 1 "$n"); do
		reset_state "$from"
		if [ "$mode" = hang ]; then export DVM_STEP_TIMEOUT=3; else unset DVM_STEP_TIMEOUT; fi
		FAKE_LIMA_FAIL_CALL=$k FAKE_LIMA_FAIL_MODE=$mode run_dvm sync app
		[ "$status" -eq 1 ] || fail "$mode on call $k of $n ($from): exit $status: $output"
		[[ $output == *"✗ "* ]] || fail "$mode on call $k: no failed step shown: $output"
		[[ $output =~ app:\ .*\ (failed\ with\ exit\ status\ [0-9]+|timed\ out\ after\ 3\ s\ \(DVM_STEP_TIMEOUT\))\.\ full\ log:\ $STATE/(lima|setup)\.log ]] ||
			fail "$mode on call $k: no step, status and log path: $output"
		[[ $output == *"last lines of "* ]] || fail "$mode on call $k: no last lines: $output"
		[[ $output != *"app ready"* ]] || fail "$mode on call $k: reported ready"
		[[ $output != *s3cret* ]] || fail "$mode on call $k: the secret was printed"
		no_leftovers
		# The lock is free and the VM recovers with a plain sync.
		run_dvm sync app
		[ "$status" -eq 0 ] || fail "the sync after $mode on call $k did not recover: $output"
		[[ $output == *"✓ app ready"* ]] || fail "no ready line after recovery: $output"
		no_leftovers
		echo "# $mode on call $k of $n from a $from VM: reported, recovered" >&3
	done
}

@test "fault: a limactl call that exits 1 is reported, then the next sync recovers" {
	inject exit1 fresh
	inject exit1 stopped
}

@test "fault: a limactl call that exits 255 (ssh dropped) is reported, then the next sync recovers" {
	inject exit255 fresh
	inject exit255 stopped
}

@test "fault: a limactl call killed by a signal is reported, then the next sync recovers" {
	inject signal fresh
	inject signal stopped
}

@test "fault: a limactl call whose output is cut off is reported, then the next sync recovers" {
	inject truncate fresh
	inject truncate stopped
}

@test "fault: a limactl call that hangs is stopped after DVM_STEP_TIMEOUT, then the next sync recovers" {
	inject hang fresh
	inject hang stopped
}

@test "fault: the timed-out step names DVM_STEP_TIMEOUT and its log says so" {
	FAKE_LIMA_FAIL_CALL=2 FAKE_LIMA_FAIL_MODE=hang DVM_STEP_TIMEOUT=1 run_dvm sync app
	assert_failure 1
	assert_output_contains "✗ ensuring user \"developer\" and /home/developer/code/app"
	assert_output_contains "app: ensuring user \"developer\" and /home/developer/code/app timed out after 1 s (DVM_STEP_TIMEOUT). full log: $STATE/lima.log"
	assert_output_contains "last lines of lima.log: none, the step printed nothing"
	grep -q "== timed out after 1 s (DVM_STEP_TIMEOUT)" "$STATE/lima.log"
}

@test "fault: a setup.sh that hangs is stopped after DVM_STEP_TIMEOUT, with its last lines, leaving nothing behind" {
	write_vm_setup app 'echo "about to hang"; sleep 60; echo never'
	DVM_STEP_TIMEOUT=2 run_dvm sync app
	assert_failure 1
	assert_output_contains "✓ recipe baseline"
	assert_output_contains "app: running VM setup timed out after 2 s (DVM_STEP_TIMEOUT). full log: $STATE/setup.log"
	assert_output_contains "last lines of setup.log:
    about to hang"
	grep -q "== timed out after 2 s (DVM_STEP_TIMEOUT)" "$STATE/setup.log"
	no_leftovers
	[ -z "$(our_pids "sleep 60")" ] || fail "the hung setup.sh is still running"
	write_vm_setup app 'echo fine'
	run_dvm sync app
	assert_success
}

@test "fault: DVM_STEP_TIMEOUT must be a number of seconds" {
	for bad in abc -1 1.5 604801 '1;touch /tmp/x'; do
		DVM_STEP_TIMEOUT=$bad run_dvm sync app
		assert_failure 2
		assert_output "dvm: error: DVM_STEP_TIMEOUT='$bad' is not a number of seconds from 0 (no limit) to 604800"
	done
	[ "$(lima_call_count)" -eq 0 ]
}
