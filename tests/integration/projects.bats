#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm's project layer (add, sync, ssh, sh, logs, ls, stop, reset, rm, cp,
# dev-base) against this machine playing the guest, with real rootless
# podman run by the dev user that sync creates. tests/integration/setup.sh
# (podman-setup.sh) prepared podman and the base rootfs tarball; the VM's
# setup.sh below imports that tarball as the dev user, as a real VM's setup
# would pull its base image.

load ../test_helper

IMG=localhost/dvm-it-base:latest
BASE_TAR=${DVM_IT_CACHE:-/var/cache/dvm-it}/base-rootfs.tar

setup() {
	[[ -s $BASE_TAR ]] || fail "$BASE_TAR is missing: run tests/integration/run (or setup.sh) as root"
	setup_dvm_env
	export FAKE_LIMA_GUEST=host FAKE_LIMA_USER=dvmlima
	# A dev user unique to this test, removed again in teardown.
	DEV_USER="dvmpj$$${BATS_TEST_NUMBER}"
	export DEV_USER
	write_global_config "DVM_USER=$DEV_USER"
	write_vm_config it ""
	# /run/user/UID stands in for what logind makes in a real VM.
	write_vm_setup it '#!/usr/bin/env bash
set -eu
uid=$(id -u "$DVM_USER")
[ -d "/run/user/$uid" ] || sudo install -d -m 0700 -o "$DVM_USER" -g "$DVM_USER" "/run/user/$uid"
as_dev() { sudo -u "$DVM_USER" -H env XDG_RUNTIME_DIR="/run/user/$uid" "$@"; }
as_dev podman image exists '"$IMG"' ||
	as_dev podman import -q '"$BASE_TAR $IMG"
	PROJ_DIR=$TEST_CONFIG_DIR/vms/it/projects
	# The default project setup.sh: shows its environment, counts its runs
	# in the volume.
	SETUP_RECORD='#!/usr/bin/env bash
set -eu
echo "setup: vm=$DVM_VM project=$DVM_PROJECT workdir=$PROJ_WORKDIR pwd=$PWD uid=$(id -u)"
echo run >>"$PROJ_WORKDIR/.setup-runs"'
}

teardown() {
	local uid i
	if uid=$(id -u "$DEV_USER" 2>/dev/null); then
		if [[ -d /run/user/$uid ]]; then
			# Containers (stopped at once: --init), volumes, images, the
			# pause process: all gone.
			as_dev podman system reset -f >/dev/null 2>&1 || true
		fi
		pkill -KILL -u "$DEV_USER" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			pgrep -u "$DEV_USER" >/dev/null || break
			sleep 0.1
		done
		userdel -r "$DEV_USER" >/dev/null 2>&1 || true
		rm -rf "/run/user/${uid:?}"
	fi
	rm -rf "/home/${DEV_USER:?}"
	teardown_dvm_env
}

# ---------------------------------------------------------------- helpers

# as_dev CMD...: run CMD on this machine as the dev user, as dvm's podman
# calls run in the VM (same store, same runtime dir).
as_dev() {
	local uid
	uid=$(id -u "$DEV_USER") || return 1
	(cd / && runuser -u "$DEV_USER" -- env -i HOME="/home/$DEV_USER" USER="$DEV_USER" \
		LOGNAME="$DEV_USER" XDG_RUNTIME_DIR="/run/user/$uid" \
		PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@")
}

# project P [PROJECT_SH [SETUP_SH]]: `dvm add it/P` (once), then overwrite
# project.sh (default: IMAGE=$IMG) and setup.sh (default: $SETUP_RECORD).
project() {
	local d=$PROJ_DIR/$1
	if [[ ! -d $d ]]; then
		run_dvm add "it/$1"
		assert_success || return
	fi
	_th_private_file "$d/project.sh" "${2-IMAGE=$IMG
NESTED=0}"
	_th_private_file "$d/setup.sh" "${3-$SETUP_RECORD}"
}

sync_ok() {
	run_dvm sync "$@"
	assert_success
}

state() { as_dev podman inspect --format '{{.State.Status}}' "$1"; }
cid() { as_dev podman inspect --format '{{.Id}}' "$1"; }
in_ctr() { as_dev podman exec "$@"; }

