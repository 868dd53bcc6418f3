#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm sync: the create/start argv, the one guest script, steps, logs,
# locks and the refusal of bad input before anything runs.

load test_helper

setup() {
	setup_dvm_env
	write_global_config 'DVM_USER=developer'
	write_vm_config app 'DVM_CPUS=1'
	STATE=$XDG_STATE_HOME/dvm/app
}
teardown() { teardown_dvm_env; }

@test "sync of a new VM creates it with the exact argv, then runs one script" {
	run_dvm sync app
	assert_success
	[ "$(lima_call_count)" -eq 2 ]
	[ "$(sed -n 1p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl --log-level warn start --yes --name=dvm-app --cpus=1 --memory=2 --disk=30 --mount-none template:fedora" ]
	[ "$(sed -n 2p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl shell --workdir=/ dvm-app bash -s" ]
	assert_output_contains "✓ creating instance dvm-app"
	assert_output_contains "✓ ensuring user \"developer\" and /home/developer/code/app"
	assert_output_contains "✓ app ready"
}

@test "sync of an existing VM starts it by name with no create flags" {
	make_instance dvm-app Stopped
	run_dvm sync app
	assert_success
	[ "$(sed -n 1p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl --log-level warn start dvm-app" ]
	assert_output_contains "✓ starting instance dvm-app"
	[ "$(lima_call_count)" -eq 2 ]
}

@test "create carries ports, VM type and the user-v2 network" {
	write_vm_config app 'DVM_CPUS=2
DVM_MEMORY=1.5
DVM_DISK=60
DVM_VM_TYPE=qemu
DVM_NETWORK=user-v2
DVM_PORTS=(3000:3000 "" 8080:80)'
	run_dvm sync app
	assert_success
	[ "$(sed -n 1p "$FAKE_LIMA_LOG_DIR/calls.log")" = "limactl --log-level warn start --yes --name=dvm-app --cpus=2 --memory=1.5 --disk=60 --mount-none --vm-type=qemu --network=lima:user-v2 --port-forward=3000:3000 --port-forward=8080:80 template:fedora" ]
}

@test "the default CPU count follows the host's cores" {
	write_vm_config app ''
	n=$(getconf _NPROCESSORS_ONLN)
	if [ "$n" -le 4 ]; then want=$((n - 1)); else want=$((n - 2)); fi
	[ "$want" -ge 2 ] || want=2
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "--cpus=$want "
}

@test "the guest script exports quoted values and frames each step with markers" {
	write_vm_setup app 'echo setup-ran'
	run_dvm sync app
	assert_success
	script=$(lima_stdin 2)
	[[ $script == *"export DVM_NAME=app DVM_VM=app DVM_LIMA_NAME=dvm-app DVM_USER=developer DVM_CODE_DIR=/home/developer/code/app DVM_PORTS='' DVM_SUBUID_COUNT=65536 DVM_SUBGID_COUNT=65536"* ]]
	[[ $script == *"set -Eeuo pipefail"* ]]
	[[ $script == *"echo setup-ran"* ]]
	# bootstrap, egress (off), baseline, setup: a begin and an end each.
	[ "$(grep -c '@dvm:%s:%s:%s' <<<"$script")" -eq 8 ]
	assert_output_contains "✓ running VM setup"
	grep -q '^setup-ran$' "$STATE/setup.log"
	if grep -q '@dvm:' "$STATE/setup.log"; then fail "unexpected match"; fi
	if grep -q '@dvm:' "$STATE/lima.log"; then fail "unexpected match"; fi
}

@test "the bootstrap creates the user, its ranges and the code dir" {
	run_dvm sync app
	assert_success
	grep -q 'useradd --create-home --shell /bin/bash developer' "$FAKE_LIMA_LOG_DIR/guest.log"
	grep -q 'usermod --add-subuids' "$FAKE_LIMA_LOG_DIR/guest.log"
	grep -q 'usermod --add-subgids' "$FAKE_LIMA_LOG_DIR/guest.log"
	grep -q 'install -d -o developer' "$FAKE_LIMA_LOG_DIR/guest.log"
}

@test "a VM without setup.sh has no setup step" {
	rm -f "$XDG_CONFIG_HOME/dvm/vms/app/setup.sh"
	run_dvm sync app
	assert_success
	refute_output_contains "running VM setup"
}

@test "values with spaces, quotes and newlines reach the guest intact" {
	body=$(cat <<'CONFIG'
DVM_GREETING=$'it\'s a "test" $HOME `x`\nline2'
CONFIG
)
	write_vm_config app "$body"
	write_vm_setup app 'printf "<%s>\n" "$DVM_GREETING"'
	run_dvm sync app
	assert_success
	grep -qF '<it'"'"'s a "test" $HOME `x`' "$STATE/setup.log"
	grep -qx 'line2>' "$STATE/setup.log"
}

@test "a failing setup.sh shows label, status, log path and its last lines" {
	write_vm_setup app 'for i in $(seq 1 30); do echo "line $i"; done
exit 7'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "✗ running VM setup"
	assert_output_contains "app: running VM setup failed with exit status 7. full log: $STATE/setup.log"
	assert_output_contains "last lines of setup.log:"
	assert_output_contains "line 30"
	assert_output_contains "line 11"
	refute_output_contains "line 10"$'\n'
	refute_output_contains "app ready"
}

@test "a failed create stops the sync before the guest script" {
	FAKE_LIMA_FAIL_CALL=1 run_dvm sync app
	assert_failure 1
	assert_output_contains "✗ creating instance dvm-app"
	assert_output_contains "creating instance dvm-app failed with exit status 1. full log: $STATE/lima.log"
	[ "$(lima_call_count)" -eq 1 ]
}

