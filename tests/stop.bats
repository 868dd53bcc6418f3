#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm stop: stopped is the goal, so already stopped is success.

load test_helper

setup() { setup_dvm_env; }
teardown() { teardown_dvm_env; }

@test "stop of a running VM checks its status, then stops it" {
	make_instance dvm-app Running
	run_dvm stop app
	assert_success
	[ "$(lima_call_count)" -eq 2 ]
	[ "$(sed -n 2p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl --log-level warn stop dvm-app" ]
	assert_output_contains "✓ stopping instance dvm-app"
	assert_output_contains "✓ app stopped"
	[ "$(cat "$LIMA_HOME/dvm-app/fake-status")" = Stopped ]
}

@test "stop of a stopped VM is success and does not call stop" {
	make_instance dvm-app Stopped
	run_dvm stop app
	assert_success
	assert_output_contains "app already stopped"
	refute_lima_call " stop "
}

@test "stop of a VM without instance is success without calling limactl" {
	run_dvm stop app
	assert_success
	assert_output_contains "app has no Lima instance; nothing to stop"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "stop of a name that is neither configured nor an instance says so, and still exits 0" {
	write_vm_config app ''
	write_vm_config web ''
	run_dvm stop nosuch
	assert_success
	assert_output_contains "nosuch has no Lima instance; nothing to stop"
	assert_output_contains "dvm: warning: no VM named 'nosuch' is configured either (configured: app, web)"
	[ "$(lima_call_count)" -eq 0 ]
	# A configured VM without an instance gets no such warning.
	run_dvm stop app
	assert_success
	refute_output_contains "warning"
	rm -rf "$XDG_CONFIG_HOME/dvm/vms"
	run_dvm stop nosuch
	assert_success
	assert_output_contains "dvm: warning: no VM named 'nosuch' is configured either (none is: dvm new <vm> makes one)"
}

@test "stop --all leaves the builder running; --only-config leaves instances without a config" {
	make_instance dvm-app Running
	make_instance dvm-orphan Running
	make_instance dvm-builder Running
	write_vm_config app ''
	run_dvm stop --all --only-config
	assert_success
	assert_lima_call "stop dvm-app"
	refute_lima_call "stop dvm-orphan"
	refute_lima_call "stop dvm-builder"
	run_dvm stop --all
	assert_success
	assert_lima_call "stop dvm-orphan"
	refute_lima_call "stop dvm-builder"
	[ "$(cat "$LIMA_HOME/dvm-builder/fake-status")" = Running ]
	run_dvm stop app --only-config
	assert_failure 2
	assert_output_contains "dvm: error: --only-config goes with --all"
}

@test "stop needs no config" {
	make_instance dvm-app Running
	run_dvm stop app
	assert_success
}

@test "a failing stop is reported with the log" {
	make_instance dvm-app Running
	FAKE_LIMA_FAIL_CALL=2 run_dvm stop app
	assert_failure 1
	assert_output_contains "✗ stopping instance dvm-app"
	assert_output_contains "full log: $XDG_STATE_HOME/dvm/app/lima.log"
}

@test "stop --all stops every running dvm VM and nothing else" {
	make_instance dvm-a Running
	make_instance dvm-b Stopped
	make_instance dvm-c Running
	make_instance other Running
	run_dvm stop --all
	assert_success
	assert_lima_call "stop dvm-a"
	assert_lima_call "stop dvm-c"
	refute_lima_call "stop dvm-b"
	refute_lima_call "stop other"
	[ "$(cat "$LIMA_HOME/other/fake-status")" = Running ]
}

@test "stop --all exits 1 when one stop fails, after trying all" {
	make_instance dvm-a Running
	make_instance dvm-c Running
	FAKE_LIMA_FAIL_MATCH="stop dvm-a" run_dvm stop --all
	assert_failure 1
	assert_lima_call "stop dvm-c"
}

@test "stop --dry-run contacts nothing" {
	make_instance dvm-app Running
	run_dvm stop app --dry-run
	assert_success
	assert_output_contains "limactl --log-level warn stop dvm-app"
	run_dvm stop --all --dry-run
	assert_success
	assert_output_contains "then stop each dvm-* instance"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "stop usage errors" {
	run_dvm stop
	assert_failure 2
	assert_output_contains "missing VM name (or --all)"
	run_dvm stop --all app
	assert_failure 2
	assert_output_contains "give a VM name or --all, not both"
	run_dvm stop 'a;b'
	assert_failure 2
	assert_output_contains "invalid VM name 'a;b'"
}