# assert_setup_runs P N: project P's setup.sh ran N times since its volume
# was created (each run appends a line to /work/.setup-runs).
assert_setup_runs() {
	local got
	got=$(in_ctr "$1" sh -c 'cat /work/.setup-runs 2>/dev/null | wc -l')
	[[ $got == "$2" ]] || fail "setup.sh of $1 ran $got time(s) on this volume, expected $2" \
		"-- setup.log:" "$(setup_log)"
}

assert_state() {
	local got
	got=$(state "$1")
	[[ $got == "$2" ]] || fail "container $1: state '$got', expected '$2'"
}

# assert_ls_row NAME STATE IMAGE: a `dvm ls it` row (in $output) with these
# first three columns.
assert_ls_row() {
	local n s i _
	while read -r n s i _; do
		[[ $n == "$1" && $s == "$2" && $i == "$3" ]] && return 0
	done <<<"$output"
	fail "no ls row: $1 $2 $3" "$(_th_show_run)"
}

refute_ls_row() {
	local n _
	while read -r n _; do
		[[ $n == "$1" ]] && fail "ls lists $1 (it must not)" "$(_th_show_run)"
	done <<<"$output"
	return 0
}

# A TCP port nobody listens on here.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			printf '%s\n' "$p"
			return
		fi
	done
}

setup_log() { cat "$XDG_STATE_HOME/dvm/it/setup.log"; }

# ---------------------------------------------------------------- tests

@test "add writes project.sh and setup.sh with private modes" {
	run_dvm add it/web
	assert_success
	assert_output_contains "wrote ~/.config/dvm/vms/it/projects/web/{project.sh,setup.sh}"
	assert_file_mode "$PROJ_DIR/web/project.sh" 600
	assert_file_mode "$PROJ_DIR/web/setup.sh" 600
	assert_file_mode "$PROJ_DIR/web" 700
	assert_file_mode "$PROJ_DIR" 700
}

@test "sync brings a project up: container, volume at the workdir, setup env, published port" {
	local hp gp i
	hp=$(free_port)
	gp=$((8000 + RANDOM % 1000))
	project web "IMAGE=$IMG
NESTED=0
PROJ_WORKDIR=/work
PROJ_PORTS=($hp:$gp)" "$SETUP_RECORD
mkdir -p /srv/www
echo \"hello from web\" >/srv/www/file
busybox httpd -p $gp -h /srv/www </dev/null >/dev/null 2>&1"
	sync_ok it
	assert_output_contains "✓ running VM setup"
	assert_output_contains "✓ project web ($IMG)"
	assert_output_contains "✓ it ready"
	assert_state web running
	[[ $(as_dev podman inspect --format '{{range .Mounts}}{{.Name}}:{{.Destination}} {{end}}' web) == "dvm-it-web:/work " ]]
	[[ $(as_dev podman inspect --format '{{index .Config.Labels "dvm.vm"}} {{index .Config.Labels "dvm.project"}} {{.HostConfig.RestartPolicy.Name}}' web) == "it web always" ]]
	run in_ctr web sh -c 'pwd; echo written >/work/probe && cat /work/probe'
	assert_success
	assert_output "/work
written"
	# Root in the container is the dev user outside: the file is its.
	[ "$(stat -c %U "$(as_dev podman volume inspect --format '{{.Mountpoint}}' dvm-it-web)/probe")" = "$DEV_USER" ]
	grep -qx "setup: vm=it project=web workdir=/work pwd=/work uid=0" "$XDG_STATE_HOME/dvm/it/setup.log" ||
		fail "setup.sh did not log its environment" "-- setup.log:" "$(setup_log)"
	assert_setup_runs web 1
	as_dev podman port web | grep -qx "$gp/tcp -> 127.0.0.1:$hp"
	for ((i = 0; i < 25; i++)); do
		run curl -fsS --max-time 2 "http://127.0.0.1:$hp/file"
		((status == 0)) && break
		sleep 0.2
	done
	assert_success
	assert_output "hello from web"
}

@test "a second sync reuses the container and re-runs setup.sh; sync it/P syncs one project" {
	local id
	project web
	sync_ok it
	id=$(cid web)
	sync_ok it
	assert_output_contains "✓ project web ($IMG)"
	assert_output_contains "✓ it ready"
	[[ $(cid web) == "$id" ]]
	assert_state web running
	assert_setup_runs web 2
	sync_ok it/web
	assert_output_contains "✓ project web ($IMG)"
	assert_output_contains "✓ it/web ready"
	[[ $(cid web) == "$id" ]]
	assert_setup_runs web 3
}

