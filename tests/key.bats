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
	assert_failure 1
	assert_output "dvm: error: no project 'api' in VM 'app' (run: dvm add app/api)"
	run_dvm key app/Api
	assert_failure 2
	assert_output_contains "invalid project name in 'app/Api'"
	[ "$(lima_call_count)" -eq 0 ]
}

# The project api's workspace volume, as the stub podman keeps it.
vol() { printf '%s/podman/workdirs/work' "$FAKE_GUEST_ROOT"; }
# project_config VM PROJECT TEXT: the project's project.sh, and no container.
project_config() {
	local d=$XDG_CONFIG_HOME/dvm/vms/$1/projects/$2
	_th_private_dirs "${d%/*}" "$d"
	_th_private_file "$d/project.sh" "$3"
}

@test "key of a project: a key of its own in its volume, in one call, that git there uses" {
	make_instance dvm-app Running
	make_project_container app api
	run_dvm_split key app/api
	assert_success
	[ "$(lima_call_count)" -eq 1 ]
	assert_lima_call "shell --start --workdir=/ dvm-app sudo -u developer -H bash -lc"
	assert_guest_call "podman exec -i --workdir=/work --env=DVM_VM=app --env=DVM_PROJECT=api --env=PROJ_WORKDIR=/work --env=GIT_CONFIG_COUNT=1 --env=GIT_CONFIG_KEY_0=include.path --env=GIT_CONFIG_VALUE_0=/work/.dvm-ssh/gitconfig api sh -c"
	d=$(vol)/.dvm-ssh
	[[ ${lines[0]} == "ssh-ed25519 "*" dvm-app/api" ]]
	first=${lines[0]}
	fp=$(ssh-keygen -l -E sha256 -f "$d/id_ed25519" | cut -d ' ' -f 2)
	[ "${lines[1]}" = "# $fp; add it as a deploy key of the project's repository: git in its container uses it" ]
	[ "$(stat -c %a "$d")" = 700 ]
	[ "$(stat -c %a "$d/id_ed25519")" = 600 ]
	[ "$(cat "$d/.gitignore")" = "*" ]
	# git, given the include dvm's podman exec sets, ssh-es with this key
	# and learns a host's key on first contact.
	run env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=include.path \
		GIT_CONFIG_VALUE_0="$d/gitconfig" git config core.sshCommand
	assert_success
	assert_output "ssh -i $d/id_ed25519 -o IdentitiesOnly=yes -o UserKnownHostsFile=$d/known_hosts -o StrictHostKeyChecking=accept-new"
	# Not the VM's key; the same one each time; --json names the project.
	[ ! -e "$K" ]
	run_dvm ssh-key app/api
	assert_success
	[ "${lines[0]}" = "$first" ] || fail "another key the second time" "$output"
	run_dvm key app/api --json
	assert_success
	[ "$(jq -r '.vm + " " + .project + " " + .public_key' <<<"$output")" = "app api $first" ]
	[ "$(jq -r .fingerprint <<<"$output")" = "$fp" ]
	if grep -rq "PRIVATE KEY" "$FAKE_LIMA_LOG_DIR"/*.argv "$FAKE_LIMA_LOG_DIR"/calls.log; then
		fail "the private key went through limactl"
	fi
	# The key is no unsaved work: rm deletes the project without --force.
	run_dvm rm app/api --yes
	assert_success
	[ ! -e "$FAKE_GUEST_ROOT/podman/volumes/dvm-app-api" ]
}

@test "key of a project whose workdir is a repository: the key is not untracked work there" {
	make_instance dvm-app Running
	make_project_container app api
	git -C "$(vol)" init -q
	run_dvm key app/api
	assert_success
	[ -z "$(git -C "$(vol)" status --porcelain)" ]
	# The repository itself (no commits, no remote) is still seen.
	: >"$(vol)/notes.txt"
	run_dvm rm app/api --yes
	assert_failure 1
	assert_output_contains 'repository .: untracked files'
	[[ $output != *'outside any git repository'* ]] || fail 'the repository counted as loose files'
}

@test "key of a project: errors of the container, the workdir and what comes back" {
	make_instance dvm-app Running
	project_config app api 'PROJ_WORKDIR="/my work"'
	run_dvm key app/api
	assert_failure 1
	assert_output "dvm: error: PROJ_WORKDIR '/my work' of app/api cannot hold a key git uses: only letters, digits and / . _ - are taken there"
	[ "$(lima_call_count)" -eq 0 ]
	# Configured, but no container yet: the guest's word, then dvm's.
	project_config app api ''
	run_dvm key app/api
	assert_failure 1
	assert_output_contains "dvm: error: no container for app/api (run: dvm sync app/api)"
	assert_output_contains "dvm: error: cannot make or read the SSH key of project 'app/api' (exit status 1; to look: dvm ssh app/api ls -la /work)"
	# An image without ssh-keygen.
	make_project_container app api
	nk=$BATS_TEST_TMPDIR/no-keygen
	mkdir -p "$nk"
	for f in /usr/bin/*; do ln -s "$f" "$nk/"; done
	rm "$nk/ssh-keygen"
	PATH=$(sed "s#\(^\|:\)/usr/bin\(:\|$\)#\1$nk\2#; s#\(^\|:\)/bin\(:\|$\)#\1$nk\2#" <<<"$PATH") \
		run_dvm key app/api
	assert_failure 1
	assert_output "dvm: error: the container of app/api has no ssh-keygen: install openssh-clients in it (its setup.sh, or its image: base/dev/packages.txt for the dev-base), then dvm sync app/api"
	# What the container sends back is parsed as strictly as a VM's.
	hostile_key "ssh-ed25519 AAAA \033]0;pwned\a\n"
	mkdir -p "$(vol)/.dvm-ssh"
	: >"$(vol)/.dvm-ssh/id_ed25519"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run_dvm key app/api
	assert_failure 1
	assert_output_contains "dvm: error: project 'app/api' sent back no usable public key: the key line holds a control character"
	[[ $output != *$'\e'* ]] || fail "an escape reached the terminal"
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

@test "key shows the guest's stderr sanitized and still takes a good key, for a VM and a project" {
	make_instance dvm-app Running
	make_project_container app api
	real=AAAAC3NzaC1lZDI1NTE5AAAAIH5kl0XbVOWa0NX7ACUnGNlP3kmQ9BLlpI7Ihs1RZ3Xq
	mkdir -p "$BATS_TEST_TMPDIR/bin" "${K%/*}" "$(vol)/.dvm-ssh"
	: >"$K"
	: >"$(vol)/.dvm-ssh/id_ed25519"
	{
		printf '#!/bin/sh\n'
		# The guest's printf turns the escapes into bytes.
		printf "printf '%s\\\\n' >&2\n" "$HOSTILE_PRINTF"
		printf 'echo "ssh-ed25519 %s x"\n' "$real"
	} >"$BATS_TEST_TMPDIR/bin/ssh-keygen"
	chmod +x "$BATS_TEST_TMPDIR/bin/ssh-keygen"
	for target in app app/api; do
		PATH=$BATS_TEST_TMPDIR/bin:$PATH run_dvm_split key "$target"
		assert_success
		[ "${lines[0]}" = "ssh-ed25519 $real x" ]
		assert_stderr_contains "$HOSTILE_SHOWN"
		refute_raw_run
	done
}
