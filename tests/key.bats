#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm key: the VM's SSH key, made once in the VM as DVM_USER; only the
# public half comes back, parsed strictly.

load test_helper

setup() {
	setup_dvm_env
	write_global_config 'DVM_USER=developer'
	write_vm_config app ''
	# The stub guest has no passwd entry for developer: HOME stays.
	K=$HOME/.ssh/id_ed25519
}
teardown() { teardown_dvm_env; }

@test "key makes an ed25519 key once in one limactl call and prints its public half" {
	make_instance dvm-app Running
	run_dvm_split key app
	assert_success
	[ "$(lima_call_count)" -eq 1 ]
	assert_lima_call "shell --start --workdir=/ dvm-app sudo -u developer -H bash -lc"
	[[ ${lines[0]} == "ssh-ed25519 "*" dvm-app" ]]
	fp=$(ssh-keygen -l -E sha256 -f "$K.pub" | cut -d ' ' -f 2)
	[ "${lines[1]}" = "# $fp; add it as a deploy key, or to your account" ]
	[ "$(stat -c %a "$K")" = 600 ]
	first=${lines[0]}
	# Idempotent: the same key; ssh-key is the recipe-era name.
	run_dvm ssh-key app
	assert_success
	[ "${lines[0]}" = "$first" ]
	run_dvm key app --json
	assert_success
	[ "$(jq -r .public_key <<<"$output")" = "$first" ]
	[ "$(jq -r .fingerprint <<<"$output")" = "$fp" ]
	[ "$(jq -r '.vm + " " + (.project|tostring) + " " + .type' <<<"$output")" = "app null ssh-ed25519" ]
	# The private key never travels.
	if grep -rq "PRIVATE KEY" "$FAKE_LIMA_LOG_DIR"/*.argv "$FAKE_LIMA_LOG_DIR"/calls.log; then
		fail "the private key went through limactl"
	fi
	[[ $output != *PRIVATE* ]]
}

@test "key error paths: usage, no config, no instance, a project" {
	run_dvm key
	assert_failure 2
	assert_output_contains "dvm: error: missing VM name"
	run_dvm key App
	assert_failure 2
	assert_output_contains "invalid VM name 'App'"
	run_dvm key nope
	assert_failure 1
	assert_output_contains "no config for VM 'nope'"
	run_dvm key app
	assert_failure 1
	assert_output_contains "VM 'app' has no Lima instance dvm-app yet (run: dvm sync app)"
	run_dvm key app/api
	assert_failure 2
	assert_output_contains "a key of its own for app/api is not there yet"
	[ "$(lima_call_count)" -eq 0 ]
}

# hostile_key TEXT: the guest's ssh-keygen prints TEXT instead of a key.
hostile_key() {
	mkdir -p "$BATS_TEST_TMPDIR/bin" "${K%/*}"
	: >"$K"
	printf '#!/bin/sh\nprintf "%%b" %q\n' "$1" >"$BATS_TEST_TMPDIR/bin/ssh-keygen"
	chmod +x "$BATS_TEST_TMPDIR/bin/ssh-keygen"
}

@test "key refuses what a hostile guest sends instead of one ed25519 public key" {
	make_instance dvm-app Running
	real=AAAAC3NzaC1lZDI1NTE5AAAAIH5kl0XbVOWa0NX7ACUnGNlP3kmQ9BLlpI7Ihs1RZ3Xq
	check() {
		hostile_key "$1"
		PATH=$BATS_TEST_TMPDIR/bin:$PATH run_dvm key app
		assert_failure 1
		assert_output_contains "dvm: error: VM 'app' sent back no usable public key: $2"
		[[ $output != *$'\e'* ]] || fail "an escape reached the terminal"
	}
	check '' 'the VM sent nothing'
	check "ssh-ed25519 $real a\nssh-ed25519 $real b\n" 'the VM sent more than one line of key'
	check "ssh-ed25519 $real \033]0;pwned\a\n" 'the key line holds a control character'
	check '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n' 'the VM sent more than one line of key'
	check 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x\n' 'not an ed25519 public key line'
	check 'ssh-ed25519 not*base64 x\n' "the key's base64 is not valid"
	check 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAQA= x\n' 'the key is not one ed25519 key'
	# The same key, well formed, is taken.
	hostile_key "ssh-ed25519 $real dvm-app\n"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run_dvm key app
	assert_success
	assert_line_contains "ssh-ed25519 $real dvm-app"
}