@test "a dropped connection fails the running step with limactl's status" {
	make_instance dvm-app Running
	write_vm_setup app 'echo one; echo two; echo three; echo four'
	FAKE_LIMA_FAIL_CALL=2 FAKE_LIMA_FAIL_MODE=exit255 run_dvm sync app
	assert_failure 1
	assert_output_contains "failed with exit status 255"
	refute_output_contains "app ready"
}

@test "plain output has no escape codes; logs are private" {
	run_dvm sync app
	assert_success
	[[ $output != *$'\e'* ]]
	assert_output_contains "• creating instance dvm-app"
	assert_file_mode "$STATE" 700
	assert_file_mode "$STATE/lima.log" 600
	assert_file_mode "$STATE/setup.log" 600
}

@test "a new sync starts the logs afresh" {
	write_vm_setup app 'echo first-run'
	run_dvm sync app
	write_vm_setup app 'echo second-run'
	run_dvm sync app
	assert_success
	if grep -q first-run "$STATE/setup.log"; then fail "unexpected match"; fi
	grep -q second-run "$STATE/setup.log"
}

@test "DVM_VERBOSE=1 streams step output" {
	write_vm_setup app 'echo visible-output'
	DVM_VERBOSE=1 run_dvm sync app
	assert_success
	assert_output_contains "visible-output"
	run_dvm sync app
	refute_output_contains "visible-output"
}

@test "guest text in a failed step's last lines is shown sanitized; the log keeps the raw bytes" {
	write_vm_setup app "echo before; printf '$HOSTILE_PRINTF\\n'; exit 7"
	run_dvm_split sync app
	assert_failure 1
	assert_stderr_contains "app: running VM setup failed with exit status 7"
	assert_stderr_line "    $HOSTILE_SHOWN"
	refute_raw_run
	LC_ALL=C grep -qxF -- "$HOSTILE" "$STATE/setup.log"
}

@test "a failed step's very long last line is cut before a character, not inside one" {
	# 999 bytes of a, then é (2 bytes): the 1000-byte cut would split it.
	write_vm_setup app 'printf "a%.0s" $(seq 999); printf "é%.0s" $(seq 50); echo; exit 1'
	run_dvm_split sync app
	assert_failure 1
	a=$(printf 'a%.0s' $(seq 999))
	assert_stderr_line "    $a …"
	refute_raw_run
}

@test "DVM_VERBOSE=1 streams guest text sanitized; the log keeps the raw bytes" {
	write_vm_setup app "printf '$HOSTILE_PRINTF\\n'"
	DVM_VERBOSE=1 run_dvm_split sync app
	assert_success
	assert_stderr_line "$HOSTILE_SHOWN"
	refute_raw_run
	LC_ALL=C grep -qxF -- "$HOSTILE" "$STATE/setup.log"
}

@test "sync --all shows a failed VM's guest text sanitized" {
	make_guest_user developer	# one stub guest stands in for both VMs
	write_vm_config web ''
	write_vm_setup app "printf '$HOSTILE_PRINTF\\n'; exit 4"
	run_dvm_split sync --all
	assert_failure 1
	assert_stderr_line "[app]     $HOSTILE_SHOWN"
	refute_raw_run
	LC_ALL=C grep -qxF -- "$HOSTILE" "$STATE/setup.log"
}

@test "--dry-run and DVM_DRY_RUN=1 print the plan and contact nothing" {
	write_vm_setup app 'true'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "limactl --log-level warn start --yes --name=dvm-app --cpus=1"
	assert_output_contains "shell --workdir=/ dvm-app bash -s"
	assert_output_contains "stdin step 1: bootstrap: user developer"
	assert_output_contains "stdin step 2: egress: no limit"
	assert_output_contains "stdin step 3: recipe baseline (~/.config/dvm/recipes/baseline.sh)"
	assert_output_contains "stdin step 4: run ~/.config/dvm/vms/app/setup.sh"
	[ "$(lima_call_count)" -eq 0 ]
	[ ! -e "$STATE" ]
	DVM_DRY_RUN=1 run_dvm sync app
	assert_success
	[ "$(lima_call_count)" -eq 0 ]
	make_instance dvm-app Running
	run_dvm sync app --dry-run
	assert_output_contains "limactl --log-level warn start dvm-app"
}

