#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# The files dvm keeps for itself on the host: the state dir and its logs,
# the cache dir with its locks and the base image cache. The last
# component is never followed through a symlink, must be ours and not
# writable by group or others, and is created 0700/0600 whatever the
# umask. Parents (a linked ~/.cache) are the user's business.

load test_helper

setup() {
	setup_dvm_env
	write_vm_config app ''
	ROOT=$XDG_STATE_HOME/dvm
	STATE=$ROOT/app
	LOCKS=$XDG_CACHE_HOME/dvm/locks
	ELSEWHERE=$BATS_TEST_TMPDIR/elsewhere
	mkdir -p "$ELSEWHERE"
	printf 'precious\n' >"$ELSEWHERE/target"
}
teardown() { teardown_dvm_env; }

# assert_untouched: the symlink's target still holds exactly what it did.
assert_untouched() {
	[ "$(cat "$ELSEWHERE/target")" = precious ] || fail "the symlink's target was changed"
	assert_file_mode "$ELSEWHERE/target" 600
}

@test "a lima.log symlink is refused and its target is left alone" {
	mkdir -p "$STATE"
	ln -s "$ELSEWHERE/target" "$STATE/lima.log"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: log ~/.local/state/dvm/app/lima.log is a symlink, which dvm refuses to follow (repair: rm '$STATE/lima.log')"
	assert_untouched
	[ -L "$STATE/lima.log" ]
	assert_lima_call_count 0
}

@test "a setup.log symlink is refused, even a dangling one" {
	mkdir -p "$STATE"
	ln -s "$ELSEWHERE/target" "$STATE/setup.log"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: log ~/.local/state/dvm/app/setup.log is a symlink, which dvm refuses to follow (repair: rm '$STATE/setup.log')"
	assert_untouched
	rm "$STATE/setup.log"
	ln -s "$ELSEWHERE/new-file" "$STATE/setup.log"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "setup.log is a symlink, which dvm refuses to follow"
	refute_file_exists "$ELSEWHERE/new-file"
	assert_lima_call_count 0
}

@test "a log that is a FIFO is refused at once, not waited on" {
	mkdir -p "$STATE"
	mkfifo "$STATE/lima.log"
	run timeout 10 "$DVM" sync app
	assert_failure 1
	assert_output "dvm: error: log ~/.local/state/dvm/app/lima.log is not a regular file"
}

@test "a symlinked per-VM state dir or state root is refused, the target stays empty" {
	mkdir -p "$ROOT" "$ELSEWHERE/app"
	ln -s "$ELSEWHERE/app" "$STATE"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: log directory ~/.local/state/dvm/app is a symlink, which dvm refuses to follow (repair: rm '$STATE')"
	[ -z "$(ls -A "$ELSEWHERE/app")" ] || fail "dvm wrote through the symlink"
	rm "$STATE"
	rmdir "$ROOT"
	ln -s "$ELSEWHERE/app" "$ROOT"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: state directory ~/.local/state/dvm is a symlink, which dvm refuses to follow (repair: rm '$ROOT')"
	[ -z "$(ls -A "$ELSEWHERE/app")" ] || fail "dvm wrote through the symlink"
	assert_lima_call_count 0
}

@test "a lock file or lock dir symlink is refused (stop)" {
	make_instance dvm-app Running
	mkdir -p "$LOCKS"
	ln -s "$ELSEWHERE/target" "$LOCKS/app.lock"
	run_dvm stop app
	assert_failure 1
	assert_output_contains "dvm: error: lock file ~/.cache/dvm/locks/app.lock is a symlink, which dvm refuses to follow (repair: rm '$LOCKS/app.lock')"
	assert_untouched
	rm -r "$LOCKS"
	ln -s "$ELSEWHERE" "$LOCKS"
	run_dvm stop app
	assert_failure 1
	assert_output_contains "dvm: error: lock directory ~/.cache/dvm/locks is a symlink, which dvm refuses to follow (repair: rm '$LOCKS')"
	refute_file_exists "$ELSEWHERE/app.lock"
	[ "$(cat "$LIMA_HOME/dvm-app/fake-status")" = Running ]
	refute_lima_call " stop "
}

