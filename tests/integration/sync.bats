#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm sync, ssh and sh against this machine playing the guest.

load ../test_helper

setup() {
	setup_dvm_env
	export FAKE_LIMA_GUEST=host FAKE_LIMA_USER=dvmlima
	# A dev user unique to this test, removed again in teardown.
	DEV_USER="dvmit$$${BATS_TEST_NUMBER}"
	export DEV_USER
	write_global_config "DVM_USER=$DEV_USER"
	write_vm_config it ""
	write_vm_setup it '#!/usr/bin/env bash
sudo -u "$DVM_USER" -H sh -c "echo \"ran as \$(id -un) by $(id -un)\" > \"$DVM_CODE_DIR/setup-ran\""'
}

teardown() {
	rm -f "/etc/sudoers.d/${DEV_USER:?}"
	userdel -r "$DEV_USER" >/dev/null 2>&1 || true
	rm -rf "/home/${DEV_USER:?}"
	teardown_dvm_env
}

@test "sync creates the user, its subuid/subgid ranges and the code dir" {
	run_dvm sync it
	assert_success
	assert_output_contains "✓ creating instance dvm-it"
	assert_output_contains "✓ ensuring user \"$DEV_USER\" and /home/$DEV_USER/code/it"
	assert_output_contains "✓ running VM setup"
	assert_output_contains "✓ it ready"
	id "$DEV_USER"
	grep -q "^$DEV_USER:[0-9]*:65536\$" /etc/subuid
	grep -q "^$DEV_USER:[0-9]*:65536\$" /etc/subgid
	[ "$(stat -c %U "/home/$DEV_USER/code/it")" = "$DEV_USER" ]
	[ "$(stat -c %U "/home/$DEV_USER/code")" = "$DEV_USER" ]
	[ "$(cat "/home/$DEV_USER/code/it/setup-ran")" = "ran as $DEV_USER by dvmlima" ]
	assert_file_mode "$XDG_STATE_HOME/dvm/it/lima.log" 600
	assert_file_mode "$XDG_STATE_HOME/dvm/it/setup.log" 600
	assert_file_mode "$XDG_STATE_HOME/dvm/it" 700
}

@test "a second sync starts the VM and changes nothing" {
	run_dvm sync it
	assert_success
	before=$(grep -c "^$DEV_USER:" /etc/subuid)
	run_dvm sync it
	assert_success
	assert_output_contains "✓ starting instance dvm-it"
	[ "$(grep -c "^$DEV_USER:" /etc/subuid)" = "$before" ]
	[ "$(grep -c "^$DEV_USER:" /etc/subgid)" = "$before" ]
}

@test "a user created without ranges gets them on the next sync" {
	useradd --create-home --shell /bin/bash "$DEV_USER"
	sed -i "/^$DEV_USER:/d" /etc/subuid /etc/subgid
	run_dvm sync it
	assert_success
	grep -q "^$DEV_USER:[0-9]*:65536\$" /etc/subuid
	grep -q "^$DEV_USER:[0-9]*:65536\$" /etc/subgid
}

@test "ssh runs as DVM_USER in the code dir, argv intact, status passed back" {
	run_dvm sync it
	assert_success
	run_dvm ssh it -- printf '[%s]' 'a b' "c'd" '$HOME' '' '*'
	assert_success
	assert_output "[a b][c'd][\$HOME][][*]"
	run_dvm ssh it -- sh -c 'id -un; pwd; exit 7'
	assert_failure 7
	assert_output "$DEV_USER
/home/$DEV_USER/code/it"
}

@test "sh opens DVM_USER's login shell in the code dir" {
	run_dvm sync it
	assert_success
	run bash -c 'printf "id -un\npwd\nexit 3\n" | "$DVM" sh it'
	assert_failure 3
	assert_output_contains "$DEV_USER"
	assert_output_contains "/home/$DEV_USER/code/it"
}

@test "a failing setup.sh shows the step, status, log path and last lines" {
	write_vm_setup it '#!/usr/bin/env bash
echo "about to fail"
exit 4'
	run_dvm sync it
	assert_failure 1
	assert_output_contains "✗ running VM setup"
	assert_output_contains "running VM setup failed with exit status 4"
	assert_output_contains "$XDG_STATE_HOME/dvm/it/setup.log"
	assert_output_contains "about to fail"
	grep -q "about to fail" "$XDG_STATE_HOME/dvm/it/setup.log"
}

