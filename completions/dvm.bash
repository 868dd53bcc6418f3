# shellcheck shell=bash
# bash completion for dvm. Install: see docs/completions.md.
#
# Works on bash 3.2 and later, with or without the bash-completion package
# (nothing of it is needed). VM and project names come straight from the
# config directory (no dvm or limactl call, no config evaluated); recipe
# and template names come from `dvm recipes` and `dvm new
# --list-templates`, which are cheap and evaluate no config.
#
# Registered with -o nospace so one code path serves every bash (bash 3.2
# has no compopt): a unique match gets its space from here, except a
# prefix such as "trusted/", "app:" or a directory, which the user goes on
# typing.

_dvm_commands=(add base cp doctor help init key logs ls new recipes reset rm sh ssh ssh-key stop sync version)

# dvm's config dir in _dvm_dir, as src/paths.c finds it.
_dvm_config_dir() {
	if [ -n "${DVM_CONFIG_DIR-}" ]; then
		_dvm_dir=$DVM_CONFIG_DIR
	else
		case ${XDG_CONFIG_HOME-} in
		/*) _dvm_dir=$XDG_CONFIG_HOME/dvm ;;
		*) _dvm_dir=${HOME-}/.config/dvm ;;
		esac
	fi
}

# _dvm_valid NAME: a name dvm accepts (a lowercase letter, then a-z, 0-9
# or '-'). Spelled out so no locale or nocasematch can widen the ranges.
_dvm_valid() {
	case $1 in
	'' | [!abcdefghijklmnopqrstuvwxyz]* | *[!abcdefghijklmnopqrstuvwxyz0123456789-]*)
		return 1 ;;
	esac
	return 0
}

# The globs and case patterns below need bash's defaults whatever the
# user set: save their options, set ours, and put theirs back after.
_dvm_opts_save() {
	local o
	_dvm_saved=
	for o in nullglob failglob dotglob nocaseglob nocasematch; do
		if shopt -q "$o" 2>/dev/null; then
			_dvm_saved="$_dvm_saved $o"
			shopt -u "$o" 2>/dev/null
		fi
	done
	shopt -s nullglob
	case $- in
	*f*) _dvm_saved="$_dvm_saved noglob"; set +f ;;
	esac
}

_dvm_opts_restore() {
	local o
	shopt -u nullglob
	for o in $_dvm_saved; do
		if [ "$o" = noglob ]; then
			set -f
		else
			shopt -s "$o" 2>/dev/null
		fi
	done
}

# _dvm_add WORD...: each WORD that starts with the current word joins
# COMPREPLY.
_dvm_add() {
	local w
	for w in "$@"; do
		case $w in
		"$_dvm_cur"*) COMPREPLY[${#COMPREPLY[@]}]=$w ;;
		esac
	done
}

# The VMs (vms/<vm>/config.sh) in _dvm_list.
_dvm_vms() {
	local f n
	_dvm_list=()
	for f in "$_dvm_dir"/vms/*/config.sh; do
		n=${f%/config.sh}
		n=${n##*/}
		if _dvm_valid "$n"; then
			_dvm_list[${#_dvm_list[@]}]=$n
		fi
	done
}

# The projects (vms/<vm>/projects/<p>/project.sh of a VM that has a
# config) as <vm>/<p> in _dvm_list.
_dvm_projects() {
	local f p v
	_dvm_list=()
	for f in "$_dvm_dir"/vms/*/projects/*/project.sh; do
		p=${f%/project.sh}
		v=${p%/projects/*}
		p=${p##*/}
		v=${v##*/}
		if _dvm_valid "$v" && _dvm_valid "$p" &&
			[ -f "$_dvm_dir/vms/$v/config.sh" ]; then
			_dvm_list[${#_dvm_list[@]}]=$v/$p
		fi
	done
}

# <vm> and <vm>/<project> operands; with a suffix ("cp" wants ':').
_dvm_targets() {
	local i
	_dvm_vms
	for ((i = 0; i < ${#_dvm_list[@]}; i++)); do
		_dvm_add "${_dvm_list[i]}${1-}"
	done
	_dvm_projects
	for ((i = 0; i < ${#_dvm_list[@]}; i++)); do
		_dvm_add "${_dvm_list[i]}${1-}"
	done
}

# Local files and directories (directories end in '/'), quoted for the
# command line.
_dvm_files() {
	local f q
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		[ -d "$f" ] && f=$f/
		printf -v q '%q' "$f"
		COMPREPLY[${#COMPREPLY[@]}]=$q
	done <<EOF
$(compgen -f -- "$_dvm_cur")
EOF
}

# _dvm_names PREFIX ARG...: "PREFIX<name>" for the first word of each
# line `dvm ARG...` prints (recipes, new --list-templates).
_dvm_names() {
	local prefix=$1 dvm=${_dvm_words[0]} out n _
	shift
	case $dvm in
	\~/*) dvm=${HOME-}/${dvm#\~/} ;;
	esac
	command -v "$dvm" >/dev/null 2>&1 || dvm=dvm
	out=$(command "$dvm" "$@" 2>/dev/null) || return 0
	while read -r n _; do
		_dvm_valid "$n" && _dvm_add "$prefix$n"
	done <<EOF
$out
EOF
}

# Recipe names: the first column of `dvm recipes`.
_dvm_recipes() { _dvm_names '' recipes; }

# _dvm_flags FLAG...: the flags not given yet, when the word starts with
# '-' or when nothing else is left to complete.
_dvm_flags() {
	local f s
	for f in "$@"; do
		case $f in
		--all) s=-a ;;
		--dry-run) s=-n ;;
		--yes) s=-y ;;
		--force) s=-f ;;
		--jobs) s=-j ;;
		--template) s=-t ;;
		--follow) s=-f ;;
		*) s=$f ;;
		esac
		case $_dvm_seen in
		*" $f "* | *" $s "*) continue ;;
		esac
		_dvm_add "$f"
	done
}

# Split the line into words as the user sees them: bash breaks
# "app:src" and "--template=app" at ':' and '=' (COMP_WORDBREAKS); join
# them again where no space separates the pieces. Sets _dvm_words,
# _dvm_cword and _dvm_cur.
_dvm_split_words() {
	local line=${COMP_LINE-} rest w gap i=0 n=0 sep prev_sep=0 ws='
	 '
	_dvm_words=()
	if [ -n "${COMP_POINT-}" ]; then
		line=${line:0:COMP_POINT}
	fi
	rest=$line
	while [ "$i" -le "${COMP_CWORD:-0}" ]; do
		w=${COMP_WORDS[i]-}
		if [ -z "$line" ]; then
			gap=
		elif [ -z "$w" ]; then
			gap=$rest
			rest=
		else
			case $rest in
			*"$w"*)
				gap=${rest%%"$w"*}
				rest=${rest#*"$w"} ;;
			*)
				# The cursor is inside this word: keep what is before it.
				gap=${rest%%[!"$ws"]*}
				w=${rest#"$gap"}
				rest= ;;
			esac
		fi
		sep=0
		case $w in
		'' | *[!:=]*) ;;
		*) sep=1 ;;
		esac
		if [ "$n" -gt 0 ] && [ -z "$gap" ] &&
			{ [ "$sep" = 1 ] || [ "$prev_sep" = 1 ]; }; then
			_dvm_words[n - 1]=${_dvm_words[n - 1]}$w
		else
			_dvm_words[n]=$w
			n=$((n + 1))
		fi
		prev_sep=$sep
		i=$((i + 1))
	done
	_dvm_cword=$((n - 1))
	_dvm_cur=${_dvm_words[_dvm_cword]-}
}

# The completions of one command line, in COMPREPLY (whole words).
_dvm_complete() {
	local cmd w i nops=0 dashdash=0 prev slots=0 help=--help
	local -a ops flags
	_dvm_seen=' '
	if [ "$_dvm_cword" -le 1 ]; then
		case $_dvm_cur in
		-*) _dvm_add --help --version ;;
		*) _dvm_add "${_dvm_commands[@]}" ;;
		esac
		return 0
	fi
	cmd=${_dvm_words[1]}

	# The words between the command and the current word: flags seen,
	# operands. After "--", and after the first operand of logs and ssh
	# (what follows is journalctl's or the guest command's), every word
	# is an operand.
	i=2
	while [ "$i" -lt "$_dvm_cword" ]; do
		w=${_dvm_words[i]}
		if [ "$dashdash" = 1 ]; then
			ops[nops]=$w
			nops=$((nops + 1))
		elif [ "$w" = -- ]; then
			dashdash=1
		else
			case $w in
			-?*)
				_dvm_seen="$_dvm_seen${w%%=*} "
				case $cmd:$w in
				new:--template | new:-t | init:--template | init:-t | sync:--jobs | sync:-j | cp:--max-size)
					i=$((i + 1)) ;; # its value is the next word
				esac ;;
			*)
				ops[nops]=$w
				nops=$((nops + 1))
				case $cmd in
				logs | ssh) dashdash=1 ;;
				esac ;;
			esac
		fi
		i=$((i + 1))
	done
	prev=${_dvm_words[_dvm_cword - 1]}

	# A redirection's file.
	case $prev in
	*'>' | *'<') _dvm_files; return 0 ;;
	esac

	# An option's value.
	if [ "$dashdash" = 0 ]; then
		case $cmd:$prev:$_dvm_cur in
		new:--template:* | new:-t:* | init:--template:* | init:-t:*)
			_dvm_names '' new --list-templates
			return 0 ;;
		new:*:--template=* | init:*:--template=*)
			_dvm_names --template= new --list-templates
			return 0 ;;
		sync:--jobs:* | sync:-j:* | sync:*:--jobs=* | cp:--max-size:* | cp:*:--max-size=*)
			return 0 ;; # a number: nothing to offer
		esac
	fi

	# What each command takes: its flags, and how many operands.
	case $cmd in
	add) slots=1; flags=(--dry-run) ;;
	base)
		slots=1
		case ${ops[0]-} in
		build) flags=(--clean --no-cache --dry-run) ;;
		rm) flags=(--builder --image --dry-run) ;;
		*) flags=(--dry-run) ;;
		esac ;;
	cp) slots=2; flags=(--dry-run --with-vcs --max-size) ;;
	help | recipes | sh | ssh) slots=1 ;;
	key | ssh-key) slots=1; flags=(--json) ;;
	logs)
		slots=1
		# -f is dvm's before the operand and right after <vm>/<project>.
		case $nops:${ops[0]-} in
		0:* | 1:*/*) dashdash=0; flags=(-f --follow) ;;
		esac ;;
	ls)
		# --only-config is for the VM list, not one VM's projects.
		slots=1
		flags=(--json)
		[ "$nops" -gt 0 ] || flags+=(--only-config) ;;
	new | init)
		# --list-templates goes alone.
		slots=1
		case $nops$_dvm_seen in
		'0 ') flags=(--template --dry-run --list-templates) ;;
		*' --list-templates '*) slots=0 ;;
		*) flags=(--template --dry-run) ;;
		esac ;;
	reset | rm)
		# --keep-data is for a project.
		slots=1
		case $cmd:$nops:${ops[0]-} in
		reset:0:*) flags=(--yes --force --keep-data --dry-run) ;;
		reset:*:*/*) flags=(--yes --force --keep-data --dry-run) ;;
		reset:*) flags=(--yes --force --dry-run) ;;
		rm:0:*) flags=(--yes --force --config --keep-data --dry-run) ;;
		rm:*:*/*) flags=(--yes --force --config --keep-data --dry-run) ;;
		rm:*) flags=(--yes --force --config --dry-run) ;;
		esac ;;
	stop | sync)
		slots=1
		case $cmd:$nops:$_dvm_seen in
		*' --all '* | *' -a '*) slots=0; flags=(--jobs --dry-run) ;;
		*:0:*) flags=(--all --jobs --dry-run) ;;
		*) flags=(--dry-run) ;;
		esac
		if [ "$cmd" = stop ]; then
			case ${flags[0]} in
			--jobs) flags=(--only-config --dry-run) ;;
			--all) flags=(--all --only-config --dry-run) ;;
			esac
		fi ;;
	esac
	case $cmd:$nops in
	help:* | version:* | logs:[!0]*) help='' ;; # --help would be an operand
	esac

	# A flag: when the word starts with '-' and options are still dvm's.
	case $_dvm_cur in
	-*)
		if [ "$dashdash" = 0 ]; then
			_dvm_flags ${flags[@]+"${flags[@]}"} $help
		fi
		return 0 ;;
	esac

	# An operand; once they are all there, the flags left.
	if [ "$nops" -ge "$slots" ]; then
		[ "$dashdash" = 0 ] && _dvm_flags ${flags[@]+"${flags[@]}"}
		return 0
	fi
	case $cmd in
	add)
		case $_dvm_cur in
		*/*) ;; # the new project's name
		*)
			_dvm_vms
			for ((i = 0; i < ${#_dvm_list[@]}; i++)); do
				_dvm_add "${_dvm_list[i]}/"
			done ;;
		esac ;;
	base) _dvm_add init dev-init build status rm ;;
	cp)
		case $_dvm_cur in
		*:*) ;; # a path in the VM or the container
		*)
			_dvm_targets :
			_dvm_files ;;
		esac ;;
	help) _dvm_add "${_dvm_commands[@]}" ;;
	ls)
		_dvm_vms
		_dvm_add ${_dvm_list[@]+"${_dvm_list[@]}"} ;;
	new | init) ;; # a new VM's name
	recipes) _dvm_recipes ;;
	key | logs | reset | rm | sh | ssh | ssh-key | stop | sync) _dvm_targets ;;
	esac
	return 0
}

# The completion function: complete -F _dvm dvm.
_dvm() {
	local IFS=' 	
' _dvm_dir _dvm_cur _dvm_cword _dvm_saved _dvm_seen pre p1 p2 i
	local -a _dvm_words _dvm_list
	COMPREPLY=()
	_dvm_opts_save
	_dvm_config_dir
	_dvm_split_words
	_dvm_complete
	_dvm_opts_restore

	# Bash replaces only what follows the last ':' or '=' it breaks words
	# at: drop that much of each match.
	p1='' p2=''
	case ${COMP_WORDBREAKS-} in
	*:*) case $_dvm_cur in *:*) p1=${_dvm_cur%"${_dvm_cur##*:}"} ;; esac ;;
	esac
	case ${COMP_WORDBREAKS-} in
	*=*) case $_dvm_cur in *=*) p2=${_dvm_cur%"${_dvm_cur##*=}"} ;; esac ;;
	esac
	pre=$p1
	[ "${#p2}" -gt "${#pre}" ] && pre=$p2
	if [ -n "$pre" ]; then
		for ((i = 0; i < ${#COMPREPLY[@]}; i++)); do
			COMPREPLY[i]=${COMPREPLY[i]#"$pre"}
		done
	fi

	# -o nospace: a unique match that is a whole word gets its space.
	if [ "${#COMPREPLY[@]}" = 1 ]; then
		case ${COMPREPLY[0]} in
		*/ | *:) ;;
		*) COMPREPLY[0]="${COMPREPLY[0]} " ;;
		esac
	fi
	return 0
}

complete -o nospace -F _dvm dvm
