#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2317,SC2030,SC2031
# (literal $ in expected text; the expect functions run from each_copy;
# each @test is a subshell of its own)
# dvm cp downloads (guest -> host) from a hostile guest. dvm reads the
# guest's tar stream itself: regular files, directories, hard links to an
# earlier file of the copy and relative symlinks that stay inside it;
# everything else is skipped with one warning (or the copy is refused and
# nothing is written). The guest's tar is replaced at the front of PATH
# (guest_tar_crafted: tests/lib/hostile-tar; guest_tar_bsdtar; GNU tar by
# default), for a VM copy (app:$G/payload) and a container copy
# (app/api:payload, workdir $G/work) alike.
#
# dvm runs as an unprivileged user (run_unprivileged: nobody when the
# suite is root), in a work dir $W that user owns. After every copy:
# nothing outside the destination changed (a snapshot of $W, with a
# sentinel dir, the $W/outside dir the archives aim at, and /etc/passwd),
# no .dvm-cp.* temp dir is left, stdout is empty, stderr holds no raw
# control or bidi byte, the destination holds only files, dirs and
# symlinks that resolve inside it, owned by the user, without
# setuid/setgid/sticky bits and without hard links to anything outside
# it, and the guest's tar process is gone.

load test_helper

CP_TREE=$TESTS_DIR/lib/cp-tree

setup_file() {
	# The xz bomb costs a second to make: once for the file.
	"$PYTHON3" -S "$HOSTILE_TAR" xz-bomb >"$BATS_FILE_TMPDIR/bomb.xz"
}

setup() {
	unprivileged_dir
	setup_dvm_env "$UNPRIV_DIR"
	# Modes arrive masked by the umask: 022 makes them visible.
	umask 022
	W=$UNPRIV_DIR
	RUN_UID=$UNPRIV_UID
	G=$W/guest
	export TMPDIR=$W/tmp
	# Endless streams stop writing (not exiting) after 1 GiB, in case a
	# dvm spools them to disk (see tests/lib/hostile-tar).
	export HOSTILE_TAR_MAX_BYTES=$((1 << 30))
	# What write_global_config, write_vm_config and `dvm sync app/api` (in
	# the stub podman) would leave, written in fewer processes.
	local c=$XDG_CONFIG_HOME/dvm
	(
		umask 077
		mkdir -p "$c/vms/app/projects/api"
		printf 'DVM_USER=developer\n' >"$c/config.sh"
		: >"$c/vms/app/config.sh"
		printf 'PROJ_WORKDIR=%s\n' "$G/work" >"$c/vms/app/projects/api/project.sh"
	)
	make_instance dvm-app Running
	mkdir -p "$FAKE_GUEST_ROOT/podman/containers" "$G/payload" "$G/work/payload" "$W/host/sentinel" \
		"$W/outside" "$TMPDIR" "$W/scratch"
	printf 'image=dev\nstate=running\nlabels=dvm.vm=app dvm.project=api \n' \
		>"$FAKE_GUEST_ROOT/podman/containers/api"
	echo keep >"$W/host/sentinel/file"
	echo secret >"$W/outside/host-secret"
	MOUNTED=
	TAR_KIND=gnu
	cd "$W/host" || return 1
	# What no copy may change: taken once; every copy is checked against it.
	snapshot >"$W/snap.before"
}

teardown() {
	# Every crafted writer left its pid (a stray endless one would write on).
	kill_guest_tars
	cd / || true
	if [[ -n $MOUNTED ]]; then
		umount "$MOUNTED" || umount -l "$MOUNTED" || true
	fi
	teardown_dvm_env
	local rc=$?
	cleanup_unprivileged
	return "$rc"
}

# ---------------------------------------------------------------- running a copy

# crafted SCENARIO: the guest's tar sends that hostile-tar scenario.
crafted() {
	TAR_KIND="crafted $1"
	guest_tar_crafted --outside "$W/outside" "$1"
}

# each_copy EXPECT [DVM CP OPTIONS...]: a VM copy, then a container copy,
# of payload into a new destination, each followed by `EXPECT` and the
# checks above. For EXPECT: KIND (vm|ct), SRC (the guest path dvm names
# in messages), DEST, status, $W/out, $W/err.
each_copy() {
	local expect=$1
	shift
	for KIND in vm ct; do
		if [[ $KIND == vm ]]; then
			SRC=$G/payload SPEC=app:$G/payload DEST=$W/host/dest-vm
		else
			SRC=$G/work/payload SPEC=app/api:payload DEST=$W/host/dest-ct
		fi
		one_copy "$expect" "$@" "$SPEC" "$DEST"
	done
}

# one_copy EXPECT ARGS...: run `dvm cp ARGS` (DEST already set), check.
one_copy() {
	local expect=$1
	shift
	if [[ -L $DEST ]]; then
		rm -f -- "$DEST"
	elif [[ -e $DEST ]]; then
		chmod -R u+rwX -- "$DEST" 2>/dev/null || true
		rm -rf -- "$DEST"
	fi
	: >"$GUEST_TAR_DIR.pids-seen"
	cp_run "$@"
	post_copy
	"$expect"
	check_common
}

# cp_run ARGS...: `dvm cp ARGS` as the unprivileged user, 20 s at most
# (status 124 then).
cp_run() {
	status=0
	run_unprivileged timeout -k 5 20 "$DVM" cp "$@" >"$W/out" 2>"$W/err" || status=$?
}

oops() {
	fail "[$KIND copy; guest tar: $TAR_KIND] $1" "${@:2}" "-- status: ${status-}" \
		"-- stdout:" "$(cat -v "$W/out")" "-- stderr:" "$(cat -v "$W/err")" "--"
}

