#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# Project containers through sync, sh, ssh, logs, ls, stop, reset and rm,
# against the fake limactl and the stub podman (state in FAKE_GUEST_ROOT).

load test_helper

setup() {
	setup_dvm_env
	write_global_config 'DVM_USER=developer'
	write_vm_config trusted ''
	P=$XDG_CONFIG_HOME/dvm/vms/trusted/projects
	STATE=$XDG_STATE_HOME/dvm/trusted
	PODMAN=$FAKE_GUEST_ROOT/podman
}
teardown() { teardown_dvm_env; }

write_project() {
	mkdir -p "$P/$1"
	printf '%s\n' "$2" >"$P/$1/project.sh"
	if [ $# -ge 3 ]; then printf '%s\n' "$3" >"$P/$1/setup.sh"; fi
}

@test "sync brings up every project in the one guest script" {
	write_project api 'IMAGE=node:22
PROJ_PORTS=(3000:3000)
NESTED=1' 'echo "api setup in $PWD for $DVM_VM/$DVM_PROJECT at $PROJ_WORKDIR"'
	write_project web 'PROJ_WORKDIR=/srv'
	run_dvm sync trusted
	assert_success
	[ "$(lima_call_count)" -eq 2 ]
	assert_output_contains "✓ preparing rootless podman"
	assert_output_contains "✓ project api (node:22)"
	assert_output_contains "✓ project web (registry.fedoraproject.org/fedora:latest)"
	assert_output_contains "✓ trusted ready"
	assert_guest_call "podman create --name api --restart=always --init --label=dvm.vm=trusted --label=dvm.project=api --device /dev/fuse --security-opt label=disable --publish=127.0.0.1:3000:3000 --volume=dvm-trusted-api:/work --workdir=/work node:22 sleep infinity"
	assert_guest_call "podman create --name web --restart=always --init --label=dvm.vm=trusted --label=dvm.project=web --volume=dvm-trusted-web:/srv --workdir=/srv registry.fedoraproject.org/fedora:latest sleep infinity"
	grep -q "api setup in .* for trusted/api at /work" "$STATE/setup.log"
	grep -q '^state=running' "$PODMAN/containers/api"
	[ -f "$PODMAN/volumes/dvm-trusted-api" ]
}

@test "a second sync reuses the containers and reruns setup" {
	write_project api '' 'echo setup-ran'
	run_dvm sync trusted
	assert_success
	run_dvm sync trusted
	assert_success
	[ "$(grep -c '^podman create' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 1 ]
	[ "$(grep -c '^podman start api' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 2 ]
	grep -q setup-ran "$STATE/setup.log"
}

@test "one failing project gets its cross, the others still run, sync exits 1" {
	write_project api '' 'echo api-broke; exit 5'
	write_project web '' 'echo web-fine'
	run_dvm sync trusted
	assert_failure 1
	assert_output_contains "✗ project api (registry.fedoraproject.org/fedora:latest)"
	assert_output_contains "project api (registry.fedoraproject.org/fedora:latest) failed with exit status 5"
	assert_output_contains "api-broke"
	assert_output_contains "✓ project web"
	refute_output_contains "trusted ready"
	grep -q web-fine "$STATE/setup.log"
}

@test "sync <vm>/<project> syncs that project only, on an existing VM" {
	write_project api '' 'echo api-ran'
	write_project web '' 'echo web-ran'
	run_dvm sync trusted/api
	assert_failure 1
	assert_output_contains "VM 'trusted' has no Lima instance dvm-trusted yet (run: dvm sync trusted)"
	make_instance dvm-trusted Running
	write_vm_setup trusted 'echo vm-setup-ran'
	run_dvm sync trusted/api
	assert_success
	[ "$(lima_call_count)" -eq 2 ]
	[ "$(lima_call 1)" = "limactl --log-level warn start dvm-trusted" ]
	assert_output_contains "✓ trusted/api ready"
	refute_output_contains "project web"
	refute_output_contains "running VM setup"
	grep -q api-ran "$STATE/setup.log"
	run_dvm sync trusted/nope
	assert_failure 1
	assert_output_contains "no project 'nope' in VM 'trusted' (run: dvm add trusted/nope)"
}

@test "sync <vm>/<project> applies the VM's whole egress allowlist; rm of a project does not touch it" {
	write_vm_config trusted 'DVM_EGRESS=(github.com)'
	write_project api 'IMAGE=node:22'
	write_project web 'IMAGE=quay.io/acme/web'
	make_instance dvm-trusted Running
	run_dvm sync trusted/api
	assert_success
	[ "$(lima_call_count)" -eq 2 ]
	assert_output_contains "✓ egress allowlist applied (5 hosts)"
	# Every project's registry, not only this one's: a project sync
	# leaves the lists as a VM sync makes them.
	assert_guest_call "apply --user developer --agent dvm-agent --allow github.com --allow registry-1.docker.io --allow auth.docker.io --allow production.cloudflare.docker.com --allow quay.io"
	run_dvm sync trusted
	assert_success
	refute_output_contains "applied"
	run_dvm rm trusted/web --yes --keep-data --dry-run
	assert_success
	refute_output_contains "egress"
}

@test "the dev-base is built when its hash changes and skipped otherwise" {
	run_dvm base dev-init
	assert_success
	assert_output_contains "wrote ~/.config/dvm/base/dev/Containerfile"
	write_project api ''
	run_dvm sync trusted
	assert_success
	assert_output_contains "✓ ensuring dev-base image"
	assert_output_contains "✓ project api (localhost/dvm-dev-base:latest)"
	grep -q 'building dev-base' "$STATE/setup.log"
	[ "$(grep -c '^podman build' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 1 ]
	run_dvm sync trusted
	assert_success
	grep -q 'dev-base up to date' "$STATE/setup.log"
	[ "$(grep -c '^podman build' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 1 ]
	echo htop >>"$XDG_CONFIG_HOME/dvm/base/packages.txt"
	run_dvm sync trusted
	assert_success
	grep -q 'building dev-base' "$STATE/setup.log"
	[ "$(grep -c '^podman build' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 2 ]
	DVM_REBUILD_DEV_BASE=1 run_dvm sync trusted
	assert_success
	[ "$(grep -c '^podman build' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 3 ]
}

@test "a symlink in the dev-base context is refused before anything runs" {
	run_dvm base dev-init
	ln -s /etc/passwd "$XDG_CONFIG_HOME/dvm/base/dev/passwd"
	write_project api ''
	run_dvm sync trusted
	assert_failure 1
	assert_output_contains "is not a regular file"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "ssh and sh reach the container through one limactl call" {
	write_project api 'PROJ_WORKDIR=/srv'
	make_instance dvm-trusted Running
	run_dvm sync trusted/api
	before=$(lima_call_count)
	run_dvm ssh trusted/api -- sh -c 'echo "[$DVM_PROJECT]"; exit 3'
	assert_failure 3
	assert_output "[api]"
	[ "$(lima_call_count)" -eq $((before + 1)) ]
	assert_guest_call "podman exec -i --workdir=/srv --env=DVM_VM=trusted --env=DVM_PROJECT=api --env=PROJ_WORKDIR=/srv --env=GIT_CONFIG_COUNT=1 --env=GIT_CONFIG_KEY_0=include.path --env=GIT_CONFIG_VALUE_0=/srv/.dvm-ssh/gitconfig api sh -c"
	run_dvm sh trusted/api </dev/null
	assert_success
	assert_guest_call "podman exec -i --workdir=/srv --env=DVM_VM=trusted --env=DVM_PROJECT=api --env=PROJ_WORKDIR=/srv --env=GIT_CONFIG_COUNT=1 --env=GIT_CONFIG_KEY_0=include.path --env=GIT_CONFIG_VALUE_0=/srv/.dvm-ssh/gitconfig api sh -c"
	assert_guest_call "dvm-term bash -l"
	run timeout 20 script -qec "TERM=xterm '$DVM' sh trusted/api" /dev/null <<<'exit 0'
	assert_guest_call "podman exec -it --env=TERM=xterm --workdir=/srv"
}

@test "sh into a container brings the host's TERM, or xterm-256color where it has no terminfo" {
	write_project api 'PROJ_WORKDIR=/srv'
	make_instance dvm-trusted Running
	run_dvm sync trusted/api
	run timeout 20 script -qec "TERM=xterm-dvm-none '$DVM' sh trusted/api" /dev/null <<<'echo "[term $TERM]"; exit 0'
	assert_success
	assert_output_contains "dvm: no terminfo entry for TERM=xterm-dvm-none here; using xterm-256color"
	assert_output_contains "[term xterm-256color]"
	assert_guest_call "podman exec -it --env=TERM=xterm-dvm-none"
	[ "$(lima_call_count)" -eq 3 ] # sync (start, script) and sh: one call
	run timeout 20 script -qec "TERM=xterm '$DVM' sh trusted/api" /dev/null <<<'echo "[term $TERM]"; exit 0'
	assert_output_contains "[term xterm]"
	refute_output_contains "no terminfo"
}

@test "ssh into a project without a container says to sync it" {
	write_project api ''
	make_instance dvm-trusted Running
	run_dvm ssh trusted/api -- true
	assert_failure 1
	assert_output_contains "dvm: error: no container for trusted/api (run: dvm sync trusted/api)"
}

@test "logs shows the container's logs" {
	write_project api ''
	make_instance dvm-trusted Running
	run_dvm sync trusted/api
	run_dvm logs trusted/api
	assert_success
	assert_output "log line of api"
	run_dvm logs trusted/api -f
	assert_success
	assert_guest_call "podman logs --follow api"
}

@test "ls <vm> lists projects with container state and image" {
	write_project api 'IMAGE=node:22'
	write_project web ''
	make_instance dvm-trusted Running
	run_dvm sync trusted/api
	before=$(lima_call_count)
	run_dvm ls trusted
	assert_success
	[ "$(lima_call_count)" -eq $((before + 1)) ]
	[[ "$(lima_call $((before + 1)))" != *--start* ]]
	assert_line_contains "PROJECT              STATE      IMAGE"
	assert_line_contains "api                  running    node:22"
	assert_line_contains "web                  absent     registry.fedoraproject.org/fedora:latest"
}

@test "ls <vm> of a stopped VM does not boot it" {
	write_project api ''
	make_instance dvm-trusted Stopped
	run_dvm ls trusted
	assert_success
	assert_output_contains "cannot reach VM 'trusted'"
	assert_line_contains "api                  unknown"
	# What limactl said on stderr is not shown raw.
	refute_output_contains "FATA"
	[ "$(cat "$LIMA_HOME/dvm-trusted/fake-status")" = Stopped ]
}

@test "stop <vm>/<project> stops that container only" {
	write_project api ''
	write_project web ''
	run_dvm sync trusted
	run_dvm stop trusted/api
	assert_success
	assert_output_contains "✓ trusted/api stopped"
	grep -q '^state=exited' "$PODMAN/containers/api"
	grep -q '^state=running' "$PODMAN/containers/web"
	run_dvm stop trusted/gone
	assert_failure 1
	assert_output_contains "no project 'gone'"
}

@test "stop <vm>/<project> of a stopped VM does nothing" {
	write_project api ''
	make_instance dvm-trusted Stopped
	run_dvm stop trusted/api
	assert_success
	assert_output_contains "trusted/api already stopped (the VM is stopped)"
	refute_lima_call "shell"
}

@test "reset <vm>/<project> recreates one container, with or without its data" {
	write_project api '' 'echo api-setup'
	write_project web ''
	run_dvm sync trusted
	run_dvm reset trusted/api --yes
	assert_success
	assert_output_contains "✓ removing container api and its volume"
	assert_output_contains "✓ trusted/api reset"
	assert_guest_call "podman volume rm dvm-trusted-api"
	[ "$(grep -c '^podman create --name api' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 2 ]
	[ "$(grep -c '^podman create --name web' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 1 ]
	run_dvm reset trusted/api --yes --keep-data
	assert_success
	assert_output_contains "✓ removing container api (keeping its volume)"
	[ "$(grep -c '^podman volume rm' "$FAKE_LIMA_LOG_DIR/guest.log")" -eq 1 ]
	run_dvm reset trusted/api
	assert_failure 2
	assert_output_contains "dvm reset deletes the container and builds it again; confirm with --yes"
	run_dvm reset trusted --yes --keep-data
	assert_failure 2
	assert_output_contains "--keep-data is for <vm>/<project>"
}

@test "rm <vm>/<project> removes the container, the volume unless kept, the config with --config" {
	write_project api ''
	write_project web ''
	run_dvm sync trusted
	run_dvm rm trusted/api --yes --keep-data
	assert_success
	assert_output_contains "✓ trusted/api removed"
	[ ! -e "$PODMAN/containers/api" ]
	[ -e "$PODMAN/volumes/dvm-trusted-api" ]
	assert_output_contains "config remains at ~/.config/dvm/vms/trusted/projects/api"
	# With the container gone its volume cannot be checked: --force.
	run_dvm rm trusted/api --yes --config
	assert_failure 1
	assert_output_contains "cannot check project 'trusted/api' for unsaved work"
	run_dvm rm trusted/api --yes --config --force
	assert_success
	[ ! -e "$PODMAN/volumes/dvm-trusted-api" ]
	[ ! -e "$P/api" ]
	assert_output_contains "removed config ~/.config/dvm/vms/trusted/projects/api"
	grep -q '^state=running' "$PODMAN/containers/web"
	run_dvm rm trusted/web
	assert_failure 2
	assert_output_contains "confirm with --yes"
}

@test "project commands refuse malformed targets" {
	for cmd in sync sh stop; do
		run_dvm "$cmd" 'trusted/a;b'
		assert_failure 2
		assert_output_contains "invalid project name in 'trusted/a;b'"
	done
	run_dvm ssh 'trusted/x/y' -- true
	assert_failure 2
	assert_output_contains "expected <vm>/<project> with one '/'"
	run_dvm logs trusted/api extra
	assert_failure 2
	assert_output_contains "too many arguments"
}

@test "logs <vm> <unit> reads the journal of a unit" {
	make_instance dvm-trusted Running
	run_dvm logs trusted dvm-llama.service
	assert_success
	[ "$(lima_call 1)" = "limactl shell --start --workdir=/ dvm-trusted sudo journalctl -u dvm-llama.service --no-pager -n 100" ]
	assert_output "journal: -u dvm-llama.service --no-pager -n 100"
	run_dvm logs trusted sshd.service -n 5 --since today
	assert_success
	[ "$(lima_call 2)" = "limactl shell --start --workdir=/ dvm-trusted sudo journalctl -u sshd.service -n 5 --since today" ]
	run_dvm logs trusted
	assert_failure 2
	assert_output_contains "name the unit: dvm logs trusted <unit> [journalctl args] (the VM uses no service recipe)"
	run_dvm logs trusted -n 5
	assert_failure 2
	assert_output_contains "name the unit: dvm logs trusted <unit> [journalctl args] (the VM uses no service recipe)"
	run_dvm logs trusted 'a;b'
	assert_failure 2
	assert_output_contains "invalid unit name 'a;b'"
}

@test "rm and reset of a project look for unsaved work in its workspace first; --keep-data and --force skip that" {
	write_project api ''
	run_dvm sync trusted
	assert_success
	# Stub podman runs exec in the workdir under the fake guest root.
	mkdir -p "$PODMAN/workdirs/work"
	echo draft >"$PODMAN/workdirs/work/notes.txt"
	run_dvm rm trusted/api --yes
	assert_failure 1
	assert_output_contains "dvm: error: project 'trusted/api' has unsaved work in /work:"
	assert_output_contains "1 file(s) outside any git repository, such as:
  ./notes.txt"
	assert_output_contains "to keep it, push it to a remote or copy it out with dvm cp, which leaves .git behind;"
	assert_output_contains "or delete anyway with --force"
	[ -e "$PODMAN/containers/api" ]
	[ -e "$PODMAN/volumes/dvm-trusted-api" ]
	run_dvm reset trusted/api --yes
	assert_failure 1
	assert_output_contains "or reset anyway with --force"
	[ -e "$PODMAN/volumes/dvm-trusted-api" ]
	# The check runs in the container, through the project session.
	assert_lima_call "shell --start --workdir=/ dvm-trusted sudo -u developer -H bash -lc"
	run_dvm reset trusted/api --yes --keep-data
	assert_success
	run_dvm reset trusted/api --yes --force
	assert_success
	run_dvm rm trusted/api --yes --force
	assert_success
	[ ! -e "$PODMAN/volumes/dvm-trusted-api" ]
}

@test "a project whose container is gone cannot be checked: rm says so and wants --force" {
	write_project api ''
	make_instance dvm-trusted Running
	run_dvm rm trusted/api --yes
	assert_failure 1
	assert_output_contains "dvm: error: no container for trusted/api (run: dvm sync trusted/api)"
	assert_output_contains "dvm: error: cannot check project 'trusted/api' for unsaved work (exit status 1); delete anyway with --force"
	run_dvm rm trusted/api --yes --force
	assert_success
}