@test "--dry-run with DVM_VERBOSE=1 prints the guest script exactly as sent, but for the nonce and secret values" {
	write_vm_config app 'DVM_CPUS=1
DVM_SECRETS=(MY_KEY)
DVM_PORTS=(3000:3000)'
	write_vm_setup app 'echo "setup ran with $#"'
	p=$XDG_CONFIG_HOME/dvm/vms/app/projects/api
	mkdir -p "$p"
	printf 'IMAGE=node:22\n' >"$p/project.sh"
	printf 'echo api setup\n' >"$p/setup.sh"
	key=key-$RANDOM-$RANDOM
	MY_KEY=$key DVM_VERBOSE=1 run_dvm_split sync app --dry-run
	assert_success
	[ "$(lima_call_count)" -eq 0 ]
	[[ $output == *"  stdin step 1: bootstrap: user developer"* ]] || fail "no step summaries"
	# shellcheck disable=SC2154 # stderr: set by run_dvm_split
	[[ $output != *"$key"* && $stderr != *"$key"* ]] || fail "the secret's value is in the dry-run output"
	shown=$(sed -n '/^# its stdin, as it would be sent but for the nonce (NONCE) and secret values:$/,/^# end of stdin$/p' <<<"$output" | sed '1d;$d')
	[ -n "$shown" ] || fail "no guest script in the dry-run output"
	[[ $shown == *$'\nset -- MY_KEY \'<secret MY_KEY>\'\n'* ]] || fail "no placeholder for the secret"
	MY_KEY=$key run_dvm sync app
	assert_success
	sent=$(lima_stdin 2)
	nonce=$(sed -n 's/^dvm_nonce=//p' <<<"$sent")
	[[ $nonce =~ ^[0-9a-f]{32}$ ]] || fail "no nonce line in the script sent"
	[[ $sent == *$'\nset -- MY_KEY '"$key"$'\n'* ]] || fail "the secret was not sent"
	want=${sent//"$nonce"/NONCE}
	want=${want//"set -- MY_KEY $key"/"set -- MY_KEY '<secret MY_KEY>'"}
	if [ "$shown" != "$want" ]; then
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$shown") >&2 || true
		fail "the dry run's script is not the one sent"
	fi
}

@test "a second sync of the same VM fails at once with busy" {
	FAKE_LIMA_LATENCY_MS=3000 "$DVM" sync app >/dev/null 2>&1 &
	pid=$!
	wait_for_lima_call
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: VM 'app' is busy: another dvm command is working on it"
	wait "$pid"
}

@test "syncs of different VMs run side by side: neither waits for the other's lock" {
	write_vm_config web ''
	local start end a=0 b=0
	start=$(date +%s%N)
	# Two VMs are two guests: each gets its own stub guest root.
	mkdir -p "$BATS_TEST_TMPDIR/guest-app" "$BATS_TEST_TMPDIR/guest-web"
	: >"$BATS_TEST_TMPDIR/guest-app/.fake-guest"
	: >"$BATS_TEST_TMPDIR/guest-web/.fake-guest"
	FAKE_GUEST_ROOT=$BATS_TEST_TMPDIR/guest-app FAKE_LIMA_LATENCY_MS=2000 \
		"$DVM" sync app >"$BATS_TEST_TMPDIR/app.out" 2>&1 &
	local pa=$!
	FAKE_GUEST_ROOT=$BATS_TEST_TMPDIR/guest-web FAKE_LIMA_LATENCY_MS=2000 \
		"$DVM" sync web >"$BATS_TEST_TMPDIR/web.out" 2>&1 &
	local pb=$!
	wait "$pa" || a=$?
	wait "$pb" || b=$?
	end=$(date +%s%N)
	[ "$a" -eq 0 ] || fail "sync app failed: $(cat "$BATS_TEST_TMPDIR/app.out")"
	[ "$b" -eq 0 ] || fail "sync web failed: $(cat "$BATS_TEST_TMPDIR/web.out")"
	# Each sync makes 2 calls of 2 s: one after the other would take 8 s.
	[ $(((end - start) / 1000000)) -lt 7000 ] || fail "took $(((end - start) / 1000000)) ms: not side by side"
}

@test "a lock held by a killed dvm is free again" {
	FAKE_LIMA_LATENCY_MS=5000 "$DVM" sync app >/dev/null 2>&1 &
	pid=$!
	wait_for_lima_call
	kill -9 "$pid"
	wait "$pid" || true
	run_dvm sync app
	assert_success
	# The killed dvm could not take its sleeping limactl with it.
	kill_ours "$FAKE_LIMACTL --log-level warn start"
}

@test "bad input is refused before any VM is touched" {
	write_global_config "DVM_USER='x;touch /tmp/p'"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: ~/.config/dvm/config.sh: DVM_USER='x;touch /tmp/p' is not a valid user name"
	write_global_config ''
	write_vm_config app 'DVM_MEMORY=abc'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_MEMORY='abc' is not a positive number of GiB"
	write_vm_config app 'DVM_PORTS=(3000:99999)'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_PORTS='3000:99999' is not a host:guest port pair with ports from 1 to 65535"
	for name in Bad 'a;b'; do
		run_dvm sync "$name"
		assert_failure 2
		assert_output_contains "dvm: error: invalid VM name '$name'"
	done
	[ "$(lima_call_count)" -eq 0 ]
}

@test "every kind of bad value names the file, the variable and the value" {
	check() {
		write_vm_config app "$1"
		run_dvm sync app
		assert_failure 1
		assert_output_contains "vms/app/config.sh: $2"
	}
	check 'DVM_CPUS=0' "DVM_CPUS='0' is not a whole number of CPUs"
	check 'DVM_CPUS=2x' "DVM_CPUS='2x' is not a whole number of CPUs"
	check 'DVM_CPUS=(1 2)' "DVM_CPUS='1' must be a single value, not an array"
	check 'DVM_DISK=-5' "DVM_DISK='-5' is not a positive number of GiB"
	check 'DVM_SUBUID_COUNT=-1' "DVM_SUBUID_COUNT='-1' is not a whole number"
	check 'DVM_SUBGID_COUNT=x' "DVM_SUBGID_COUNT='x' is not a whole number"
	check 'DVM_VM_TYPE="vz;rm"' "DVM_VM_TYPE='vz;rm' is not a Lima VM type"
	check 'DVM_NETWORK=bridged' "DVM_NETWORK='bridged' is not supported"
	check 'DVM_PORTS=(3000)' "DVM_PORTS='3000' is not a host:guest port pair"
	check 'DVM_PORTS=(1:2:3)' "DVM_PORTS='1:2:3' is not a host:guest port pair"
	check 'DVM_PORTS="3000:3000 4000:4000"' "DVM_PORTS='3000:3000 4000:4000' is not a host:guest port pair"
	check 'DVM_DEV_BASE="a b"' "DVM_DEV_BASE='a b' is not a container image reference"
	check 'use "bad name"' "use 'bad name': invalid recipe name"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "a newline in a value cannot fake a second error line" {
	write_vm_config app 'DVM_USER=$'"'"'a\ndvm: all good'"'"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_USER='a?dvm: all good' is not a valid user name"
}

@test "config files others can write are refused before they are read" {
	write_vm_config app 'touch "$HOME/sourced"'
	chmod o+w "$XDG_CONFIG_HOME/dvm/vms/app/config.sh"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "unsafe permissions on VM config ~/.config/dvm/vms/app/config.sh (repair: chmod go-w"
	[ ! -e "$HOME/sourced" ]
	chmod o-w "$XDG_CONFIG_HOME/dvm/vms/app/config.sh"
	chmod g+w "$XDG_CONFIG_HOME/dvm/config.sh"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "unsafe permissions on global config"
	chmod g-w "$XDG_CONFIG_HOME/dvm/config.sh"
	chmod g+w "$XDG_CONFIG_HOME/dvm/vms/app"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "unsafe permissions on VM directory"
	chmod g-w "$XDG_CONFIG_HOME/dvm/vms/app"
	write_vm_setup app 'true'
	chmod g+w "$XDG_CONFIG_HOME/dvm/vms/app/setup.sh"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "unsafe permissions on VM setup script"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "a VM without config says how to make one" {
	run_dvm sync nope
	assert_failure 1
	assert_output_contains "dvm: error: no config for VM 'nope' at ~/.config/dvm/vms/nope/config.sh (run: dvm new nope)"
}

@test "config that fails, exits or prints is handled" {
	write_vm_config app 'false'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "~/.config/dvm/vms/app/config.sh: failed with status 1 while being read"
	write_vm_config app 'exit 0'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "~/.config/dvm/vms/app/config.sh: evaluation stopped while reading it"
	write_vm_config app 'if then'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "failed with status 2 while being read"
	write_vm_config app 'echo chatter; printf "x\0y"; DVM_CPUS=2'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "--cpus=2"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "DVM_* from the environment do not override the config files" {
	DVM_CPUS=9 DVM_USER=intruder run_dvm sync app --dry-run
	assert_success
	assert_output_contains "--cpus=1 "
	assert_output_contains "user developer"
	DVM_VM_TYPE=qemu run_dvm sync app --dry-run
	assert_output_contains "--vm-type=qemu"
}

@test "the VM config overrides the global one" {
	write_global_config 'DVM_MEMORY=8
DVM_USER=alice'
	write_vm_config app 'DVM_MEMORY=$((DVM_MEMORY / 2))'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "--memory=4 "
	assert_output_contains "user alice"
}

@test "sync --all syncs the VMs side by side and reports failures at the end" {
	make_guest_user developer	# one stub guest stands in for both VMs
	write_vm_config web ''
	write_vm_setup web 'exit 3'
	FAKE_LIMA_LATENCY_MS=400 run_dvm sync --all
	assert_failure 1
	assert_output_contains "[app] ✓ app ready"
	assert_output_contains "[web] ✗ running VM setup"
	assert_output_contains "[web]   web: running VM setup failed with exit status 3"
	assert_output_contains "dvm: error: 1 of 2 VMs failed to sync"
	assert_lima_call "--name=dvm-app"
	assert_lima_call "--name=dvm-web"
	[ -f "$XDG_STATE_HOME/dvm/app/lima.log" ] && [ -f "$XDG_STATE_HOME/dvm/web/lima.log" ]
}

@test "sync --all runs up to --jobs VMs at once" {
	make_guest_user developer
	write_vm_config web ''
	write_vm_config db ''
	start=$(date +%s%N)
	FAKE_LIMA_LATENCY_MS=700 run_dvm sync --all --jobs 3
	assert_success
	parallel=$(( ($(date +%s%N) - start) / 1000000 ))
	start=$(date +%s%N)
	FAKE_LIMA_LATENCY_MS=700 run_dvm sync --all --jobs 1
	assert_success
	sequential=$(( ($(date +%s%N) - start) / 1000000 ))
	assert_output_contains "── sync app"
	# 3 VMs x 2 calls x 700 ms: about 4.2 s one by one, 1.4 s side by side.
	[ "$parallel" -lt $((sequential * 2 / 3)) ] || fail "parallel ${parallel}ms, sequential ${sequential}ms"
}

@test "sync --all on a terminal keeps one status line per VM" {
	make_guest_user developer
	write_vm_config web ''
	run script -qec "TERM=xterm '$DVM' sync --all" /dev/null
	assert_success
	assert_output_contains "app: waiting"
	assert_output_contains "✓ app: ready"
	assert_output_contains "✓ web: ready"
}

@test "sync --jobs needs --all and a number" {
	run_dvm sync app --jobs 2
	assert_failure 2
	assert_output_contains "--jobs is for --all"
	run_dvm sync --all --jobs 0
	assert_failure 2
	assert_output_contains "--jobs takes a number from 1 to 64, not '0'"
}

@test "sync --all refuses to start when any VM's config is bad" {
	write_vm_config web 'DVM_DISK=lots'
	run_dvm sync --all
	assert_failure 1
	assert_output_contains "DVM_DISK='lots'"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "sync usage errors" {
	run_dvm sync
	assert_failure 2
	assert_output_contains "missing VM name (<vm>, <vm>/<project> or --all)"
	run_dvm sync app web
	assert_failure 2
	assert_output_contains "too many arguments"
	run_dvm sync --all app
	assert_failure 2
	assert_output_contains "give a VM name or --all, not both"
	rm -rf "$XDG_CONFIG_HOME/dvm/vms"
	run_dvm sync --all
	assert_failure 1
	assert_output_contains "no VMs configured in ~/.config/dvm/vms (run: dvm new <vm>)"
}

@test "on a terminal each step is a spinner that becomes a green check" {
	command -v script >/dev/null || fail "script(1) is needed for this test"
	run script -qec "TERM=xterm '$DVM' sync app" /dev/null
	assert_success
	assert_output_contains $'\e[?25l'
	assert_output_contains $'\e[32m✓\e[0m creating instance dvm-app'
	assert_output_contains $'\e[?25h'
	NO_COLOR=1 run script -qec "TERM=xterm '$DVM' sync app" /dev/null
	assert_success
	[[ $output != *$'\e'* ]]
}

@test "SIGINT or SIGTERM during a step stops the child and exits 130 or 143" {
	for sig in INT TERM; do
		rm -rf "$FAKE_LIMA_LOG_DIR"
		fake_guest_marker
		FAKE_LIMA_LATENCY_MS=20000 "$DVM" sync app >"$BATS_TEST_TMPDIR/out" 2>&1 &
		pid=$!
		wait_for_lima_call
		sleep 0.2
		kill -s "$sig" "$pid"
		status=0
		wait "$pid" || status=$?
		if [ "$sig" = INT ]; then [ "$status" -eq 130 ]; else [ "$status" -eq 143 ]; fi
		grep -q "dvm: interrupted during: creating instance dvm-app" "$BATS_TEST_TMPDIR/out"
		# The fake limactl that was sleeping is gone too.
		[ -z "$(our_pids "tests/fake/limactl --log-level warn start")" ] ||
			fail "a limactl of this test survived the signal"
		grep -q "== interrupted" "$XDG_STATE_HOME/dvm/app/lima.log"
	done
	# The lock went with the process.
	run_dvm sync app
	assert_success
}

# ---------------------------------------------------------------- egress allowlist

# Projects api (Docker Hub) and web (ghcr.io), and a dev-base from quay.io.
egress_projects() {
	local p=$XDG_CONFIG_HOME/dvm/vms/app/projects
	mkdir -p "$p/api" "$p/web" "$XDG_CONFIG_HOME/dvm/base/dev"
	echo 'IMAGE=node:22' >"$p/api/project.sh"
	echo 'IMAGE=ghcr.io/acme/web:1' >"$p/web/project.sh"
	printf 'FROM quay.io/fedora/fedora:41 AS build\nFROM build\n' >"$XDG_CONFIG_HOME/dvm/base/dev/Containerfile"
}

# Stand-ins run in the stub guest: agent-user makes dvm-agent (stub
# useradd); claude declares a host, as the real one does.
egress_agent_recipes() {
	local r=$XDG_CONFIG_HOME/dvm/recipes
	printf '%s\n' '# Description: stand-in for agent-user' \
		'id -u dvm-agent >/dev/null 2>&1 || sudo useradd --system --no-create-home dvm-agent' >"$r/agent-user.sh"
	printf '%s\n' '# Description: stand-in for claude' '# Egress: registry.npmjs.org' \
		'echo claude ran' >"$r/claude.sh"
}

# The guest paths egress.sh would write as root on a real VM.
egress_host_paths=(/etc/dvm /etc/systemd/system/dvm-egress.service
	/etc/systemd/system/dvm-egress-dns.service
	/etc/systemd/resolved.conf.d/90-dvm-egress.conf
	/etc/NetworkManager/conf.d/90-dvm-egress.conf)

@test "--dry-run shows the egress step: the limited users, every host with where it came from, dvm-agent's list" {
	write_vm_config app 'DVM_EGRESS=(github.com .npmjs.org)
DVM_AGENT_EGRESS=(api.anthropic.com)
use node
use agent-user
use claude'
	egress_projects
	rm "$XDG_CONFIG_HOME/dvm/recipes/baseline.sh"	# the bundled recipes: nothing runs
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "  stdin step 2: egress allowlist: guest/egress.sh apply, as root; limits developer, its containers and dvm-agent
    DVM_EGRESS (developer and its containers), 10 hosts:
      github.com (DVM_EGRESS)
      .npmjs.org (DVM_EGRESS)
      registry-1.docker.io (project api)
      auth.docker.io (project api)
      production.cloudflare.docker.com (project api)
      ghcr.io (project web)
      pkg-containers.githubusercontent.com (project web)
      quay.io (dev-base)
      registry.npmjs.org (recipe node)
      repo.yarnpkg.com (recipe node)
    DVM_AGENT_EGRESS (dvm-agent), 2 hosts:
      api.anthropic.com (DVM_AGENT_EGRESS)
      registry.npmjs.org (recipe claude)
  stdin step 3: recipe baseline (bundled)
  stdin step 4: recipe node (bundled)
  stdin step 5: recipe agent-user (bundled)
  stdin step 6: egress allowlist again (the same lists), now that the agent-user recipe made dvm-agent
  stdin step 7: recipe claude (bundled)"
	# Without a list of its own, dvm-agent shares DVM_EGRESS, and so do
	# the hosts of the AI recipes.
	write_vm_config app 'DVM_EGRESS=(github.com)
use agent-user
use claude'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "    DVM_EGRESS (developer, its containers and dvm-agent), 8 hosts:"
	assert_output_contains "      registry.npmjs.org (recipe claude)
  stdin step 3"
	refute_output_contains "DVM_AGENT_EGRESS"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "--dry-run without DVM_EGRESS says egress: no limit; the sync shows no egress line when there was nothing to remove" {
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "stdin step 2: egress: no limit (guest/egress.sh off, as root: removes an allowlist an earlier sync applied)"
	run_dvm sync app
	assert_success
	refute_output_contains "egress"
	assert_guest_call "bash /"
	grep -qx 'guest/egress.sh: unchanged' "$STATE/setup.log"
}

@test "a sync with DVM_EGRESS applies the allowlist as root in the guest; this host's /etc, ruleset and resolver are untouched" {
	local p
	for p in "${egress_host_paths[@]}"; do
		[ ! -e "$p" ] || skip "$p exists on this host before the test"
	done
	write_vm_config app 'DVM_EGRESS=(github.com .example.org)'
	run_dvm sync app
	assert_success
	assert_output_contains "• egress allowlist (2 hosts)
✓ egress allowlist applied (2 hosts)
• recipe baseline"
	[ "$(lima_call_count)" -eq 2 ]
	# dvm's arguments, exactly: no --prefix (the fake's sudo adds it).
	assert_guest_call "apply --user developer --agent dvm-agent --allow github.com --allow .example.org"
	refute_guest_call "--prefix"
	assert_guest_call "nft -f $FAKE_GUEST_ROOT/etc/dvm/egress/rules.nft."
	assert_guest_call "systemctl enable --quiet dvm-egress.service dvm-egress-dns.service"
	grep -qx 'allow=example.org github.com' "$FAKE_GUEST_ROOT/etc/dvm/egress/applied"
	grep -q '^user developer 2000$' "$FAKE_GUEST_ROOT/etc/dvm/egress/applied"
	grep -q 'meta skuid { 2000 } jump dev' "$FAKE_GUEST_ROOT/nft/dvm_egress.nft"
	[ -f "$FAKE_GUEST_ROOT/etc/systemd/system/dvm-egress.service" ]
	for p in "${egress_host_paths[@]}"; do
		[ ! -e "$p" ] || fail "the stub sync wrote $p on this host"
	done
	if command -v nft >/dev/null && [ "$(id -u)" -eq 0 ]; then
		run nft list table inet dvm_egress
		assert_failure
	fi
	grep -q '^guest/egress.sh: applied$' "$STATE/setup.log"
	# The temp copy of egress.sh that sudo ran is gone.
	f=$(sed -n 's/^sudo bash \([^ ]*\) apply .*/\1/p' "$FAKE_LIMA_LOG_DIR/guest.log")
	[ -n "$f" ] && [ ! -e "$f" ]
}

@test "the allowlist is not applied again when nothing changed; a new list applies; none removes it" {
	write_vm_config app 'DVM_EGRESS=(github.com)'
	run_dvm sync app
	assert_success
	assert_output_contains "✓ egress allowlist applied (1 host)"
	run_dvm sync app
	assert_success
	assert_output_contains "✓ egress allowlist (1 host)"
	refute_output_contains "applied"
	grep -qx 'guest/egress.sh: unchanged' "$STATE/setup.log"
	write_vm_config app 'DVM_EGRESS=(github.com gitlab.com)'
	run_dvm sync app
	assert_success
	assert_output_contains "✓ egress allowlist applied (2 hosts)"
	grep -qx 'allow=github.com gitlab.com' "$FAKE_GUEST_ROOT/etc/dvm/egress/applied"
	write_vm_config app ''
	run_dvm sync app
	assert_success
	assert_output_contains "• ensuring user \"developer\" and /home/developer/code/app
✓ ensuring user \"developer\" and /home/developer/code/app
✓ egress allowlist removed
• recipe baseline"
	[ ! -e "$FAKE_GUEST_ROOT/etc/dvm/egress" ]
	[ ! -e "$FAKE_GUEST_ROOT/nft/dvm_egress.nft" ]
	assert_guest_call "systemctl disable --now dvm-egress-dns.service dvm-egress.service"
	run_dvm sync app
	assert_success
	refute_output_contains "egress"
}

@test "a full sync with DVM_EGRESS, projects from two registries and an agent recipe succeeds, and dvm-agent is limited once it exists" {
	write_vm_config app 'DVM_EGRESS=(github.com)
DVM_AGENT_EGRESS=(api.anthropic.com)
use agent-user
use claude'
	egress_projects
	rm -r "$XDG_CONFIG_HOME/dvm/base"
	egress_agent_recipes
	run_dvm sync app
	assert_success
	assert_output_contains "✓ egress allowlist applied (7 hosts, dvm-agent 1)
• recipe baseline
✓ recipe baseline
• recipe agent-user
✓ recipe agent-user
✓ egress allowlist applied to dvm-agent (7 hosts, dvm-agent 1)
• recipe claude
✓ recipe claude
• preparing rootless podman"
	assert_output_contains "✓ project api (node:22)"
	assert_output_contains "✓ project web (ghcr.io/acme/web:1)"
	assert_output_contains "✓ app ready"
	[ "$(lima_call_count)" -eq 2 ]
	# The stand-in claude does not start with dvm_need_agent (it could not
	# pass it here), so its host goes to DVM_EGRESS; the bundled one's
	# goes to dvm-agent's list (see the dry-run test above).
	assert_guest_call "apply --user developer --agent dvm-agent --allow github.com --allow registry-1.docker.io --allow auth.docker.io --allow production.cloudflare.docker.com --allow ghcr.io --allow pkg-containers.githubusercontent.com --allow registry.npmjs.org --agent-allow api.anthropic.com"
	grep -q 'egress.sh: warning: agent user dvm-agent does not exist (yet): not limited' "$STATE/setup.log"
	grep -q '^agent dvm-agent 2001$' "$FAKE_GUEST_ROOT/etc/dvm/egress/applied"
	grep -qx 'agent-allow=api.anthropic.com' "$FAKE_GUEST_ROOT/etc/dvm/egress/applied"
	grep -q 'meta skuid { 2001 } jump agent' "$FAKE_GUEST_ROOT/nft/dvm_egress.nft"
	# Nothing changed: both steps say so, and neither applies again.
	run_dvm sync app
	assert_success
	refute_output_contains "applied"
	assert_output_contains "✓ egress allowlist (7 hosts, dvm-agent 1)"
	[ "$(grep -c '^guest/egress.sh: unchanged$' "$STATE/setup.log")" -eq 2 ]
}

@test "a failing egress step stops the sync before any recipe runs" {
	write_vm_config app 'DVM_EGRESS=(github.com)'
	mkdir -p "$FAKE_GUEST_ROOT/etc"
	: >"$FAKE_GUEST_ROOT/etc/dvm"	# a file where egress.sh wants its directory
	run_dvm sync app
	assert_failure 1
	assert_output_contains "✗ egress allowlist (1 host)"
	assert_output_contains "app: egress allowlist (1 host) failed with exit status 1. full log: $STATE/setup.log"
	refute_output_contains "recipe baseline"
	refute_output_contains "app ready"
	if grep -q 'baseline ran' "$STATE/setup.log"; then fail "the baseline ran"; fi
}

@test "the egress arguments reach the guest in one quoted set -- line; egress.sh itself in the stdin heredoc" {
	write_vm_config app 'DVM_EGRESS=(github.com .example.org)'
	run_dvm sync app
	assert_success
	script=$(lima_stdin 2)
	[[ $script == *$'\nset -- apply --user developer --agent dvm-agent --allow github.com --allow .example.org\n# shellcheck shell=bash\n# guest/run-egress.sh: '* ]] ||
		fail "no set -- line in the script"
	[[ $script == *$'\nr=$(sudo bash "$f" "$@" </dev/null)\n'* ]] || fail "run-egress.sh is not in the script"
	[[ $script == *"# guest/egress.sh: the guest side of DVM_EGRESS and DVM_AGENT_EGRESS."* ]] ||
		fail "egress.sh is not in the script"
	[ "$(grep -c '^set -- ' <<<"$script")" -eq 1 ]
}

# ---------------------------------------------------------------- the dev user (SPEC §10)

# Lima names its login user after the host user ($USER here; the passwd
# entry of our uid too), or `lima` when it does not take that name.
LOGIN_HINT="set DVM_USER=developer, or DVM_USER_SUDO=1 to accept a dev user with root"

@test "DVM_USER equal to the host user is refused before any limactl call, naming both" {
	write_global_config 'DVM_USER=alice'
	make_project_container app web
	USER=alice run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/config.sh: DVM_USER='alice' is Lima's login user in the VM (Lima names it after your host user alice, and it has passwordless root); $LOGIN_HINT"
	# The file that set it is the one named.
	write_global_config ''
	write_vm_config app 'DVM_USER=alice'
	USER=alice run_dvm sync app --dry-run
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_USER='alice' is Lima's login user in the VM (Lima names it after your host user alice, and it has passwordless root); $LOGIN_HINT"
	# Every VM of --all is checked before any of them starts.
	write_vm_config web ''
	USER=alice run_dvm sync --all
	assert_failure 1
	assert_output_contains "vms/app/config.sh: DVM_USER='alice' is Lima's login user in the VM"
	# A project sync runs the bootstrap too.
	make_instance dvm-app Running
	USER=alice run_dvm sync app/web
	assert_failure 1
	assert_output_contains "DVM_USER='alice' is Lima's login user in the VM"
	[ "$(lima_call_count)" -eq 0 ]
	# Another host user may use the name.
	USER=bob run_dvm sync app --dry-run
	assert_success
	assert_output_contains "bootstrap: user alice"
}

@test "DVM_USER=lima is refused when Lima does not take the host user's name" {
	write_vm_config app 'DVM_USER=lima'
	for host in Alice.Smith 'j doe' admin 1st; do
		USER=$host run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_USER='lima' is Lima's login user in the VM (Lima does not take your host user name '$host', so it names it lima, and it has passwordless root); $LOGIN_HINT"
	done
	# A name Lima takes leaves `lima` free.
	USER=alice run_dvm sync app --dry-run
	assert_success
	[ "$(lima_call_count)" -eq 0 ]
}

@test "a host user named developer gets dev as the suggestion" {
	write_global_config ''
	write_vm_config app ''
	USER=developer run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_USER='developer' is Lima's login user in the VM (Lima names it after your host user developer, and it has passwordless root); set DVM_USER=dev, or DVM_USER_SUDO=1"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "DVM_USER=root is refused always, DVM_USER_SUDO=1 or not" {
	for sudo in '' 'DVM_USER_SUDO=1'; do
		write_vm_config app "DVM_USER=root
$sudo"
		run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_USER='root' is the VM's superuser; the dev user must be an ordinary one (such as developer)"
	done
	[ "$(lima_call_count)" -eq 0 ]
}

@test "DVM_USER_SUDO=1 accepts Lima's login user as DVM_USER, as DVM 3.0 set it up" {
	write_global_config 'DVM_USER=alice
DVM_USER_SUDO=1'
	# The stub guest's login user is alice, with the host's uid (below 1000).
	make_guest_user alice 501
	FAKE_GUEST_USER=alice USER=alice run_dvm sync app
	assert_success
	assert_output_contains "✓ ensuring user \"alice\" and /home/alice/code/app"
	assert_output_contains "✓ app ready"
	refute_output_contains "warning"
	[[ $(lima_stdin 2) == *" DVM_USER_SUDO=1"$'\n'* ]]
	refute_guest_call "useradd"
}

@test "DVM_USER_SUDO must be 0 or 1, and reaches the guest" {
	for bad in yes 2 true ' 1'; do
		write_vm_config app "DVM_USER_SUDO='$bad'"
		run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_USER_SUDO='$bad' must be 0 or 1"
	done
	write_vm_config app 'DVM_USER_SUDO=(1 1)'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_USER_SUDO='1' must be a single value, not an array"
	[ "$(lima_call_count)" -eq 0 ]
	for good in '' 0; do
		write_vm_config app "DVM_USER_SUDO=$good"
		run_dvm sync app
		assert_success
		[[ $(last_lima_stdin) == *" DVM_USER_SUDO=0"$'\n'* ]]
	done
}

@test "DVM_USER_SUDO=1 with DVM_EGRESS is refused before any call" {
	write_global_config 'DVM_USER_SUDO=1'
	write_vm_config app 'DVM_EGRESS=(github.com registry.npmjs.org)'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/config.sh: DVM_USER_SUDO='1' cannot be combined with DVM_EGRESS: a dev user with root could remove the egress rules (drop one of the two)"
	write_vm_config app 'DVM_EGRESS=github.com'
	run_dvm sync app --dry-run
	assert_failure 1
	[ "$(lima_call_count)" -eq 0 ]
	# An empty list is no allowlist; an empty element is a typo, refused.
	write_vm_config app 'DVM_EGRESS=()'
	run_dvm sync app --dry-run
	assert_success
	for empty in "''" "('')"; do
		write_vm_config app "DVM_EGRESS=$empty"
		run_dvm sync app --dry-run
		assert_failure 1
		assert_output_contains "DVM_EGRESS='' is empty"
	done
}

@test "the bootstrap refuses Lima's login user as DVM_USER even where the host cannot tell" {
	# A Lima config (user.name) can name the login user alice whatever the
	# host user is; only the guest knows.
	write_global_config 'DVM_USER=alice'
	make_guest_user alice 501
	FAKE_GUEST_USER=alice USER=bob run_dvm sync app
	assert_failure 1
	assert_output_contains "✗ ensuring user \"alice\" and /home/alice/code/app"
	assert_output_contains "app: ensuring user \"alice\" and /home/alice/code/app failed with exit status 1"
	assert_output_contains "dvm guest: DVM_USER=alice is Lima's login user in this VM, which has passwordless root; $LOGIN_HINT"
	refute_output_contains "recipe baseline"
	refute_guest_call "useradd"
	refute_guest_call "usermod"
}

@test "the bootstrap refuses an existing system account as DVM_USER" {
	write_global_config 'DVM_USER=daemon'
	make_guest_user daemon 2
	run_dvm sync app
	assert_failure 1
	assert_output_contains "✗ ensuring user \"daemon\" and /home/daemon/code/app"
	assert_output_contains "dvm guest: DVM_USER=daemon is a system account in this VM (uid 2, below 1000); set DVM_USER=developer"
	refute_guest_call "usermod"
	# DVM_USER_SUDO=1 does not change that.
	write_global_config 'DVM_USER=daemon
DVM_USER_SUDO=1'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "(uid 2, below 1000)"
	# 1000 is a user's uid.
	write_global_config 'DVM_USER=first'
	make_guest_user first 1000
	run_dvm sync app
	assert_success
}

@test "the bootstrap warns once about sudo rules and root-equivalent groups given by hand" {
	make_guest_user developer
	printf '%s\n' 'wheel:x:10:developer' 'adm:x:4:developer' 'docker:x:981:someone,developer' \
		>>"$FAKE_GUEST_ROOT/group"
	printf '%s\n' 'developer (ALL : ALL) ALL' \
		'developer (dvm-agent) NOPASSWD: /usr/local/libexec/dvm-sandbox-exec' \
		>"$FAKE_GUEST_ROOT/sudo-rules"
	run_dvm sync app
	assert_success
	assert_output_contains "✓ ensuring user \"developer\" and /home/developer/code/app
dvm: warning: DVM_USER=developer has root that dvm did not give it (sudo: (ALL : ALL) ALL; groups: wheel docker); take it away in the VM, or set DVM_USER_SUDO=1 to accept a dev user with root
• recipe baseline"
	[ "$(grep -c 'warning' <<<"$output")" -eq 1 ]
	grep -q "^dvm: warning: DVM_USER=developer has root" "$STATE/lima.log"
	assert_guest_call "sudo -n -l -U developer"
	# DVM_USER_SUDO=1 accepts it: no warning.
	write_global_config 'DVM_USER=developer
DVM_USER_SUDO=1'
	run_dvm sync app
	assert_success
	refute_output_contains "warning"
	# The agent rule, and a group that only reads logs, are no root.
	write_global_config 'DVM_USER=developer'
	printf '%s\n' 'developer (dvm-agent) NOPASSWD: /usr/local/libexec/dvm-sandbox-exec' \
		>"$FAKE_GUEST_ROOT/sudo-rules"
	sed -i '/^wheel:/d; /^docker:/d' "$FAKE_GUEST_ROOT/group"
	run_dvm sync app
	assert_success
	refute_output_contains "warning"
}

@test "the bootstrap's warning shows guest text sanitized" {
	make_guest_user developer
	printf 'developer (ALL) %s\n' "$HOSTILE" >"$FAKE_GUEST_ROOT/sudo-rules"
	run_dvm sync app
	assert_success
	assert_output_contains "dvm: warning: DVM_USER=developer has root that dvm did not give it (sudo: (ALL) $HOSTILE_SHOWN)"
	refute_raw_controls "$output"
}

@test "a leftover DVM 2 global setup.sh is not run, and sync says where its content belongs" {
	write_vm_config app ''
	printf 'touch "%s/ran"\n' "$BATS_TEST_TMPDIR" >"$TEST_CONFIG_DIR/setup.sh"
	chmod 600 "$TEST_CONFIG_DIR/setup.sh"
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "dvm: warning: ~/.config/dvm/setup.sh is no longer run (DVM 2's global setup script): put shared tools in the base image (dvm base init) or a recipe, and each VM's own steps in its setup.sh"
	run_dvm sync app
	assert_success
	[ "$(grep -c 'is no longer run' <<<"$output")" -eq 1 ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	if grep -q "$BATS_TEST_TMPDIR/ran" "$FAKE_LIMA_LOG_DIR"/*.stdin; then fail "the old setup.sh went to the guest"; fi
}

@test "DVM_DISK below 10 GiB is refused when the VM is created; more DVM_CPUS than cores is a warning" {
	write_vm_config app 'DVM_DISK=8'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_DISK='8' is below 10 GiB, too small for Fedora and its updates"
	[ "$(lima_call_count)" -eq 0 ]
	# Only creation cares: an existing VM keeps its disk.
	make_instance dvm-app Stopped
	run_dvm sync app --dry-run
	assert_success
	rm -rf "$LIMA_HOME/dvm-app"
	write_vm_config app 'DVM_CPUS=1024'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "dvm: warning: ~/.config/dvm/vms/app/config.sh: DVM_CPUS=1024 is more than the $(getconf _NPROCESSORS_ONLN) cores of this host"
	assert_output_contains "--cpus=1024"
}