@test "a group- or other-writable state dir, log or lock is refused with the repair hint" {
	mkdir -p "$STATE"
	chmod 0770 "$STATE"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: unsafe permissions on log directory ~/.local/state/dvm/app (repair: chmod go-w '$STATE')"
	chmod 0700 "$STATE"
	chmod 0702 "$ROOT"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: unsafe permissions on state directory ~/.local/state/dvm (repair: chmod go-w '$ROOT')"
	chmod 0700 "$ROOT"
	printf 'old log\n' >"$STATE/lima.log"
	chmod 0620 "$STATE/lima.log"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: unsafe permissions on log ~/.local/state/dvm/app/lima.log (repair: chmod go-w '$STATE/lima.log')"
	[ "$(cat "$STATE/lima.log")" = "old log" ] || fail "a refused log was truncated"
	chmod 0600 "$STATE/lima.log"
	mkdir -p "$LOCKS"
	: >"$LOCKS/app.lock"
	chmod 0666 "$LOCKS/app.lock"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: unsafe permissions on lock file ~/.cache/dvm/locks/app.lock (repair: chmod go-w '$LOCKS/app.lock')"
	assert_lima_call_count 0
	chmod 0600 "$LOCKS/app.lock"
	run_dvm sync app
	assert_success
}

@test "state, logs and locks owned by someone else are refused" {
	if [ "$(id -u)" -eq 0 ]; then
		# As root: hand dvm's own paths to nobody.
		mkdir -p "$STATE" "$LOCKS"
		chown nobody "$STATE"
		run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: log directory ~/.local/state/dvm/app must be owned by the current user"
		chown root "$STATE"
		printf 'old log\n' >"$STATE/setup.log"
		chown nobody "$STATE/setup.log"
		run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: log ~/.local/state/dvm/app/setup.log must be owned by the current user"
		[ "$(cat "$STATE/setup.log")" = "old log" ] || fail "a refused log was truncated"
		chown root "$STATE/setup.log"
		: >"$LOCKS/app.lock"
		chown nobody "$LOCKS/app.lock"
		run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: lock file ~/.cache/dvm/locks/app.lock must be owned by the current user"
	else
		# Not root: a state root that belongs to root stands in for it.
		DVM_STATE_DIR=/ run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: state directory / must be owned by the current user"
	fi
	assert_lima_call_count 0
}

@test "symlinked parents (~/.cache, ~/.local/state) are the user's choice and work" {
	mkdir -p "$ELSEWHERE/cache" "$ELSEWHERE/state"
	rmdir "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
	ln -s "$ELSEWHERE/cache" "$XDG_CACHE_HOME"
	ln -s "$ELSEWHERE/state" "$XDG_STATE_HOME"
	run_dvm sync app
	assert_success
	assert_file_mode "$ELSEWHERE/state/dvm/app/lima.log" 600
	assert_file_mode "$ELSEWHERE/cache/dvm/locks/app.lock" 600
	# DVM_STATE_DIR and DVM_CACHE_DIR under a symlinked parent, too.
	ln -s "$ELSEWHERE" "$BATS_TEST_TMPDIR/link"
	DVM_STATE_DIR=$BATS_TEST_TMPDIR/link/s DVM_CACHE_DIR=$BATS_TEST_TMPDIR/link/c run_dvm sync app
	assert_success
	assert_file_exists "$ELSEWHERE/s/app/setup.log"
	assert_file_exists "$ELSEWHERE/c/locks/app.lock"
}

@test "new state, log and lock files are 0700/0600 even with umask 000" {
	umask 000
	run_dvm sync app
	assert_success
	umask 077
	for d in "$ROOT" "$STATE" "$XDG_CACHE_HOME/dvm" "$LOCKS"; do
		assert_file_mode "$d" 700
	done
	for f in "$STATE/lima.log" "$STATE/setup.log" "$LOCKS/app.lock"; do
		assert_file_mode "$f" 600
	done
}

@test "a symlinked base image cache is refused before a VM is created from it" {
	mkdir -p "$XDG_CACHE_HOME/dvm" "$ELSEWHERE/base"
	echo img >"$ELSEWHERE/base/disk.qcow2"
	ln -s "$ELSEWHERE/base" "$XDG_CACHE_HOME/dvm/base"
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: base image cache ~/.cache/dvm/base is a symlink, which dvm refuses to follow (repair: rm '$XDG_CACHE_HOME/dvm/base')"
	refute_file_exists "$ELSEWHERE/base/template.yaml"
	assert_lima_call_count 0
}