@test "ssh runs in the container at the workdir: argv intact, status back, stdin forwarded" {
	project web
	sync_ok it
	run_dvm_split ssh it/web -- printf '[%s]' 'a b' "c'd" '$HOME' '' '*'
	assert_success
	assert_output "[a b][c'd][\$HOME][][*]"
	run_dvm_split ssh it/web -- sh -c 'pwd; id -u; test -f .setup-runs && echo in-volume; exit 7'
	assert_failure 7
	assert_output "/work
0
in-volume"
	run --separate-stderr bash -c 'printf "one\ntwo\n" | "$DVM" ssh it/web -- sh -c "wc -l; exit 4"'
	assert_failure 4
	assert_output "2"
}

@test "sh runs bash -l in the container at the workdir, reading stdin" {
	local script=$BATS_TEST_TMPDIR/sh-input
	project web
	sync_ok it
	printf '%s\n' 'pwd' 'shopt -q login_shell && echo login' 'echo "bash ${BASH_VERSINFO[0]}"' 'exit 3' >"$script"
	run --separate-stderr bash -c '"$DVM" sh it/web <"$1"' _ "$script"
	assert_failure 3
	assert_output "/work
login
bash 5"
}

@test "a failing project setup.sh gets ✗, a sibling still comes up, sync exits 1" {
	project broken "IMAGE=$IMG" '#!/usr/bin/env bash
echo "broken setup here"
exit 5'
	project good
	run_dvm sync it
	assert_failure 1
	assert_output_contains "✗ project broken ($IMG)"
	assert_output_contains "failed with exit status 5"
	assert_output_contains "✓ project good ($IMG)"
	refute_output_contains "✓ it ready"
	assert_state good running
	assert_setup_runs good 1
	grep -q "broken setup here" "$XDG_STATE_HOME/dvm/it/setup.log"
}

@test "a project named like a prefix of another container's ID still gets its own container" {
	local i id=''
	project web
	sync_ok it
	# podman resolves a name that matches no container as an ID prefix. A
	# container outside dvm whose ID starts with a letter lends its first
	# 8 hex digits as a valid project name.
	for ((i = 0; i < 40; i++)); do
		id=$(as_dev podman create --name "other$i" "$IMG" true)
		[[ $id == [a-f]* ]] && break
	done
	[[ $id == [a-f]* ]] || fail "40 container IDs, none starting with a letter"
	project "${id:0:8}"
	sync_ok it
	assert_output_contains "✓ project ${id:0:8} ($IMG)"
	run as_dev podman ps -a --filter "label=dvm.project=${id:0:8}" --format '{{.Names}} {{.ID}}'
	assert_success
	[[ $output == "${id:0:8} "* && $output != *$'\n'* ]] || fail "no container of its own" "$(_th_show_run)"
	assert_state "other$i" created
}

@test "stop stops one container; ls shows running, exited and absent" {
	project alpha
	project bravo
	sync_ok it
	run_dvm stop it/bravo
	assert_success
	assert_output_contains "✓ it/bravo stopped"
	assert_state bravo exited
	assert_state alpha running
	project charlie
	run_dvm ls it
	assert_success
	[[ ${lines[0]} == PROJECT* ]] || fail "no PROJECT header" "$(_th_show_run)"
	assert_ls_row alpha running "$IMG"
	assert_ls_row bravo exited "$IMG"
	assert_ls_row charlie absent "$IMG"
}

@test "logs shows the container's output" {
	project web "IMAGE=$IMG" "$SETUP_RECORD
echo \"to the container log \$DVM_PROJECT\" >/proc/1/fd/1"
	sync_ok it
	run_dvm logs it/web
	assert_success
	assert_output_contains "to the container log web"
}

