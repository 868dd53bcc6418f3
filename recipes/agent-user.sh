#!/usr/bin/env bash
# Description: AI sandbox: user dvm-agent, bubblewrap and dvm-sandbox (use it before codex, claude, opencode, mistral)
#
# AI CLIs get a second wall inside the VM. They run as dvm-agent, a system
# user with no login shell and no sudo, inside bubblewrap, which shows them
# the project at /workspace, read-only system directories, a fresh /tmp,
# /proc and /dev, and their own home (/var/lib/dvm-agent). DVM_USER's home
# is not mounted at all: not its dotfiles, shell history, ~/.ssh or tokens.
#
#   dvm-sandbox [--] COMMAND [ARG...]
#
# run by DVM_USER, binds at /workspace the current directory if it is in
# the code dir (or the git work tree around it, when that is in the code
# dir too), else the whole code dir. DVM_USER may do exactly one thing as
# dvm-agent: run /usr/local/libexec/dvm-sandbox-exec (sudoers drop-in).
# dvm-agent can write the code dir through ACLs; new files there stay
# writable for DVM_USER too.
#
# This is the inner ring: guest root, or a sudo rule that is too wide,
# gets around it. The VM is the boundary.

[[ $DVM_USER =~ ^[a-z_][a-z0-9_-]*$ ]] || dvm_die "bad DVM_USER: $DVM_USER"
[[ $DVM_CODE_DIR == /* && $DVM_CODE_DIR != *[[:space:]\"\'\\\$\`]* ]] ||
	dvm_die "bad DVM_CODE_DIR: $DVM_CODE_DIR"
id -u "$DVM_USER" >/dev/null 2>&1 || dvm_die "user $DVM_USER does not exist"
# DVM_USER's home may be closed to this (Lima's) user: look as root.
sudo test -d "$DVM_CODE_DIR" || dvm_die "the code dir $DVM_CODE_DIR does not exist"
code_dir=$(sudo realpath -e -- "$DVM_CODE_DIR")
exec_helper=/usr/local/libexec/dvm-sandbox-exec

# bubblewrap, ACL tools, sudo; useradd is in shadow-utils.
dvm_pkg bubblewrap acl sudo shadow-utils

# ---------------------------------------------------------------- the user

if ! id -u "$DVM_AGENT" >/dev/null 2>&1; then
	dvm_log "creating user $DVM_AGENT"
	# A system account: no subordinate ids, no aging, no login shell.
	sudo useradd --system --user-group --no-create-home \
		--home-dir "$DVM_AGENT_HOME" --shell /usr/sbin/nologin \
		--comment 'dvm AI agent (sandboxed)' "$DVM_AGENT"
fi
agent_group=$(id -gn "$DVM_AGENT")
sudo install -d -m 0700 -o "$DVM_AGENT" -g "$agent_group" "$DVM_AGENT_HOME"
# AI CLIs are installed here by the agent user; the sandbox sees it read-only.
sudo install -d -m 0755 -o "$DVM_AGENT" -g "$agent_group" \
	"$DVM_AGENT_OPT" "$DVM_AGENT_OPT/bin" "$DVM_AGENT_OPT/npm"

# ---------------------------------------------------------------- the wrapper

printf -v outer_conf 'code_dir=%q\nagent=%q\nexec_helper=%q\n' \
	"$code_dir" "$DVM_AGENT" "$exec_helper"
printf -v inner_conf 'code_dir=%q\nagent=%q\nagent_home=%q\nagent_opt=%q\n' \
	"$code_dir" "$DVM_AGENT" "$DVM_AGENT_HOME" "$DVM_AGENT_OPT"

# The part DVM_USER runs: pick what to bind, then switch user.
{
	cat <<EOF
#!/bin/bash
# dvm-sandbox [--] COMMAND [ARG...]: run COMMAND as $DVM_AGENT inside bubblewrap,
# with the project at /workspace. Written by dvm's agent-user recipe; a sync
# rewrites it.
set -euo pipefail
$outer_conf
EOF
	cat <<'EOF'
if (($# == 0)) || [[ $1 == -h || $1 == --help ]]; then
	printf 'usage: dvm-sandbox [--] COMMAND [ARG...]\n' >&2
	printf 'Runs COMMAND as %s in bubblewrap. /workspace is the current directory\n' "$agent" >&2
	printf '(or its git work tree) when it is inside %s, else all of it.\n' "$code_dir" >&2
	(($#)) && exit 0
	exit 2
fi
[[ $1 != -- ]] || shift
(($#)) || { printf 'dvm-sandbox: no command\n' >&2; exit 2; }
cwd=$(pwd -P 2>/dev/null) || cwd=/
root=$code_dir
rel=.
if [[ $cwd == "$code_dir" || $cwd == "$code_dir"/* ]]; then
	# The nearest git work tree at or above cwd, inside the code dir;
	# else cwd itself.
	root=$cwd
	d=$cwd
	while :; do
		if [[ -e $d/.git ]]; then
			root=$d
			break
		fi
		[[ $d != "$code_dir" ]] || break
		d=${d%/*}
	done
	rel=${cwd#"$root"}
	rel=${rel#/}
	[[ -n $rel ]] || rel=.
fi
cd /
exec sudo -n -u "$agent" -- "$exec_helper" "$root" "$rel" "$@"
EOF
} | dvm_put_file "$DVM_SANDBOX" 0755

# The part that runs as the agent: check the request, clean the
# environment, build the sandbox.
{
	cat <<EOF
#!/bin/bash
# dvm-sandbox-exec ROOT REL COMMAND [ARG...]: the half of dvm-sandbox that
# runs as $DVM_AGENT (through sudo). ROOT must be in the code dir. Written by
# dvm's agent-user recipe; a sync rewrites it.
set -euo pipefail
$inner_conf
EOF
	cat <<'EOF'
die() {
	printf 'dvm-sandbox: %s\n' "$*" >&2
	exit 125
}
[[ $(id -un) == "$agent" ]] || die "run this through dvm-sandbox (it must run as $agent)"
(($# >= 3)) || die "usage: dvm-sandbox-exec ROOT REL COMMAND [ARG...]"
real=$(realpath -e -- "$1" 2>/dev/null) || die "cannot use $1 as the workspace"
[[ -d $real && ($real == "$code_dir" || $real == "$code_dir"/*) ]] ||
	die "$1 is not inside $code_dir"
work=/workspace
if [[ $2 != . ]]; then
	[[ $2 != /* && /$2/ != */../* && /$2/ != */./* && $2 != *//* ]] ||
		die "bad working directory: $2"
	work=/workspace/$2
fi
shift 2

# Only these variables reach the sandbox (sudo's env_keep lets them in).
keep=' TERM COLORTERM LANG LC_ALL NO_COLOR ANTHROPIC_API_KEY OPENAI_API_KEY MISTRAL_API_KEY '
for v in $(compgen -e); do
	[[ $keep == *" $v "* ]] || unset "$v" 2>/dev/null || true
done
export HOME=$agent_home USER=$agent LOGNAME=$agent SHELL=/bin/bash \
	PATH=$agent_opt/bin:$agent_opt/npm/bin:/usr/local/bin:/usr/bin:/bin \
	TMPDIR=/tmp LANG=${LANG:-C.UTF-8} TERM=${TERM:-xterm-256color} \
	DVM_SANDBOX=1 DISABLE_AUTOUPDATER=1

args=(--die-with-parent --new-session --unshare-all --share-net
	--ro-bind /usr /usr)
for d in bin sbin lib lib64 lib32 libx32; do
	if [[ -L /$d ]]; then
		args+=(--symlink "$(readlink "/$d")" "/$d")
	elif [[ -d /$d ]]; then
		args+=(--ro-bind "/$d" "/$d")
	fi
done
args+=(--ro-bind /etc /etc --ro-bind-try /opt /opt
	--proc /proc --dev /dev --tmpfs /tmp
	--dir /var --symlink ../tmp /var/tmp
	--tmpfs /run --ro-bind-try /run/systemd/resolve /run/systemd/resolve
	--bind "$agent_home" "$agent_home"
	--bind "$real" /workspace --chdir "$work")
exec /usr/bin/bwrap "${args[@]}" -- "$@"
EOF
} | dvm_put_file "$exec_helper" 0755

# ---------------------------------------------------------------- sudo

sudoers=$(
	cat <<EOF
# Written by dvm's agent-user recipe: $DVM_USER may run the sandbox helper
# as $DVM_AGENT, and nothing else. A sync rewrites this file.
Defaults!$exec_helper env_keep += "TERM COLORTERM LANG LC_ALL NO_COLOR"
Defaults!$exec_helper env_keep += "ANTHROPIC_API_KEY OPENAI_API_KEY MISTRAL_API_KEY"
$DVM_USER ALL=($DVM_AGENT) NOPASSWD: $exec_helper
EOF
)
check=$(mktemp)
printf '%s\n' "$sudoers" >"$check"
if ! sudo visudo -cqf "$check" >/dev/null; then
	rm -f -- "$check"
	dvm_die "the sudoers rule for $DVM_AGENT does not parse; /etc/sudoers.d left alone"
fi
rm -f -- "$check"
printf '%s\n' "$sudoers" | dvm_put_file /etc/sudoers.d/dvm-agent 0440

# ---------------------------------------------------------------- permissions

# The agent must reach the code dir: search (not read) permission on the
# directories above it that DVM_USER owns, e.g. /home/<user> and its code/.
d=${code_dir%/*}
while [[ -n $d && $d != / ]]; do
	if [[ $(sudo stat -c %U -- "$d") == "$DVM_USER" ]]; then
		sudo setfacl -m "u:$DVM_AGENT:--x" -- "$d"
	fi
	d=${d%/*}
done

# Read and write in the code dir for both users, inherited by new files
# (default ACLs). The mask is given, not recomputed, so files keep what
# they inherited and a second sync changes nothing: rwx for directories and
# executables, rw for other files. find never follows a symlink out.
users="u:$DVM_AGENT:rwx,u:$DVM_USER:rwx"
sudo find "$code_dir" -type d -exec setfacl -m "$users,m::rwx" -d -m "$users" -- {} +
sudo find "$code_dir" -type f -perm /111 -exec setfacl -m "$users,m::rwx" -- {} +
sudo find "$code_dir" -type f ! -perm /111 -exec setfacl -m "$users,m::rw-" -- {} +

# Defense in depth: secrets in DVM_USER's home stay closed to the agent even
# if it ever ran outside the sandbox.
home=$(getent passwd "$DVM_USER" | cut -d: -f6)
for p in .ssh .gnupg .gitconfig .git-credentials .netrc .npmrc .pypirc \
	.docker .kube .aws .bash_history .zsh_history .config/gh .config/git \
	.config/op .local/share/chezmoi; do
	if sudo test -e "$home/$p" -a ! -L "$home/$p"; then
		sudo setfacl -m "u:$DVM_AGENT:---" -- "$home/$p"
	fi
done

# ---------------------------------------------------------------- git

# The workspace belongs to DVM_USER; let the agent's git work in it. (Not
# the other way round: DVM_USER's git keeps refusing repositories the agent
# created, whose hooks and config the agent controls.)
if dvm_has git &&
	! dvm_as_agent git config --global --get-all safe.directory 2>/dev/null | grep -qx '\*'; then
	dvm_as_agent git config --global --add safe.directory '*'
fi
