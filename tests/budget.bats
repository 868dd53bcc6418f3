#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# The round-trip budget (SPEC §8): limactl calls per command on a running
# VM, and at most one bash for config. Counts, not timings.

load test_helper

setup() {
	setup_dvm_env
	write_global_config 'DVM_USER=developer'
	write_vm_config app ''
	make_instance dvm-app Running
	# A bash that counts how often dvm starts it.
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho x >>"%s"\nexec /bin/bash "$@"\n' "$BATS_TEST_TMPDIR/bash-spawns" >"$BATS_TEST_TMPDIR/bin/counting-bash"
	chmod +x "$BATS_TEST_TMPDIR/bin/counting-bash"
	export DVM_BASH=$BATS_TEST_TMPDIR/bin/counting-bash
}
teardown() { teardown_dvm_env; }

bash_spawns() {
	if [ -f "$BATS_TEST_TMPDIR/bash-spawns" ]; then
		wc -l <"$BATS_TEST_TMPDIR/bash-spawns"
	else
		echo 0
	fi
}

# within N CMD...: run dvm CMD and check it made at most N limactl calls
# and at most one config bash.
within() {
	local budget=$1
	shift
	rm -rf "$FAKE_LIMA_LOG_DIR/calls.log" "$FAKE_LIMA_LOG_DIR"/*.argv "$BATS_TEST_TMPDIR/bash-spawns"
	run_dvm "$@" </dev/null
	[ "$status" -eq 0 ] || fail "dvm $* failed: $output"
	[ "$(lima_call_count)" -le "$budget" ] || fail "dvm $* made $(lima_call_count) limactl calls, budget $budget"
	[ "$(bash_spawns)" -le 1 ] || fail "dvm $* started $(bash_spawns) config bashes"
}

add_projects() {
	local i
	for i in $(seq 1 "$1"); do
		mkdir -p "$XDG_CONFIG_HOME/dvm/vms/app/projects/p$i"
		echo "IMAGE=img$i" >"$XDG_CONFIG_HOME/dvm/vms/app/projects/p$i/project.sh"
	done
}

@test "sh and ssh of a VM: one call" {
	within 1 ssh app -- true
	within 1 sh app
}

@test "key of a VM and of a project: one call" {
	within 1 key app
	add_projects 1
	run_dvm sync app/p1
	within 1 key app/p1
}

@test "sh and ssh of a project: one call" {
	add_projects 1
	run_dvm sync app/p1
	within 1 ssh app/p1 -- true
	within 1 sh app/p1
}

@test "sync of a VM costs the same 2 calls for 1, 4 and 16 projects" {
	for n in 1 4 16; do
		add_projects "$n"
		within 2 sync app
	done
}

@test "sync of a VM with DVM_EGRESS, agent-user and 4 projects: still 2 calls, applied or unchanged" {
	write_vm_config app 'DVM_EGRESS=(github.com)
DVM_AGENT_EGRESS=(api.anthropic.com)
use agent-user'
	printf '%s\n' '# Description: stand-in for agent-user' \
		'id -u dvm-agent >/dev/null 2>&1 || sudo useradd --system dvm-agent' \
		>"$XDG_CONFIG_HOME/dvm/recipes/agent-user.sh"
	add_projects 4
	within 2 sync app
	assert_output_contains "egress allowlist applied"
	within 2 sync app
	refute_output_contains "applied"
	within 2 sync app/p2
}

@test "sync of one project: at most 2 calls" {
	add_projects 4
	within 2 sync app/p2
}

@test "ls and ls <vm>: one call each" {
	add_projects 4
	within 1 ls
	within 1 ls app
}

@test "--version and help start nothing" {
	rm -f "$BATS_TEST_TMPDIR/bash-spawns"
	run_dvm --version
	run_dvm help
	run_dvm help sync
	[ "$(lima_call_count)" -eq 0 ]
	[ "$(bash_spawns)" -eq 0 ]
}
