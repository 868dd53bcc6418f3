#!/usr/bin/env bats
# shellcheck disable=SC2016 # single-quoted scripts run inside the sandbox
# The AI sandbox for real: the agent-user recipe (recipes/_helpers.sh +
# recipes/agent-user.sh, exactly as dvm runs it: one file, bash -Eeu -o
# pipefail, as a Lima-like login user with passwordless sudo, cwd /) runs on
# this Debian machine; then the dev user drives the real dvm-sandbox wrapper.
#
# Debian has no dnf5/rpm: a stub rpm answers from dpkg (sandbox-setup.sh
# installed bubblewrap, acl and sudo) and a stub dnf5 fails loudly, so the
# recipe's package step passes only when nothing is missing.

load ../test_helper

SBX_LIMA=dvmsbxlima
SBX_DEV=dvmsbxdev
SBX_VM=sbx
SBX_HOME=/home/$SBX_DEV
SBX_CODE=$SBX_HOME/code/$SBX_VM
SBX_SECRET='sbx-secret-4b1d0e'

# Everything the recipe and these tests create, for teardown_file.
_sbx_cleanup() {
	userdel -r "$SBX_DEV" >/dev/null 2>&1 || true
	userdel -r "$SBX_LIMA" >/dev/null 2>&1 || true
	userdel dvm-agent >/dev/null 2>&1 || true
	groupdel dvm-agent >/dev/null 2>&1 || true
	rm -rf "${SBX_HOME:?}" "/home/${SBX_LIMA:?}" /var/lib/dvm-agent /opt/dvm-agent
	rm -f /usr/local/bin/dvm-sandbox /usr/local/libexec/dvm-sandbox-exec \
		/usr/local/bin/dvm-test-semver \
		/etc/sudoers.d/dvm-agent /etc/sudoers.d/dvm-sandbox-test
	if [[ -n ${SBX_WORK-} && -d $SBX_WORK ]]; then
		rm -rf -- "$SBX_WORK"
	fi
}

# _sbx_run_recipe OUTFILE: run agent-user as the Lima-like user.
_sbx_run_recipe() {
	_sbx_run "$SBX_WORK/agent-user.run" "$1"
}

# _sbx_run SCRIPT OUTFILE: run SCRIPT as dvm runs a recipe, as the Lima-like
# user (the log is written by root, the caller).
# shellcheck disable=SC2024
_sbx_run() {
	sudo -u "$SBX_LIMA" -H env -i \
		PATH="$SBX_WORK/bin:/usr/local/bin:/usr/bin:/bin" \
		HOME="/home/$SBX_LIMA" LANG=C.UTF-8 \
		DVM_NAME="$SBX_VM" DVM_VM="$SBX_VM" DVM_LIMA_NAME="dvm-$SBX_VM" \
		DVM_USER="$SBX_DEV" DVM_CODE_DIR="$SBX_CODE" DVM_PORTS= \
		DVM_SUBUID_COUNT=65536 DVM_SUBGID_COUNT=65536 \
		bash -c 'cd / && exec bash -Eeu -o pipefail "$1" </dev/null' bash \
		"$1" >"$2" 2>&1
}

