#!/usr/bin/env bats
# Tests of the test infrastructure itself: the fake limactl (tests/fake/limactl), its guest-bin
# stubs, and tests/test_helper.bash. They never run dvm.
# shellcheck disable=SC2016,SC2030,SC2031 # backticks in Lima's messages are literal; each @test is its own subshell

load test_helper

setup() {
	setup_dvm_env
	L=$FAKE_LIMACTL
	CALLS=$FAKE_LIMA_LOG_DIR
}

teardown() {
	teardown_dvm_env
}

# lima ARGS...: run the fake with stdout and stderr apart ($output, $stderr).
lima() {
	run --separate-stderr "$L" "$@"
}

create_app() {
	"$L" --log-level warn start --yes --name dvm-app --cpus 2 --memory 1.5 --disk 60 \
		--mount-none --port-forward 3000:3000 template:fedora 2>/dev/null
}

# ---------------------------------------------------------------- basics and recording

@test "fake: --version prints limactl version 2.0.0" {
	lima --version
	assert_success
	assert_output "limactl version 2.0.0"
}

@test "fake: every call is recorded as NUL-terminated argv and one %q line in calls.log" {
	make_instance dvm-app
	lima list --format '{{.Name}}' dvm-app
	assert_success
	lima shell dvm-app printf '%s|' 'a b' ''
	assert_success
	assert_file_exists "$CALLS/0001.argv"
	assert_file_exists "$CALLS/0002.argv"
	refute_file_exists "$CALLS/0001.stdin"
	assert_lima_call_count 2
	[[ $(lima_call 1) == "limactl list --format \{\{.Name\}\} dvm-app" ]]
	[[ $(lima_call 2) == "limactl shell dvm-app printf %s\\| a\\ b ''" ]]
	local expected got
	expected=$(printf '%s\0' shell dvm-app printf '%s|' 'a b' '' | od -An -c)
	got=$(od -An -c <"$CALLS/0002.argv")
	[[ $got == "$expected" ]]
	[[ $(lima_argv 2 | sed -n 3p) == printf ]]
	[[ $(<"$CALLS/counter") == 2 ]]
}

@test "fake: a call without arguments is recorded as an empty argv" {
	lima
	assert_success
	assert_file_exists "$CALLS/0001.argv"
	[[ ! -s $CALLS/0001.argv ]]
	[[ $(lima_calls) == limactl ]]
}

@test "fake: shell stdin is saved to N.stdin and fed to the guest command" {
	make_instance dvm-app
	run --separate-stderr bash -c 'printf "line1\nline2\n" | "$1" shell --workdir=/ dvm-app cat' _ "$L"
	assert_success
	assert_output $'line1\nline2'
	assert_file_exists "$CALLS/0001.stdin"
	[[ $(lima_stdin 1) == $'line1\nline2' ]]
	[[ $(last_lima_stdin) == $'line1\nline2' ]]
	run --separate-stderr bash -c 'printf "echo from-script; exit 3\n" | "$1" shell dvm-app bash -s' _ "$L"
	assert_failure 3
	assert_output from-script
	[[ $(last_lima_stdin) == 'echo from-script; exit 3' ]]
}

@test "fake: stdin is not read for other subcommands" {
	make_instance dvm-app
	run bash -c 'printf "keep me\n" | { "$1" list -q >/dev/null; cat; }' _ "$L"
	assert_success
	assert_output "keep me"
	refute_file_exists "$CALLS/0001.stdin"
}

@test "fake: concurrent calls get distinct call numbers" {
	make_instance dvm-app
	local i
	for i in $(seq 1 20); do
		"$L" list -q dvm-app >/dev/null &
	done
	wait
	assert_lima_call_count 20
	[[ $(lima_calls | wc -l) -eq 20 ]]
	for i in $(seq -f %04g 1 20); do
		assert_file_exists "$CALLS/$i.argv"
	done
}