# snapshot: what a copy must not change (tests/lib/cp-tree snapshot):
# /etc/passwd and everything under $W but the destinations and the places
# dvm, the fake limactl, the guest and the test ($W/scratch) use.
snapshot_excludes() {
	EXCLUDES=("$W/home" "$W/lima-calls" "$W/guest" "$W/tmp" "$W/tools" "$W/host/dest-*"
		"$W/out" "$W/err" "$W/snap.*" "$GUEST_TAR_DIR*" "$W/scratch")
}

snapshot() {
	local -a EXCLUDES
	snapshot_excludes
	"$PYTHON3" -S "$CP_TREE" snapshot "$W" "${EXCLUDES[@]}"
}

# post_copy: right after a copy, in one go (tests/lib/cp-tree after): the
# list of DEST for expect_tree ($W/scratch/listing) and the checks that every copy
# must pass ($W/scratch/problems; check_common reports them).
post_copy() {
	local -a EXCLUDES
	snapshot_excludes
	POST_RC=0
	"$PYTHON3" -S "$CP_TREE" after "$W" "$W/snap.before" "$W/out" "$W/err" "$DEST" "$RUN_UID" \
		"$W/scratch/listing" /etc/passwd "$W/outside/host-secret" -- "${EXCLUDES[@]}" >"$W/scratch/problems" 2>&1 ||
		POST_RC=$?
}

# check_common: the checks after every copy (see the top of this file).
check_common() {
	check_writer_gone
	((POST_RC == 0)) || oops "after the copy:" "$(cat "$W/scratch/problems")"
}

# check_writer_gone: the guest tars of this copy are gone (3 s grace).
check_writer_gone() {
	local pid i alive
	for pid in $(guest_tar_pids); do
		grep -qx "$pid" "$GUEST_TAR_DIR.pids-seen" && continue
		alive=1
		for i in $(seq 1 60); do
			if ! _alive "$pid"; then
				alive=0
				break
			fi
			sleep 0.05
		done
		((alive == 0)) || oops "the guest's tar (pid $pid) is still running"
		echo "$pid" >>"$GUEST_TAR_DIR.pids-seen"
	done
}