setup_file() {
	if [[ $(id -u) -ne 0 ]]; then
		return 0 # each test skips
	fi
	"$BATS_TEST_DIRNAME/sandbox-setup.sh"
	_sbx_cleanup
	SBX_WORK=$(mktemp -d /tmp/dvm-sbx-test.XXXXXX)
	export SBX_WORK
	chmod 0755 "$SBX_WORK"
	mkdir "$SBX_WORK/bin"

	# rpm: "installed" when dpkg has it (names mapped where Debian differs).
	cat >"$SBX_WORK/bin/rpm" <<'EOF'
#!/bin/bash
# rpm -q --quiet --whatprovides NAME, answered from dpkg.
name=${!#}
case $name in
shadow-utils) name=passwd ;;
esac
dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'
EOF
	cat >"$SBX_WORK/bin/dnf5" <<'EOF'
#!/bin/sh
echo "TEST FAILURE: the recipe asked dnf5 for: $*" >&2
exit 99
EOF
	chmod 0755 "$SBX_WORK/bin/rpm" "$SBX_WORK/bin/dnf5"

	# Exactly what dvm runs: the helpers, a newline, the recipe.
	{
		cat "$BATS_TEST_DIRNAME/../../recipes/_helpers.sh"
		printf '\n'
		cat "$BATS_TEST_DIRNAME/../../recipes/agent-user.sh"
	} >"$SBX_WORK/agent-user.run"
	chmod 0644 "$SBX_WORK/agent-user.run"

	# A Lima-like login user and a dev user as dvm's bootstrap leaves it.
	useradd --create-home --shell /bin/bash "$SBX_LIMA"
	printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$SBX_LIMA" >/etc/sudoers.d/dvm-sandbox-test
	chmod 0440 /etc/sudoers.d/dvm-sandbox-test
	useradd --create-home --shell /bin/bash "$SBX_DEV"
	chmod 0700 "$SBX_HOME"
	install -d -o "$SBX_DEV" -g "$SBX_DEV" "$SBX_HOME/code" "$SBX_CODE"
	install -d -m 0700 -o "$SBX_DEV" -g "$SBX_DEV" "$SBX_HOME/.ssh"
	printf 'PRIVATE KEY %s\n' "$SBX_SECRET" >"$SBX_HOME/.ssh/id_ed25519"
	printf 'token=%s\n' "$SBX_SECRET" >"$SBX_HOME/secret.txt"
	chmod 0600 "$SBX_HOME/.ssh/id_ed25519" "$SBX_HOME/secret.txt"
	# A world-readable file: only "not mounted" keeps it from the agent.
	printf 'export TOKEN=%s\n' "$SBX_SECRET" >"$SBX_HOME/.bashrc.local"
	chmod 0644 "$SBX_HOME/.bashrc.local"
	chown "$SBX_DEV:$SBX_DEV" "$SBX_HOME/.ssh/id_ed25519" "$SBX_HOME/secret.txt" \
		"$SBX_HOME/.bashrc.local"
	# A file that exists before the recipe runs.
	printf 'old\n' >"$SBX_CODE/existing.txt"
	chown "$SBX_DEV:$SBX_DEV" "$SBX_CODE/existing.txt"

	if ! _sbx_run_recipe "$SBX_WORK/first.log"; then
		cat "$SBX_WORK/first.log" >&2
		return 1
	fi
}

teardown_file() {
	[[ $(id -u) -eq 0 ]] || return 0
	_sbx_cleanup
}

setup() {
	[[ $(id -u) -eq 0 ]] || skip "the sandbox tests need root (tests/integration/run)"
	setup_dvm_env
}

teardown() {
	teardown_dvm_env
}

# as_dev DIR CMD...: run CMD as the dev user in DIR (a login-less sudo, like
# `dvm sh` would give a command).
as_dev() {
	local dir=$1
	shift
	run sudo -u "$SBX_DEV" -H bash -c 'cd "$1" && shift && exec "$@"' bash "$dir" "$@"
}

@test "the recipe creates a system user dvm-agent with its own home and no login" {
	run cat "$SBX_WORK/first.log"
	assert_output_contains "creating user dvm-agent"
	refute_output_contains "TEST FAILURE"
	run getent passwd dvm-agent
	assert_success
	IFS=: read -r _ _ uid _ _ home shell <<<"$output"
	((uid < 1000))
	[ "$home" = /var/lib/dvm-agent ]
	[ "$shell" = /usr/sbin/nologin ]
	[ "$(stat -c '%a %U' /var/lib/dvm-agent)" = "700 dvm-agent" ]
	# No group but its own, and no sudo.
	[ "$(id -nG dvm-agent)" = dvm-agent ]
	run sudo -u dvm-agent sudo -n true
	assert_failure
	[ "$(stat -c '%a %U' /etc/sudoers.d/dvm-agent)" = "440 root" ]
	visudo -cqf /etc/sudoers.d/dvm-agent
	[ "$(stat -c '%a %U' /usr/local/bin/dvm-sandbox)" = "755 root" ]
	[ "$(stat -c '%a %U' /usr/local/libexec/dvm-sandbox-exec)" = "755 root" ]
	# The scripts the recipe writes are clean shell too.
	if command -v shellcheck >/dev/null; then
		shellcheck /usr/local/bin/dvm-sandbox /usr/local/libexec/dvm-sandbox-exec
	fi
}

@test "inside the sandbox the agent is dvm-agent, in /workspace, with its own HOME" {
	as_dev "$SBX_CODE" dvm-sandbox sh -c 'id -un; pwd; echo "$HOME"'
	assert_success
	assert_output "dvm-agent
/workspace
/var/lib/dvm-agent"
}

