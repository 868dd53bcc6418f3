#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm reset: delete and create again, in one locked plan.

load test_helper

setup() {
	setup_dvm_env
	write_vm_config app 'DVM_CPUS=2'
}
teardown() { teardown_dvm_env; }

@test "reset deletes the instance, creates it again and runs the guest script" {
	make_instance dvm-app Running
	run_dvm reset app --yes
	assert_success
	[ "$(lima_call_count)" -eq 3 ]
	[ "$(sed -n 1p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl --log-level warn delete --force dvm-app" ]
	[ "$(sed -n 2p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl --log-level warn start --yes --name=dvm-app --cpus=2 --memory=2 --disk=30 --mount-none template:fedora" ]
	[ "$(sed -n 3p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl shell --workdir=/ dvm-app bash -s" ]
	assert_output_contains "✓ removing instance dvm-app"
	assert_output_contains "✓ creating instance dvm-app"
	assert_output_contains "✓ app ready"
}

@test "reset of a VM without instance just creates it" {
	run_dvm reset app --yes
	assert_success
	[ "$(lima_call_count)" -eq 2 ]
}

@test "reset reads the config before deleting anything" {
	make_instance dvm-app Running
	write_vm_config app 'DVM_MEMORY=lots'
	run_dvm reset app --yes
	assert_failure 1
	assert_output_contains "DVM_MEMORY='lots'"
	[ "$(lima_call_count)" -eq 0 ]
	[ -e "$LIMA_HOME/dvm-app/lima.yaml" ]
	make_instance dvm-gone Running
	run_dvm reset gone --yes
	assert_failure 1
	assert_output_contains "no config for VM 'gone'"
	[ -e "$LIMA_HOME/dvm-gone/lima.yaml" ]
}

@test "reset without --yes refuses" {
	make_instance dvm-app Running
	run_dvm reset app
	assert_failure 2
	assert_output_contains "confirm with --yes"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "reset --dry-run prints delete, create and the script" {
	make_instance dvm-app Running
	run_dvm reset app --yes --dry-run
	assert_success
	assert_output_contains "delete --force dvm-app"
	assert_output_contains "--name=dvm-app"
	assert_output_contains "stdin step 1: bootstrap"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "reset usage errors" {
	run_dvm reset --yes
	assert_failure 2
	assert_output_contains "missing VM name"
	run_dvm reset 'a b' --yes
	assert_failure 2
	assert_output_contains "invalid VM name 'a b'"
}
