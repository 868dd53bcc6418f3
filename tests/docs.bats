#!/usr/bin/env bats
# Every example in README.md and docs/*.md is exercised:
#   - a ```sh block runs, line by line, in a fresh hermetic setup against
#     the fake limactl (stub guest); every line must succeed. An HTML
#     comment `<!-- setup: CMD -->` just before the block runs CMD first
#     (for the state the example assumes, e.g. an existing VM);
#   - a ```sh block whose first line is `# ~/PATH` is a file: after the
#     setup it is appended to PATH, then the comment's `; then: CMD` runs
#     (`<!-- setup: dvm new app; then: dvm sync app --dry-run -->`);
#   - any other block must be preceded by `<!-- checked by: FILE "TEST" -->`
#     naming the test that produces or checks it, and that test must exist.
# A new example without either fails here.

load test_helper

setup() {
	setup_dvm_env
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/bin" "$T/work"
	ln -s "$DVM" "$T/bin/dvm"
	# Stand-ins for what the examples call on a Mac: an editor, the
	# keychain, and a clone for `git status` in the (stub) guest.
	printf '#!/bin/sh\necho token-from-keychain\n' >"$T/bin/security"
	chmod +x "$T/bin/security"
	git init -q "$T/clone"
	export PATH=$T/bin:$PATH EDITOR=true GIT_DIR=$T/clone/.git GIT_WORK_TREE=$T/clone
}
teardown() { teardown_dvm_env; }