@test "a file the agent creates in /workspace appears in the code dir, and the dev user can edit it" {
	as_dev "$SBX_CODE" dvm-sandbox sh -c 'echo made-inside > /workspace/agent-file; cat existing.txt; echo more >> existing.txt'
	assert_success
	assert_output "old"
	[ "$(cat "$SBX_CODE/agent-file")" = made-inside ]
	[ "$(stat -c %U "$SBX_CODE/agent-file")" = dvm-agent ]
	[ "$(tail -n 1 "$SBX_CODE/existing.txt")" = more ]
	# The default ACL keeps the agent's files writable for the dev user.
	as_dev "$SBX_CODE" sh -c 'echo edited-by-dev >> agent-file'
	assert_success
	[ "$(tail -n 1 "$SBX_CODE/agent-file")" = edited-by-dev ]
	# And new directories the dev user makes stay writable for the agent.
	as_dev "$SBX_CODE" mkdir -p later/deeper
	assert_success
	as_dev "$SBX_CODE" dvm-sandbox touch /workspace/later/deeper/x
	assert_success
}

@test "the dev user's home is not mounted: no secret file, no ~/.ssh/id_ed25519" {
	as_dev "$SBX_CODE" dvm-sandbox sh -c '
		ls -a /home 2>&1
		test -e /home/'"$SBX_DEV"' && echo HOME-VISIBLE
		cat /home/'"$SBX_DEV"'/secret.txt 2>&1
		cat /home/'"$SBX_DEV"'/.ssh/id_ed25519 2>&1
		cat /home/'"$SBX_DEV"'/.bashrc.local 2>&1
		grep -rs '"$SBX_SECRET"' /tmp /workspace /var/lib/dvm-agent /etc /run 2>/dev/null
		exit 0'
	assert_success
	refute_output_contains "HOME-VISIBLE"
	refute_output_contains "$SBX_SECRET"
	assert_output_contains "No such file or directory"
	# Nothing of it in the mount table either.
	as_dev "$SBX_CODE" dvm-sandbox cat /proc/self/mountinfo
	assert_success
	refute_output_contains "$SBX_HOME "
	refute_output_contains "$SBX_HOME/.ssh"
	assert_output_contains " /workspace "
}

@test "outside the sandbox too, dvm-agent cannot read the dev user's key or list the home" {
	run sudo -u dvm-agent cat "$SBX_HOME/.ssh/id_ed25519"
	assert_failure
	refute_output_contains "$SBX_SECRET"
	run sudo -u dvm-agent ls "$SBX_HOME"
	assert_failure
	run sudo -u dvm-agent cat "$SBX_HOME/secret.txt"
	assert_failure
}

@test "the dev user may run only the sandbox helper as dvm-agent" {
	run sudo -u "$SBX_DEV" -H sudo -n -u dvm-agent id -un
	assert_failure
	run sudo -u "$SBX_DEV" -H sudo -n id -un
	assert_failure
	# The helper itself refuses a workspace outside the code dir...
	run sudo -u "$SBX_DEV" -H sudo -n -u dvm-agent /usr/local/libexec/dvm-sandbox-exec "$SBX_HOME" . id
	assert_failure 125
	assert_output_contains "is not inside $SBX_CODE"
	# ...and a symlink out of it, and a working directory that climbs.
	ln -s "$SBX_HOME" "$SBX_CODE/escape"
	run sudo -u "$SBX_DEV" -H sudo -n -u dvm-agent /usr/local/libexec/dvm-sandbox-exec "$SBX_CODE/escape" . id
	assert_failure 125
	run sudo -u "$SBX_DEV" -H sudo -n -u dvm-agent /usr/local/libexec/dvm-sandbox-exec "$SBX_CODE" ../.. id
	assert_failure 125
	# Run directly by the dev user, it refuses too.
	run sudo -u "$SBX_DEV" -H /usr/local/libexec/dvm-sandbox-exec "$SBX_CODE" . id
	assert_failure 125
	# Inside, the symlink points nowhere.
	as_dev "$SBX_CODE" dvm-sandbox cat /workspace/escape/secret.txt
	assert_failure
	refute_output_contains "$SBX_SECRET"
	rm -f "$SBX_CODE/escape"
}

@test "the workspace is the current directory's git work tree inside the code dir" {
	install -d -o "$SBX_DEV" -g "$SBX_DEV" "$SBX_CODE/repo/.git" "$SBX_CODE/repo/src" "$SBX_CODE/other"
	as_dev "$SBX_CODE/repo/src" dvm-sandbox sh -c 'pwd; test -d /workspace/.git && echo git; ls /workspace'
	assert_success
	assert_output "/workspace/src
git
src"
	# Outside the code dir: the whole code dir.
	as_dev "$SBX_HOME" dvm-sandbox sh -c 'pwd; ls /workspace'
	assert_success
	assert_line_contains "repo"
	assert_line_contains "other"
	# A plain directory in the code dir: just that directory.
	as_dev "$SBX_CODE/other" dvm-sandbox sh -c 'pwd; ls -A /workspace | wc -l'
	assert_success
	assert_output "/workspace
0"
	rm -rf "${SBX_CODE:?}/repo" "${SBX_CODE:?}/other"
}