@test "fake: FAKE_LIMA_LATENCY_MS delays each call" {
	local t0=$EPOCHREALTIME t1
	FAKE_LIMA_LATENCY_MS=300 "$L" list -q
	t1=$EPOCHREALTIME
	((${t1//[.,]/} - ${t0//[.,]/} >= 300000))
}

# ---------------------------------------------------------------- start / create

@test "fake: start with a locator creates and boots the instance" {
	lima --log-level warn start --yes --name dvm-app --cpus 2 --memory 1.5 --disk 60 --mount-none \
		--vm-type qemu --containerd none --port-forward 3000:3000 --network lima:user-v2 template:fedora
	assert_success
	assert_stderr_contains 'READY.'
	assert_file_exists "$LIMA_HOME/dvm-app/lima.yaml"
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'template: "template:fedora"'
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'cpus: 2'
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'memory: "1.5GiB"'
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'portForwards: ["3000:3000"]'
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'networks: ["lima:user-v2"]'
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'mounts: null'
	[[ $(<"$LIMA_HOME/dvm-app/fake-status") == Running ]]
	lima list --format '{{.Status}} {{.CPUs}} {{.Memory}} {{.Disk}} {{.VMType}}' dvm-app
	assert_success
	assert_output "Running 2 1610612736 64424509440 qemu"
}

@test "fake: create makes a stopped instance" {
	lima create --tty=false --name dvm-app --mount-none template:fedora
	assert_success
	[[ $(<"$LIMA_HOME/dvm-app/fake-status") == Stopped ]]
}

@test "fake: a local .yaml template must exist and its absolute path is recorded" {
	printf 'images: []\n' >"$BATS_TEST_TMPDIR/template.yaml"
	lima start --yes --name dvm-base --mount-none "$BATS_TEST_TMPDIR/template.yaml"
	assert_success
	assert_file_contains "$LIMA_HOME/dvm-base/lima.yaml" "template: \"$BATS_TEST_TMPDIR/template.yaml\""
	lima start --yes --name dvm-other --mount-none "$BATS_TEST_TMPDIR/missing.yaml"
	assert_failure 1
	assert_stderr_contains "open $BATS_TEST_TMPDIR/missing.yaml: no such file or directory"
}

@test "fake: start with a locator of an existing instance fails like Lima" {
	create_app
	lima --log-level warn start --yes --name dvm-app --mount-none template:fedora
	assert_failure 1
	assert_stderr_contains "instance \`dvm-app\` already exists (\`$LIMA_HOME/dvm-app\`)"
}

@test "fake: a locator without --name derives the name (contract violation)" {
	allow_lima_violations
	lima start --yes --mount-none template:fedora
	assert_success
	assert_file_exists "$LIMA_HOME/fedora/lima.yaml"
}

@test "fake: start of an existing stopped instance boots it; a running one only logs" {
	make_instance dvm-app Stopped
	lima --log-level=warn --tty=false start dvm-app
	assert_success
	[[ $(<"$LIMA_HOME/dvm-app/fake-status") == Running ]]
	lima --log-level=warn --tty=false start dvm-app
	assert_success
	assert_stderr_contains 'is already running'
	refute_file_exists "$CALLS/traps.log"
}

@test "fake: bare start of a missing name creates it from template:default and logs the trap" {
	allow_lima_traps
	lima start --tty=false ghost
	assert_success
	assert_stderr_contains 'This form is deprecated'
	assert_file_contains "$LIMA_HOME/ghost/lima.yaml" 'template: "template:default"'
	assert_file_contains "$CALLS/traps.log" 'TRAP: start of missing instance ghost created template:default'
	run teardown_dvm_env
	assert_success # traps allowed in this test
}

@test "fake: --port-forward on an existing instance accumulates and logs the trap" {
	allow_lima_traps
	allow_lima_violations
	create_app
	lima start dvm-app --port-forward 3000:3000
	assert_success
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'portForwards: ["3000:3000", "3000:3000"]'
	assert_file_contains "$CALLS/traps.log" 'TRAP: --port-forward on existing instance dvm-app'
}

@test "fake: create-only flags on an existing instance are ignored with a warning" {
	allow_lima_violations
	make_instance dvm-app Stopped
	lima start --containerd none --cpus 6 dvm-app
	assert_success
	assert_stderr_contains '`--containerd` is not applicable to an existing instance'
	assert_file_contains "$LIMA_HOME/dvm-app/lima.yaml" 'cpus: 6'
}

@test "fake: flag errors exit 1 like cobra" {
	allow_lima_violations
	lima start --foo dvm-app
	assert_failure 1
	assert_stderr_contains 'unknown flag: --foo'
	lima start --shell /bin/zsh --name x template:fedora
	assert_failure 1
	assert_stderr_contains 'unknown flag: --shell' # v2.2.0+, not in Lima 2.0
	lima start --name
	assert_failure 1
	assert_stderr_contains 'flag needs an argument: --name'
	lima start --memory 8GiB --name x template:fedora
	assert_failure 1
	assert_stderr_contains 'invalid argument "8GiB" for "--memory" flag'
	lima --tty false start dvm-app
	assert_failure 1
	assert_stderr_contains 'unknown command "false" for "limactl"'
	lima --log-level loud list
	assert_failure 1
	assert_stderr_contains 'not a valid logrus Level'
	lima --tty=false --yes list
	assert_failure 1
	assert_stderr_contains 'cannot use both --tty and --yes'
	lima frobnicate
	assert_failure 1
	assert_stderr_contains 'unknown command "frobnicate" for "limactl"'
	lima start --port-forward 127.0.0.1:80:80 --name x template:fedora
	assert_failure 1
	assert_stderr_contains 'invalid port forward format'
}

# ---------------------------------------------------------------- stop / delete

@test "fake: stop of a running instance stops it; of a stopped one exits 1; -f always works" {
	make_instance dvm-app Running
	lima --log-level warn stop dvm-app
	assert_success
	[[ $(<"$LIMA_HOME/dvm-app/fake-status") == Stopped ]]
	lima stop dvm-app
	assert_failure 1
	assert_stderr_contains 'expected status `Running`, got `Stopped` (maybe use `limactl stop -f`?)'
	lima stop -f dvm-app
	assert_success
	lima stop --force dvm-app
	assert_success
}

@test "fake: stop of a missing instance exits 1 with the raw open error" {
	lima stop ghost
	assert_failure 1
	assert_stderr_contains "open $LIMA_HOME/ghost/lima.yaml: no such file or directory"
}

@test "fake: delete of a missing instance only warns; a running one needs --force" {
	lima delete ghost
	assert_success
	assert_stderr_contains 'Ignoring non-existent instance `ghost`'
	make_instance dvm-app Running
	lima delete dvm-app
	assert_failure 1
	assert_stderr_contains 'failed to delete instance `dvm-app`: expected status `Stopped`, got `Running`'
	assert_file_exists "$LIMA_HOME/dvm-app/lima.yaml"
	lima --log-level warn delete --force dvm-app
	assert_success
	refute_file_exists "$LIMA_HOME/dvm-app"
	make_instance dvm-b Stopped
	lima rm dvm-b
	assert_success
	refute_file_exists "$LIMA_HOME/dvm-b"
}

# ---------------------------------------------------------------- list

@test "fake: list -q prints instance names sorted, skipping _ and . dirs and dirs without lima.yaml" {
	make_instance zeta
	make_instance alpha Stopped
	make_instance dvm-app
	mkdir -p "$LIMA_HOME/_config" "$LIMA_HOME/.hidden" "$LIMA_HOME/nolima"
	: >"$LIMA_HOME/_config/lima.yaml"
	: >"$LIMA_HOME/.hidden/lima.yaml"
	lima list -q
	assert_success
	assert_output $'alpha\ndvm-app\nzeta'
	lima list --quiet dvm-app
	assert_success
	assert_output dvm-app
}

@test "fake: list with no instances exits 0 with empty stdout" {
	lima list -q
	assert_success
	assert_output ''
	lima list --format '{{.Name}}'
	assert_success
	assert_output ''
	rm -rf "$LIMA_HOME"
	lima list -q
	assert_success
	assert_output ''
}

@test "fake: list --format keeps a real TAB and a literal backslash-t" {
	make_instance dvm-app Running 4 8 60
	make_instance dvm-b Stopped 2 2 20
	lima list --format $'{{.Name}}\t{{.Status}}\t{{.CPUs}}\t{{.Memory}}'
	assert_success
	assert_output $'dvm-app\tRunning\t4\t8589934592\ndvm-b\tStopped\t2\t2147483648'
	lima list --format='{{.Name}}\t{{ .Disk }}' dvm-b
	assert_success
	assert_output 'dvm-b\t21474836480'
	lima list -f '{{.Dir}} {{.Arch}} {{.Hostname}}' dvm-b
	assert_success
	[[ $output == "$LIMA_HOME/dvm-b "*" lima-dvm-b" ]]
}

@test "fake: list --format with an unknown field fails" {
	make_instance dvm-app
	lima list --format '{{.Nope}}'
	assert_failure 1
	assert_stderr_contains "can't evaluate"
}

@test "fake: list --json prints one compact object per line" {
	make_instance dvm-app Running 4 8 60
	make_instance dvm-b Stopped
	lima list --json
	assert_success
	[[ ${#lines[@]} -eq 2 ]]
	[[ ${lines[0]} == '{"name":"dvm-app","hostname":"lima-dvm-app","status":"Running","dir":"'"$LIMA_HOME"'/dvm-app",'* ]]
	[[ ${lines[0]} == *'"cpus":4,"memory":8589934592,"disk":64424509440'* ]]
	[[ ${lines[1]} == *'"status":"Stopped"'* ]]
	if command -v jq >/dev/null; then
		printf '%s\n' "$output" | jq -e 'select(.name == "dvm-b") | .status == "Stopped"'
	fi
}

@test "fake: list of a missing name prints the matches, warns and exits 1" {
	make_instance dvm-app
	lima list --format '{{.Name}}' dvm-app ghost
	assert_failure 1
	assert_output dvm-app
	assert_stderr_contains 'No instance matching ghost found.'
	assert_stderr_contains 'unmatched instances'
}

# ---------------------------------------------------------------- shell

@test "fake: shell on a missing instance exits 1" {
	lima shell ghost true
	assert_failure 1
	assert_stderr_contains 'instance `ghost` does not exist, run `limactl create ghost` to create a new instance'
}

@test "fake: shell on a stopped instance exits 1 unless --start" {
	make_instance dvm-app Stopped
	lima shell dvm-app echo hi
	assert_failure 1
	assert_stderr_contains 'instance `dvm-app` is stopped, run `limactl start dvm-app` to start the instance'
	assert_output ''
	lima shell --start --workdir=/ dvm-app echo hi
	assert_success
	assert_output hi
	[[ $(<"$LIMA_HOME/dvm-app/fake-status") == Running ]]
}

@test "fake: shell drops one -- right after the name, and flags after the name are guest data" {
	make_instance dvm-app
	lima shell dvm-app -- echo --start --
	assert_success
	assert_output '--start --'
	run -127 --separate-stderr "$L" shell dvm-app -- --
	assert_failure 127 # the second -- is the guest command
}

@test "fake: shell passes the guest exit status through" {
	make_instance dvm-app
	lima shell dvm-app bash -c 'echo out; echo err >&2; exit 7'
	assert_failure 7
	assert_output out
	assert_stderr_contains err
	run -127 --separate-stderr "$L" shell dvm-app nonexistent-command-xyz
	assert_failure 127
}

@test "fake: guest argv survives byte-exact in stub mode" {
	make_instance dvm-app
	local -a args=('a b' "it's" '' '*' '$HOME' 'x"y' $'tab\there' $'two\nlines' '--' '-n' 'back\slash' ';|&')
	lima shell --workdir=/ dvm-app printf '[%s]\n' "${args[@]}"
	assert_success
	local expected
	expected=$(printf '[%s]\n' "${args[@]}")
	assert_output "$expected"
}

@test "fake: shell --workdir runs there; a missing workdir exits 1" {
	make_instance dvm-app
	lima shell --workdir=/ dvm-app pwd
	assert_success
	assert_output /
	lima shell --workdir "$BATS_TEST_TMPDIR" dvm-app pwd
	assert_success
	assert_output "$BATS_TEST_TMPDIR"
	lima shell --workdir=/nonexistent-dir dvm-app true
	assert_failure 1
	lima shell dvm-app pwd
	assert_success
	assert_output "$HOME"
}

@test "fake: shell without a command runs a login shell that reads stdin" {
	make_instance dvm-app
	run --separate-stderr bash -c 'echo "echo interactive" | "$1" shell dvm-app' _ "$L"
	assert_success
	assert_output interactive
}

@test "fake: a leading NAME=VALUE guest word is an env assignment (Lima's quoteEnv)" {
	allow_lima_violations
	make_instance dvm-app
	lima shell dvm-app FOO='a b' printenv FOO
	assert_success
	assert_output 'a b'
}

@test "fake: the guest command sees guest-bin first on PATH and FAKE_GUEST_ROOT" {
	make_instance dvm-app
	lima shell dvm-app bash -c 'echo "${PATH%%:*}|$FAKE_GUEST_ROOT"'
	assert_success
	assert_output "$TESTS_DIR/fake/guest-bin|$FAKE_GUEST_ROOT"
	lima shell dvm-app sudo -u root -H bash -lc 'echo "${PATH%%:*}"'
	assert_success
	assert_output "$TESTS_DIR/fake/guest-bin"
}

# ---------------------------------------------------------------- fault injection

@test "fake: FAKE_LIMA_FAIL_CALL fails only that call (exit1 mode)" {
	make_instance dvm-app
	export FAKE_LIMA_FAIL_CALL=2
	lima list -q
	assert_success
	lima list -q
	assert_failure 1
	assert_output ''
	assert_stderr_contains 'injected failure'
	lima list -q
	assert_success
	FAKE_LIMA_FAIL_RC=42 FAKE_LIMA_FAIL_CALL=4 "$L" list -q || [[ $? -eq 42 ]]
	assert_lima_call_count 4
}

@test "fake: FAKE_LIMA_FAIL_MATCH with exit255 fails matching calls only" {
	make_instance dvm-app
	export FAKE_LIMA_FAIL_MATCH='shell dvm-app' FAKE_LIMA_FAIL_MODE=exit255
	lima shell dvm-app echo never
	assert_failure 255
	assert_output ''
	lima list -q
	assert_success
	assert_output dvm-app
}

@test "fake: signal mode kills the call with SIGKILL" {
	export FAKE_LIMA_FAIL_CALL=1 FAKE_LIMA_FAIL_MODE=signal
	lima list -q
	assert_failure 137
}

@test "fake: hang mode hangs until the caller times out" {
	export FAKE_LIMA_FAIL_CALL=1 FAKE_LIMA_FAIL_MODE=hang
	run timeout 0.5 "$L" list -q
	assert_failure 124
}

@test "fake: truncate mode runs the guest command, keeps the first half of stdout, exits 255" {
	make_instance dvm-app
	export FAKE_LIMA_FAIL_MATCH=seq FAKE_LIMA_FAIL_MODE=truncate
	lima shell dvm-app seq 1 10
	assert_failure 255
	assert_output $'1\n2\n3\n4\n5'
}

# ---------------------------------------------------------------- copy

@test "fake: copy maps INSTANCE:PATH into the fake guest root (stub mode)" {
	make_instance dvm-app
	printf 'payload\n' >"$BATS_TEST_TMPDIR/src.txt"
	lima copy --backend=scp "$BATS_TEST_TMPDIR/src.txt" dvm-app:/tmp/dst.txt
	assert_success
	assert_file_contains "$FAKE_GUEST_ROOT/tmp/dst.txt" payload
	lima copy --backend=scp dvm-app:/tmp/dst.txt "$BATS_TEST_TMPDIR/back.txt"
	assert_success
	assert_file_contains "$BATS_TEST_TMPDIR/back.txt" payload
	lima copy dvm-app:/tmp/none.txt "$BATS_TEST_TMPDIR/x"
	assert_failure
	lima copy "$BATS_TEST_TMPDIR/src.txt" ghost:/tmp/x
	assert_failure 1
	assert_stderr_contains 'instance `ghost` does not exist'
}

# ---------------------------------------------------------------- guest-bin stubs

@test "guest-bin: no awk or cat stand-ins" {
	[[ ! -e $TESTS_DIR/fake/guest-bin/awk ]]
	[[ ! -e $TESTS_DIR/fake/guest-bin/cat ]]
}

@test "guest-bin: useradd, id, getent, usermod and install keep fake guest state" {
	make_instance dvm-app
	lima shell --workdir=/ dvm-app bash -s <<<'' # warm-up: creates the guest root
	run --separate-stderr "$L" shell --workdir=/ dvm-app id developer
	assert_failure 1
	assert_stderr_contains "id: 'developer': no such user"
	lima shell --workdir=/ dvm-app sudo useradd -m -s /bin/bash -K SUB_UID_COUNT=65536 developer
	assert_success
	assert_file_contains "$FAKE_GUEST_ROOT/passwd" 'developer:x:2000:2000::/home/developer:/bin/bash'
	assert_file_exists "$FAKE_GUEST_ROOT/home/developer"
	lima shell dvm-app sudo useradd developer
	assert_failure 9
	lima shell dvm-app useradd second
	assert_success
	assert_file_contains "$FAKE_GUEST_ROOT/passwd" 'second:x:2001:2001::/home/second:/bin/bash'
	lima shell dvm-app id -u developer
	assert_output 2000
	lima shell dvm-app id -gn developer
	assert_output developer
	lima shell dvm-app id developer
	assert_output 'uid=2000(developer) gid=2000(developer) groups=2000(developer)'
	lima shell dvm-app id -u
	assert_output "$(id -u)"
	lima shell dvm-app getent passwd developer
	assert_success
	assert_output 'developer:x:2000:2000::/home/developer:/bin/bash'
	lima shell dvm-app getent passwd nobody-here
	assert_failure 2
	lima shell dvm-app sudo usermod --add-subuids 100000-165535 developer
	assert_success
	lima shell dvm-app sudo usermod --add-subgids 100000-165535 developer
	assert_success
	assert_file_contains "$FAKE_GUEST_ROOT/subuid" 'developer:100000:65536'
	assert_file_contains "$FAKE_GUEST_ROOT/subgid" 'developer:100000:65536'
	lima shell dvm-app usermod --add-subuids 1-2 ghost
	assert_failure 6
	lima shell dvm-app sudo install -d -o developer -g developer -m 0750 /home/developer/code/vm
	assert_success
	assert_file_mode "$FAKE_GUEST_ROOT/home/developer/code/vm" 750
	lima shell dvm-app sudo install -d -o nosuchuser /home/x
	assert_failure 1
	assert_stderr_contains "invalid user 'nosuchuser'"
	lima shell dvm-app sudo chown -R developer: /home/developer
	assert_success
	assert_guest_call 'useradd -m -s /bin/bash -K SUB_UID_COUNT=65536 developer'
	assert_guest_call 'sudo usermod --add-subuids 100000-165535 developer'
	assert_guest_call 'install -d -o developer -g developer -m 0750 /home/developer/code/vm'
	assert_guest_call 'chown -R developer: /home/developer'
}

@test "guest-bin: sudo -u USER -H runs as the test user with the fake user's identity" {
	make_instance dvm-app
	lima shell dvm-app sudo useradd -m developer
	assert_success
	lima shell --workdir=/ dvm-app sudo -u developer -H bash -lc 'echo "$USER|$HOME|$(id -un)|$1"' bash 'arg 1'
	assert_success
	assert_output "developer|$FAKE_GUEST_ROOT/home/developer|developer|arg 1"
	lima shell dvm-app sudo -n -u nobody-here bash -c 'echo "$USER"'
	assert_success
	assert_output nobody-here
	FAKE_GUEST_STRICT_USERS=1 lima shell dvm-app sudo -n -u nobody-here true
	assert_failure 1
	assert_stderr_contains 'sudo: unknown user nobody-here'
	lima shell dvm-app sudo no-such-cmd-xyz
	assert_failure 1
	assert_stderr_contains 'sudo: no-such-cmd-xyz: command not found'
	assert_guest_call "sudo -u developer -H bash -lc"
}

@test "guest-bin: userdel, loginctl, systemctl and podman" {
	make_instance dvm-app
	lima shell dvm-app bash -c 'sudo useradd -m developer && sudo usermod --add-subuids 100000-100009 developer && sudo loginctl enable-linger developer'
	assert_success
	assert_file_exists "$FAKE_GUEST_ROOT/var/lib/systemd/linger/developer"
	lima shell dvm-app sudo systemctl --user daemon-reload
	assert_success
	assert_output ''
	lima shell dvm-app podman ps -a
	assert_success
	assert_output ''
	assert_guest_call 'podman ps -a'
	lima shell dvm-app sudo userdel -r developer
	assert_success
	refute_file_exists "$FAKE_GUEST_ROOT/home/developer"
	run grep -c developer "$FAKE_GUEST_ROOT/passwd"
	assert_output 0
	run grep -c developer "$FAKE_GUEST_ROOT/subuid"
	assert_output 0
	lima shell dvm-app sudo userdel developer
	assert_failure 6
}

@test "guest-bin: sudo runs guest/egress.sh under FAKE_GUEST_ROOT; nft, dnsmasq and resolvectl are stubs" {
	make_instance dvm-app
	make_guest_user developer
	cp "$REPO_DIR/guest/egress.sh" "$BATS_TEST_TMPDIR/e.sh"
	lima shell dvm-app sudo bash "$BATS_TEST_TMPDIR/e.sh" apply --user developer --allow github.com
	assert_success
	assert_output applied
	# The stub's own argv is what the caller gave; egress.sh got the prefix.
	assert_guest_call "sudo bash $BATS_TEST_TMPDIR/e.sh apply --user developer --allow github.com"
	assert_file_exists "$FAKE_GUEST_ROOT/etc/dvm/egress/applied"
	assert_file_exists "$FAKE_GUEST_ROOT/etc/systemd/system/dvm-egress.service"
	assert_file_exists "$FAKE_GUEST_ROOT/nft/dvm_egress.nft"
	assert_guest_call "dnsmasq --test --conf-file=$FAKE_GUEST_ROOT/etc/dvm/egress/dnsmasq.conf."
	assert_guest_call "resolvectl flush-caches"
	lima shell dvm-app nft list table inet dvm_egress
	assert_success
	assert_output_contains 'table inet dvm_egress {'
	lima shell dvm-app sudo bash "$BATS_TEST_TMPDIR/e.sh" apply --user developer --allow github.com
	assert_output unchanged
	lima shell dvm-app sudo bash "$BATS_TEST_TMPDIR/e.sh" off
	assert_success
	assert_output removed
	refute_file_exists "$FAKE_GUEST_ROOT/etc/dvm/egress"
	lima shell dvm-app nft list table inet dvm_egress
	assert_failure 1
	# Another script run through sudo gets nothing added.
	printf '#!/bin/bash\necho "$#:$*"\n' >"$BATS_TEST_TMPDIR/other.sh"
	lima shell dvm-app sudo bash "$BATS_TEST_TMPDIR/other.sh" apply
	assert_output "1:apply"
}

# ---------------------------------------------------------------- host mode (Lima's quoting)

@test "fake (host mode): Lima quoting round-trips argv; leading NAME=VALUE is an assignment" {
	make_instance dvm-app
	export FAKE_LIMA_GUEST=host FAKE_LIMA_USER
	FAKE_LIMA_USER=$(id -un)
	local -a args=('a b' "it's" '' '*' '$HOME' 'x"y' $'tab\there' '--' ';|&' "'")
	lima shell --workdir=/ dvm-app printf '[%s]\n' "${args[@]}"
	assert_success
	[[ $output == *"$(printf '[%s]\n' "${args[@]}")" ]]
	lima shell --workdir=/ dvm-app bash -c 'exit 5'
	assert_failure 5
	lima shell --workdir=/nonexistent-dir dvm-app true
	assert_failure 1
	allow_lima_violations
	lima shell --workdir=/ dvm-app FOO='x y' printenv FOO
	assert_success
	[[ $output == *'x y' ]]
}

@test "fake (host mode): a missing guest user is a clear error" {
	make_instance dvm-app
	FAKE_LIMA_GUEST=host FAKE_LIMA_USER=no-such-user-xyz run --separate-stderr "$L" shell dvm-app true
	assert_failure 1
	assert_stderr_contains 'guest user `no-such-user-xyz` does not exist'
}

# ---------------------------------------------------------------- test_helper itself

@test "helper: setup_dvm_env is hermetic" {
	[[ $HOME == "$BATS_TEST_TMPDIR/home" && -d $HOME ]]
	[[ $XDG_CONFIG_HOME == "$BATS_TEST_TMPDIR"/* && -d $XDG_CONFIG_HOME ]]
	[[ $XDG_STATE_HOME == "$BATS_TEST_TMPDIR"/* && -d $XDG_STATE_HOME ]]
	[[ $XDG_CACHE_HOME == "$BATS_TEST_TMPDIR"/* && -d $XDG_CACHE_HOME ]]
	[[ $LIMA_HOME == "$BATS_TEST_TMPDIR"/* && -d $LIMA_HOME ]]
	[[ $DVM_LIMACTL == "$TESTS_DIR/fake/limactl" && -x $DVM_LIMACTL ]]
	[[ $FAKE_LIMA_LOG_DIR == "$BATS_TEST_TMPDIR/lima-calls" ]]
	[[ $TERM == dumb && $(umask) == 0077 ]]
	[[ $DVM == /* ]]
	run env
	refute_output_contains NO_COLOR=
	export DVM_VERBOSE=1 DVM_SOMETHING=x
	setup_dvm_env
	[[ -z ${DVM_VERBOSE+x} && -z ${DVM_SOMETHING+x} ]]
}

@test "helper: run_dvm fails clearly when the dvm binary is missing" {
	DVM=$BATS_TEST_TMPDIR/no-dvm
	run require_dvm
	assert_failure 1
	assert_output_contains 'dvm binary not found'
}

@test "helper: assertions fail with expected vs actual" {
	run bash -c 'echo one; echo two; exit 3'
	assert_failure 3
	assert_output $'one\ntwo'
	assert_line_contains tw
	assert_output_contains 'one'
	refute_output_contains three
	run assert_output nope
	assert_failure 1
	assert_output_contains 'expected:'
	run bash -c 'exit 0'
	run assert_failure
	assert_failure 1
	run bash -c 'echo alpha'
	run assert_line_contains zzz
	assert_failure 1
	assert_output - <<-'EOF'
		no output line contains: zzz
		-- status: 0
		-- output:
		alpha
		--
	EOF
}

@test "helper: make_guest_user registers a fake guest user without a recorded call" {
	make_instance dvm-app
	make_guest_user developer
	make_guest_user second
	assert_file_contains "$FAKE_GUEST_ROOT/passwd" 'developer:x:2000:2000::/home/developer:/bin/bash'
	assert_file_contains "$FAKE_GUEST_ROOT/passwd" 'second:x:2001:2001::/home/second:/bin/bash'
	assert_file_exists "$FAKE_GUEST_ROOT/home/developer"
	assert_lima_call_count 0
	lima shell dvm-app id -gn second
	assert_output second
}

@test "helper: make_instance and write_*_config fixtures" {
	make_instance dvm-app Stopped 2 3 40
	lima list --format '{{.Name}} {{.Status}} {{.CPUs}} {{.Memory}} {{.Disk}}'
	assert_output "dvm-app Stopped 2 3221225472 42949672960"
	assert_lima_call_count 1 # make_instance itself is not recorded
	write_vm_config app 'DVM_CPUS=2'
	write_vm_setup app 'echo setup'
	write_global_config 'DVM_USER=dev'
	assert_file_mode "$XDG_CONFIG_HOME/dvm" 700
	assert_file_mode "$XDG_CONFIG_HOME/dvm/vms" 700
	assert_file_mode "$XDG_CONFIG_HOME/dvm/vms/app" 700
	assert_file_mode "$XDG_CONFIG_HOME/dvm/vms/app/config.sh" 600
	assert_file_mode "$XDG_CONFIG_HOME/dvm/vms/app/setup.sh" 600
	assert_file_mode "$XDG_CONFIG_HOME/dvm/config.sh" 600
	[[ $(<"$TEST_CONFIG_DIR/vms/app/config.sh") == DVM_CPUS=2 ]]
	[[ $(<"$TEST_CONFIG_DIR/config.sh") == DVM_USER=dev ]]
	write_vm_config empty
	[[ ! -s $TEST_CONFIG_DIR/vms/empty/config.sh ]]
}

@test "helper: teardown_dvm_env fails on contract violations and on traps" {
	make_instance dvm-app
	"$L" stop dvm-app extra 2>/dev/null || true
	run teardown_dvm_env
	assert_failure 1
	assert_output_contains 'takes at most 1 positional argument'
	rm -f "$CALLS"/*.argv
	run teardown_dvm_env
	assert_success
	"$L" start --tty=false ghost 2>/dev/null
	run teardown_dvm_env
	assert_failure 1
	assert_output_contains 'TRAP: start of missing instance ghost'
	rm -f "$CALLS/traps.log"
}

@test "helper: DVM_STRICT_SKIP=1 turns skip into a failure" {
	# (no literal at-test line here: bats would preprocess it as a test of this file)
	printf "load '%s/test_helper'\n%s \"skips\" { skip \"not here\"; }\n" "$TESTS_DIR" '@test' \
		>"$BATS_TEST_TMPDIR/skip.bats"
	# the real bats entry point (bats puts its internal libexec dir first on PATH), in a clean
	# environment (the outer run's exported BATS_* variables confuse an inner one)
	local bats=$BATS_ROOT/bin/bats
	run env -i PATH="$PATH" HOME="$HOME" "$bats" "$BATS_TEST_TMPDIR/skip.bats"
	assert_success
	assert_output_contains 'ok 1 skips # skip'
	run env -i PATH="$PATH" HOME="$HOME" DVM_STRICT_SKIP=1 "$bats" "$BATS_TEST_TMPDIR/skip.bats"
	assert_failure
	assert_output_contains 'not ok 1 skips'
	assert_output_contains 'skip is not allowed with DVM_STRICT_SKIP=1'
}

@test "fake: stub mode refuses to run a guest command without the test helpers' marker" {
	make_instance dvm-app
	rm -f "$FAKE_GUEST_ROOT/.fake-guest"
	lima shell dvm-app bash -c 'touch "$FAKE_LIMA_LOG_DIR/ran"'
	assert_failure 1
	assert_stderr_contains "fake limactl: refusing to run a guest command on this machine: no $FAKE_GUEST_ROOT/.fake-guest"
	[[ ! -e $FAKE_LIMA_LOG_DIR/ran ]]
	# What a `dvm cp` typed by hand gets: nothing written on the host.
	FAKE_GUEST_ROOT=$BATS_TEST_TMPDIR/elsewhere lima shell dvm-app touch "$FAKE_LIMA_LOG_DIR/ran"
	assert_failure 1
	assert_stderr_contains 'only the test helpers create that marker'
	[[ ! -e $FAKE_LIMA_LOG_DIR/ran ]]
}
