#!/usr/bin/env bats
# shellcheck disable=SC2016  # literal $ in the scripts run by bash, zsh and fish
# Shell completions (completions/): each shell is asked for the real completions of
# command lines against a small config tree, not only whether the file loads.
#
# bash: a child bash sources dvm.bash, sets COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT
#   as readline would and calls the function `complete -p dvm` names.
# zsh: an interactive zsh in a zpty, with compinit and _dvm from completions/, gets the
#   line and a TAB; a compadd wrapper records every match that completion adds.
# fish: `complete -C LINE` after sourcing dvm.fish.

load test_helper
load lib/bash32

setup_file() {
	# compinit without a dump file takes seconds here: build one dump, with
	# completions/ in fpath, for every zsh test of this file.
	local comp_dir
	comp_dir=$(cd -- "$BATS_TEST_DIRNAME/../completions" && pwd)
	zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -d "$2"' \
		_ "$comp_dir" "$BATS_FILE_TMPDIR/zcompdump"
}

setup() {
	setup_dvm_env
	COMP_DIR=$REPO_DIR/completions
	local c=$TEST_CONFIG_DIR
	mkdir -p -- "$c/vms/app" "$c/vms/trusted/projects/api" "$c/vms/trusted/projects/web" \
		"$c/vms/stray/projects/lost" "$c/vms/Bad" "$c/vms/.hidden" \
		"$c/vms/trusted/projects/notyet"
	: >"$c/vms/app/config.sh"
	: >"$c/vms/trusted/config.sh"
	: >"$c/vms/trusted/projects/api/project.sh"
	: >"$c/vms/trusted/projects/web/project.sh"
	# Not VMs or projects: no config.sh, no project.sh, names dvm refuses.
	: >"$c/vms/stray/projects/lost/project.sh"
	: >"$c/vms/Bad/config.sh"
	: >"$c/vms/.hidden/config.sh"
	# dvm on PATH (for `dvm recipes`), through a wrapper that logs each call.
	mkdir -p -- "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\nexec "%s" "$@"\n' \
		"$BATS_TEST_TMPDIR/dvm-calls" "$DVM" >"$BATS_TEST_TMPDIR/bin/dvm"
	chmod +x "$BATS_TEST_TMPDIR/bin/dvm"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH
}
teardown() { teardown_dvm_env; }

# lines WORD...: the words one per line, for assert_output.
lines() { printf '%s\n' "$@"; }

# ---------------------------------------------------------------- helpers

# (Run in the child bash.) _bc_words LINE: LINE split into _bc_w as readline splits it
# for COMP_WORDS: at blanks, and around runs of ':' and '=' when COMP_WORDBREAKS has
# them ("app:src" is app, :, src). A line that ends in a blank ends with an empty word.
_bc_words() {
	local line=$1 i c w='' type='' brk=''
	[[ $COMP_WORDBREAKS == *:* ]] && brk+=:
	[[ $COMP_WORDBREAKS == *=* ]] && brk+='='
	_bc_w=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == ' ' ]]; then
			[[ -n $w ]] && _bc_w+=("$w")
			w=''
		elif [[ -n $brk && $brk == *"$c"* ]]; then
			[[ -n $w && $type != brk ]] && _bc_w+=("$w") && w=''
			w+=$c type=brk
		else
			[[ -n $w && $type == brk ]] && _bc_w+=("$w") && w=''
			w+=$c type=word
		fi
	done
	[[ -n $w ]] && _bc_w+=("$w")
	[[ -z $line || $line == *' ' ]] && _bc_w+=('')
	return 0
}