@test "reset recreates the container, drops the data and re-runs setup.sh; the sibling is untouched" {
	local alpha bravo
	project alpha
	project bravo
	sync_ok it
	in_ctr alpha sh -c 'echo precious >/work/data'
	alpha=$(cid alpha)
	bravo=$(cid bravo)
	# The check looks in the volume, inside the container, and refuses.
	run_dvm reset it/alpha --yes
	assert_failure 1
	assert_output_contains "dvm: error: project 'it/alpha' has unsaved work in /work:"
	assert_output_contains "  ./data"
	[[ $(cid alpha) == "$alpha" ]]
	[[ $(in_ctr alpha cat /work/data) == precious ]]
	run_dvm reset it/alpha --yes --force
	assert_success
	assert_output_contains "✓ it/alpha reset"
	[[ $(cid alpha) != "$alpha" ]]
	assert_state alpha running
	run in_ctr alpha test -e /work/data
	assert_failure 1
	assert_setup_runs alpha 1
	as_dev podman volume exists dvm-it-alpha
	[[ $(cid bravo) == "$bravo" ]]
	assert_state bravo running
	assert_setup_runs bravo 1
}

@test "reset --keep-data recreates the container and keeps the volume's data" {
	local alpha bravo
	project alpha
	project bravo
	sync_ok it
	in_ctr alpha sh -c 'echo precious >/work/data'
	alpha=$(cid alpha)
	bravo=$(cid bravo)
	run_dvm reset it/alpha --yes --keep-data
	assert_success
	assert_output_contains "✓ it/alpha reset"
	[[ $(cid alpha) != "$alpha" ]]
	assert_state alpha running
	[[ $(in_ctr alpha cat /work/data) == precious ]]
	assert_setup_runs alpha 2
	[[ $(cid bravo) == "$bravo" ]]
	assert_state bravo running
}

@test "key makes the project's own key in its volume, kept by reset --keep-data, used by git there, no unsaved work" {
	local first
	project api "IMAGE=$IMG" '#!/usr/bin/env bash
true'
	sync_ok it
	run_dvm_split key it/api
	assert_success
	[[ ${lines[0]} == "ssh-ed25519 "*" dvm-it/api" ]] || fail "not the project's key" "$(_th_show_run)"
	first=${lines[0]}
	# Made in the container, as its user, private, in the volume.
	[[ $(in_ctr api stat -c '%a %u' /work/.dvm-ssh /work/.dvm-ssh/id_ed25519) == $'700 0\n600 0' ]] ||
		fail "modes or owner" "$(in_ctr api stat -c '%n %a %u' /work/.dvm-ssh /work/.dvm-ssh/id_ed25519)"
	[[ $(in_ctr api ssh-keygen -y -f /work/.dvm-ssh/id_ed25519) == "$first" ]]
	# Not the VM's key.
	[[ ! -e /home/$DEV_USER/.ssh/id_ed25519 ]]
	# git run through dvm ssh uses it (GIT_TRACE shows the ssh command it
	# runs; nothing listens on port 1, so the fetch itself fails).
	run_dvm ssh it/api -- env GIT_TRACE=1 git ls-remote ssh://git@127.0.0.1:1/x.git
	assert_failure
	assert_output_contains "ssh -i /work/.dvm-ssh/id_ed25519 -o IdentitiesOnly=yes -o UserKnownHostsFile=/work/.dvm-ssh/known_hosts -o StrictHostKeyChecking=accept-new"
	# reset --keep-data: a new container, the same key.
	run_dvm reset it/api --yes --keep-data
	assert_success
	run_dvm_split key it/api
	assert_success
	[[ ${lines[0]} == "$first" ]] || fail "reset --keep-data lost the key" "$(_th_show_run)"
	# The key is no unsaved work: rm needs no --force.
	run_dvm rm it/api --yes
	assert_success
	run as_dev podman volume exists dvm-it-api
	assert_failure
}

@test "rm removes the container and its volume; --keep-data keeps the volume; --config the config" {
	project alpha
	project bravo
	project charlie
	sync_ok it
	# setup.sh leaves a file in each volume: unsaved work until --force.
	run_dvm rm it/alpha --yes
	assert_failure 1
	assert_output_contains "  ./.setup-runs"
	as_dev podman volume exists dvm-it-alpha
	run_dvm rm it/alpha --yes --force
	assert_success
	assert_output_contains "✓ it/alpha removed"
	run as_dev podman container exists alpha
	assert_failure 1
	run as_dev podman volume exists dvm-it-alpha
	assert_failure 1
	assert_file_exists "$PROJ_DIR/alpha/project.sh"
	run_dvm rm it/bravo --yes --keep-data
	assert_success
	assert_output_contains "✓ it/bravo removed"
	run as_dev podman container exists bravo
	assert_failure 1
	as_dev podman volume exists dvm-it-bravo
	run_dvm rm it/charlie --yes --config --force
	assert_success
	assert_output_contains "✓ it/charlie removed"
	run as_dev podman container exists charlie
	assert_failure 1
	run as_dev podman volume exists dvm-it-charlie
	assert_failure 1
	refute_file_exists "$PROJ_DIR/charlie"
	run_dvm ls it
	assert_success
	assert_ls_row alpha absent "$IMG"
	assert_ls_row bravo absent "$IMG"
	refute_ls_row charlie
}

