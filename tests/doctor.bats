#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm doctor: one line per check, exit 1 if any failed.

load test_helper

setup() {
	setup_dvm_env
	write_vm_config app ''
	make_instance dvm-app Running
}
teardown() { teardown_dvm_env; }

@test "a healthy setup passes every check" {
	run_dvm doctor
	assert_success
	assert_line_contains "ok   limactl    $FAKE_LIMACTL 2.0"
	assert_line_contains "ok   bash       "
	assert_line_contains "ok   config     ~/.config/dvm: 1 VM, every file owned by you and valid"
	assert_line_contains "ok   dev user   no VM's DVM_USER is Lima's login user or needs root"
	assert_line_contains "ok   instances  every dvm-* instance has a config"
	assert_line_contains "ok   locks      0 VMs busy with another dvm command now"
}

@test "a missing or old limactl fails" {
	DVM_LIMACTL=/nonexistent/limactl run_dvm doctor
	assert_failure 1
	# This is Linux: the hint is Lima's install page, not Homebrew.
	assert_line_contains "FAIL limactl    /nonexistent/limactl is not installed (not found); install Lima 2.0 or newer (see https://lima-vm.io/docs/installation/)"
	[[ $output != *"dvm: error"* ]] || fail "a raw error beside the FAIL row"
	[[ $output != *brew* ]] || fail "a Homebrew hint on Linux"
	# What it cannot check without Lima is skipped, with the reason.
	assert_line_contains "skip instances  Lima is not installed"
	PATH=/usr/bin:/bin DVM_LIMACTL=limactl run_dvm doctor
	assert_failure 1
	assert_line_contains "FAIL limactl    limactl is not installed (not found on PATH); install Lima 2.0 or newer"
	printf '#!/bin/sh\nexit 3\n' >"$BATS_TEST_TMPDIR/broken"
	chmod +x "$BATS_TEST_TMPDIR/broken"
	DVM_LIMACTL=$BATS_TEST_TMPDIR/broken run_dvm doctor
	assert_failure 1
	assert_line_contains "FAIL limactl    $BATS_TEST_TMPDIR/broken --version failed; install Lima 2.0 or newer"
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "limactl version 1.2.1"\n' >"$BATS_TEST_TMPDIR/bin/oldlima"
	chmod +x "$BATS_TEST_TMPDIR/bin/oldlima"
	DVM_LIMACTL=$BATS_TEST_TMPDIR/bin/oldlima run_dvm doctor
	assert_failure 1
	assert_line_contains "FAIL limactl    $BATS_TEST_TMPDIR/bin/oldlima is 1.2; dvm needs Lima 2.0 or newer"
}

@test "missing bash, unsafe or broken config, and orphan instances fail" {
	DVM_BASH=/nonexistent/bash run_dvm doctor
	assert_failure 1
	assert_line_contains "FAIL bash       bash not found on PATH"
	chmod o+w "$XDG_CONFIG_HOME/dvm/vms/app/config.sh"
	run_dvm doctor
	assert_failure 1
	assert_output_contains "unsafe permissions on VM config"
	assert_line_contains "FAIL config     a config file is refused (above)"
	chmod o-w "$XDG_CONFIG_HOME/dvm/vms/app/config.sh"
	write_vm_config app 'DVM_MEMORY=lots'
	run_dvm doctor
	assert_failure 1
	assert_output_contains "DVM_MEMORY='lots'"
	write_vm_config app ''
	make_instance dvm-orphan Stopped
	run_dvm doctor
	assert_failure 1
	assert_line_contains "FAIL instances  dvm-orphan has no config (dvm new orphan, or dvm rm orphan --yes)"
}

@test "a VM whose DVM_USER is Lima's login user, or that needs root it was not given, fails its dev user row" {
	write_vm_config web 'DVM_USER=alice'
	write_vm_config api 'use docker'
	USER=alice run_dvm doctor
	assert_failure 1
	assert_line_contains "FAIL dev user   web: ~/.config/dvm/vms/web/config.sh: DVM_USER='alice' is Lima's login user in the VM (Lima names it after your host user alice, and it has passwordless root); set DVM_USER=developer, or DVM_USER_SUDO=1 to accept a dev user with root"
	assert_line_contains "FAIL dev user   api: ~/.config/dvm/vms/api/config.sh: use docker requires DVM_USER_SUDO=1"
	assert_line_contains "ok   config     ~/.config/dvm: 3 VMs, every file owned by you and valid"
	[ "$(grep -c '^FAIL' <<<"$output")" -eq 2 ]
	# DVM_USER_SUDO=1 accepts both, and doctor says so.
	write_vm_config web 'DVM_USER=alice
DVM_USER_SUDO=1'
	write_vm_config api 'use docker
DVM_USER_SUDO=1'
	USER=alice run_dvm doctor
	assert_success
	assert_line_contains "ok   dev user   no VM's DVM_USER is Lima's login user; 2 VMs accept a dev user with root (DVM_USER_SUDO=1)"
	refute_lima_call "shell"
}

@test "no config directory yet: config and dev user rows are skipped, not ok" {
	rm -rf "$TEST_CONFIG_DIR"
	rm -rf "$LIMA_HOME/dvm-app"
	run_dvm doctor
	assert_success
	assert_line_contains "skip config     no config directory ~/.config/dvm yet (dvm new <vm> makes one)"
	assert_line_contains "skip dev user   no VM is configured yet"
	assert_line_contains "ok   instances  every dvm-* instance has a config"
	[[ $output != *"0 VMs, every file"* ]] || fail "an ok row for a config that is not there"
}

@test "a lock held by a running dvm is reported, not failed" {
	FAKE_LIMA_LATENCY_MS=3000 "$DVM" sync app >/dev/null 2>&1 &
	pid=$!
	wait_for_lima_call
	run_dvm doctor
	assert_success
	assert_line_contains "ok   locks      1 VM busy with another dvm command now"
	wait "$pid"
}
