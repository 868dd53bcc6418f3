#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm reset: delete and create again, in one locked plan.

load test_helper

setup() {
	setup_dvm_env
	write_vm_config app 'DVM_CPUS=2'
}
teardown() { teardown_dvm_env; }

@test "reset checks for unsaved work, deletes the instance, creates it again and runs the guest script" {
	make_instance dvm-app Running
	run_dvm reset app --yes
	assert_success
	[ "$(lima_call_count)" -eq 4 ]
	[[ "$(lima_call 1)" == "limactl shell --start --workdir=/ dvm-app sudo -u developer -H bash -lc "* ]]
	[ "$(lima_call 2)" = "limactl --log-level warn delete --force dvm-app" ]
	[ "$(lima_call 3)" = "limactl --log-level warn start --yes --name=dvm-app --cpus=2 --memory=2 --disk=30 --mount-none template:fedora" ]
	[ "$(lima_call 4)" = "limactl shell --workdir=/ dvm-app bash -s" ]
	assert_output_contains "✓ removing instance dvm-app"
	assert_output_contains "✓ creating instance dvm-app"
	assert_output_contains "✓ app ready"
}

@test "reset refuses while the code dir holds unsaved work, and when it cannot check" {
	make_instance dvm-app Running
	FAKE_LIMA_FAIL_CALL=1 FAKE_LIMA_FAIL_RC=3 run_dvm reset app --yes
	assert_failure 1
	assert_output_contains "dvm: error: VM 'app' has unsaved work in /home/developer/code/app:"
	assert_output_contains "or reset anyway with --force"
	FAKE_LIMA_FAIL_CALL=2 run_dvm reset app --yes
	assert_failure 1
	assert_output_contains "dvm: error: cannot check VM 'app' for unsaved work (exit status 1); reset anyway with --force"
	[ "$(lima_call_count)" -eq 2 ]
	[ -e "$LIMA_HOME/dvm-app/lima.yaml" ]
}

@test "reset --force skips the unsaved-work check" {
	make_instance dvm-app Running
	run_dvm reset app --yes --force
	assert_success
	[ "$(lima_call_count)" -eq 3 ]
	[ "$(lima_call 1)" = "limactl --log-level warn delete --force dvm-app" ]
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

@test "reset lists unsaved work with hostile file names and guest errors sanitized" {
	make_instance dvm-app Running
	make_project_container app api
	: >"$FAKE_GUEST_ROOT/podman/workdirs/work/$HOSTILE"
	bin=$(guest_find_complains)
	PATH=$bin:$PATH run_dvm_split reset app/api --yes
	assert_failure 1
	assert_stderr_contains "dvm: error: project 'app/api' has unsaved work in /work:"
	assert_stderr_contains "1 file(s) outside any git repository, such as:
  ./$HOSTILE_SHOWN
to keep it, push it to a remote or copy it out with dvm cp, which leaves .git behind;"
	assert_stderr_contains "or reset anyway with --force"
	assert_stderr_contains "find: $HOSTILE_SHOWN: Permission denied"
	refute_raw_run
	[ -e "$FAKE_GUEST_ROOT/podman/volumes/dvm-app-api" ]
	refute_guest_call "podman rm"
}

@test "reset refuses Lima's login user as DVM_USER, or use docker without DVM_USER_SUDO=1, before any call" {
	make_instance dvm-app Running
	make_project_container app web
	write_vm_config app 'DVM_USER=alice'
	USER=alice run_dvm reset app --yes
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_USER='alice' is Lima's login user in the VM (Lima names it after your host user alice, and it has passwordless root); set DVM_USER=developer, or DVM_USER_SUDO=1 to accept a dev user with root"
	USER=alice run_dvm reset app/web --yes
	assert_failure 1
	assert_output_contains "DVM_USER='alice' is Lima's login user in the VM"
	write_vm_config app 'use docker'
	run_dvm reset app --yes
	assert_failure 1
	assert_output_contains "vms/app/config.sh: use docker requires DVM_USER_SUDO=1"
	[ "$(lima_call_count)" -eq 0 ]
	# A project reset runs no recipe: use docker does not stop it.
	run_dvm reset app/web --yes --keep-data
	assert_success
}
