#!/usr/bin/env bats
# Tests of tests/contract/check-lima-argv, the Lima 2.0.0 argv contract checker.
# shellcheck disable=SC2016,SC2030,SC2031 # backticks in Lima's messages are literal; each @test is its own subshell

load test_helper

setup() {
	setup_dvm_env
	ARGV_DIR=$BATS_TEST_TMPDIR/argv
	mkdir -p "$ARGV_DIR"
	n=0
}

teardown() {
	teardown_dvm_env
}

# argv_file ARGS...: writes one call (NUL-terminated args) and prints its path.
argv_file() {
	n=$((n + 1))
	ARGV=$ARGV_DIR/$n.argv
	if (($#)); then
		printf '%s\0' "$@" >"$ARGV"
	else
		: >"$ARGV"
	fi
}

# check_ok ARGS...: the call must pass silently.
check_ok() {
	argv_file "$@"
	run "$LIMA_CONTRACT_CHECKER" "$ARGV"
	if [[ $status -ne 0 || -n $output ]]; then
		fail "expected no violation for: $*" "$(_th_show_run)"
	fi
}

# check_bad MESSAGE ARGS...: the call must be reported, with MESSAGE in the report.
check_bad() {
	local want=$1
	shift
	argv_file "$@"
	run "$LIMA_CONTRACT_CHECKER" "$ARGV"
	if [[ $status -ne 1 || $output != *"$ARGV: "*"$want"*" in: limactl "* ]]; then
		fail "expected a violation containing '$want' for: $*" "$(_th_show_run)"
	fi
}

@test "contract: dvm's argv shapes pass" {
	check_ok --log-level warn start --yes --name dvm-app --cpus 4 --memory 8 --disk 60 --mount-none \
		--port-forward 3000:3000 template:fedora
	check_ok --log-level=warn --tty=false start --name=dvm-app --cpus=2 --memory=1.5 --disk=60 \
		--mount-none --vm-type=qemu --containerd=none --port-forward=8080:80 \
		--port-forward=2222:22,static=true --network=lima:user-v2 template:fedora
	check_ok --log-level warn start --yes --name dvm-app --mount-none /home/u/.cache/dvm/base/template.yaml
	check_ok --log-level=warn --tty=false start dvm-app
	check_ok --log-level warn start dvm-app
	check_ok shell --workdir=/ dvm-app bash -s
	check_ok shell --workdir / dvm-app -- bash -s
	check_ok shell --start --workdir=/ dvm-app sudo -u developer -H bash -lc 'x' bash /c
	check_ok shell dvm-app true
	check_ok list --format $'{{.Name}}\t{{.Status}}'
	check_ok list --format='{{.Status}}' dvm-app
	check_ok list -f '{{.Name}}'
	check_ok list --json dvm-app
	check_ok list -q
	check_ok ls --quiet
	check_ok stop dvm-app
	check_ok --log-level warn stop dvm-app
	check_ok stop --force dvm-app
	check_ok stop -f dvm-app
	check_ok delete --force dvm-app
	check_ok --log-level warn delete --force dvm-app
	check_ok rm -f dvm-app dvm-b
	check_ok copy --backend=scp -r /tmp/a dvm-app:/tmp/b
	check_ok cp dvm-app:/tmp/b /tmp/c
	check_ok --version
	check_ok --debug --log-format=json list
	check_ok snapshot create dvm-app --tag t1
	check_ok snapshot ls dvm-app
	check_ok tunnel --type=socks dvm-app
	check_ok
}

@test "contract: unknown flags and commands" {
	check_bad 'unknown flag --foo (limactl start)' start --foo dvm-app
	check_bad 'unknown flag --port-forward (limactl edit)' edit --port-forward 1:2 dvm-app
	check_bad 'unknown shorthand flag -x (limactl list)' list -qx
	check_bad 'unknown shorthand flag -q (global)' -q list
	check_bad 'unknown command `ssh`' ssh dvm-app
	check_bad 'unknown command `bogus` for `snapshot`' snapshot bogus dvm-app
}

@test "contract: bool flags take no separate true/false word" {
	check_bad 'bool flag --tty followed by a separate `false` (write --tty=false)' --tty false start dvm-app
	check_bad 'bool flag --force followed by a separate `true`' stop --force true
	check_bad 'bool flag --mount-none has an invalid value `no`' start --yes --name x --mount-none=no template:fedora
	check_ok --tty=false start dvm-app
	check_ok -y start --name x --mount-none=true template:fedora
}

@test "contract: arg flags need a value of the right type" {
	check_bad 'flag --name needs a value' start --mount-none --yes template:fedora --name
	check_bad 'flag --log-level needs a value' --log-level
	check_bad '--cpus needs an int' start --yes --name x --mount-none --cpus four template:fedora
	check_bad '--memory needs a number (GiB)' start --yes --name x --mount-none --memory 8GiB template:fedora
	check_bad '--timeout needs a Go duration' start --timeout 10 dvm-app
	check_bad 'invalid --log-level value `loud`' --log-level=loud list
	check_bad 'invalid --log-format value `xml`' --log-format xml list
	check_bad 'required flag --size missing' disk create d1
	check_ok start --timeout 90s dvm-app
	check_ok disk create d1 --size 10GiB
}

@test "contract: flags and commands newer than Lima 2.0.0 are refused" {
	check_bad 'flag --shell (limactl start) is not in Lima 2.0.0 (since v2.2.0)' \
		start --yes --name x --mount-none --shell /bin/zsh template:fedora
	check_bad 'flag --sync (limactl shell) is not in Lima 2.0.0 (since v2.1.0)' shell --sync d dvm-app true
	check_bad 'flag --filter (limactl list) is not in Lima 2.0.0 (since v2.1.0)' list --filter x
	check_bad 'flag --cpus (limactl restart) is not in Lima 2.0.0 (since v2.2.0)' restart --cpus 2 dvm-app
	check_bad 'command `watch` is not in Lima 2.0.0 (since v2.1.0)' watch
	check_bad 'command `autostart enable` is not in Lima 2.0.0 (since v2.2.0)' autostart enable dvm-app
}

@test "contract: hidden and deprecated flags and commands are refused" {
	check_bad 'hidden flag --instance (limactl shell)' shell --instance dvm-app true
	check_bad 'hidden command `hostagent`' hostagent dvm-app
	check_bad 'deprecated command `show-ssh`' show-ssh dvm-app
	check_bad 'deprecated command `start-at-login`' start-at-login
}

@test "contract: positional counts" {
	check_bad '`stop` takes at most 1 positional argument(s), got 2' stop dvm-a dvm-b
	check_bad '`delete` needs at least 1 positional argument(s), got 0' delete --force
	check_bad '`shell` needs at least 1 positional argument(s), got 0' shell --workdir=/
	check_bad '`copy` needs at least 2 positional argument(s), got 1' copy /tmp/a
	check_bad '`start` takes at most 1 positional argument(s), got 2' start dvm-a dvm-b
	check_ok stop -- dvm-app
}

@test "contract: shell flags after the instance name are guest data" {
	check_ok shell dvm-app --start --workdir /x
	check_ok shell dvm-app echo --workdir=/x
	check_ok shell dvm-app sudo --tty false --foo
	check_ok shell --workdir=/ dvm-app -- bash -c 'x=1; echo $x'
	check_ok shell dvm-app env A=1 B=2 cmd
}

@test "contract: the first guest word must not contain =" {
	check_bad 'first guest word `FOO=bar` contains `=`' shell dvm-app FOO=bar env
	check_bad 'first guest word `FOO=bar` contains `=`' shell --workdir=/ dvm-app -- FOO=bar env
	check_bad 'first guest word `a=b`' tunnel dvm-app a=b
}

@test "contract: dvm's start rules" {
	check_bad '`start` with template locator `template:fedora` but no --name' \
		start --yes --mount-none template:fedora
	check_bad '`start` with template locator `/x/t.yaml` but no --name' start --yes --mount-none /x/t.yaml
	check_bad '--port-forward with a bare instance name' start dvm-app --port-forward 3000:3000
	check_bad '--network with a bare instance name' --tty=false start --network lima:user-v2 dvm-app
	check_bad '--cpus with a bare instance name' start --cpus 4 dvm-app
	check_bad '--memory with a bare instance name' start --memory 4 dvm-app
	check_bad '--disk with a bare instance name' start --disk 40 dvm-app
	check_bad '--vm-type with a bare instance name' start --vm-type qemu dvm-app
	check_bad '--containerd with a bare instance name' start --containerd none dvm-app
	check_bad '--arch with a bare instance name' start --arch x86_64 dvm-app
	check_bad '`start` without an instance name' start
	check_bad '`create` of bare name `dvm-app`' create dvm-app
	check_bad '`start` creating an instance without --mount-none' start --yes --name dvm-app template:fedora
	check_bad '`start` creating an instance without --mount-none' \
		start --yes --name dvm-app --mount-none=false template:fedora
	check_bad '`start` creating an instance without --tty=false or --yes' \
		start --name dvm-app --mount-none template:fedora
	check_bad '--mount is not allowed' start --yes --name dvm-app --mount /src template:fedora
	check_bad '--mount-only is not allowed' start --yes --name dvm-app --mount-only /src template:fedora
	check_bad '--mount is not allowed' edit --mount /src dvm-app
	check_bad '--tty and --yes together' --tty=false --yes start dvm-app
}

@test "contract: several files, one line per violation, %q-quoted argv" {
	argv_file start --foo dvm-app
	local a=$ARGV
	argv_file list -q
	local b=$ARGV
	argv_file stop 'x y' z
	local c=$ARGV
	run "$LIMA_CONTRACT_CHECKER" "$a" "$b" "$c"
	assert_failure 1
	assert_output - <<-EOF
		$a: unknown flag --foo (limactl start) in: limactl start --foo dvm-app
		$c: \`stop\` takes at most 1 positional argument(s), got 2 in: limactl stop x\\ y z
	EOF
}

@test "contract: an argv without a final NUL, and an empty argv" {
	printf 'list\0-q' >"$ARGV_DIR/nonul.argv"
	: >"$ARGV_DIR/empty.argv"
	run "$LIMA_CONTRACT_CHECKER" "$ARGV_DIR/nonul.argv" "$ARGV_DIR/empty.argv"
	assert_success
	assert_output ''
	printf 'stop\0a\0b' >"$ARGV_DIR/nonul.argv"
	run "$LIMA_CONTRACT_CHECKER" "$ARGV_DIR/nonul.argv"
	assert_failure 1
	assert_output_contains 'at most 1'
}

@test "contract: usage errors and --flags FILE" {
	run "$LIMA_CONTRACT_CHECKER"
	assert_failure 2
	assert_output_contains usage
	run "$LIMA_CONTRACT_CHECKER" "$ARGV_DIR/missing.argv"
	assert_failure 2
	run "$LIMA_CONTRACT_CHECKER" --flags "$BATS_TEST_TMPDIR/none.txt" "$ARGV_DIR/x.argv"
	assert_failure 2
	# a table where `list` also has --frob (bool) accepts it
	{
		cat "$TESTS_DIR/contract/lima-flags.txt"
		printf 'list --frob bool\n'
	} >"$BATS_TEST_TMPDIR/flags.txt"
	argv_file list --frob
	run "$LIMA_CONTRACT_CHECKER" "$ARGV"
	assert_failure 1
	run "$LIMA_CONTRACT_CHECKER" --flags "$BATS_TEST_TMPDIR/flags.txt" "$ARGV"
	assert_success
}

@test "contract: every call the fake records in a dvm-like session passes" {
	"$FAKE_LIMACTL" list -q
	"$FAKE_LIMACTL" --log-level warn start --yes --name dvm-app --cpus 4 --memory 8 --disk 60 \
		--mount-none --port-forward 3000:3000 template:fedora 2>/dev/null
	"$FAKE_LIMACTL" shell --workdir=/ dvm-app bash -s <<<'true'
	"$FAKE_LIMACTL" list --format $'{{.Name}}\t{{.Status}}\t{{.CPUs}}\t{{.Memory}}' >/dev/null
	"$FAKE_LIMACTL" --log-level warn stop dvm-app 2>/dev/null
	"$FAKE_LIMACTL" --log-level warn start dvm-app 2>/dev/null
	"$FAKE_LIMACTL" stop --force dvm-app
	"$FAKE_LIMACTL" --log-level warn delete --force dvm-app 2>/dev/null
	run "$LIMA_CONTRACT_CHECKER" "$FAKE_LIMA_LOG_DIR"/*.argv
	assert_success
	assert_output ''
}
