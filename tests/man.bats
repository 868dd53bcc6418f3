#!/usr/bin/env bats
# docs/dvm.1: the manual page lints clean with mandoc and keeps up with
# the code: every command, option, environment variable and exit status
# dvm has is documented there.

load test_helper

setup() {
	setup_dvm_env
	MAN=$REPO_DIR/docs/dvm.1
}
teardown() { teardown_dvm_env; }

need_mandoc() {
	command -v mandoc >/dev/null || skip "mandoc is not installed (tests/deps.sh installs it)"
}

# man_section NAME: the source lines of section NAME, up to the next .Sh.
man_section() {
	awk -v sh=".Sh $1" '$0 == sh { f = 1; next } /^\.Sh / { f = 0 } f' "$MAN"
}

# man_items: every list item of the page as one line: `.It Xo` is joined
# with the line that follows it, so long items read like short ones.
man_items() {
	awk '/^\.It Xo$/ { if ((getline l) > 0) print ".It " substr(l, 2); next }
		/^\.It / { print }' "$@"
}

# command_items: the items at the top level of the list in the
# Commands subsection (not those of nested option lists).
command_items() {
	awk '/^\.Ss Commands$/ { f = 1; next }
		f && /^\.S[hs] / { exit }
		f && /^\.Bl / { depth++ }
		f && /^\.El/ { depth-- }
		f && depth == 1 { print }' "$MAN" | man_items
}

# help_commands: the command names in the "commands:" block of dvm help.
help_commands() {
	awk '/^commands:$/ { f = 1; next } f && NF == 0 { exit } f { print $1 }' <<<"$1"
}

# has_option LINES NAME: some line of LINES has `Fl NAME` as a word
# (NAME is "-dry-run" for --dry-run, "n" for -n).
has_option() {
	grep -Eq -- "(^|[[:space:]])Fl ${2}([[:space:]]|\$)" <<<"$1"
}

@test "the page lints clean: mandoc -T lint -W warning prints nothing" {
	need_mandoc
	[ -f "$MAN" ] || fail "no manual page at $MAN"
	run mandoc -T lint -W warning "$MAN"
	assert_success
	assert_output ""
}