@test "only allow-listed variables reach the sandbox" {
	as_dev "$SBX_CODE" env SBX_LEAK=leaked OPENAI_API_KEY=sk-test TERM=xterm dvm-sandbox sh -c 'env | sort'
	assert_success
	refute_output_contains "SBX_LEAK"
	refute_output_contains "SUDO_"
	assert_line_contains "OPENAI_API_KEY=sk-test"
	assert_line_contains "TERM=xterm"
	assert_line_contains "USER=dvm-agent"
	assert_line_contains "DVM_SANDBOX=1"
}

@test "the sandbox is read-only outside /workspace, HOME and /tmp, and has its own /tmp" {
	touch /tmp/dvm-sbx-host-tmp-marker
	as_dev "$SBX_CODE" dvm-sandbox sh -c '
		touch /usr/x 2>/dev/null && echo USR-WRITABLE
		touch /etc/x 2>/dev/null && echo ETC-WRITABLE
		test -e /tmp/dvm-sbx-host-tmp-marker && echo HOST-TMP
		touch /tmp/x /var/lib/dvm-agent/x && echo ok'
	rm -f /tmp/dvm-sbx-host-tmp-marker
	assert_success
	assert_output "ok"
}

@test "a second run of the recipe changes nothing" {
	local before after
	before=$(sha256sum /usr/local/bin/dvm-sandbox /usr/local/libexec/dvm-sandbox-exec /etc/sudoers.d/dvm-agent)
	before+=$(stat -c '%n %Y %a %U' /usr/local/bin/dvm-sandbox /usr/local/libexec/dvm-sandbox-exec /etc/sudoers.d/dvm-agent)
	before+=$(getfacl -pR "$SBX_CODE" "$SBX_HOME" 2>/dev/null)
	run _sbx_run_recipe "$SBX_WORK/second.log"
	cat "$SBX_WORK/second.log"
	assert_success
	run cat "$SBX_WORK/second.log"
	refute_output_contains "creating user"
	after=$(sha256sum /usr/local/bin/dvm-sandbox /usr/local/libexec/dvm-sandbox-exec /etc/sudoers.d/dvm-agent)
	after+=$(stat -c '%n %Y %a %U' /usr/local/bin/dvm-sandbox /usr/local/libexec/dvm-sandbox-exec /etc/sudoers.d/dvm-agent)
	after+=$(getfacl -pR "$SBX_CODE" "$SBX_HOME" 2>/dev/null)
	[ "$before" = "$after" ]
	[ "$(getent passwd dvm-agent | wc -l)" = 1 ]
}

@test "an npm CLI installs as dvm-agent inside bubblewrap and runs only through the sandbox" {
	command -v npm >/dev/null || fail "npm is missing (sandbox-setup.sh installs it)"
	# What the codex, claude and opencode recipes do, with a small package
	# from the npm registry (semver: one file, no dependencies).
	{
		cat "$BATS_TEST_DIRNAME/../../recipes/_helpers.sh"
		printf '\n'
		cat <<'EOF'
dvm_need_agent semver
dvm_agent_npm semver 7.6.3
dvm_agent_wrapper dvm-test-semver "$DVM_AGENT_OPT/npm/bin/semver" -i patch
EOF
	} >"$SBX_WORK/npm.run"
	chmod 0644 "$SBX_WORK/npm.run"
	run _sbx_run "$SBX_WORK/npm.run" "$SBX_WORK/npm.log"
	local rc=$status
	run cat "$SBX_WORK/npm.log"
	[ "$rc" = 0 ] || fail "the install failed ($rc)" "$output"
	assert_output_contains "installing semver@7.6.3 for dvm-agent"
	[ "$(stat -c %U /opt/dvm-agent/npm/lib/node_modules/semver/package.json)" = dvm-agent ]
	as_dev "$SBX_CODE" dvm-test-semver 1.2.3
	assert_success
	assert_output "1.2.4"
	# The agent cannot change its own tools from inside the sandbox.
	as_dev "$SBX_CODE" dvm-sandbox sh -c 'touch /opt/dvm-agent/npm/x 2>/dev/null && echo WRITABLE; exit 0'
	assert_success
	refute_output_contains WRITABLE
	# A second run installs nothing.
	run _sbx_run "$SBX_WORK/npm.run" "$SBX_WORK/npm2.log"
	assert_success
	run cat "$SBX_WORK/npm2.log"
	assert_output ""
}
