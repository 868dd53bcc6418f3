#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# The command table, help, version and exit codes.

load test_helper

setup() { setup_dvm_env; }
teardown() { teardown_dvm_env; }

@test "--version and version print the version and call nothing" {
	run_dvm --version
	assert_success
	assert_output "dvm 0.1.0"
	run_dvm version
	assert_success
	assert_output "dvm 0.1.0"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "version takes no arguments" {
	run_dvm version extra
	assert_failure 2
	assert_output_contains "dvm: error: too many arguments"
	assert_output_contains "usage: dvm version"
}

@test "help lists every command on stdout" {
	run_dvm help
	assert_success
	for c in help ls new reset rm sh ssh stop sync version; do
		assert_line_contains "  $c "
	done
	run_dvm --help
	assert_success
	assert_output_contains "usage: dvm <command>"
}

@test "help <cmd> and <cmd> --help show the same usage" {
	run_dvm help sync
	assert_success
	local via_help=$output
	run_dvm sync --help
	assert_success
	assert_output "$via_help"
	assert_output_contains "usage: dvm sync <vm> | <vm>/<project> | --all [--jobs N] [--dry-run]"
}

@test "every command, help and version included, takes --help" {
	local cmd via_help
	for cmd in $("$DVM" help | awk '/^commands:/ {on = 1; next} on && /^  / {print $1}'); do
		run_dvm help "$cmd"
		assert_success
		via_help=$output
		run_dvm "$cmd" --help
		assert_success
		[ "$output" = "$via_help" ] || fail "dvm $cmd --help differs from dvm help $cmd"
		assert_output_contains "usage: dvm $cmd"
	done
	[ "$(lima_call_count)" -eq 0 ]
}

@test "help of an unknown command is a usage error" {
	run_dvm help nope
	assert_failure 2
	assert_output_contains "dvm: error: unknown command 'nope'"
}

@test "an unknown command exits 2 with the command list" {
	run_dvm frobnicate
	assert_failure 2
	assert_output_contains "dvm: error: unknown command 'frobnicate'"
	assert_output_contains "commands:"
}

@test "an unknown option exits 2 with the synopsis" {
	run_dvm sync app --bogus
	assert_failure 2
	assert_output_contains "dvm: error: unknown option '--bogus'"
	assert_output_contains "usage: dvm sync"
}

@test "dvm with no arguments is dvm ls" {
	run_dvm
	assert_success
	assert_output_contains "VM"
	assert_output_contains "STATE"
}

@test "a bad DVM_VERBOSE or DVM_LIMA_LOG_LEVEL is refused" {
	DVM_VERBOSE=yes run_dvm ls
	assert_failure 2
	assert_output_contains "DVM_VERBOSE='yes' must be 0 or 1"
	DVM_LIMA_LOG_LEVEL=loud run_dvm ls
	assert_failure 2
	assert_output_contains "DVM_LIMA_LOG_LEVEL='loud' is not a Lima log level (trace, debug, info, warn or warning, error, fatal, panic)"
}

@test "a missing limactl is reported" {
	write_vm_config app
	DVM_LIMACTL=/nonexistent/limactl run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: cannot run /nonexistent/limactl: No such file or directory; install Lima 2.0 or newer (see https://lima-vm.io/docs/installation/), then run: dvm doctor"
}

@test "an error while the spinner runs clears its line first" {
	write_vm_config app
	run script -qec "TERM=xterm DVM_LIMACTL=/nonexistent/limactl '$DVM' sync app" /dev/null
	assert_failure 1
	# The spinner's line is cleared (CR, erase line) before the message.
	[[ $output == *$'\r\033[Kdvm: error: cannot run /nonexistent/limactl'* ]] ||
		fail "the error is glued to the spinner line: $(printf '%q' "$output")"
}

@test "relative DVM_CONFIG_DIR is refused" {
	DVM_CONFIG_DIR=relative/dir run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_CONFIG_DIR must be an absolute path: relative/dir"
}