# (Run in the child bash.) _bc_complete FILE LINE [PRELUDE]: source FILE, run PRELUDE,
# complete LINE (cursor at its end) and print COMPREPLY, one match a line.
_bc_complete() {
	local spec fn
	# shellcheck source=/dev/null
	source "$1" || return
	eval "${3-}"
	spec=$(complete -p dvm) || return
	fn=${spec##* -F }
	fn=${fn%% *}
	_bc_words "$2"
	COMP_LINE=$2
	COMP_POINT=${#2}
	COMP_WORDS=("${_bc_w[@]}")
	COMP_CWORD=$((${#_bc_w[@]} - 1))
	COMPREPLY=()
	"$fn" dvm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" || return
	if ((${#COMPREPLY[@]})); then
		printf '%s\n' "${COMPREPLY[@]}"
	fi
}

# complete_bash LINE [PRELUDE]: what bash completes for LINE. dvm.bash is registered
# with -o nospace and adds the space itself, so a unique whole-word match ends in one.
complete_bash() {
	run bash --norc --noprofile -c "$(declare -f _bc_words _bc_complete)"'
_bc_complete "$@"' _ "$COMP_DIR/dvm.bash" "$@"
}


# complete_zsh LINE: the matches zsh's completion adds for LINE, sorted. An interactive
# zsh in a zpty loads compinit (fpath: completions/ first) and a compadd wrapper that
# logs each real call's matches (compadd -O: the words that match the line), then
# gets LINE and a TAB, bound to a widget that runs _main_complete and logs --done--.
complete_zsh() {
	local log=$BATS_TEST_TMPDIR/zsh-matches
	: >"$log"
	cat >"$BATS_TEST_TMPDIR/zsh-init" <<EOF
PS1='' RPS1=''
fpath=(${COMP_DIR@Q} \$fpath)
autoload -Uz compinit && compinit -u -d ${BATS_FILE_TMPDIR@Q}/zcompdump
compadd() {
	setopt localoptions extendedglob
	local a
	local -a hits
	for a in "\$@"; do
		[[ \$a == -- ]] && break
		# -O/-A/-D: a filter call that adds nothing.
		[[ \$a == -[a-zA-Z]#[OAD] ]] && { builtin compadd "\$@"; return; }
	done
	builtin compadd -O hits "\$@"
	((\$#hits)) && print -rl -- \$hits >>${log@Q}
	builtin compadd "\$@"
}
_test_complete() { _main_complete; print -r -- --done-- >>${log@Q}; }
zle -C test-complete complete-word _test_complete
bindkey '^I' test-complete
print -r -- --ready-- >>${log@Q}
EOF
	run env TERM=xterm LC_ALL=C zsh -f -c '
zmodload zsh/zpty || exit 2
log=$1
wait_for() {
	local i
	for i in {1..200}; do
		[[ -n ${(M)${(f)"$(<$log)"}:#$1} ]] && return 0
		sleep 0.05
	done
	print -u2 "zsh: no $1 in $log"
	return 1
}
zpty z zsh -f -i
zpty -w z "source ${(q)2}"
wait_for --ready-- || { zpty -d z; exit 1; }
zpty -w -n z "$3$4"
wait_for --done-- || { zpty -d z; exit 1; }
zpty -d z
print -rl -- ${(ou)${(f)"$(<$log)"}:#(--ready--|--done--)}' _ "$log" "$BATS_TEST_TMPDIR/zsh-init" "$1" $'\t'
}

# complete_fish LINE: fish's completions for LINE, without descriptions, sorted.
complete_fish() {
	run fish --no-config -c 'source $argv[1]; and complete -C $argv[2] | string replace -r "\t.*" "" | env LC_ALL=C sort' \
		"$COMP_DIR/dvm.fish" "$1"
}

# complete_all LINE...: what bash, zsh and fish complete for the LINEs, one match a line
# (bash's trailing space dropped), in $got_bash, $got_zsh and $got_fish.
complete_all() {
	local l m
	got_bash='' got_zsh='' got_fish=''
	for l in "$@"; do
		complete_bash "$l"
		m=${output//$' \n'/$'\n'}
		got_bash+=${m% }$'\n'
		complete_zsh "$l"
		got_zsh+=$output$'\n'
		complete_fish "$l"
		got_fish+=$output$'\n'
	done
}

# completed_by_all WORD WHAT: each shell completed WORD as a whole match.
completed_by_all() {
	local sh got
	for sh in bash zsh fish; do
		got=got_$sh
		grep -qxF -- "$1" <<<"${!got}" || fail "$2: $1 is not completed by $sh"
	done
}

# ---------------------------------------------------------------- bash

@test "bash: dvm.bash registers its function for dvm with -o nospace" {
	run bash --norc --noprofile -c 'source "$1" && complete -p dvm' _ "$COMP_DIR/dvm.bash"
	assert_success
	assert_output "complete -o nospace -F _dvm dvm"
}

@test "bash: the first word completes the commands, with a dash dvm's --help and --version" {
	complete_bash 'dvm '
	assert_success
	assert_output "$(lines add base cp doctor help init key logs ls new recipes reset rm sh ssh ssh-key stop sync version)"
	complete_bash 'dvm sy'
	assert_output "sync "
	complete_bash 'dvm s'
	assert_output "$(lines sh ssh ssh-key stop sync)"
	complete_bash 'dvm -'
	assert_output "$(lines --help --version)"
	complete_bash 'dvm --help '
	assert_output ""
}

@test "bash: sync completes the VMs and projects that have configs, and nothing else" {
	complete_bash 'dvm sync '
	assert_success
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_bash 'dvm sync t'
	assert_output "$(lines trusted trusted/api trusted/web)"
	complete_bash 'dvm sync a'
	assert_output "app "
	complete_bash 'dvm sync st'
	assert_output ""
	complete_bash 'dvm sync app '
	assert_output "--dry-run "
	# key takes a project too: it has a key of its own.
	complete_bash 'dvm key trusted/'
	assert_output "$(lines trusted/api trusted/web)"
	complete_bash 'dvm ssh-key trusted/a'
	assert_output "trusted/api "
}

@test "bash: sync's flags with a dash; --all leaves no target" {
	complete_bash 'dvm sync -'
	assert_output "$(lines --all --jobs --dry-run --help)"
	complete_bash 'dvm sync app -'
	assert_output "$(lines --dry-run --help)"
	complete_bash 'dvm sync --all '
	assert_output "$(lines --jobs --dry-run)"
	complete_bash 'dvm sync -a --dry-run -'
	assert_output "$(lines --jobs --help)"
	complete_bash 'dvm sync --all --jobs '
	assert_output ""
	complete_bash 'dvm sync --all --jobs 8 '
	assert_output "--dry-run "
	complete_bash 'dvm stop -'
	assert_output "$(lines --all --only-config --dry-run --help)"
	complete_bash 'dvm stop --all -'
	assert_output "$(lines --only-config --dry-run --help)"
}

@test "bash: new and init complete the templates dvm lists, also after --template=" {
	complete_bash 'dvm new --template '
	assert_output "$(lines app cloudflared llama tailscale)"
	complete_bash 'dvm init box -t '
	assert_output "$(lines app cloudflared llama tailscale)"
	complete_bash 'dvm new box --template l'
	assert_output "llama "
	# bash replaces only what follows the '=' (a COMP_WORDBREAKS character) ...
	complete_bash 'dvm new box --template=c'
	assert_output "cloudflared "
	complete_bash 'dvm new box --template='
	assert_output "$(lines app cloudflared llama tailscale)"
	# ... or the whole word when '=' does not break words.
	complete_bash 'dvm new box --template=t' 'COMP_WORDBREAKS=${COMP_WORDBREAKS//=/}'
	assert_output "--template=tailscale "
	# The VM name is a new one: nothing to offer; then the flags.
	complete_bash 'dvm new '
	assert_output ""
	complete_bash 'dvm new box --template app -'
	assert_output "$(lines --dry-run --help)"
	# --list-templates goes alone.
	complete_bash 'dvm new -'
	assert_output "$(lines --template --dry-run --list-templates --help)"
	complete_bash 'dvm new --list-templates '
	assert_output ""
	# A template of yours is one more.
	mkdir -p "$TEST_CONFIG_DIR/templates"
	printf 'use git\n' >"$TEST_CONFIG_DIR/templates/mine.sh"
	complete_bash 'dvm new box --template m'
	assert_output "mine "
	complete_bash 'dvm new box --template='
	assert_output "$(lines app cloudflared llama mine tailscale)"
}

@test "bash: recipes completes the names dvm recipes lists" {
	complete_bash 'dvm recipes ba'
	assert_success
	assert_output "$(lines baseline bat)"
	complete_bash 'dvm recipes clau'
	assert_output "claude "
	complete_bash 'dvm recipes claude '
	assert_output ""
}

@test "bash: sh and ssh complete a VM's projects; after ssh's target, no dvm flags" {
	complete_bash 'dvm sh trusted/'
	assert_output "$(lines trusted/api trusted/web)"
	complete_bash 'dvm sh trusted/w'
	assert_output "trusted/web "
	complete_bash 'dvm ssh '
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_bash 'dvm ssh -- a'
	assert_output "app "
	complete_bash 'dvm ssh -'
	assert_output "--help "
	complete_bash 'dvm ssh app '
	assert_output ""
	complete_bash 'dvm ssh app -'
	assert_output ""
	complete_bash 'dvm ssh app -- git --'
	assert_output ""
	complete_bash 'dvm ssh trusted/api ls -'
	assert_output ""
}

@test "bash: help completes the command names" {
	complete_bash 'dvm help s'
	assert_output "$(lines sh ssh ssh-key stop sync)"
	complete_bash 'dvm help i'
	assert_output "init "
	complete_bash 'dvm help sync '
	assert_output ""
	complete_bash 'dvm help -'
	assert_output ""
}

@test "bash: add completes <vm>/ without a space, then nothing for the new name" {
	complete_bash 'dvm add '
	assert_output "$(lines app/ trusted/)"
	complete_bash 'dvm add t'
	assert_output "trusted/"
	complete_bash 'dvm add trusted/'
	assert_output ""
	complete_bash 'dvm add trusted/x '
	assert_output "--dry-run "
}

@test "bash: cp completes <vm>: and <vm>/<project>: prefixes and local files, nothing in the guest" {
	mkdir -p -- "$BATS_TEST_TMPDIR/work/src" && : >"$BATS_TEST_TMPDIR/work/notes.txt"
	cd "$BATS_TEST_TMPDIR/work" || return
	complete_bash 'dvm cp '
	run env LC_ALL=C sort <<<"$output" # files come in directory order
	assert_output "$(lines app: notes.txt src/ trusted/api: trusted/web: trusted:)"
	complete_bash 'dvm cp trusted/a'
	assert_output "trusted/api:"
	complete_bash 'dvm cp s'
	assert_output "src/"
	complete_bash 'dvm cp app:'
	assert_output ""
	complete_bash 'dvm cp trusted/api:di'
	assert_output ""
	complete_bash 'dvm cp app:notes.txt n'
	assert_output "notes.txt "
	complete_bash 'dvm cp ./src app: '
	assert_output "$(lines --dry-run --with-vcs --max-size)"
	complete_bash 'dvm cp -'
	assert_output "$(lines --dry-run --with-vcs --max-size --help)"
	complete_bash 'dvm cp --max-size '
	assert_output ""
	: >"odd name*"
	complete_bash 'dvm cp od'
	assert_output 'odd\ name\* '
}

@test "bash: logs completes -f after a project, nothing after a VM's unit" {
	complete_bash 'dvm logs '
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_bash 'dvm logs -'
	assert_output "$(lines -f --follow --help)"
	complete_bash 'dvm logs trusted/api '
	assert_output "$(lines -f --follow)"
	complete_bash 'dvm logs trusted/api -f '
	assert_output ""
	complete_bash 'dvm logs app '
	assert_output ""
	complete_bash 'dvm logs app dvm-llama.service -'
	assert_output ""
}

@test "bash: rm and reset offer the flags that fit a VM or a project" {
	complete_bash 'dvm rm '
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_bash 'dvm rm -'
	assert_output "$(lines --yes --force --config --keep-data --dry-run --help)"
	complete_bash 'dvm rm app '
	assert_output "$(lines --yes --force --config --dry-run)"
	complete_bash 'dvm rm trusted/web --yes '
	assert_output "$(lines --force --config --keep-data --dry-run)"
	complete_bash 'dvm rm app -y -'
	assert_output "$(lines --force --config --dry-run --help)"
	complete_bash 'dvm reset -'
	assert_output "$(lines --yes --force --keep-data --dry-run --help)"
	complete_bash 'dvm reset app '
	assert_output "$(lines --yes --force --dry-run)"
	complete_bash 'dvm reset trusted/api --yes '
	assert_output "$(lines --force --keep-data --dry-run)"
}

@test "bash: base completes its subcommands and each one's flags; ls completes VMs and --json" {
	complete_bash 'dvm base '
	assert_output "$(lines init dev-init build status rm)"
	complete_bash 'dvm base build -'
	assert_output "$(lines --clean --no-cache --dry-run --help)"
	complete_bash 'dvm base rm '
	assert_output "$(lines --builder --image --dry-run)"
	complete_bash 'dvm base --dry-run rm --b'
	assert_output "--builder "
	complete_bash 'dvm base status -'
	assert_output "$(lines --dry-run --help)"
	complete_bash 'dvm ls '
	assert_output "$(lines app trusted)"
	complete_bash 'dvm ls app '
	assert_output "--json "
	complete_bash 'dvm ls -'
	assert_output "$(lines --json --only-config --help)"
	complete_bash 'dvm doctor '
	assert_output ""
	complete_bash 'dvm version -'
	assert_output ""
}

@test "bash: the config dir is DVM_CONFIG_DIR, else an absolute XDG_CONFIG_HOME, else ~/.config" {
	local t=$BATS_TEST_TMPDIR
	mkdir -p -- "$t/other/vms/solo/projects/p1" "$t/xdg/dvm/vms/xvm" "$t/home2/.config/dvm/vms/homevm"
	: >"$t/other/vms/solo/config.sh"
	: >"$t/other/vms/solo/projects/p1/project.sh"
	: >"$t/xdg/dvm/vms/xvm/config.sh"
	: >"$t/home2/.config/dvm/vms/homevm/config.sh"
	complete_bash 'dvm sync ' "DVM_CONFIG_DIR='$t/other'"
	assert_output "$(lines solo solo/p1)"
	complete_bash 'dvm sync ' "XDG_CONFIG_HOME='$t/xdg' DVM_CONFIG_DIR="
	assert_output "xvm "
	# A relative XDG_CONFIG_HOME is ignored, as dvm ignores it.
	complete_bash 'dvm sync ' "HOME='$t/home2' XDG_CONFIG_HOME=relative"
	assert_output "homevm "
	complete_bash 'dvm sync ' "HOME='$t/home2'; unset XDG_CONFIG_HOME"
	assert_output "homevm "
}

@test "bash: the user's shell options neither change the matches nor get lost" {
	local opts='shopt -s failglob nocasematch dotglob nocaseglob; set -fu; IFS=:'
	complete_bash 'dvm sync ' "$opts"
	assert_success
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_bash 'dvm sync T' "$opts"
	assert_output ""
	run bash --norc --noprofile -c "$(declare -f _bc_words _bc_complete)"'
_bc_complete "$@" >/dev/null
shopt -p failglob nocasematch nullglob dotglob; echo "$-" "[$IFS]"' _ "$COMP_DIR/dvm.bash" 'dvm cp ' "$opts"
	assert_success
	assert_output "$(lines 'shopt -s failglob' 'shopt -s nocasematch' 'shopt -u nullglob' 'shopt -s dotglob' 'fhuBc [:]')"
}

@test "bash: dvm.bash uses nothing newer than bash 3.2" {
	bash4_constructs "$COMP_DIR/dvm.bash"
	# The check catches each construct it looks for.
	local c
	for c in 'declare -A m' 'local -A m' 'mapfile -t a' 'readarray a <f' 'x=${v,,}' 'x=${v^^}' \
		'x=${v^}' 'x=${v: -2}' 'x=${v:0:-1}' 'x=${a[-1]}' 'local -n r=v' 'declare -g x=1' \
		'x=${v@Q}' 'a |& b' 'compopt -o nospace' 'coproc cat' '[[ -v x ]]' 'exec {fd}>f'; do
		printf '%s\n' "$c" >"$BATS_TEST_TMPDIR/new.bash"
		run bash4_constructs "$BATS_TEST_TMPDIR/new.bash"
		assert_failure || fail "not caught: $c"
	done
	for c in 'x=${v:-1}' 'x=${v:1:2}' 'x=${#a[@]}' 'compopt -o nospace 2>/dev/null' 'a+=(b)' 'printf -v x %s y'; do
		printf '%s\n' "$c" >"$BATS_TEST_TMPDIR/old.bash"
		run bash4_constructs "$BATS_TEST_TMPDIR/old.bash"
		assert_success || fail "bash 3.2 code taken for newer: $c"
	done
}

@test "completion reads names from the directory: no limactl, and dvm only for recipes and templates" {
	complete_bash 'dvm sync '
	complete_bash 'dvm sh trusted/'
	complete_fish 'dvm rm '
	complete_zsh 'dvm ssh '
	assert_lima_call_count 0
	refute_file_exists "$BATS_TEST_TMPDIR/dvm-calls"
	complete_bash 'dvm recipes '
	complete_fish 'dvm recipes '
	complete_zsh 'dvm recipes '
	complete_bash 'dvm new box -t '
	complete_fish 'dvm new box -t '
	complete_zsh 'dvm new box -t '
	run cat "$BATS_TEST_TMPDIR/dvm-calls"
	assert_output "$(lines recipes recipes recipes "new --list-templates" "new --list-templates" "new --list-templates")"
	assert_lima_call_count 0
}

# ---------------------------------------------------------------- zsh

@test "zsh: _dvm is found by compinit in fpath and registered for dvm; sourcing it works too" {
	run zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -d "$2" && print -r -- $_comps[dvm]' \
		_ "$COMP_DIR" "$BATS_TEST_TMPDIR/zcompdump"
	assert_success
	assert_output "_dvm"
	run zsh -f -c 'autoload -Uz compinit && compinit -u -C -d "$2" && source "$1" && print -r -- $_comps[dvm]' \
		_ "$COMP_DIR/_dvm" "$BATS_FILE_TMPDIR/zcompdump"
	assert_success
	assert_output "_dvm"
	# Without compinit it defines its helpers and says nothing.
	run zsh -f -c 'source "$1" && whence -w _dvm_vm_names' _ "$COMP_DIR/_dvm"
	assert_success
	assert_output "_dvm_vm_names: function"
	run head -1 "$COMP_DIR/_dvm"
	assert_output "#compdef dvm"
}

@test "zsh: its helpers list the VMs and projects from the config dir" {
	run zsh -f -c 'source "$1"; _dvm_vm_names; print -rl -- $reply; _dvm_project_names; print -rl -- $reply' \
		_ "$COMP_DIR/_dvm"
	assert_success
	assert_output "$(lines app trusted trusted/api trusted/web)"
	mkdir -p -- "$BATS_TEST_TMPDIR/other/vms/solo"
	: >"$BATS_TEST_TMPDIR/other/vms/solo/config.sh"
	run env DVM_CONFIG_DIR="$BATS_TEST_TMPDIR/other" zsh -f -c 'source "$1"; _dvm_vm_names; print -rl -- $reply' \
		_ "$COMP_DIR/_dvm"
	assert_output "solo"
	run env XDG_CONFIG_HOME=relative zsh -f -c 'source "$1"; _dvm_config_dir; print -r -- $REPLY' _ "$COMP_DIR/_dvm"
	assert_output "$HOME/.config/dvm"
}

@test "zsh: commands, and sync's VMs, projects and flags" {
	complete_zsh 'dvm '
	assert_success
	assert_output "$(lines add base cp doctor help init key logs ls new recipes reset rm sh ssh ssh-key stop sync version)"
	complete_zsh 'dvm sy'
	assert_output "sync"
	complete_zsh 'dvm sync '
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_zsh 'dvm sync --'
	assert_output "$(lines --all --dry-run --help --jobs)"
	complete_zsh 'dvm sync --all '
	refute_output_contains "trusted"
}

@test "zsh: templates, recipes, projects of a VM and command names for help" {
	complete_zsh 'dvm new box --template '
	assert_output "$(lines app cloudflared llama tailscale)"
	complete_zsh 'dvm init box --template=c'
	assert_output "cloudflared"
	mkdir -p "$TEST_CONFIG_DIR/templates"
	printf 'use git\n' >"$TEST_CONFIG_DIR/templates/mine.sh"
	complete_zsh 'dvm new box --template m'
	assert_output "mine"
	complete_zsh 'dvm new --l'
	assert_output "--list-templates"
	complete_zsh 'dvm new box --l'
	assert_output ""
	complete_zsh 'dvm recipes ba'
	assert_output "$(lines baseline bat)"
	complete_zsh 'dvm sh trusted/'
	assert_output "$(lines trusted/api trusted/web)"
	complete_zsh 'dvm key trusted/'
	assert_output "$(lines trusted/api trusted/web)"
	complete_zsh 'dvm help s'
	assert_output "$(lines sh ssh ssh-key stop sync)"
	complete_zsh 'dvm add t'
	assert_output "trusted"
}

@test "zsh: ssh completes only its target, cp prefixes, rm the flags that fit, base its subcommands" {
	complete_zsh 'dvm ssh '
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_zsh 'dvm ssh app -'
	assert_output ""
	complete_zsh 'dvm ssh app -- git '
	assert_output ""
	complete_zsh 'dvm cp trusted/a'
	assert_output "trusted/api"
	complete_zsh 'dvm cp app:'
	assert_output ""
	complete_zsh 'dvm rm app --'
	assert_output "$(lines --config --dry-run --force --help --yes)"
	complete_zsh 'dvm rm trusted/api --'
	assert_output "$(lines --config --dry-run --force --help --keep-data --yes)"
	complete_zsh 'dvm reset app --'
	assert_output "$(lines --dry-run --force --help --yes)"
	complete_zsh 'dvm cp --'
	assert_output "$(lines --dry-run --help --max-size --with-vcs)"
	complete_zsh 'dvm logs trusted/api -'
	assert_output "$(lines --follow -f)"
	complete_zsh 'dvm base '
	assert_output "$(lines build dev-init init rm status)"
	complete_zsh 'dvm base build --'
	assert_output "$(lines --clean --dry-run --help --no-cache)"
}

# ---------------------------------------------------------------- fish

@test "fish: commands and sync's VMs, projects and flags" {
	complete_fish 'dvm '
	assert_success
	assert_output "$(lines add base cp doctor help init key logs ls new recipes reset rm sh ssh ssh-key stop sync version)"
	complete_fish 'dvm sy'
	assert_output "sync"
	complete_fish 'dvm --'
	assert_output "$(lines --help --version)"
	complete_fish 'dvm sync '
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_fish 'dvm sync --'
	assert_output "$(lines --all --dry-run --help --jobs)"
	complete_fish 'dvm sync --all '
	assert_output ""
	complete_fish 'dvm sync app --'
	assert_output "$(lines --dry-run --help)"
}

@test "fish: templates, recipes, projects of a VM and command names for help" {
	complete_fish 'dvm new box --template '
	assert_output "$(lines app cloudflared llama tailscale)"
	complete_fish 'dvm init box -t t'
	assert_output "tailscale"
	complete_fish 'dvm new box --template=l'
	assert_output "--template=llama"
	mkdir -p "$TEST_CONFIG_DIR/templates"
	printf 'use git\n' >"$TEST_CONFIG_DIR/templates/mine.sh"
	complete_fish 'dvm new box --template m'
	assert_output "mine"
	complete_fish 'dvm new --l'
	assert_output "--list-templates"
	complete_fish 'dvm new box --l'
	assert_output ""
	complete_fish 'dvm recipes ba'
	assert_output "$(lines baseline bat)"
	complete_fish 'dvm sh trusted/'
	assert_output "$(lines trusted/api trusted/web)"
	complete_fish 'dvm key trusted/'
	assert_output "$(lines trusted/api trusted/web)"
	complete_fish 'dvm help s'
	assert_output "$(lines sh ssh ssh-key stop sync)"
	complete_fish 'dvm add '
	assert_output "$(lines app/ trusted/)"
	complete_fish 'dvm add trusted/'
	assert_output ""
}

@test "fish: ssh completes only its target, cp prefixes and files, rm and logs the flags that fit" {
	complete_fish 'dvm ssh '
	assert_output "$(lines app trusted trusted/api trusted/web)"
	complete_fish 'dvm ssh app -'
	assert_output ""
	complete_fish 'dvm ssh app -- git '
	assert_output ""
	mkdir -p -- "$BATS_TEST_TMPDIR/work/src"
	cd "$BATS_TEST_TMPDIR/work" || return
	complete_fish 'dvm cp '
	assert_output "$(lines app: src/ trusted/api: trusted/web: trusted:)"
	complete_fish 'dvm cp trusted/api:'
	assert_output ""
	complete_fish 'dvm rm app --'
	assert_output "$(lines --config --dry-run --force --help --yes)"
	complete_fish 'dvm rm trusted/api --'
	assert_output "$(lines --config --dry-run --force --help --keep-data --yes)"
	complete_fish 'dvm reset app --'
	assert_output "$(lines --dry-run --force --help --yes)"
	complete_fish 'dvm reset trusted/api --'
	assert_output "$(lines --dry-run --force --help --keep-data --yes)"
	complete_fish 'dvm cp --'
	assert_output "$(lines --dry-run --help --max-size --with-vcs)"
	complete_fish 'dvm logs trusted/api -'
	assert_output "$(lines --follow -f)"
	complete_fish 'dvm logs app dvm-llama.service -'
	assert_output ""
	complete_fish 'dvm base build --'
	assert_output "$(lines --clean --dry-run --help --no-cache)"
	complete_fish 'dvm ls '
	assert_output "$(lines app trusted)"
}

@test "fish: the config dir follows DVM_CONFIG_DIR" {
	mkdir -p -- "$BATS_TEST_TMPDIR/other/vms/solo"
	: >"$BATS_TEST_TMPDIR/other/vms/solo/config.sh"
	DVM_CONFIG_DIR=$BATS_TEST_TMPDIR/other complete_fish 'dvm sync '
	assert_output "solo"
}

# ---------------------------------------------------------------- against the source

@test "every command dvm help lists and every flag in a src/cmd_*.c table is completed by all three" {
	local cmds c f flag
	run_dvm help
	cmds=$(sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' <<<"$output")
	[ "$(wc -l <<<"$cmds")" -ge 16 ] || fail "too few commands parsed from dvm help: $cmds"
	complete_all 'dvm '
	for c in $cmds init; do
		completed_by_all "$c" "dvm <TAB>"
	done
	for f in "$REPO_DIR"/src/cmd_*.c; do
		c=${f##*/cmd_}
		c=${c%.c}
		case $c in
		base) complete_all 'dvm base -' 'dvm base build -' 'dvm base rm -' ;;
		*) complete_all "dvm $c -" ;;
		esac
		while read -r flag; do
			completed_by_all "$flag" "dvm $c -<TAB>"
		done < <(grep -oE '\{ "--[a-z-]+"' "$f" | grep -oE -- '--[a-z-]+')
	done
}

# ---------------------------------------------------------------- installing by hand (docs/completions.md)

@test "install by hand: bash, from ~/.local/share/bash-completion/completions and ~/.bashrc" {
	cd "$REPO_DIR" || return
	mkdir -p ~/.local/share/bash-completion/completions
	cp completions/dvm.bash ~/.local/share/bash-completion/completions/dvm
	echo 'source ~/.local/share/bash-completion/completions/dvm' >>~/.bashrc
	run --separate-stderr bash -i -c 'complete -p dvm; COMP_WORDS=(dvm sy); COMP_CWORD=1; COMP_LINE="dvm sy"; COMP_POINT=6; _dvm; printf "<%s>\n" "${COMPREPLY[@]}"' </dev/null
	assert_success
	assert_output "$(lines 'complete -o nospace -F _dvm dvm' '<sync >')"
}

@test "install by hand: zsh, a directory in fpath before compinit" {
	cd "$REPO_DIR" || return
	mkdir -p ~/.zsh/completions
	cp completions/_dvm ~/.zsh/completions/
	printf '%s\n' 'fpath=(~/.zsh/completions $fpath)' 'autoload -Uz compinit && compinit' >>~/.zshrc
	run --separate-stderr env -u ZDOTDIR zsh -i -c 'print -r -- $_comps[dvm]; whence -w _dvm' </dev/null
	assert_success
	assert_output "$(lines _dvm '_dvm: function')"
}

@test "install by hand: fish, ~/.config/fish/completions" {
	cd "$REPO_DIR" || return
	mkdir -p ~/.config/fish/completions
	cp completions/dvm.fish ~/.config/fish/completions/
	run --separate-stderr fish -c 'complete -C "dvm sy"; complete -C "dvm sh trusted/w"'
	assert_success
	assert_output "$(lines "sync	create or start the VM and run setup.sh" "trusted/web	project")"
}
