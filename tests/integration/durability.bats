#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2030,SC2031  # literal $ in setup scripts; per-test exports
# A full disk (a tiny tmpfs, filled up: needs root, like the rest of this
# suite) under the config dir or the state dir: dvm says what it could not
# write, leaves no half-written or temp file, releases its lock, and works
# again once there is room.

load ../test_helper

setup() {
	setup_dvm_env
	FULL=$BATS_TEST_TMPDIR/full
	mkdir -p "$FULL"
	mount -t tmpfs -o size=256k,mode=0700 dvm-full "$FULL"
}

teardown() {
	umount "$FULL" 2>/dev/null || umount -l "$FULL" 2>/dev/null || true
	teardown_dvm_env
}

# Fill the tmpfs to the last block.
fill_up() {
	dd if=/dev/zero of="$FULL/filler" bs=4k 2>/dev/null || true
	[ "$(df --output=avail "$FULL" | tail -1 | tr -d ' ')" -eq 0 ] || fail "$FULL is not full"
}

@test "durability: dvm new on a full disk fails clearly and leaves no file behind" {
	export DVM_CONFIG_DIR=$FULL/dvm
	fill_up
	run_dvm new app
	assert_failure 1
	assert_output_contains "dvm: error: cannot write"
	assert_output_contains "No space left on device"
	[ ! -e "$FULL/dvm/vms/app/config.sh" ]
	[ ! -e "$FULL/dvm/vms/app/setup.sh" ]
	run find "$FULL/dvm" -type f
	assert_output ""
	rm "$FULL/filler"
	run_dvm new app
	assert_success
	assert_file_exists "$FULL/dvm/vms/app/config.sh"
}

@test "durability: a full disk under the logs stops the sync with the log's path, and the next sync works" {
	write_vm_config app
	write_vm_setup app 'for i in $(seq 1 2000); do echo "a long line of setup output number $i"; done'
	export DVM_STATE_DIR=$FULL/state
	mkdir -p "$FULL/state"
	fill_up
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: cannot write log $FULL/state/app/"
	assert_output_contains ": No space left on device; stopped "
	if pgrep -f "$FAKE_LIMACTL" >/dev/null; then fail "limactl still running"; fi
	rm "$FULL/filler"
	run_dvm sync app
	assert_success
	assert_output_contains "✓ app ready"
}

@test "durability: the logs filling up mid-step stop that step and name it" {
	write_vm_config app
	write_vm_setup app 'for i in $(seq 1 20000); do echo "a long line of setup output number $i"; done'
	export DVM_STATE_DIR=$FULL/state
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: cannot write log $FULL/state/app/setup.log: No space left on device; stopped running VM setup"
	refute_output_contains "app ready"
	if pgrep -f "$FAKE_LIMACTL" >/dev/null; then fail "limactl still running"; fi
}

@test "durability: a dvm new that runs out of room half-way removes what it wrote" {
	# Few inodes: room for the VM dir and config.sh, none for setup.sh.
	umount "$FULL"
	mount -t tmpfs -o size=256k,nr_inodes=7,mode=0700 dvm-full "$FULL"
	export DVM_CONFIG_DIR=$FULL/dvm
	mkdir -p "$FULL/dvm/vms"
	chmod 700 "$FULL/dvm" "$FULL/dvm/vms"
	printf '# global\n' >"$FULL/dvm/config.sh"
	chmod 600 "$FULL/dvm/config.sh"
	run_dvm new app
	assert_failure 1
	assert_output_contains "dvm: error: cannot write $FULL/dvm/vms/app/setup.sh: No space left on device"
	# Nothing half-done: no VM dir that would block the next dvm new.
	[ ! -e "$FULL/dvm/vms/app" ]
	[ "$(cat "$FULL/dvm/config.sh")" = "# global" ]
}

@test "durability: config files are written to a temp name, fsynced, and linked into place" {
	local trace=$BATS_TEST_TMPDIR/strace
	command -v strace >/dev/null || fail "strace is missing (tests/deps.sh installs it)"
	# LeakSanitizer cannot run under ptrace: no leak check for this run.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		run strace -f -e trace=openat,fsync,link,linkat,rename,renameat,renameat2 -o "$trace" "$DVM" new app
	assert_success
	# Written under an exclusive temp name, flushed, then linked to its
	# name (link fails if the name exists); never opened by its own name.
	grep -E 'openat\(.*vms/app/config\.sh\.tmp\.[^"]*", O_RDWR\|O_CREAT\|O_EXCL' "$trace" ||
		fail "no exclusive temp file: $(grep vms/app "$trace")"
	grep -q 'fsync(' "$trace"
	grep -E 'link(at)?\(.*vms/app/config\.sh\.tmp\.[^"]*", .*vms/app/config\.sh"' "$trace" ||
		fail "config.sh not linked into place: $(grep vms/app "$trace")"
	run grep -E 'openat\(.*vms/app/(config|setup)\.sh", .*O_(WRONLY|RDWR)' "$trace"
	assert_failure
	run grep -E 'rename' "$trace"
	assert_failure
}
