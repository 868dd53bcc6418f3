#!/usr/bin/env bats
# shellcheck disable=SC2016  # the payloads are literal on purpose
# Injection canaries: names, ports, IMAGE, PROJ_WORKDIR, config and setup
# paths, cp paths, recipe names, config values and ssh arguments carrying
# shell syntax. Each must be refused (with no limactl call) or reach its
# destination byte for byte; the canary file is never created. In stub
# mode the guest script runs on this host, so "never created" covers the
# guest side too.

load test_helper

setup() {
	setup_dvm_env
	C=$BATS_TEST_TMPDIR/canary
	write_global_config 'DVM_USER=developer'
	write_vm_config app ''
	# Every payload tries to create $C in its own way.
	PAYLOADS=(
		"\$(touch $C)"
		"\`touch $C\`"
		"x;touch $C"
		"x
touch $C"
		"'\$(touch $C)'"
		"\"\$(touch $C)\""
		"x touch $C"
		"x|touch $C"
		"x&&touch $C"
		">$C"
		"--"
		"-x"
		"--help"
		"a=b"
		"\$C"
	)
}
teardown() {
	[ ! -e "$C" ] || fail "the canary $C was created"
	teardown_dvm_env
}

no_canary() {
	[ ! -e "$C" ] || fail "canary created by: $1"
}

# refused CMD...: exit 1 or 2 with one dvm error line, no limactl call.
refused() {
	run_dvm "$@"
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ] || fail "accepted: dvm $*: $output"
	[[ $output == *"dvm: error: "* ]] || fail "no error for: dvm $*: $output"
	[ "$(lima_call_count)" -eq 0 ] || fail "limactl was called for: dvm $*"
	no_canary "dvm $*"
}

@test "injection: VM and project names on the command line are refused before any call" {
	local p cmd
	for p in "${PAYLOADS[@]}"; do
		# `dvm <cmd> --help` is help: the next test checks it.
		if [ "$p" != --help ]; then
			for cmd in sync sh stop new; do
				refused "$cmd" "$p"
			done
			[[ $p == -* ]] || refused ls "$p"
			refused rm "$p" --yes
			refused reset "$p" --yes
			refused ssh "$p" -- true
		fi
		refused add "$p/api"
		refused add "app/$p"
		refused sync "app/$p"
		refused sh "$p/api"
		refused logs "$p/api"
		refused cp "$p:x" .
		refused cp "app/$p:x" .
		# `dvm recipes --` is the list, `dvm recipes --help` its help.
		[[ $p == -- || $p == --help ]] || refused recipes "$p"
	done
}

@test "injection: --help in place of a name shows help and touches nothing" {
	for cmd in sync sh stop ls new rm reset add; do
		run_dvm "$cmd" --help
		assert_success
		assert_output_contains "usage: dvm $cmd"
	done
	[ "$(lima_call_count)" -eq 0 ]
}

@test "injection: config values that would run code are refused before any call" {
	local p
	for p in "${PAYLOADS[@]}"; do
		local q=${p//\'/\'\\\'\'}
		write_vm_config app "DVM_PORTS=('$q')"
		refused sync app
		write_vm_config app "DVM_USER='$q'"
		refused sync app
		write_vm_config app "DVM_MEMORY='$q'"
		refused sync app
		write_vm_config app "DVM_CPUS='$q'"
		refused sync app
		write_vm_config app "use '$q'"
		refused sync app
	done
}

@test "injection: project IMAGE, PROJ_WORKDIR and PROJ_PORTS are refused before any call" {
	local p d=$XDG_CONFIG_HOME/dvm/vms/app/projects/api
	mkdir -p "$d"
	for p in "${PAYLOADS[@]}"; do
		local q=${p//\'/\'\\\'\'}
		printf "IMAGE='%s'\n" "$q" >"$d/project.sh"
		refused sync app/api
		printf "PROJ_WORKDIR='/w/%s'\n" "$q" >"$d/project.sh"
		refused sync app/api
		printf "PROJ_PORTS=('%s')\n" "$q" >"$d/project.sh"
		refused sync app/api
	done
}

@test "injection: extra DVM_* values reach the guest byte for byte" {
	local p i=0 out=$BATS_TEST_TMPDIR/seen
	for p in "${PAYLOADS[@]}"; do
		i=$((i + 1))
		local q=${p//\'/\'\\\'\'}
		write_vm_config app "DVM_PAYLOAD='$q'"
		write_vm_setup app "printf '%s' \"\$DVM_PAYLOAD\" >'$out.$i'"
		run_dvm sync app
		assert_success
		no_canary "DVM_PAYLOAD=$p"
		[ "$(cat "$out.$i")" = "$p" ] || fail "DVM_PAYLOAD arrived as '$(cat "$out.$i")', not '$p'"
	done
}

@test "injection: ssh arguments reach the guest command byte for byte" {
	local p
	make_instance dvm-app Running
	for p in "${PAYLOADS[@]}"; do
		run_dvm ssh app -- printf '[%s]' "$p"
		assert_success
		[ "$output" = "[$p]" ] || fail "ssh argument arrived as '$output', not '[$p]'"
		no_canary "ssh $p"
	done
}

@test "injection: cp paths with shell syntax are copied literally, both ways" {
	local p i=0 g=$BATS_TEST_TMPDIR/guest h=$BATS_TEST_TMPDIR/host
	make_instance dvm-app Running
	mkdir -p "$g" "$h"
	cd "$h" || return 1
	for p in "${PAYLOADS[@]}"; do
		i=$((i + 1))
		[[ $p == */* ]] && continue  # a slash makes it a path, not a name
		printf 'content %s' "$i" >"./$p"
		run_dvm cp "./$p" "app:$g/"
		assert_success
		[ "$(cat "$g/$p")" = "content $i" ] || fail "upload of '$p' did not arrive under its name"
		mkdir -p "$h/back"
		run_dvm cp "app:$g/$p" "$h/back/"
		assert_success
		[ "$(cat "$h/back/$p")" = "content $i" ] || fail "download of '$p' did not arrive under its name"
		no_canary "cp $p"
	done
}

@test "injection: a config dir path with shell syntax is read literally" {
	local weird="$BATS_TEST_TMPDIR/cfg \$(touch $C) \`touch $C\`;x"
	export DVM_CONFIG_DIR=$weird
	run_dvm new app
	assert_success
	printf 'echo "setup from the weird dir ran"\n' >"$weird/vms/app/setup.sh"
	# The stand-in baseline (test_helper) lives in the usual config dir.
	mkdir -m 0700 "$weird/recipes"
	cp "$XDG_CONFIG_HOME/dvm/recipes/baseline.sh" "$weird/recipes/"
	run_dvm sync app
	assert_success
	grep -q "setup from the weird dir ran" "$XDG_STATE_HOME/dvm/app/setup.log"
	no_canary "DVM_CONFIG_DIR=$weird"
}
