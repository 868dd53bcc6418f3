#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm cp: tar streams through one limactl shell, as DVM_USER. In stub
# mode the guest side runs on this host, so guest paths point into the
# test's own temp dir.

load test_helper

setup() {
	setup_dvm_env
	write_global_config 'DVM_USER=developer'
	write_vm_config app ''
	make_instance dvm-app Running
	G=$BATS_TEST_TMPDIR/guest
	mkdir -p "$G" "$BATS_TEST_TMPDIR/host/src/sub"
	echo hello >"$BATS_TEST_TMPDIR/host/src/a.txt"
	echo deep >"$BATS_TEST_TMPDIR/host/src/sub/b"
	cd "$BATS_TEST_TMPDIR/host" || return 1
}
teardown() { teardown_dvm_env; }

@test "cp a file into a VM directory, as DVM_USER, in one call" {
	run_dvm cp src/a.txt "app:$G/"
	assert_success
	[ "$(cat "$G/a.txt")" = hello ]
	[ "$(lima_call_count)" -eq 1 ]
	assert_lima_call "shell --start --workdir=/ dvm-app sudo -u developer -H bash -lc"
	[ -z "$(find "$G" -name '.dvm-cp.*')" ]
}

@test "cp a file to a new name and a directory both ways" {
	run_dvm cp src/a.txt "app:$G/renamed.txt"
	assert_success
	[ "$(cat "$G/renamed.txt")" = hello ]
	run_dvm cp src "app:$G"
	assert_success
	[ "$(cat "$G/src/sub/b")" = deep ]
	run_dvm cp "app:$G/src" back
	assert_success
	[ "$(cat back/sub/b)" = deep ]
	[ "$(cat back/a.txt)" = hello ]
	mkdir into
	run_dvm cp "app:$G/src/a.txt" into
	assert_success
	[ "$(cat into/a.txt)" = hello ]
	[ -z "$(find . -name '.dvm-cp.*')" ]
}

@test "relative guest paths start in the code dir" {
	# Downloads of paths that do not exist: nothing is written anywhere.
	run_dvm cp app:notes/a.txt here
	assert_failure 1
	assert_lima_call "bash /home/developer/code/app/notes/a.txt"
	run_dvm cp app:./x/y here
	assert_lima_call "bash /home/developer/code/app/x/y"
	[ ! -e here ]
}

@test "a failed download leaves the destination untouched" {
	echo keep >dest.txt
	run_dvm cp "app:$G/missing" dest.txt
	assert_failure 1
	assert_output_contains "dvm: error: no such file or directory: $G/missing"
	assert_output_contains "copy from $G/missing failed with exit status 1"
	[ "$(cat dest.txt)" = keep ]
	[ -z "$(find . -name '.dvm-cp.*')" ]
}

@test "cp into and out of a project container" {
	mkdir -p "$XDG_CONFIG_HOME/dvm/vms/app/projects/api"
	printf 'PROJ_WORKDIR=%s\n' "$G/work" >"$XDG_CONFIG_HOME/dvm/vms/app/projects/api/project.sh"
	mkdir -p "$G/work"
	run_dvm cp src/a.txt app/api:x.txt
	assert_failure 1
	assert_output_contains "no container for app/api (run: dvm sync app/api)"
	run_dvm sync app/api
	assert_success
	run_dvm cp src app/api:
	assert_success
	[ "$(cat "$G/work/src/sub/b")" = deep ]
	assert_guest_call "podman exec -i --workdir=$G/work"
	run_dvm cp app/api:src/a.txt out.txt
	assert_success
	[ "$(cat out.txt)" = hello ]
}

