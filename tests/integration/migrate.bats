#!/usr/bin/env bats
# shellcheck disable=SC2016  # literal $ is the point here
# The move of a DVM 3.0 VM to a separate dev user, as docs/config.md shows
# it: the script there is taken from the doc and run the way the doc says,
# through `limactl shell ... sudo bash -s` (this machine playing the guest,
# real rootless podman), and the next sync under the new DVM_USER finds the
# code dir and the project volumes with their data.

load ../test_helper

IMG=localhost/dvm-it-base:latest
BASE_TAR=${DVM_IT_CACHE:-/var/cache/dvm-it}/base-rootfs.tar
DOC=$REPO_DIR/docs/config.md
TEST_NAME="the move to a separate dev user in docs/config.md brings the code dir and the volumes"

setup() {
	[[ -s $BASE_TAR ]] || fail "$BASE_TAR is missing: run tests/integration/run (or setup.sh) as root"
	setup_dvm_env
	export FAKE_LIMA_GUEST=host FAKE_LIMA_USER=dvmlima
	# The DVM 3.0 dev user and the new one, unique to this test.
	OLD_USER="dvmmo$$${BATS_TEST_NUMBER}"
	NEW_USER="dvmmn$$${BATS_TEST_NUMBER}"
	write_global_config "DVM_USER=$OLD_USER"
	write_vm_config it ""
	# As in projects.bats: the VM's setup.sh imports the base image as the
	# dev user, as a real VM's setup would pull it.
	write_vm_setup it '#!/usr/bin/env bash
set -eu
uid=$(id -u "$DVM_USER")
[ -d "/run/user/$uid" ] || sudo install -d -m 0700 -o "$DVM_USER" -g "$DVM_USER" "/run/user/$uid"
sudo -u "$DVM_USER" -H env XDG_RUNTIME_DIR="/run/user/$uid" sh -c '"'"'podman image exists "$1" || podman import -q "$2" "$1"'"'"' sh '"$IMG $BASE_TAR"
	run_dvm add it/web
	assert_success
	_th_private_file "$TEST_CONFIG_DIR/vms/it/projects/web/project.sh" "IMAGE=$IMG"
	_th_private_file "$TEST_CONFIG_DIR/vms/it/projects/web/setup.sh" ''
}

teardown() {
	local u uid i
	for u in "$OLD_USER" "$NEW_USER"; do
		uid=$(id -u "$u" 2>/dev/null) || continue
		[[ ! -d /run/user/$uid ]] || as "$u" podman system reset -f >/dev/null 2>&1 || true
		pkill -KILL -u "$u" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			pgrep -u "$u" >/dev/null || break
			sleep 0.1
		done
		userdel -r "$u" >/dev/null 2>&1 || true
		rm -rf "/run/user/${uid:?}" "/home/${u:?}"
	done
	teardown_dvm_env
}

# as USER CMD...: CMD as USER with its podman runtime dir.
as() {
	local uid
	uid=$(id -u "$1") || return 1
	(cd / && runuser -u "$1" -- env -i HOME="/home/$1" USER="$1" LOGNAME="$1" \
		XDG_RUNTIME_DIR="/run/user/$uid" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "${@:2}")
}

# doc_script FILE: the bash block under the doc's checked-by comment.
doc_script() {
	awk -v mark="<!-- checked by: tests/integration/migrate.bats \"$TEST_NAME\" -->" '
		$0 == mark { found = 1; next }
		found && !inb && /^```bash$/ { inb = 1; next }
		inb && /^```$/ { exit }
		inb { print }
	' "$DOC" >"$1"
	[[ -s $1 ]] || fail "no script block under the checked-by comment in $DOC"
}

@test "the move to a separate dev user in docs/config.md brings the code dir and the volumes" {
	local script=$BATS_TEST_TMPDIR/move-dev-user.sh code=/home/$OLD_USER/code/it
	# A VM as DVM 3.0 left it: the old user's code dir and project volume
	# hold work, some of it owned by a non-root user of the container.
	run_dvm sync it
	assert_success
	as "$OLD_USER" sh -c "mkdir -p '$code/src' && echo 'print(1)' >'$code/src/app.py' && ln -s src/app.py '$code/main.py'"
	as "$OLD_USER" podman exec web sh -c 'echo kept >/work/data && mkdir /work/build && echo mine >/work/build/owned && chown -R 1000:1000 /work/build'

	doc_script "$script"
	run "$FAKE_LIMACTL" shell dvm-it sudo bash -s "$OLD_USER" "$NEW_USER" it <"$script"
	assert_success
	assert_output_contains "copied $code to /home/$NEW_USER/code/it"
	assert_output_contains "copied volume dvm-it-web"

	# The config names the new user; one sync brings the project back.
	write_global_config "DVM_USER=$NEW_USER"
	run_dvm sync it
	assert_success
	assert_output_contains "✓ ensuring user \"$NEW_USER\" and /home/$NEW_USER/code/it"
	assert_output_contains "✓ project web ($IMG)"
	refute_output_contains "warning"

	# The code dir arrived, owned by the new user, its symlink a symlink.
	run as "$NEW_USER" cat "/home/$NEW_USER/code/it/src/app.py"
	assert_output "print(1)"
	[ "$(stat -c %U "/home/$NEW_USER/code/it/src/app.py")" = "$NEW_USER" ]
	[ "$(readlink "/home/$NEW_USER/code/it/main.py")" = src/app.py ]
	[ -z "$(find "/home/$NEW_USER/code" ! -user "$NEW_USER")" ] ||
		fail "files in the new code dir not owned by $NEW_USER:" "$(find "/home/$NEW_USER/code" ! -user "$NEW_USER")"
	# The volume arrived in the new user's podman, owners as the container saw them.
	run as "$NEW_USER" podman exec web sh -c 'cat /work/data; stat -c "%u:%g %n" /work/build /work/build/owned'
	assert_success
	assert_output "kept
1000:1000 /work/build
1000:1000 /work/build/owned"
	# The old user's copies are still there, its container stopped.
	[ "$(cat "$code/src/app.py")" = "print(1)" ]
	[ "$(as "$OLD_USER" podman inspect --format '{{.State.Status}}' web)" = exited ]
	# A second run refuses to mix into the code dir the new user now has.
	run "$FAKE_LIMACTL" shell dvm-it sudo bash -s "$OLD_USER" "$NEW_USER" it <"$script"
	assert_failure 1
	assert_output_contains "/home/$NEW_USER/code/it already holds files; move them away first"
}