# doc_blocks FILE: write each fenced block of FILE to $T/blocks/N with
# N.info holding line, fence info and the comment before it, split by
# \037 (a tab would let empty fields collapse).
doc_blocks() {
	rm -rf "$T/blocks"
	mkdir -p "$T/blocks"
	awk -v dir="$T/blocks" '
		/^```/ {
			if (!inb) {
				n++; inb = 1
				info = substr($0, 4)
				printf "%d\037%s\037%s\n", NR, info, prev > (dir "/" n ".info")
				printf "" > (dir "/" n)
			} else inb = 0
			next
		}
		inb { print > (dir "/" n); next }
		/^[[:space:]]*$/ { next }
		{ prev = $0 }
	' "$1"
}

# check_docs FILE: run or verify every block of FILE; print a line per
# block and fail on the first that does not hold.
check_docs() {
	local file=$REPO_DIR/$1 info line fence comment setup ref name n
	local checked_re='^<!-- checked by: ([^ ]+) "(.*)" -->$'
	local setup_re='^<!-- setup: (.*) -->$'
	doc_blocks "$file"
	for info in "$T"/blocks/*.info; do
		[ -e "$info" ] || continue
		n=${info%.info}
		IFS=$'\037' read -r line fence comment <"$info"
		if [[ $comment =~ $checked_re ]]; then
			ref=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
			[ -f "$REPO_DIR/$ref" ] || fail "$1:$line: checked by missing file $ref"
			grep -qF -- "$name" "$REPO_DIR/$ref" ||
				fail "$1:$line: $ref has no test \"$name\""
			echo "$1:$line: checked by $ref \"$name\""
			continue
		fi
		[ "$fence" = sh ] || fail "$1:$line: example block without a test (add <!-- checked by: ... --> or make it a sh block)"
		setup=:
		[[ $comment =~ $setup_re ]] && setup=${BASH_REMATCH[1]}
		run_block "$1:$line" "$setup" "$n"
	done
}

# run_block WHERE SETUP FILE: a fresh config and Lima home, then each line
# (or, for a file block, the file and the `then:` command).
run_block() {
	local where=$1 setup=$2 file=$3 cmd status then='' first target
	rm -rf "$XDG_CONFIG_HOME/dvm" "$LIMA_HOME" "$FAKE_LIMA_LOG_DIR" "$T/work"
	fake_guest_marker
	mkdir -p "$LIMA_HOME" "$T/work"
	stand_in_recipes
	cd "$T/work" || return 1
	if [[ $setup == *'; then: '* ]]; then
		then=${setup#*; then: }
		setup=${setup%%; then: *}
	fi
	bash -e -c "$setup" </dev/null >"$T/out" 2>&1 ||
		fail "$where: setup '$setup' failed: $(cat "$T/out")"
	IFS= read -r first <"$file"
	if [[ $first =~ ^#\ ~/([^ ]+)$ ]]; then
		[ -n "$then" ] || fail "$where: a file example needs '; then: CMD' in its setup comment"
		target=$HOME/${BASH_REMATCH[1]}
		mkdir -p "${target%/*}"
		tail -n +2 "$file" >>"$target"
		chmod 600 "$target"
		bash -e -c "$then" </dev/null >"$T/out" 2>&1 ||
			fail "$where: '$then' after writing ~/${BASH_REMATCH[1]} failed: $(tail -5 "$T/out")"
		echo "$where: wrote ~/${BASH_REMATCH[1]}, ran: $then"
		return 0
	fi
	while IFS= read -r cmd || [ -n "$cmd" ]; do
		[[ -z $cmd || $cmd == \#* ]] && continue
		status=0
		bash -e -c "$cmd" </dev/null >"$T/out" 2>&1 || status=$?
		[ "$status" -eq 0 ] ||
			fail "$where: '$cmd' exited $status: $(tail -5 "$T/out")"
		echo "$where: ran: $cmd"
	done <"$file"
}

# The recipes themselves are tested in recipes.bats; a stub guest runs on
# this host, so every bundled recipe gets a harmless stand-in here.
stand_in_recipes() {
	local r=$XDG_CONFIG_HOME/dvm/recipes name
	mkdir -p "$r"
	for name in $("$DVM" recipes | cut -d' ' -f1); do
		printf '# Description: stand-in for %s\necho "%s ran"\n' "$name" "$name" >"$r/$name.sh"
	done
	chmod 700 "$XDG_CONFIG_HOME/dvm" "$r"
	chmod 600 "$r"/*.sh
}

@test "README: make demo shows the dry-run sync of the sample VM" {
	unset MAKEFLAGS MAKELEVEL
	run make -s -C "$REPO_DIR" demo
	assert_success
	assert_output_contains "limactl --log-level warn start --yes --name=dvm-sample"
	assert_output_contains " --mount-none "
	assert_output_contains "limactl shell --workdir=/ dvm-sample bash -s"
	assert_output_contains "stdin step 3: recipe baseline (bundled)"
	# The header is a command that works when copied, and no path shown is
	# a temp dir that is gone when the demo ends.
	# shellcheck disable=SC2016 # the literal text of the header
	assert_line_contains '$ DVM_CONFIG_DIR=$PWD/examples/config dvm sync sample --dry-run'
	assert_output_contains "run $REPO_DIR/examples/config/vms/sample/setup.sh"
	[[ $output != *dvm-demo.* ]] || fail "the demo shows a temp path"
}

@test "docs: every example in README.md holds" { check_docs README.md; }
@test "docs: every example in docs/getting-started.md holds" { check_docs docs/getting-started.md; }
@test "docs: every example in docs/config.md holds" { check_docs docs/config.md; }
@test "docs: every example in docs/projects.md holds" { check_docs docs/projects.md; }
@test "docs: every example in docs/recipes.md holds" { check_docs docs/recipes.md; }
@test "docs: every example in docs/commands.md holds" { check_docs docs/commands.md; }
@test "docs: every example in docs/security.md holds" { check_docs docs/security.md; }
@test "docs: every example in docs/troubleshooting.md holds" { check_docs docs/troubleshooting.md; }
@test "docs: every example in docs/lima.md holds" { check_docs docs/lima.md; }
@test "docs: every example in docs/hacking.md holds" { check_docs docs/hacking.md; }
@test "docs: every example in docs/completions.md holds" { check_docs docs/completions.md; }

@test "docs: every markdown file in docs/ has a test here" {
	local f
	for f in "$REPO_DIR"/docs/*.md; do
		grep -qF "check_docs docs/${f##*/}" "$BATS_TEST_FILENAME" ||
			fail "docs/${f##*/} is not checked by tests/docs.bats"
	done
}

@test "docs: every test named in docs/security.md's tables exists" {
	local row file name n=0
	while IFS= read -r row; do
		[[ $row =~ \`(tests/[^\`]+)\`\ \"(.*)\"\ \|$ ]] || continue
		file=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
		name=${name//\\|/|}
		[ -f "$REPO_DIR/$file" ] || fail "security.md names a missing file $file"
		if [[ $file == *.bats ]]; then
			grep -qF "@test \"$name\"" "$REPO_DIR/$file" ||
				fail "security.md names a test $file has not: \"$name\""
		else
			grep -qF -- "$name" "$REPO_DIR/$file" ||
				fail "security.md names a check $file has not: \"$name\""
		fi
		n=$((n + 1))
	done <"$REPO_DIR/docs/security.md"
	[ "$n" -ge 30 ] || fail "only $n rows with a test found in docs/security.md"
}
