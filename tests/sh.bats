#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm sh: one `limactl shell --start` into DVM_USER's login shell.

load test_helper

setup() {
	setup_dvm_env
	write_global_config 'DVM_USER=developer'
	write_vm_config app ''
}
teardown() { teardown_dvm_env; }

@test "sh execs one limactl shell --start as DVM_USER with the code dir" {
	make_instance dvm-app Running
	run_dvm sh app </dev/null
	assert_success
	[ "$(lima_call_count)" -eq 1 ]
	tr '\0' '\n' <"$FAKE_LIMA_LOG_DIR/0001.argv" >"$BATS_TEST_TMPDIR/argv"
	[ "$(sed -n 1,9p "$BATS_TEST_TMPDIR/argv" | tr '\n' ' ')" = "shell --start --workdir=/ dvm-app sudo -u developer -H bash " ]
	[ "$(sed -n 10p "$BATS_TEST_TMPDIR/argv")" = "-lc" ]
	[ "$(tail -n 2 "$BATS_TEST_TMPDIR/argv" | head -n 1)" = "bash" ]
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/argv")" = "/home/developer/code/app" ]
}

@test "sh keeps a TERM the VM knows, and falls back to xterm-256color, once, for one it does not" {
	make_instance dvm-app Running
	TERM=xterm-dvm-none run_dvm sh app <<<'echo "[term $TERM]"'
	assert_success
	assert_output "dvm: no terminfo entry for TERM=xterm-dvm-none here; using xterm-256color
[term xterm-256color]"
	[ "$(lima_call_count)" -eq 1 ]
	TERM=xterm run_dvm sh app <<<'echo "[term $TERM]"'
	assert_success
	assert_output "[term xterm]"
	# No infocmp in the guest: the terminfo directories are looked at.
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	for t in bash sh cat cut getent id printf env; do ln -sf "$(command -v "$t")" "$BATS_TEST_TMPDIR/bin/$t"; done
	PATH=$BATS_TEST_TMPDIR/bin TERM=xterm-dvm-none run "$DVM" sh app <<<'echo "[term $TERM]"'
	assert_output_contains "[term xterm-256color]"
	PATH=$BATS_TEST_TMPDIR/bin TERM=xterm run "$DVM" sh app <<<'echo "[term $TERM]"'
	assert_output "[term xterm]"
}

@test "sh starts a stopped VM on the way" {
	make_instance dvm-app Stopped
	run_dvm sh app </dev/null
	assert_success
	assert_lima_call "shell --start"
	[ "$(cat "$LIMA_HOME/dvm-app/fake-status")" = Running ]
}

@test "sh of a VM without an instance says to sync first" {
	run_dvm sh app
	assert_failure 1
	assert_output_contains "dvm: error: VM 'app' has no Lima instance dvm-app yet (run: dvm sync app)"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "sh usage errors and bad names" {
	run_dvm sh
	assert_failure 2
	assert_output_contains "missing VM name"
	run_dvm sh app extra
	assert_failure 2
	assert_output_contains "too many arguments"
	run_dvm sh 'a;b'
	assert_failure 2
	assert_output_contains "invalid VM name 'a;b'"
	run_dvm sh nope
	assert_failure 1
	assert_output_contains "no config for VM 'nope'"
}