@test "the page has the title, date and sections in the usual mdoc order" {
	local want=(NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO")
	local got s i=0
	grep -qx '.Dt DVM 1' "$MAN" || fail "no .Dt DVM 1"
	grep -qx '.Dd November 22, 2026' "$MAN" || fail "no .Dd November 22, 2026"
	grep -qx '.Os' "$MAN" || fail "no .Os"
	# The wanted sections, in the order they appear in the page.
	got=$(sed -n 's/^\.Sh //p' "$MAN")
	while IFS= read -r s; do
		[[ $i -lt ${#want[@]} && $s == "${want[i]}" ]] && i=$((i + 1))
	done <<<"$got"
	[ "$i" -eq "${#want[@]}" ] ||
		fail "sections missing or out of order: expected ${want[*]}" "-- got:" "$got"
}

@test "every command of dvm help, and the init alias, is an item of the command list" {
	local items c n=0
	run_dvm help
	assert_success
	items=$(command_items)
	[ -n "$items" ] || fail "no items in the Commands subsection"
	for c in $(help_commands "$output") init; do
		n=$((n + 1))
		grep -Eq "^\.It Cm ${c}( |\$)" <<<"$items" ||
			fail "command '$c' has no '.It Cm $c' item in the Commands subsection of $MAN"
	done
	# Guard against a parse of dvm help that found nothing to check.
	[ "$n" -ge 15 ] || fail "only $n commands found in dvm help"
}

@test "every long option in a usage line of dvm help <cmd> is an item of the page" {
	local c usage opt items n=0
	run_dvm help
	assert_success
	items=$(man_items "$MAN")
	for c in $(help_commands "$output"); do
		run_dvm help "$c"
		assert_success
		usage=${output%%$'\n'*}
		[[ $usage == "usage: dvm $c"* ]] || fail "dvm help $c: no usage line" "$output"
		# A bare "--" (end of options) is not an option.
		for opt in $(grep -oE -- '--[a-z][a-z-]*' <<<"$usage") --help --version; do
			n=$((n + 1))
			has_option "$items" "${opt#-}" ||
				fail "option $opt (dvm $c) has no '.It ... Fl ${opt#-}' item in $MAN"
		done
	done
	[ "$n" -ge 20 ] || fail "only $n options found in the usage lines"
}

@test "every option in the flag tables of src/cmd_*.c is an item, with its short alias" {
	local items long short n=0
	items=$(man_items "$MAN")
	# Rows such as: { "--dry-run", "-n", &dry_run, NULL },
	while IFS=' ' read -r long short; do
		n=$((n + 1))
		if [[ $short == -? ]]; then
			grep -E -- "(^|[[:space:]])Fl ${long#-}([[:space:]]|\$)" <<<"$items" |
				grep -Eq -- "(^|[[:space:]])Fl ${short#-}([[:space:]]|\$)" ||
				fail "no item of $MAN lists both $short and $long"
		else
			has_option "$items" "${long#-}" || fail "no item of $MAN lists $long"
		fi
	done < <(sed -nE 's/.*\{ "(--[a-z-]+)", "?(-[a-zA-Z]|NULL)"?,.*/\1 \2/p' "$REPO_DIR"/src/cmd_*.c)
	[ "$n" -ge 15 ] || fail "only $n options found in src/cmd_*.c"
}

@test "every environment variable dvm reads is an item of ENVIRONMENT" {
	local env items v n=0
	local -a vars
	env=$(man_section ENVIRONMENT)
	[ -n "$env" ] || fail "no ENVIRONMENT section"
	items=$(man_items <<<"$env")
	# Direct getenv("NAME") calls, and the helpers that take the name:
	# env_flag("NAME"), image_env("NAME", ...), xdg_dir("NAME", "XDG_NAME", ...).
	mapfile -t vars < <(
		{
			grep -ohE '(getenv|env_flag|image_env)\("[A-Z_]+"' "$REPO_DIR"/src/*.c
			grep -ohE 'xdg_dir\("[A-Z_]+", "[A-Z_]+"' "$REPO_DIR"/src/*.c
			# The secrets of the service recipes: { "recipe", "VAR" } rows.
			sed -n '/recipe_secrets\[\] = {/,/^};/p' "$REPO_DIR"/src/secret.c
		} | grep -oE '"[A-Z][A-Z0-9_]+"' | tr -d '"' | sort -u
	)
	for v in "${vars[@]}"; do
		n=$((n + 1))
		grep -Eq "^\.It (.* )?Ev ${v}( |\$)" <<<"$items" ||
			fail "\$$v is read by dvm but has no '.It Ev $v' item in ENVIRONMENT"
	done
	# The variables named in the task and in docs/config.md, as a floor.
	for v in DVM_BASH DVM_BUILDER_DISK DVM_BUILDER_MEMORY DVM_DEV_BASE DVM_LIMACTL \
		DVM_LIMA_LOG_LEVEL DVM_VM_TYPE LIMA_HOME NO_COLOR TERM TMPDIR HOME \
		XDG_CONFIG_HOME XDG_STATE_HOME DVM_CONFIG_DIR DVM_STATE_DIR DVM_CACHE_DIR \
		DVM_VERBOSE DVM_DRY_RUN DVM_REBUILD_DEV_BASE; do
		[[ " ${vars[*]} " == *" $v "* ]] || fail "$v is no longer found in src/*.c: update this test"
	done
	[ "$n" -ge 25 ] || fail "only $n variables found in src/*.c"
}

@test "EXIT STATUS lists 0, 1, 2, 130 and 143, and says ssh passes its command's status through" {
	local sect n
	sect=$(man_section 'EXIT STATUS')
	[ -n "$sect" ] || fail "no EXIT STATUS section"
	for n in 0 1 2 130 143; do
		grep -Eq "^\.It ([0-9]+ , )*${n}( , [0-9]+)*\$" <<<"$sect" ||
			fail "exit status $n is not an item of EXIT STATUS"
	done
	grep -qx '.Cm ssh' <<<"$sect" || fail "EXIT STATUS does not mention ssh"
	grep -q 'status of the shell or command' <<<"$sect" ||
		fail "EXIT STATUS does not say that sh and ssh pass the guest's status through"
}

@test "the rendered page has no macro or escape leftovers" {
	need_mandoc
	local out
	run mandoc -T ascii "$MAN"
	assert_success
	# Drop the overstrike (X BACKSPACE X) that -T ascii uses for bold.
	out=${output//?$'\b'/}
	[[ $out == *"SYNOPSIS"* && $out == *"dvm sync"* ]] || fail "the rendered page looks empty" "$out"
	if grep -nE '^[[:space:]]*\.[A-Za-z]' <<<"$out"; then
		fail "rendered lines that start with a macro (above)"
	fi
	if grep -nF "\\" <<<"$out"; then
		fail "rendered lines with a backslash escape (above)"
	fi
	if grep -nE '(^|[[:space:]])(\.[A-Z][a-z]|Fl|Ar|Cm|Ev|Pa|Nm|Ns|Op|Xr|Ql|Sx|Dv)([[:space:]]|$)' <<<"$out"; then
		fail "rendered lines with an mdoc macro name in the text (above)"
	fi
}
