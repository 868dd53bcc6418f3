#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm add: project scaffolds that never overwrite.

load test_helper

setup() {
	setup_dvm_env
	write_vm_config trusted ''
	P=$XDG_CONFIG_HOME/dvm/vms/trusted/projects
}
teardown() { teardown_dvm_env; }

@test "add writes project.sh and setup.sh, private, and calls nothing" {
	run_dvm add trusted/api
	assert_success
	assert_output "wrote ~/.config/dvm/vms/trusted/projects/api/{project.sh,setup.sh}"
	assert_file_mode "$P" 700
	assert_file_mode "$P/api" 700
	assert_file_mode "$P/api/project.sh" 600
	assert_file_mode "$P/api/setup.sh" 600
	[ "$(lima_call_count)" -eq 0 ]
}

@test "add scaffolds pass bash -n and shellcheck and are accepted by sync" {
	run_dvm add trusted/api
	assert_success
	bash -n "$P/api/project.sh"
	bash -n "$P/api/setup.sh"
	shellcheck "$P/api/project.sh" "$P/api/setup.sh"
	run_dvm sync trusted --dry-run
	assert_success
	assert_output_contains "project api: container api from registry.fedoraproject.org/fedora:latest, volume dvm-trusted-api at /work, then its setup.sh"
}

@test "add: the scaffold's clone lines, uncommented, clone into a workdir that holds dvm key's .dvm-ssh, twice" {
	run_dvm add trusted/api
	assert_success
	# A repository to clone (file path for git@github.com:...: no network).
	src=$BATS_TEST_TMPDIR/src
	git init -q "$src"
	echo hello >"$src/README"
	git -C "$src" add README
	git -C "$src" -c user.name=t -c user.email=t@t commit -qm first
	git clone -q --bare "$src" "$BATS_TEST_TMPDIR/api.git"
	# The clone lines, live, pointed at it.
	sed -e '/^# if \[ ! -d .git \]; then$/,/^# fi$/s/^# //' \
		-e "s#git@github.com:you/api.git#$BATS_TEST_TMPDIR/api.git#" \
		"$P/api/setup.sh" >"$BATS_TEST_TMPDIR/setup.sh"
	grep -q "^if \[ ! -d .git \]; then" "$BATS_TEST_TMPDIR/setup.sh" || fail "no clone lines in the scaffold"
	w=$BATS_TEST_TMPDIR/work
	mkdir -p "$w/.dvm-ssh"
	printf '*\n' >"$w/.dvm-ssh/.gitignore"
	: >"$w/.dvm-ssh/id_ed25519"
	for _ in 1 2; do
		(cd "$w" && bash "$BATS_TEST_TMPDIR/setup.sh") || fail "setup.sh failed"
	done
	[ "$(cat "$w/README")" = hello ]
	[ -z "$(git -C "$w" status --porcelain)" ] || fail "the clone is not clean" "$(git -C "$w" status --porcelain)"
	[ ! -e "$w/.dvm-clone" ]
}

@test "add never overwrites a project" {
	run_dvm add trusted/api
	echo '# mine' >>"$P/api/project.sh"
	run_dvm add trusted/api
	assert_failure 1
	assert_output_contains "project directory ~/.config/dvm/vms/trusted/projects/api already exists"
	grep -q '# mine' "$P/api/project.sh"
}

@test "add needs an existing VM and a valid <vm>/<project>" {
	run_dvm add nope/api
	assert_failure 1
	assert_output_contains "dvm: error: no VM 'nope' (run: dvm new nope)"
	run_dvm add trusted
	assert_failure 2
	assert_output_contains "expected <vm>/<project>, got 'trusted'"
	run_dvm add trusted/Api
	assert_failure 2
	assert_output_contains "invalid project name in 'trusted/Api'"
	run_dvm add 'trusted/a;b'
	assert_failure 2
	assert_output_contains "invalid project name"
	run_dvm add trusted/a/b
	assert_failure 2
	assert_output_contains "expected <vm>/<project> with one '/'"
	run_dvm add Bad/api
	assert_failure 2
	assert_output_contains "invalid VM name in 'Bad/api'"
	run_dvm add
	assert_failure 2
	assert_output_contains "missing <vm>/<project>"
	[ ! -e "$P" ]
}

@test "add --dry-run writes nothing" {
	run_dvm add trusted/api --dry-run
	assert_success
	assert_output_contains "would write $P/api/project.sh"
	[ ! -e "$P" ]
}