@test "cp usage errors" {
	run_dvm cp a b
	assert_failure 2
	assert_output_contains "one side must be <vm>:<path> or <vm>/<project>:<path>"
	run_dvm cp app:a app:b
	assert_failure 2
	assert_output_contains "copy between two guests is not supported"
	run_dvm cp only
	assert_failure 2
	assert_output_contains "need a source and a destination"
	run_dvm cp missing-file app:x
	assert_failure 1
	assert_output_contains "cannot copy missing-file"
	run_dvm cp src/a.txt nope:x
	assert_failure 1
	assert_output_contains "no config for VM 'nope'"
	write_vm_config web ''
	run_dvm cp src/a.txt web:x
	assert_failure 1
	assert_output_contains "VM 'web' has no Lima instance dvm-web yet"
	run_dvm cp src/a.txt base:x
	assert_failure 2
	assert_output_contains "'base' is reserved by dvm"
	[ -z "$(find "$BATS_TEST_TMPDIR/host" -name '.dvm-cp.*')" ]
}

@test "cp says what is wrong with the side that was meant for a VM, and checks the host file first" {
	run_dvm cp ./notes.md App:
	assert_failure 2
	assert_output_contains "dvm: error: invalid VM name 'App' (a lowercase letter, then a-z, 0-9 or '-', at most 40 characters)"
	refute_output_contains "one side must be"
	run_dvm cp App/api:src ./back
	assert_failure 2
	assert_output_contains "dvm: error: invalid VM name in 'App/api'"
	# Paths that only look like host paths keep the general message.
	run_dvm cp ./a:b ./x/y/z:w
	assert_failure 2
	assert_output_contains "one side must be <vm>:<path>"
	# Both wrong: the host file, the user's own, is named first.
	run_dvm cp ./nosuchfile nosuch:
	assert_failure 1
	assert_output "dvm: error: cannot copy ./nosuchfile: No such file or directory"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "cp --dry-run needs no instance yet" {
	write_vm_config web ''
	run_dvm cp --dry-run ./src web:
	assert_success
	assert_output_contains "shell --start --workdir=/ dvm-web sudo -u developer -H bash -lc "
	[ "$(lima_call_count)" -eq 0 ]
}

@test "a host path with a colon is a host path when written ./" {
	echo colon >'./app:x'
	run_dvm cp ./app:x "app:$G/"
	assert_success
	[ "$(cat "$G/app:x")" = colon ]
}

@test "cp --dry-run and DVM_DRY_RUN=1 print the copy's pipeline and touch nothing" {
	run_dvm cp --dry-run ./src app:
	assert_success
	assert_output_contains "env 'COPYFILE_DISABLE=1' tar -c -f - -C . ./src | $FAKE_LIMACTL shell --start --workdir=/ dvm-app sudo -u developer -H bash -lc "
	assert_output_contains "' bash /home/developer/code/app src"
	DVM_DRY_RUN=1 run_dvm cp app:dist ./back
	assert_success
	assert_output_contains "' bash /home/developer/code/app/dist  # unpacked by dvm's own tar reader into ."
	[ "$(lima_call_count)" -eq 0 ]
	[ ! -e back ]
}

@test "a directory already at the target is refused both ways, and left as it was" {
	run_dvm cp src "app:$G/"
	assert_success
	echo mine >"$G/src/only-in-guest"
	run_dvm cp src "app:$G/"
	assert_failure 1
	assert_output_contains "dvm: error: $G/src already exists as a directory; remove it first or copy to another name"
	assert_output_contains "dvm: error: copy into $G/ failed with exit status 1"
	[ "$(cat "$G/src/only-in-guest")" = mine ]
	# A file is never put in place of a directory either.
	mkdir -p "$G/box/a.txt"
	run_dvm cp src/a.txt "app:$G/box/"
	assert_failure 1
	assert_output_contains "$G/box/a.txt already exists as a directory"
	[ -d "$G/box/a.txt" ]
	# Host side: the same rule, checked before anything travels.
	mkdir -p back/src
	echo mine >back/src/only-on-host
	run_dvm cp "app:$G/src" back
	assert_failure 1
	assert_output "dvm: error: back/src already exists as a directory; remove it first or copy to another name"
	[ "$(lima_call_count)" -eq 3 ]
	[ "$(cat back/src/only-on-host)" = mine ]
	[ -z "$(find . "$G" -name '.dvm-cp.*')" ]
}