@test "rm refuses while the code dir holds unsaved work, with real git" {
	run_dvm sync it
	assert_success
	code=/home/$DEV_USER/code/it
	as_dev() { runuser -u "$DEV_USER" -- env HOME="/home/$DEV_USER" "$@"; }
	as_dev git init -q "$code/repo"
	as_dev git -C "$code/repo" -c user.email=t@t -c user.name=t commit -q --allow-empty -m init
	# A remote outside the code dir, holding what was pushed.
	as_dev git init -q --bare "/home/$DEV_USER/origin.git"
	as_dev git -C "$code/repo" remote add origin "/home/$DEV_USER/origin.git"
	as_dev git -C "$code/repo" push -q origin HEAD
	rm -f "$code/setup-ran"	# the VM setup's marker is a loose file
	run_dvm rm it --yes
	assert_success
	# rm went through on a clean tree; bring the VM back for the dirty cases.
	run_dvm sync it
	assert_success
	rm -f "$code/setup-ran"
	echo new | as_dev tee "$code/repo/untracked.txt" >/dev/null
	run_dvm rm it --yes
	assert_failure 1
	assert_output_contains "dvm: error: VM 'it' has unsaved work in $code:"
	assert_output_contains "repository $code/repo: untracked files"
	assert_output_contains "delete anyway with --force"
	[ -e "$LIMA_HOME/dvm-it/lima.yaml" ]
	as_dev git -C "$code/repo" add untracked.txt
	run_dvm rm it --yes
	assert_failure 1
	assert_output_contains "repository $code/repo: staged changes"
	as_dev git -C "$code/repo" -c user.email=t@t -c user.name=t commit -q -m add
	echo change | as_dev tee -a "$code/repo/untracked.txt" >/dev/null
	run_dvm rm it --yes
	assert_failure 1
	assert_output_contains "repository $code/repo: unstaged changes"
	as_dev git -C "$code/repo" checkout -q -- untracked.txt
	run_dvm rm it --yes
	assert_failure 1
	assert_output_contains "repository $code/repo: commits on no remote"
	as_dev git -C "$code/repo" push -q origin HEAD
	echo stash-me | as_dev tee -a "$code/repo/untracked.txt" >/dev/null
	as_dev git -C "$code/repo" -c user.email=t@t -c user.name=t stash -q
	run_dvm rm it --yes
	assert_failure 1
	assert_output_contains "repository $code/repo: stashed changes"
	refute_output_contains "unstaged changes"
	as_dev git -C "$code/repo" stash drop -q
	for i in 1 2 3 4 5 6 7; do echo x | as_dev tee "$code/loose$i.txt" >/dev/null; done
	run_dvm rm it --yes
	assert_failure 1
	assert_output_contains "7 file(s) outside any git repository, such as:"
	[ "$(grep -c "^  $code/loose" <<<"$output")" -eq 5 ]
	rm -f "$code"/loose*.txt
	run_dvm rm it --yes
	assert_success
	assert_output_contains "✓ it removed"
}

@test "rm --force deletes despite unsaved work" {
	run_dvm sync it
	assert_success
	echo x | runuser -u "$DEV_USER" -- tee "/home/$DEV_USER/code/it/notes.txt" >/dev/null
	run_dvm rm it --yes --force
	assert_success
	[ ! -e "$LIMA_HOME/dvm-it" ]
}

# ---------------------------------------------------------------- the dev user (SPEC §10)

@test "the bootstrap refuses Lima's login user as DVM_USER, before it changes anything" {
	local before
	before=$(cat /etc/subuid /etc/subgid)
	write_global_config 'DVM_USER=dvmlima'
	run_dvm sync it
	assert_failure 1
	assert_output_contains "✗ ensuring user \"dvmlima\" and /home/dvmlima/code/it"
	assert_output_contains "dvm guest: DVM_USER=dvmlima is Lima's login user in this VM, which has passwordless root; set DVM_USER=developer, or DVM_USER_SUDO=1 to accept a dev user with root"
	refute_output_contains "running VM setup"
	[ ! -e /home/dvmlima/code ]
	[ "$(cat /etc/subuid /etc/subgid)" = "$before" ]
}

@test "the bootstrap refuses a system account as DVM_USER" {
	local uid
	uid=$(id -u daemon)
	write_global_config 'DVM_USER=daemon'
	run_dvm sync it
	assert_failure 1
	assert_output_contains "dvm guest: DVM_USER=daemon is a system account in this VM (uid $uid, below 1000); set DVM_USER=developer"
	if grep -q '^daemon:' /etc/subuid; then fail "daemon got a subuid range"; fi
}

@test "a dev user given sudo or a root-equivalent group by hand gets one warning; the agent rule alone none" {
	useradd --create-home --shell /bin/bash "$DEV_USER"
	usermod --append --groups sudo,disk "$DEV_USER"
	printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$DEV_USER" >"/etc/sudoers.d/$DEV_USER"
	chmod 0440 "/etc/sudoers.d/$DEV_USER"
	run_dvm sync it
	assert_success
	[ "$(grep -c 'dvm: warning:' <<<"$output")" -eq 1 ]
	assert_line_contains "dvm: warning: DVM_USER=$DEV_USER has root that dvm did not give it (sudo: "
	assert_line_contains "(ALL) NOPASSWD: ALL"
	[[ $output =~ \;\ groups:\ (sudo\ disk|disk\ sudo)\)\;\ take\ it\ away\ in\ the\ VM ]] ||
		fail "the warning does not name the groups sudo and disk" "$(_th_show_run)"
	# DVM_USER_SUDO=1 accepts it.
	write_global_config "DVM_USER=$DEV_USER
DVM_USER_SUDO=1"
	run_dvm sync it
	assert_success
	refute_output_contains "warning"
	# The agent-user recipe's rule is no root.
	write_global_config "DVM_USER=$DEV_USER"
	gpasswd -d "$DEV_USER" sudo >/dev/null
	gpasswd -d "$DEV_USER" disk >/dev/null
	printf '%s ALL=(dvm-agent) NOPASSWD: /usr/local/libexec/dvm-sandbox-exec\n' "$DEV_USER" \
		>"/etc/sudoers.d/$DEV_USER"
	visudo -cqf "/etc/sudoers.d/$DEV_USER"
	run_dvm sync it
	assert_success
	refute_output_contains "warning"
}
