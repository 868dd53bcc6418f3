#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm rm: delete the instance; the config only with --config.

load test_helper

setup() {
	setup_dvm_env
	write_vm_config app ''
	CFG=$XDG_CONFIG_HOME/dvm
}
teardown() { teardown_dvm_env; }

@test "rm --yes checks for unsaved work, deletes the instance and keeps the config" {
	make_instance dvm-app Running
	run_dvm rm app --yes
	assert_success
	[ "$(lima_call_count)" -eq 2 ]
	[[ "$(lima_call 1)" == "limactl shell --start --workdir=/ dvm-app sudo -u developer -H bash -lc "* ]]
	[ "$(lima_call 2)" = "limactl --log-level warn delete --force dvm-app" ]
	assert_output_contains "✓ app removed"
	assert_output_contains "dvm: warning: config remains at ~/.config/dvm/vms/app (use --config to remove it)"
	[ ! -e "$LIMA_HOME/dvm-app" ]
	assert_file_exists "$CFG/vms/app/config.sh"
}

@test "rm --config removes the config too" {
	make_instance dvm-app Stopped
	run_dvm rm --yes --config app
	assert_success
	assert_output_contains "removed config ~/.config/dvm/vms/app"
	[ ! -e "$CFG/vms/app" ]
}

@test "rm of a VM without instance only handles the config" {
	run_dvm rm app --yes --config
	assert_success
	assert_output_contains "no Lima instance: dvm-app"
	[ "$(lima_call_count)" -eq 0 ]
	[ ! -e "$CFG/vms/app" ]
}

@test "rm removes an instance whose config is gone" {
	make_instance dvm-orphan Running
	run_dvm rm orphan --yes
	assert_success
	assert_lima_call "delete --force dvm-orphan"
	refute_output_contains "config remains"
}

@test "rm without --yes refuses" {
	make_instance dvm-app Running
	run_dvm rm app
	assert_failure 2
	assert_output_contains "dvm rm deletes the VM and everything in it; confirm with --yes"
	[ "$(lima_call_count)" -eq 0 ]
	[ -e "$LIMA_HOME/dvm-app" ]
}

@test "rm --force skips the unsaved-work check" {
	make_instance dvm-app Running
	run_dvm rm app --yes --force
	assert_success
	[ "$(lima_call_count)" -eq 1 ]
	[ "$(lima_call 1)" = "limactl --log-level warn delete --force dvm-app" ]
}

@test "a check that cannot run refuses the delete" {
	make_instance dvm-app Running
	FAKE_LIMA_FAIL_CALL=1 run_dvm rm app --yes
	assert_failure 1
	assert_output_contains "dvm: error: cannot check VM 'app' for unsaved work (exit status 1); delete anyway with --force"
	[ "$(lima_call_count)" -eq 1 ]
	[ -e "$LIMA_HOME/dvm-app/lima.yaml" ]
}

@test "an instance without config is deleted with a warning" {
	make_instance dvm-orphan Running
	run_dvm rm orphan --yes
	assert_success
	assert_output_contains "dvm: warning: no config for VM 'orphan' (~/.config/dvm/vms/orphan/config.sh), so its code dir cannot be checked for unsaved work"
}

@test "a failing delete is reported and keeps the config" {
	make_instance dvm-app Running
	FAKE_LIMA_FAIL_CALL=2 run_dvm rm app --yes --config
	assert_failure 1
	assert_output_contains "✗ removing instance dvm-app"
	assert_file_exists "$CFG/vms/app/config.sh"
}

@test "rm --dry-run changes nothing" {
	make_instance dvm-app Running
	run_dvm rm app --yes --config --dry-run
	assert_success
	assert_output_contains "limactl --log-level warn delete --force dvm-app"
	assert_output_contains "would remove $CFG/vms/app"
	[ "$(lima_call_count)" -eq 0 ]
	assert_file_exists "$CFG/vms/app/config.sh"
}

@test "rm usage errors" {
	run_dvm rm --yes
	assert_failure 2
	assert_output_contains "missing VM name"
	run_dvm rm Bad --yes
	assert_failure 2
	assert_output_contains "invalid VM name 'Bad'"
	run_dvm rm app web --yes
	assert_failure 2
	assert_output_contains "too many arguments"
}

@test "rm lists unsaved work with hostile file names and guest errors sanitized" {
	make_instance dvm-app Running
	make_project_container app api
	: >"$FAKE_GUEST_ROOT/podman/workdirs/work/$HOSTILE"
	bin=$(guest_find_complains)
	PATH=$bin:$PATH run_dvm_split rm app/api --yes
	assert_failure 1
	assert_stderr_contains "dvm: error: project 'app/api' has unsaved work in /work:"
	assert_stderr_contains "1 file(s) outside any git repository, such as:
  ./$HOSTILE_SHOWN
to keep it, push it to a remote or copy it out with dvm cp, which leaves .git behind;"
	assert_stderr_contains "find: $HOSTILE_SHOWN: Permission denied"
	refute_raw_run
	[ -e "$FAKE_GUEST_ROOT/podman/containers/api" ]
	[ -e "$FAKE_GUEST_ROOT/podman/volumes/dvm-app-api" ]
	refute_guest_call "podman rm"
}

@test "rm says how to keep commits and stashes, and that a VM's git config can run host commands" {
	make_instance dvm-app Running
	make_project_container app api
	echo draft >"$FAKE_GUEST_ROOT/podman/workdirs/work/notes.txt"
	run_dvm_split rm app/api --yes
	assert_failure 1
	assert_stderr_contains "to keep it, push it to a remote or copy it out with dvm cp, which leaves .git behind;
for commits and stashes, copy out a bundle (git bundle create <file> --all) or use
dvm cp --with-vcs, and read .git/config before running git on that copy: git config
from a VM can run commands on this host;
or delete anyway with --force"
	[ "$output" = "" ]
}

@test "rm of a project refuses Lima's login user as DVM_USER before any call; rm of the VM does not" {
	make_instance dvm-app Running
	make_project_container app web
	write_vm_config app 'DVM_USER=alice'
	USER=alice run_dvm rm app/web --yes
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_USER='alice' is Lima's login user in the VM (Lima names it after your host user alice, and it has passwordless root); set DVM_USER=developer, or DVM_USER_SUDO=1 to accept a dev user with root"
	[ "$(lima_call_count)" -eq 0 ]
	# Deleting the whole VM sets nothing up in it.
	USER=alice run_dvm rm app --yes --force
	assert_success
	assert_output_contains "✓ app removed"
}
