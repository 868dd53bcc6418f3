#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm ls: one limactl list, or none when there is no dvm instance.

load test_helper

setup() { setup_dvm_env; }
teardown() { teardown_dvm_env; }

@test "ls without instances prints the header and calls nothing" {
	run_dvm_split ls
	assert_success
	assert_output "VM                   STATE      CPUS  MEMORY   DISK     PROJECTS"
	# A first run says where to begin, on stderr (scripts read stdout).
	[ "$stderr" = "no VMs yet; make one with: dvm new <name>" ]
	[ "$(lima_call_count)" -eq 0 ]
	run_dvm_split
	assert_success
	[ "$stderr" = "no VMs yet; make one with: dvm new <name>" ]
	write_vm_config app ''
	run_dvm_split ls
	[ -z "$stderr" ]
}

@test "ls leaves out the base-image builder; --only-config leaves out instances without a config" {
	make_instance dvm-app Running
	make_instance dvm-old Stopped
	make_instance dvm-builder Running
	write_vm_config app ''
	write_vm_config web ''
	run_dvm ls
	assert_success
	assert_line_contains "old                  Stopped"
	refute_output_contains "builder"
	run_dvm ls --only-config
	assert_success
	assert_line_contains "app                  Running"
	assert_line_contains "web                  absent"
	refute_output_contains "old"
	run_dvm ls --only-config --json
	assert_success
	[ "$(jq -r '.[].name' <<<"$output" | tr '\n' ' ')" = "app web " ]
	run_dvm ls app --only-config
	assert_failure 2
	assert_output_contains "dvm: error: --only-config lists VMs, not the projects of one"
	# Only the builder: nothing to ask Lima about.
	rm -rf "$LIMA_HOME/dvm-app" "$LIMA_HOME/dvm-old" "$FAKE_LIMA_LOG_DIR"
	fake_guest_marker
	run_dvm ls
	assert_success
	[ "$(lima_call_count)" -eq 0 ]
}

@test "ls <vm> shows unknown for a state it could not read, as --json does" {
	write_vm_config app ''
	mkdir -p "$XDG_CONFIG_HOME/dvm/vms/app/projects/api"
	echo 'IMAGE=node:22' >"$XDG_CONFIG_HOME/dvm/vms/app/projects/api/project.sh"
	run_dvm ls app
	assert_success
	assert_line_contains "api                  unknown    node:22"
}

@test "ls shows instances from one limactl list and configured VMs" {
	make_instance dvm-app Running 4 8 60
	make_instance dvm-old Stopped 2 1.5 30
	make_instance other Running
	write_vm_config app ''
	write_vm_config web ''
	mkdir -p "$XDG_CONFIG_HOME/dvm/vms/app/projects/api"
	touch "$XDG_CONFIG_HOME/dvm/vms/app/projects/api/project.sh"
	run_dvm ls
	assert_success
	[ "$(lima_call_count)" -eq 1 ]
	assert_lima_call "limactl list"
	assert_line_contains "app                  Running    4     8GiB     60GiB    1"
	assert_line_contains "old                  Stopped    2     1.5GiB   30GiB    0"
	assert_line_contains "web                  absent     -     -        -        0"
	refute_output_contains "other"
}

@test "ls uses a real tab in the list format" {
	make_instance dvm-app Running
	run_dvm ls
	assert_success
	tr '\0' '\n' <"$FAKE_LIMA_LOG_DIR/0001.argv" | grep -q $'^--format={{.Name}}\t{{.Status}}'
}

@test "ls reports a failing limactl" {
	make_instance dvm-app Running
	FAKE_LIMA_FAIL_CALL=1 run_dvm ls
	assert_failure 1
	assert_output_contains "limactl list failed with exit status 1"
}

@test "ls takes at most one VM" {
	run_dvm ls app web
	assert_failure 2
	assert_output_contains "too many arguments"
	run_dvm ls 'a;b'
	assert_failure 2
	assert_output_contains "invalid VM name 'a;b'"
	run_dvm ls app
	assert_failure 1
	assert_output_contains "no config for VM 'app'"
}

@test "ls | head -1 ends quietly" {
	make_instance dvm-app Running
	run bash -c '"$DVM" ls | head -1'
	assert_success
	assert_output_contains "VM"
	refute_output_contains "error"
}

