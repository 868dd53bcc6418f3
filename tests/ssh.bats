#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm ssh: argv passed exactly, exit status passed back.

load test_helper

setup() {
	setup_dvm_env
	write_global_config 'DVM_USER=developer'
	write_vm_config app ''
	make_instance dvm-app Running
}
teardown() { teardown_dvm_env; }

argv_of_call() {
	tr '\0' '\n' <"$FAKE_LIMA_LOG_DIR/$1.argv"
}

@test "ssh passes every word as its own argument, after the code dir" {
	run_dvm ssh app -- printf '[%s]' 'a b' "c'd" '$HOME' '' '*' '--x=1'
	assert_success
	assert_output "[a b][c'd][\$HOME][][*][--x=1]"
	[ "$(lima_call_count)" -eq 1 ]
	argv_of_call 0001 | tail -n 9 >"$BATS_TEST_TMPDIR/tail"
	[ "$(sed -n 1p "$BATS_TEST_TMPDIR/tail")" = "/home/developer/code/app" ]
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/tail")" = "printf" ]
}

@test "ssh returns the command's exit status" {
	run_dvm ssh app -- sh -c 'exit 42'
	assert_failure 42
	run_dvm ssh app true
	assert_success
}

@test "ssh without -- keeps the command's own options" {
	run_dvm ssh app ls -la /
	assert_success
	assert_lima_call "bash /home/developer/code/app ls -la /"
}

@test "ssh forwards stdin to the command" {
	run bash -c 'echo piped-in | "$DVM" ssh app -- cat'
	assert_success
	assert_output "piped-in"
}

@test "ssh usage errors" {
	run_dvm ssh
	assert_failure 2
	assert_output_contains "missing VM name"
	run_dvm ssh app
	assert_failure 2
	assert_output_contains "missing command to run"
	run_dvm ssh app --
	assert_failure 2
	assert_output_contains "missing command to run"
	run_dvm ssh 'Bad' -- true
	assert_failure 2
	assert_output_contains "invalid VM name 'Bad'"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "ssh of a VM without an instance says to sync first" {
	write_vm_config web ''
	run_dvm ssh web -- true
	assert_failure 1
	assert_output_contains "VM 'web' has no Lima instance dvm-web yet (run: dvm sync web)"
}

@test "ssh starts limactl without the host's secrets in its environment" {
	write_vm_config app 'DVM_SECRETS=(MY_API_KEY)'
	CLOUDFLARED_TOKEN=tok-cf-1 TAILSCALE_AUTH_KEY=tok-ts-2 MY_API_KEY=tok-api-3 run_dvm ssh app -- sh -c 'echo "[${CLOUDFLARED_TOKEN-}${TAILSCALE_AUTH_KEY-}${MY_API_KEY-}]"'
	assert_success
	assert_output "[]"
	assert_lima_call_count 1
	! grep -qaE 'tok-(cf-1|ts-2|api-3)' "$FAKE_LIMA_LOG_DIR/0001.env" || fail "a secret is in the environment of limactl"
	grep -qaF 'FAKE_LIMA_LOG_DIR=' "$FAKE_LIMA_LOG_DIR/0001.env" || fail "the environment was not recorded"
}