@test "dev-base is built once, skipped while its hash matches, rebuilt when packages.txt changes" {
	local base=$TEST_CONFIG_DIR/base dev1 dev2 dev3 hash1 hash3
	local fmt='{{index .Labels "dvm.devbase.hash"}} {{.Id}} {{.Created.UnixNano}}'
	run_dvm base dev-init
	assert_success
	assert_file_exists "$base/dev/Containerfile"
	assert_file_exists "$base/packages.txt"
	_th_private_file "$base/dev/Containerfile" "FROM $IMG
COPY packages.txt /etc/dvm-packages.txt"
	_th_private_file "$base/packages.txt" "pkg-one"
	project web "NESTED=0"

	sync_ok it
	assert_output_contains "✓ ensuring dev-base image"
	assert_output_contains "✓ project web (localhost/dvm-dev-base:latest)"
	assert_file_contains "$XDG_STATE_HOME/dvm/it/setup.log" "building dev-base"
	dev1=$(as_dev podman image inspect --format "$fmt" localhost/dvm-dev-base:latest)
	hash1=${dev1%% *}
	[[ $hash1 =~ ^[0-9a-f]{64}$ ]] || fail "dvm.devbase.hash label: '$hash1'"
	[[ $(in_ctr web cat /etc/dvm-packages.txt) == pkg-one ]]

	sync_ok it
	assert_output_contains "✓ ensuring dev-base image"
	assert_file_contains "$XDG_STATE_HOME/dvm/it/setup.log" "dev-base up to date"
	run grep -c "building dev-base" "$XDG_STATE_HOME/dvm/it/setup.log"
	assert_output 0
	dev2=$(as_dev podman image inspect --format "$fmt" localhost/dvm-dev-base:latest)
	[[ $dev2 == "$dev1" ]] || fail "image changed on an up-to-date sync" "$dev1" "$dev2"

	_th_private_file "$base/packages.txt" "pkg-one
pkg-two"
	sync_ok it
	assert_file_contains "$XDG_STATE_HOME/dvm/it/setup.log" "building dev-base"
	dev3=$(as_dev podman image inspect --format "$fmt" localhost/dvm-dev-base:latest)
	hash3=${dev3%% *}
	[[ $hash3 =~ ^[0-9a-f]{64}$ && $hash3 != "$hash1" ]] || fail "hash label not updated: '$hash1' -> '$hash3'"
	[[ $(cut -d' ' -f2 <<<"$dev3") != $(cut -d' ' -f2 <<<"$dev1") ]] || fail "same image ID after a rebuild"
	(($(cut -d' ' -f3 <<<"$dev3") > $(cut -d' ' -f3 <<<"$dev1"))) || fail "creation time not later" "$dev1" "$dev3"

	run env DVM_REBUILD_DEV_BASE=1 "$DVM" sync it
	assert_success
	assert_file_contains "$XDG_STATE_HOME/dvm/it/setup.log" "building dev-base"
}