@test "ls --json prints every VM as a JSON array with a fixed schema" {
	make_instance dvm-app Running 4 8 60
	write_vm_config app ''
	write_vm_config web ''
	run_dvm ls --json
	assert_success
	[ "$(jq length <<<"$output")" -eq 2 ]
	[ "$(jq -c '.[0]' <<<"$output")" = '{"name":"app","state":"Running","cpus":4,"memory_bytes":8589934592,"disk_bytes":64424509440,"projects":0,"egress":null,"agent_egress":null}' ]
	[ "$(jq -c '.[1]' <<<"$output")" = '{"name":"web","state":"absent","cpus":null,"memory_bytes":null,"disk_bytes":null,"projects":0,"egress":null,"agent_egress":null}' ]
	rm -rf "$XDG_CONFIG_HOME/dvm/vms" "$LIMA_HOME/dvm-app"
	run_dvm ls --json
	assert_success
	[ "$(jq length <<<"$output")" -eq 0 ]
}

@test "ls --json carries each VM's configured egress lists, null when it sets none" {
	make_instance dvm-app Running 4 8 60
	make_instance dvm-old Stopped	# an instance without a config
	write_global_config 'DVM_EGRESS=(github.com)'
	write_vm_config app 'DVM_EGRESS=(github.com .npmjs.org)
DVM_AGENT_EGRESS=(api.anthropic.com)'
	write_vm_config web ''
	write_vm_config open 'DVM_EGRESS=()'
	run_dvm ls --json
	assert_success
	[ "$(jq -c '[.[] | {name, egress, agent_egress}]' <<<"$output")" = '[{"name":"app","egress":["github.com",".npmjs.org"],"agent_egress":["api.anthropic.com"]},{"name":"old","egress":null,"agent_egress":null},{"name":"open","egress":null,"agent_egress":null},{"name":"web","egress":["github.com"],"agent_egress":null}]' ]
	[ "$(lima_call_count)" -eq 1 ]
	# The table has no such column and reads no config: a bad one is
	# only an error for --json, which would have to show it.
	write_vm_config web 'DVM_EGRESS=(10.0.0.1)'
	run_dvm ls
	assert_success
	run_dvm ls --json
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/web/config.sh: DVM_EGRESS='10.0.0.1' is an address: the allowlist takes host names only"
}

@test "ls <vm> --json lists projects with state and image" {
	write_vm_config app ''
	mkdir -p "$XDG_CONFIG_HOME/dvm/vms/app/projects/api"
	echo 'IMAGE=node:22' >"$XDG_CONFIG_HOME/dvm/vms/app/projects/api/project.sh"
	run_dvm ls app --json
	assert_success
	[ "$(jq -c '.' <<<"$output")" = '[{"name":"api","state":"unknown","image":"node:22"}]' ]
	make_instance dvm-app Running
	run_dvm ls app --json
	assert_success
	[ "$(jq -r '.[0].state' <<<"$output")" = absent ]
}

@test "ls <vm> shows a hostile state and image from the guest's podman sanitized" {
	make_instance dvm-app Running
	write_vm_config app ''
	make_project_container app api
	printf 'image=%s\nstate=%s\nlabels=dvm.vm=app dvm.project=api \n' "$HOSTILE" "$HOSTILE" \
		>"$FAKE_GUEST_ROOT/podman/containers/api"
	run_dvm_split ls app
	assert_success
	assert_output "PROJECT              STATE      IMAGE
api                  $HOSTILE_SHOWN $HOSTILE_SHOWN"
	refute_raw_run
}

@test "ls shows a hostile status from limactl list sanitized" {
	make_instance dvm-app "$HOSTILE" 4 8 60
	run_dvm_split ls
	assert_success
	assert_line_contains "app                  $HOSTILE_SHOWN 4     8GiB     60GiB    0"
	refute_raw_run
}

@test "ls --json and ls <vm> --json are valid UTF-8 JSON whatever limactl and the guest send" {
	make_instance dvm-app "$HOSTILE" 4 8 60
	write_vm_config app ''
	make_project_container app api
	printf 'image=%s\nstate=%s\nlabels=dvm.vm=app dvm.project=api \n' "$HOSTILE" "$HOSTILE" \
		>"$FAKE_GUEST_ROOT/podman/containers/api"
	run_dvm_split ls --json
	assert_success
	assert_json_utf8 "$output"
	[ "$(jq -r '.[0].state' <<<"$output")" = "$HOSTILE_JSON" ]
	[[ $output != *[$'\e\a']* ]] || fail "raw ESC or BEL in JSON" "$output"
	run_dvm_split ls app --json
	assert_success
	assert_json_utf8 "$output"
	[ "$(jq -r '.[0].state' <<<"$output")" = "$HOSTILE_JSON" ]
	[ "$(jq -r '.[0].image' <<<"$output")" = "$HOSTILE_JSON" ]
	[[ $output != *[$'\e\a']* ]] || fail "raw ESC or BEL in JSON" "$output"
	# C1 and bidi controls are escaped too: the JSON is safe on a terminal.
	refute_raw_run
}