# _alive PID: running (not a zombie) and ours (pids get reused).
_alive() {
	local st
	{ read -r st <"/proc/$1/stat"; } 2>/dev/null || return 1
	st=${st##*) }
	st=${st%% *}
	[[ -n $st && $st != Z && $st != X ]] &&
		grep -qzx "FAKE_LIMA_LOG_DIR=$FAKE_LIMA_LOG_DIR" "/proc/$1/environ" 2>/dev/null
}

# ---------------------------------------------------------------- expectations

# expect_stderr UNORDERED... -- LAST...: stderr is the UNORDERED lines in
# any order, then the LAST lines in this order.
expect_stderr() {
	local -a un=() last=() got=()
	while (($#)) && [[ $1 != -- ]]; do
		un+=("$1")
		shift
	done
	(($#)) && shift
	last=("$@")
	mapfile -t got <"$W/err"
	local nl=${#last[@]} ng=${#got[@]} i
	local want_un got_un
	if ((ng != ${#un[@]} + nl)); then
		oops "stderr has $ng lines, want $((${#un[@]} + nl))" "-- want (any order, then the last $nl in order):" \
			"${un[@]}" "${last[@]}"
		return
	fi
	for ((i = 0; i < nl; i++)); do
		[[ ${got[ng - nl + i]} == "${last[i]}" ]] ||
			oops "stderr line $((ng - nl + i + 1)) differs" "-- want:" "${last[i]}" "-- got:" "${got[ng - nl + i]}"
	done
	want_un='' got_un=''
	if ((${#un[@]})); then
		want_un=$(printf '%s\n' "${un[@]}" | LC_ALL=C sort)
	fi
	if ((ng > nl)); then
		got_un=$(printf '%s\n' "${got[@]:0:ng-nl}" | LC_ALL=C sort)
	fi
	[[ $want_un == "$got_un" ]] || oops "the warnings differ" "$(diff <(echo "$want_un") <(echo "$got_un"))"
}

expect_status() {
	[[ $status == "$1" ]] || oops "exit status $status, want $1"
}

# expect_copied N [SKIP...]: exit 0; stderr: `dvm: warning: skipped SKIP`
# for each SKIP (any order), then, with N > 0, the count line.
expect_copied() {
	local n=$1 s
	shift
	local -a want=()
	for s; do
		want+=("dvm: warning: skipped $s")
	done
	expect_status 0
	if ((n == 0)); then
		expect_stderr "${want[@]}" --
	elif ((n == 1)); then
		expect_stderr "${want[@]}" -- "dvm: warning: 1 entry skipped; everything else arrived in $DEST"
	else
		expect_stderr "${want[@]}" -- "dvm: warning: $n entries skipped; everything else arrived in $DEST"
	fi
	[[ -d $DEST && ! -L $DEST ]] || oops "no directory at $DEST"
}

# expect_refused MESSAGE [SKIP...]: exit 1, nothing at DEST; stderr: the
# skip warnings (any order), then `dvm: error: copy from SRC: MESSAGE`.
expect_refused() {
	local msg=$1 s
	shift
	local -a want=()
	for s; do
		want+=("dvm: warning: skipped $s")
	done
	expect_status 1
	expect_stderr "${want[@]}" -- "dvm: error: copy from $SRC: $msg"
	[[ ! -e $DEST && ! -L $DEST ]] || oops "$DEST exists"
}

# tree_of DIR: the entries under DIR, one a line (tests/lib/cp-tree list).
tree_of() {
	"$PYTHON3" -S "$CP_TREE" list "$1"
}

# expect_tree: the list of DEST right after the copy ($W/scratch/listing, see
# post_copy) is stdin, exactly (in any order).
expect_tree() {
	local want got
	want=$(LC_ALL=C sort)
	got=$(LC_ALL=C sort "$W/scratch/listing")
	[[ $want == "$got" ]] || oops "the copy differs" "$(diff <(echo "$want") <(echo "$got"))"
}

# ---------------------------------------------------------------- real trees in the guest

# in_guests FUNC: build the same tree with FUNC DIR in $G and $G/work.
in_guests() {
	rm -rf "$G/payload" "$G/work/payload"
	"$1" "$G"
	"$1" "$G/work"
}

# each_tar EXPECT [DVM CP OPTIONS...]: each_copy with the guest's GNU tar,
# then with bsdtar.
each_tar() {
	TAR_KIND=gnu
	guest_tar_gnu
	each_copy "$@"
	TAR_KIND=bsdtar
	guest_tar_bsdtar
	each_copy "$@"
}

LONG_SEG=$(printf 'long-directory-name-%060d' 0)
LONG_NAME=$(printf 'a-file-name-of-one-hundred-and-fifty-bytes-%0107d' 0)

faithful_tree() {
	local p=$1/payload deep
	deep=$p/$LONG_SEG/$LONG_SEG/$LONG_SEG/$LONG_SEG
	mkdir -p "$p/emptydir" "$p/nested/empty2" "$p/bin" "$p/lib" "$p/links" "$deep" "$p/with space"
	echo deep >"$deep/$LONG_NAME"
	if [[ -f $W/scratch/big.bin ]]; then
		cp "$W/scratch/big.bin" "$p/big.bin"
	else
		head -c $((20 << 20)) /dev/urandom >"$p/big.bin"
		cp "$p/big.bin" "$W/scratch/big.bin"
	fi
	: >"$p/empty"
	printf '#!/bin/sh\necho hi\n' >"$p/run.sh"
	chmod 755 "$p/run.sh"
	echo ro >"$p/readonly"
	chmod 444 "$p/readonly"
	echo mine >"$p/private"
	chmod 600 "$p/private"
	mkdir "$p/privdir"
	chmod 700 "$p/privdir"
	echo 'console.log(1)' >"$p/lib/tool.js"
	ln -s ../lib/tool.js "$p/bin/tool"
	ln -s "../$LONG_SEG/$LONG_SEG/$LONG_SEG/$LONG_SEG/$LONG_NAME" "$p/links/long"
	echo shared >"$p/lib/hard-a"
	ln "$p/lib/hard-a" "$p/lib/hard-b"
	ln "$p/lib/hard-a" "$p/bin/hard-c"
	echo u >"$p/with space/ünïcödé.txt"
	echo dash >"$p/-dash"
}

# ---------------------------------------------------------------- the tools

@test "hostile-tar: the scenarios are the archives they claim to be (GNU tar and bsdtar read them so)" {
	local s out=$W/scratch
	mkdir -p "$out"
	cd "$out"
	"$PYTHON3" -S "$HOSTILE_TAR" --list | cut -f1 >list
	[ "$(wc -l <list)" -ge 40 ]
	grep -qx symlink-toplevel list
	# Whole archives: two zero blocks at the end, a whole record.
	for s in dotdot symlink-then-file hardlink-host control-names gnu-longnames pax-longnames git-fsmonitor gnu-sparse; do
		"$PYTHON3" -S "$HOSTILE_TAR" --outside "$W/outside" "$s" >"$s.tar"
		(($(stat -c %s "$s.tar") % 10240 == 0)) || fail "$s: not whole records"
		[ "$(tail -c 1024 "$s.tar" | tr -d '\0' | wc -c)" -eq 0 ] || fail "$s: no end marker"
		tar -tf "$s.tar" >/dev/null 2>&1 || fail "$s: GNU tar cannot list it"
		bsdtar -tf "$s.tar" >/dev/null || fail "$s: bsdtar cannot list it"
	done
	bsdtar -tf dotdot.tar | grep -qx './payload/../../evil'
	bsdtar -tvf symlink-then-file.tar | grep -q "./payload/d -> $W/outside\$"
	bsdtar -tvf hardlink-host.tar | grep -q './payload/pw link to /etc/passwd$'
	bsdtar -tvf gnu-longnames.tar | grep -q "./payload/ln-out -> \(\.\./\)\{40\}etc/passwd\$"
	[ "$(bsdtar -tf pax-longnames.tar | grep -c 'evil-ustar')" -eq 0 ]
	bsdtar -tf pax-longnames.tar | grep -qx './payload/pax-renamed'
	[ "$(LC_ALL=C grep -ao $'\e' control-names.tar | wc -l)" -eq 4 ]
	[ "$(LC_ALL=C grep -ao $'\xe2\x80\xae' control-names.tar | wc -l)" -eq 2 ]
	# The type flags and a header that lies.
	[ "$(dd if=gnu-sparse.tar bs=1 skip=$((3 * 512 + 156)) count=1 2>/dev/null)" = S ]
	"$PYTHON3" -S "$HOSTILE_TAR" size-lies-long >lies.tar
	[ "$(stat -c %s lies.tar)" -eq $((4 * 512 + 1000)) ]
	tar -tvf lies.tar 2>/dev/null | grep -q ' 1048576 .* ./payload/big$'
	if tar -xf lies.tar -C "$out" 2>/dev/null; then fail "GNU tar took the lying size"; fi
	"$PYTHON3" -S "$HOSTILE_TAR" bad-checksum | tar -tf - >bad.out 2>&1 && fail "GNU tar took the bad checksum"
	grep -q 'Skipping to next header' bad.out
	# Compressed ones, by their magic; the xz bomb is small and expands to 128 MiB.
	[ "$("$PYTHON3" -S "$HOSTILE_TAR" gzip | od -An -tx1 -N2 | tr -d ' ')" = 1f8b ]
	[ "$("$PYTHON3" -S "$HOSTILE_TAR" bzip2 | head -c 3)" = BZh ]
	[ "$("$PYTHON3" -S "$HOSTILE_TAR" zstd | od -An -tx1 -N4 | tr -d ' ')" = 28b52ffd ]
	local xzinfo
	xzinfo=$(xz -l --robot "$BATS_FILE_TMPDIR/bomb.xz" | grep '^totals')
	read -r _ _ _ packed unpacked _ <<<"$xzinfo"
	((packed < 300 * 1024 && unpacked >= 100 << 20)) || fail "not a bomb: $xzinfo"
	xz -dc "$BATS_FILE_TMPDIR/bomb.xz" | head -c 4096 | tar -tvf - 2>/dev/null | grep -q ' 134217728 .* ./payload/zeros$'
	# Endless: still writing after 8 MiB; the writer ends on EPIPE, like tar.
	"$PYTHON3" -S "$HOSTILE_TAR" endless-stream | head -c $((8 << 20)) >endless.tar
	local -a rc=("${PIPESTATUS[@]}")
	[ "${rc[0]}" -eq 141 ] || fail "hostile-tar exited ${rc[0]} on EPIPE"
	[ "$(stat -c %s endless.tar)" -eq $((8 << 20)) ]
	tar -tvf endless.tar 2>/dev/null | grep -q ' 68719476736 .* ./payload/huge$'
	"$PYTHON3" -S "$HOSTILE_TAR" endless-base256 | head -c 4096 | bsdtar -tvf - 2>/dev/null | grep -q ' 68719476736 .*payload/huge'
	[ "$("$PYTHON3" -S "$HOSTILE_TAR" endless-entries | head -c $((1 << 20)) | tar -tf - 2>/dev/null | wc -l)" -ge 200 ]
	# The fsmonitor and the sparse entry are real for GNU tar and git.
	mkdir x
	"$PYTHON3" -S "$HOSTILE_TAR" --outside "$W/outside" git-fsmonitor | tar --no-same-owner -xf - -C x
	git -C x/payload status >/dev/null 2>&1 || true
	[ -e "$W/outside/fsmonitor-ran" ] || fail "the crafted core.fsmonitor did not run"
	rm -f "$W/outside/fsmonitor-ran"
	tar --no-same-owner -xf gnu-sparse.tar -C x
	[ "$(stat -c %s x/payload/sparse)" -eq 8192 ]
	[ "$(tr -d '\0' <x/payload/sparse)" = "$(printf 'S%.0s' $(seq 512))" ]
}

@test "guest tars: the fake guest runs the test's tar, in a VM and in a container" {
	local want=$W/scratch/want.tar got=$W/scratch/got.tar
	local -a vm ct
	# The way dvm asks: probe, then write ./payload.
	local script='cd "$(dirname "$1")" || exit 9; tar --format=pax --version >/dev/null 2>&1 || exit 9
tar --format=pax -c -f - "./$(basename "$1")"'
	vm=("$FAKE_LIMACTL" shell --workdir=/ dvm-app sudo -u developer -H bash -lc "$script" bash "$G/payload")
	ct=("$FAKE_LIMACTL" shell --workdir=/ dvm-app podman exec -i --workdir="$G/work" api sh -c "$script" sh "$G/work/payload")
	"$PYTHON3" -S "$HOSTILE_TAR" --outside "$W/outside" dotdot >"$want"
	crafted dotdot
	run_unprivileged "${vm[@]}" >"$got"
	cmp "$want" "$got"
	run_unprivileged "${ct[@]}" >"$got"
	cmp "$want" "$got"
	[ "$(guest_tar_pids | wc -l)" -eq 2 ]
	guest_tar_replay "$want"
	run_unprivileged "${ct[@]}" >"$got"
	cmp "$want" "$got"
	# bsdtar and GNU tar write the guest's real tree.
	echo hi >"$G/payload/a"
	guest_tar_bsdtar
	run_unprivileged "${vm[@]}" >"$got"
	[ "$(tar -tf "$got" | LC_ALL=C sort | tr '\n' ' ')" = "./payload/ ./payload/a " ]
	run_unprivileged "$FAKE_LIMACTL" shell --workdir=/ dvm-app bash -lc 'tar --version | head -1' >"$got"
	grep -q bsdtar "$got"
	guest_tar_gnu
	run_unprivileged "$FAKE_LIMACTL" shell --workdir=/ dvm-app bash -lc 'tar --version | head -1' >"$got"
	grep -q 'GNU tar' "$got"
	# The unprivileged user is not root and cannot write outside $W.
	run_unprivileged sh -c 'id -u; touch /etc/dvm-unpriv-probe 2>/dev/null && echo wrote' >"$got" || true
	[ "$(cat "$got")" = "$RUN_UID" ]
	[ "$RUN_UID" -ne 0 ]
}

# ---------------------------------------------------------------- names

@test "cp hostile: '..' in a name is skipped, v1..2 is fine" {
	crafted dotdot
	expect() {
		expect_copied 1 "payload/../../evil: '..' in the path"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
			f 644 v1..2 version\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: an absolute name is skipped" {
	crafted absolute
	expect() {
		expect_copied 1 "$W/outside/abs-evil: absolute path"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: entries outside the requested name are skipped" {
	crafted not-payload
	expect() {
		expect_copied 2 "other: not part of payload" "payloadx: not part of payload"
		expect_tree <<-'EOF'
			d 755 .
			f 644 nodot nodot\n
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: duplicate names keep the first, warn about the rest" {
	crafted duplicates
	expect() {
		expect_copied 2 "payload/f: already in the copy" "payload/x: already in the copy"
		expect_tree <<-'EOF'
			d 755 .
			f 644 f first\n
			d 755 x
			f 644 x/in in\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: control characters and bidi overrides in names arrive, and print sanitized" {
	crafted control-names
	expect() {
		local warn=': symlink to an absolute path'
		expect_copied 5 'payload/new\x0aline-link'"$warn" 'payload/\x1b]0;owned\x07-link'"$warn" \
			'payload/\x1b[2J-link'"$warn" 'payload/rtl\u202e-link'"$warn" $'payload/bad\xef\xbf\xbd-link'"$warn"
		expect_tree <<-'EOF'
			d 755 .
			f 644 new\nline fine\n
			f 644 \x1b]0;owned\x07 fine\n
			f 644 \x1b[2J fine\n
			f 644 rtl\xe2\x80\xaetxt.exe fine\n
			f 644 latin1-\xe9 fine\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: names and link targets over 100 bytes, GNU ././@LongLink form" {
	crafted gnu-longnames
	expect() {
		local d f
		d=$(printf 'd%.0s' $(seq 60)) f=$(printf 'f%.0s' $(seq 60))
		expect_copied 3 "payload/$(printf 'x%.0s' $(seq 60))/../../../$(printf 'y%.0s' $(seq 60)): '..' in the path" \
			"payload/ln-out: symlink that leads outside the copy" \
			"payload/hl-out: hard link to something that is not an earlier file of the copy"
		expect_tree <<-EOF
			d 755 .
			d 755 $d
			f 644 $d/$f long\\n
			l ln-long -> $d/$f
		EOF
	}
	each_copy expect
}

@test "cp hostile: names and link targets over 100 bytes, pax path/linkpath form" {
	crafted pax-longnames
	expect() {
		local d f
		d=$(printf 'd%.0s' $(seq 60)) f=$(printf 'f%.0s' $(seq 60))
		expect_copied 3 "payload/$(printf 'x%.0s' $(seq 60))/../../../$(printf 'y%.0s' $(seq 60)): '..' in the path" \
			"payload/ln-out: symlink that leads outside the copy" \
			"payload/hl-out: hard link to something that is not an earlier file of the copy"
		expect_tree <<-EOF
			d 755 .
			d 755 $d
			f 644 $d/$f long\\n
			l ln-long -> $d/$f
			f 644 pax-renamed renamed\\n
		EOF
		[ ! -e "$W/evil-ustar" ] || oops "the ustar name was used"
	}
	each_copy expect
}

# ---------------------------------------------------------------- symlinks

@test "cp hostile: an absolute symlink is skipped" {
	crafted symlink-absolute
	expect() {
		expect_copied 1 "payload/key: symlink to an absolute path"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: relative symlinks that lead outside are skipped (../payload too: the copy is renamed)" {
	crafted symlink-escaping
	expect() {
		expect_copied 2 "payload/up: symlink that leads outside the copy" \
			"payload/sneaky: symlink that leads outside the copy"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: a top-level symlink is skipped and nothing arrives" {
	crafted symlink-toplevel
	expect() {
		expect_refused "nothing arrived (every entry was skipped)" \
			"payload: symlink that leads outside the copy"
	}
	each_copy expect
}

@test "cp hostile: nothing is written through a symlink, wherever it points" {
	crafted symlink-then-file
	expect() {
		expect_copied 5 "payload/d: symlink to an absolute path" \
			"payload/d/file: path goes through a symlink" \
			"payload/e: symlink that leads outside the copy" \
			"payload/e/file2: path goes through a symlink" \
			"payload/s/file3: path goes through a symlink"
		expect_tree <<-'EOF'
			d 755 .
			l s -> sub
			d 755 sub
			f 644 sub/inside inside\n
		EOF
	}
	each_copy expect
	[ "$(ls -A "$W/outside")" = host-secret ]
}

@test "cp hostile: a chain of in-tree links that ends outside is skipped link by link" {
	crafted symlink-chain-out
	expect() {
		expect_copied 3 "payload/l1: symlink that leads outside the copy" \
			"payload/l2: symlink that leads outside the copy" \
			"payload/sub/l3: symlink that leads outside the copy"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
			d 755 sub
		EOF
	}
	each_copy expect
}

@test "cp hostile: good in-tree symlinks arrive, chains and links to later entries included" {
	crafted symlink-good
	expect() {
		expect_copied 0
		expect_tree <<-'EOF'
			d 755 .
			d 755 bin
			l bin/tool -> ../lib/tool.js
			l bin/up -> ..
			l c1 -> c2
			l c2 -> lib/tool.js
			d 755 lib
			f 644 lib/tool.js console.log(1)\n
			l libdir -> lib
			l self -> .
		EOF
		[ "$(cat "$DEST/bin/tool")" = 'console.log(1)' ] || oops "bin/tool does not lead to lib/tool.js"
	}
	each_copy expect
}

@test "cp hostile: symlinks to nothing in the copy are skipped, a link to a skipped FIFO too" {
	crafted symlink-dangling
	expect() {
		expect_copied 4 "payload/gone: symlink to nothing in the copy" \
			"payload/sub/gone2: symlink to nothing in the copy" \
			"payload/fifo: FIFO" "payload/tofifo: symlink to nothing in the copy"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
			d 755 sub
		EOF
	}
	each_copy expect
}

# ---------------------------------------------------------------- hard links

@test "cp hostile: hard links to host files are skipped" {
	crafted hardlink-host
	local nl
	nl=$(stat -c %h /etc/passwd)
	expect() {
		local r='hard link to something that is not an earlier file of the copy'
		expect_copied 3 "payload/pw: $r" "payload/pw2: $r" "payload/hs: $r"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
	[ "$(stat -c %h /etc/passwd)" -eq "$nl" ]
	[ "$(stat -c %h "$W/outside/host-secret")" -eq 1 ]
	[ "$(cat "$W/outside/host-secret")" = secret ]
}

@test "cp hostile: hard links to a later entry, a directory or a symlink are skipped" {
	crafted hardlink-forward
	expect() {
		local r='hard link to something that is not an earlier file of the copy'
		expect_copied 3 "payload/fwd: $r" "payload/todir: $r" "payload/tosl: $r"
		expect_tree <<-'EOF'
			d 755 .
			f 644 later later\n
			l sl -> later
		EOF
	}
	each_copy expect
}

@test "cp hostile: hard links to an earlier file arrive as hard links" {
	crafted hardlink-good
	expect() {
		expect_copied 0
		expect_tree <<-'EOF'
			d 755 .
			f 644 f shared\n links=4
			f 644 h shared\n links=4
			f 644 h3 shared\n links=4
			d 755 sub
			f 644 sub/h2 shared\n links=4
		EOF
		[[ $DEST/f -ef $DEST/h && $DEST/f -ef $DEST/sub/h2 && $DEST/f -ef $DEST/h3 ]] || oops "not one inode"
	}
	each_copy expect
}

# ---------------------------------------------------------------- types and modes

@test "cp hostile: device nodes and FIFOs are skipped" {
	crafted devices
	expect() {
		expect_copied 3 "payload/chr: character device" "payload/blk: block device" "payload/fifo: FIFO"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: an old GNU sparse entry is an unsupported type" {
	crafted gnu-sparse
	expect() {
		expect_copied 1 "payload/sparse: unsupported entry type 'S'"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: a pax global header is no entry" {
	crafted pax-global
	expect() {
		expect_copied 0
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: setuid, setgid and sticky bits and uid 0 do not arrive" {
	crafted special-modes
	expect() {
		expect_copied 0
		expect_tree <<-'EOF'
			d 755 .
			f 755 all x\n
			f 644 plain x\n
			f 755 sgid #!/bin/sh\n
			d 755 sticky
			f 755 suid #!/bin/sh\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: a mode-000 directory holding a mode-000 file arrives, unprivileged" {
	crafted mode000
	expect() {
		expect_copied 0
		mode000_check
	}
	each_copy expect
}

# mode000_check: DEST/locked 000 holding secret 000.
mode000_check() {
	expect_tree <<-'EOF'
		d 755 .
		f 644 after after\n
		d 0 locked
		f 0 locked/secret secret\n
	EOF
}

@test "cp hostile: a refused copy with mode-000 dirs leaves no temp dir, unprivileged" {
	crafted mode000-truncated
	expect() {
		expect_refused "the archive ends inside payload/cut; nothing was written"
	}
	each_copy expect
}

# ---------------------------------------------------------------- VCS metadata

VCS_WHY='version-control metadata stays in the VM; move code with git push/pull through a remote or git bundle (--with-vcs copies it)'

@test "cp hostile: .git stays in the VM; git in the copy runs no guest fsmonitor" {
	crafted git-fsmonitor
	expect() {
		# A VCS root counts as one skipped entry, whatever it holds.
		expect_copied 1 "payload/.git: $VCS_WHY"
		expect_tree <<-'EOF'
			d 755 .
			f 644 .gitignore *.o\n
			d 755 src
			f 644 src/main.c int main(void){return 0;}\n
			f 644 x.git not vcs\n
		EOF
		GIT_CEILING_DIRECTORIES=$W/host run_unprivileged git -C "$DEST" status >/dev/null 2>&1 || true
		[ ! -e "$W/outside/fsmonitor-ran" ] || oops "the guest's fsmonitor ran on the host"
	}
	each_copy expect
}

@test "cp hostile: --with-vcs copies .git and warns about its config" {
	crafted git-fsmonitor
	expect() {
		expect_status 0
		expect_stderr -- "dvm: warning: --with-vcs: git config from a VM can run commands on the host (core.fsmonitor, hooks); read $DEST/.git/config before running git there"
		[ "$(grep -c '^[df] [0-7]* \.git\(/.*\)\?$' "$W/scratch/listing")" -eq 7 ] || oops "not all of .git arrived" "$(cat "$W/scratch/listing")"
		grep -q 'fsmonitor = "touch ' "$DEST/.git/config" || oops ".git/config differs"
		[ "$(stat -c %a "$DEST/.git/hooks/post-checkout")" = 755 ] || oops "the hook lost its mode"
		[ -f "$DEST/src/main.c" ] || oops "no src/main.c"
	}
	each_copy expect --with-vcs
	[ ! -e "$W/outside/fsmonitor-ran" ]
}

@test "cp hostile: .hg stays in the VM" {
	crafted hg-hooks
	expect() {
		expect_copied 1 "payload/.hg: $VCS_WHY"
		expect_tree <<-'EOF'
			d 755 .
			f 644 README readme\n
		EOF
	}
	each_copy expect
}

@test "cp hostile: a .git file and .svn stay in the VM, one line per root" {
	crafted vcs-file-svn
	expect() {
		expect_copied 2 "payload/sub/.git: $VCS_WHY" "payload/.svn: $VCS_WHY"
		expect_tree <<-'EOF'
			d 755 .
			d 755 sub
			f 644 sub/keep.c int x;\n
		EOF
	}
	each_copy expect
}

# ---------------------------------------------------------------- broken and compressed streams

@test "cp hostile: compressed streams are refused, the xz bomb unopened" {
	local z
	for z in gzip bzip2 zstd; do
		crafted "$z"
		expect() { expect_refused "the guest sent a $z stream, not a tar archive; nothing was written"; }
		each_copy expect
	done
	cp "$BATS_FILE_TMPDIR/bomb.xz" "$W/scratch/bomb.xz"
	guest_tar_replay "$W/scratch/bomb.xz"
	TAR_KIND="replayed xz-bomb"
	expect() {
		expect_refused "the guest sent an xz stream, not a tar archive; nothing was written"
		[ "$(du -sm "$W" | cut -f1)" -lt 64 ] || oops "the bomb went off: $(du -sm "$W")"
	}
	each_copy expect
}

@test "cp hostile: garbage and bad checksums are refused at the bad header" {
	crafted garbage
	expect() { expect_refused "not a tar archive (bad header at byte 0); nothing was written"; }
	each_copy expect
	crafted bad-checksum
	expect() { expect_refused "not a tar archive (bad header at byte 512); nothing was written"; }
	each_copy expect
}

@test "cp hostile: a size header that lies is refused" {
	crafted size-lies-long
	expect() { expect_refused "the archive ends inside payload/big; nothing was written"; }
	each_copy expect
	# Smaller than the data: the data's next block is read as a header.
	crafted size-lies-short
	expect() { expect_refused "not a tar archive (bad header at byte 1536); nothing was written"; }
	each_copy expect
}

@test "cp hostile: a stream without its end marker is refused" {
	crafted no-end-marker
	expect() { expect_refused "the archive ends without its end marker; nothing was written"; }
	each_copy expect
	crafted empty-stream
	expect() { expect_refused "the guest sent nothing; nothing was written"; }
	each_copy expect
}

# ---------------------------------------------------------------- endless streams

@test "cp hostile: --max-size stops an endless stream and an endless run of entries" {
	local s
	for s in endless-stream endless-base256; do
		crafted "$s"
		expect() { expect_refused "more than --max-size 10M arrived; nothing was written"; }
		each_copy expect --max-size 10M
	done
	crafted endless-entries
	expect() { expect_refused "more than --max-size 1M arrived; nothing was written"; }
	each_copy expect --max-size 1M
}

@test "cp hostile: --max-size counts a real tree; under it the copy arrives" {
	mk() {
		mkdir -p "$1/payload/sub"
		head -c $((1 << 20)) /dev/urandom >"$1/payload/sub/blob"
	}
	in_guests mk
	expect() { expect_refused "more than --max-size 64K arrived; nothing was written"; }
	each_copy expect --max-size 64K
	expect() {
		expect_copied 0
		cmp -s "$DEST/sub/blob" "$SRC/sub/blob" || oops "blob differs"
	}
	each_copy expect --max-size 2M
}

# mount_small: a 20 MiB tmpfs at $W/host/small (root only).
mount_small() {
	if ((EUID != 0)); then
		skip "LOUD SKIP: the free-space reserve test needs root to mount a small tmpfs"
	fi
	mkdir -p "$W/host/small"
	mount -t tmpfs -o size=20m tmpfs "$W/host/small" ||
		skip "LOUD SKIP: cannot mount a tmpfs here (root without CAP_SYS_ADMIN?)"
	MOUNTED=$W/host/small
	echo keep >"$W/host/small/sentinel"
	snapshot >"$W/snap.before"
}

@test "cp hostile: an endless stream stops at the free-space reserve" {
	mount_small
	crafted endless-stream
	expect() {
		expect_refused "stopped at the free-space reserve of $W/host/small (DVM_CP_RESERVE=10M); nothing was written"
		[ "$(ls -A "$W/host/small")" = sentinel ] || oops "left on the tmpfs: $(ls -A "$W/host/small")"
	}
	for KIND in vm ct; do
		if [[ $KIND == vm ]]; then SRC=$G/payload SPEC=app:$G/payload; else SRC=$G/work/payload SPEC=app/api:payload; fi
		DEST=$W/host/small/dest
		export DVM_CP_RESERVE=10M
		one_copy expect "$SPEC" "$DEST"
		unset DVM_CP_RESERVE
	done
	# The default reserve, 1G, is more than this tmpfs has.
	expect() {
		expect_refused "stopped at the free-space reserve of $W/host/small (DVM_CP_RESERVE=1G); nothing was written"
	}
	SRC=$G/payload DEST=$W/host/small/dest
	one_copy expect "app:$G/payload" "$DEST"
}

# interrupt SIG WANT: a copy of an endless stream, SIG to dvm once the
# stream flows; dvm exits WANT, the guest's writer goes, nothing is left.
interrupt() {
	local sig=$1 want=$2 pid i
	: >"$GUEST_TAR_DIR.pids-seen"
	rm -f "$GUEST_TAR_DIR/pids"
	unprivileged_argv "$DVM" cp "$SPEC" "$DEST"
	(exec "${UNPRIV_ARGV[@]}" >"$W/out" 2>"$W/err") &
	pid=$!
	wait_for_file "$GUEST_TAR_DIR/pids" 10 "the guest's tar did not start"
	sleep 0.5
	kill -s "$sig" "$pid"
	for i in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		oops "SIG$sig: dvm did not exit within 10 s"
	fi
	status=0
	wait "$pid" || status=$?
	post_copy
	expect_status "$want"
	[[ ! -e $DEST ]] || oops "$DEST exists"
	check_common
}

@test "cp hostile: SIGINT and SIGTERM during an endless stream stop the guest's writer too" {
	crafted endless-stream
	for KIND in vm ct; do
		if [[ $KIND == vm ]]; then
			SRC=$G/payload SPEC=app:$G/payload DEST=$W/host/dest-vm
		else
			SRC=$G/work/payload SPEC=app/api:payload DEST=$W/host/dest-ct
		fi
		interrupt INT 130
		interrupt TERM 143
	done
}

# ---------------------------------------------------------------- guest stderr

@test "cp hostile: the guest's stderr is printed sanitized" {
	crafted stderr-escapes
	expect() {
		expect_status 0
		grep -qF 'tar: \x1b]0;owned\x07 title' "$W/err" || oops "no sanitized title line"
		grep -qF 'tar: \x1b[2J clear' "$W/err" || oops "no sanitized clear line"
		grep -qF 'tar: rtl \u202e evil' "$W/err" || oops "no sanitized bidi line"
		expect_tree <<-'EOF'
			d 755 .
			f 644 ok.txt ok\n
		EOF
	}
	each_copy expect
}

# ---------------------------------------------------------------- real trees, GNU tar and bsdtar

@test "cp real tree: a faithful copy (long names, 20 MB, empty files and dirs, modes, links, hard links)" {
	in_guests faithful_tree
	local want
	want=$(tree_of "$G/payload")
	[ "$(tree_of "$G/work/payload")" = "$want" ]
	[[ $want == *"sha256:"* && $want == *"links=3"* && $want == *"l links/long -> ../$LONG_SEG"* ]]
	expect() {
		expect_copied 0
		expect_tree <<<"$want"
		[[ $DEST/lib/hard-a -ef $DEST/lib/hard-b && $DEST/lib/hard-a -ef $DEST/bin/hard-c ]] ||
			oops "the hard links are not one inode"
		cmp -s "$DEST/big.bin" "$W/scratch/big.bin" || oops "big.bin differs"
		[ "$(cat "$DEST/links/long")" = deep ] || oops "links/long does not lead to the deep file"
	}
	each_tar expect
}

links_tree() {
	local p=$1/payload
	mkdir -p "$p/sub"
	echo ok >"$p/ok"
	echo outside >"$1/outside-file"
	ln "$1/outside-file" "$p/outlink"
	ln "$p/ok" "$p/hl1"
	ln -s /etc/passwd "$p/abs"
	ln -s ../../outside "$p/up"
	ln -s ok "$p/good"
	ln -s ../ok "$p/sub/back"
	ln -s chain2 "$p/chain1"
	ln -s sub/deeper "$p/chain2"
	ln -s ../../.. "$p/sub/deeper"
	ln -s nothere "$p/dangling"
	mkfifo "$p/fifo"
}

@test "cp real tree: escaping and dangling symlinks, a FIFO, hard links in and out of the tree" {
	in_guests links_tree
	expect() {
		local out='symlink that leads outside the copy'
		expect_copied 7 "payload/abs: symlink to an absolute path" "payload/up: $out" \
			"payload/chain1: $out" "payload/chain2: $out" "payload/sub/deeper: $out" \
			"payload/dangling: symlink to nothing in the copy" "payload/fifo: FIFO"
		expect_tree <<-'EOF'
			d 755 .
			l good -> ok
			f 644 hl1 ok\n links=2
			f 644 ok ok\n links=2
			f 644 outlink outside\n
			d 755 sub
			l sub/back -> ../ok
		EOF
	}
	each_tar expect
}

@test "cp real tree: a mode-000 directory holding a mode-000 file, as GNU tar and bsdtar send it" {
	((EUID == 0)) || skip "LOUD SKIP: only root can archive a mode-000 tree (the crafted mode000 test runs)"
	mkdir -p "$G/payload/locked"
	echo secret >"$G/payload/locked/secret"
	echo after >"$G/payload/after"
	chmod 000 "$G/payload/locked/secret" "$G/payload/locked"
	(cd "$G" && tar --format=pax -c -f "$W/scratch/gnu.tar" ./payload &&
		bsdtar --format=pax -c -f "$W/scratch/bsd.tar" ./payload)
	chmod 700 "$G/payload/locked"
	[ "$(tar -tvf "$W/scratch/gnu.tar" | grep -c '^d--------- .*payload/locked/$')" -eq 1 ]
	[ "$(bsdtar -tvf "$W/scratch/bsd.tar" | grep -c '^---------- .*payload/locked/secret$')" -eq 1 ]
	expect() {
		expect_copied 0
		mode000_check
	}
	TAR_KIND="GNU tar, replayed"
	guest_tar_replay "$W/scratch/gnu.tar"
	each_copy expect
	TAR_KIND="bsdtar, replayed"
	guest_tar_replay "$W/scratch/bsd.tar"
	each_copy expect
}

git_tree() {
	git init -q "$1/payload"
	git -C "$1/payload" config core.fsmonitor "touch $W/outside/fsmonitor-ran"
	echo 'int main(void){return 0;}' >"$1/payload/main.c"
}

@test "cp real tree: a git work tree arrives without .git; --with-vcs brings it" {
	in_guests git_tree
	# The guest's fsmonitor is live: git in (a copy of) the guest tree runs it.
	cp -a "$G/payload" "$W/scratch/git-check"
	git -C "$W/scratch/git-check" status >/dev/null 2>&1 || true
	[ -e "$W/outside/fsmonitor-ran" ]
	rm "$W/outside/fsmonitor-ran"
	local n
	n=$(find "$G/payload/.git" | wc -l)
	expect() {
		expect_copied 1 "payload/.git: $VCS_WHY"
		expect_tree <<-'EOF'
			d 755 .
			f 644 main.c int main(void){return 0;}\n
		EOF
		GIT_CEILING_DIRECTORIES=$W/host run_unprivileged git -C "$DEST" status >/dev/null 2>&1 || true
		[ ! -e "$W/outside/fsmonitor-ran" ] || oops "the guest's fsmonitor ran on the host"
	}
	each_tar expect
	expect() {
		expect_status 0
		expect_stderr -- "dvm: warning: --with-vcs: git config from a VM can run commands on the host (core.fsmonitor, hooks); read $DEST/.git/config before running git there"
		[ "$(cd "$DEST" && find .git | wc -l)" -eq "$n" ] || oops "not all of .git arrived"
		grep -q "fsmonitor = touch $W/outside/fsmonitor-ran" "$DEST/.git/config" || oops ".git/config differs"
	}
	each_tar expect --with-vcs
}