@test "cp copies a file and a directory both ways, for the VM and for a container" {
	local src=$BATS_TEST_TMPDIR/src out=$BATS_TEST_TMPDIR/out code
	project web
	sync_ok it
	code=/home/$DEV_USER/code/it
	mkdir -p "$src/tree/sub" "$out"
	printf 'line one\nno newline at the end' >"$src/one.txt"
	printf 'a\n' >"$src/tree/a.txt"
	printf 'b c\n' >"$src/tree/sub/b c.txt"

	# host -> VM (relative paths land in the code dir), as DVM_USER
	run_dvm cp "$src/one.txt" it:one.txt
	assert_success
	cmp "$src/one.txt" "$code/one.txt"
	[[ $(stat -c %U "$code/one.txt") == "$DEV_USER" ]]
	run_dvm cp "$src/tree" it:tree
	assert_success
	diff -r "$src/tree" "$code/tree"
	[[ $(stat -c %U "$code/tree/sub/b c.txt") == "$DEV_USER" ]]
	# VM -> host
	run_dvm cp it:one.txt "$out/vm-one.txt"
	assert_success
	cmp "$src/one.txt" "$out/vm-one.txt"
	run_dvm cp "it:$code/tree" "$out/vm-tree"
	assert_success
	diff -r "$src/tree" "$out/vm-tree"

	# host -> container (relative paths land in the workdir)
	run_dvm cp "$src/one.txt" it/web:one.txt
	assert_success
	[[ $(in_ctr web cat /work/one.txt) == "$(cat "$src/one.txt")" ]]
	run_dvm cp "$src/tree" it/web:tree
	assert_success
	[[ $(in_ctr web cat "/work/tree/sub/b c.txt") == "b c" ]]
	[[ $(in_ctr web cat /work/tree/a.txt) == a ]]
	# container -> host
	run_dvm cp it/web:one.txt "$out/ctr-one.txt"
	assert_success
	cmp "$src/one.txt" "$out/ctr-one.txt"
	run_dvm cp it/web:/work/tree "$out/ctr-tree"
	assert_success
	diff -r "$src/tree" "$out/ctr-tree"

	# Atomic host-side writes leave no temporary files behind.
	run ls -A "$out"
	assert_output "ctr-one.txt
ctr-tree
vm-one.txt
vm-tree"
}

# A tree the guest side makes hostile, as a poisoned package or an agent
# could: links out, VCS config that runs commands, special files, a
# setuid bit and a terminal escape in a name. Made by the real dev user
# in the VM and in the container; copied out by the real guest tar.
HOSTILE_TREE='set -eu
cd "$1"
rm -rf hostile && mkdir -p hostile/src hostile/.git
echo "int main;" >hostile/src/main.c
printf "[core]\n\tfsmonitor = \"touch %s\"\n" "$2" >hostile/.git/config
echo "ref: refs/heads/main" >hostile/.git/HEAD
ln -s /etc/passwd hostile/key
ln -s ../../../../../../etc/shadow hostile/up
ln -s src/main.c hostile/good
ln hostile/src/main.c hostile/hard
mkfifo hostile/fifo
printf "#!/bin/sh\n" >hostile/suid && chmod 4755 hostile/suid
printf "x" >"hostile/$(printf "\033]0;owned\007")"'

@test "cp out of a real VM and container unpacks only what is safe from a hostile tree" {
	local out=$BATS_TEST_TMPDIR/out marker=$BATS_TEST_TMPDIR/fsmonitor-ran where
	project web
	sync_ok it
	mkdir -p "$out"
	as_dev bash -c "$HOSTILE_TREE" bash "/home/$DEV_USER/code/it" "$marker"
	in_ctr web bash -c "$HOSTILE_TREE" bash /work "$marker"
	for where in "it:hostile vm" "it/web:hostile ctr"; do
		run_dvm_split cp "${where% *}" "$out/${where#* }"
		assert_success
		local d=$out/${where#* }
		[[ -f $d/src/main.c && -L $d/good && $(readlink "$d/good") == src/main.c ]]
		[[ $(stat -c %i "$d/hard") == "$(stat -c %i "$d/src/main.c")" ]]
		[[ ! -e $d/.git && ! -L $d/key && ! -L $d/up && ! -e $d/fifo ]]
		[[ -f $d/suid && $(stat -c %a "$d/suid") != 4* ]]
		[[ -f $d/$'\033]0;owned\007' ]]
		# The escape arrived as a file name, never as bytes on stderr.
		refute_raw_run
		assert_stderr_contains "skipped hostile/key: symlink to an absolute path"
		assert_stderr_contains "skipped hostile/up: symlink that leads outside the copy"
		assert_stderr_contains "skipped hostile/fifo: FIFO"
		assert_stderr_contains "skipped hostile/.git: version-control metadata stays in the VM"
		assert_stderr_contains "4 entries skipped; everything else arrived in $d"
		git -C "$d" status >/dev/null 2>&1 || true
		[[ ! -e $marker ]]
	done
	[[ -z $(find "$out" -maxdepth 1 -name '.dvm-cp.*') ]]
}
