#!/usr/bin/env bash
# Description: chezmoi from Fedora; with DVM_CHEZMOI_REPO, DVM_USER's dotfiles from that repo (init once, then update)
# Egress: github.com
#
#   DVM_CHEZMOI_REPO         the dotfiles repo: URL, or GitHub user[/repo]
#   DVM_CHEZMOI_BRANCH       a branch (default: the repo's default)
#   DVM_CHEZMOI_CONFIG_TOML  the whole ~/.config/chezmoi/chezmoi.toml, verbatim
#   DVM_CHEZMOI_NAME/EMAIL/ROLE   else: a [data] table with these values
#   DVM_CHEZMOI_APPLY        1 (default): apply; 0: only clone/pull
#
# The clone runs as DVM_USER: with DVM_EGRESS, GitHub (where a user[/repo]
# shorthand points) is allowed; a repo on another host needs that host in
# DVM_EGRESS.
#
# The first sync adopts the repo (files other recipes wrote, like an empty
# ~/.zshrc, are overwritten); later syncs run `chezmoi update`, which
# stops rather than overwrite a file you changed in the VM.

dvm_pkg chezmoi git-core

repo=${DVM_CHEZMOI_REPO:-}
[[ -n $repo ]] || exit 0
[[ $repo =~ ^[A-Za-z0-9@:/._~+-]+$ && $repo != -* ]] ||
	dvm_die "DVM_CHEZMOI_REPO has characters dvm does not pass on: $repo"
branch=${DVM_CHEZMOI_BRANCH:-}
[[ -z $branch || ($branch =~ ^[A-Za-z0-9._/-]+$ && $branch != -*) ]] ||
	dvm_die "bad DVM_CHEZMOI_BRANCH: $branch"
apply=$(dvm_bool DVM_CHEZMOI_APPLY 1)
home=$(getent passwd "$DVM_USER" | cut -d: -f6)

# chezmoi.toml: verbatim, or generated from the data variables.
toml=${DVM_CHEZMOI_CONFIG_TOML:-}
if [[ -z $toml && -n ${DVM_CHEZMOI_NAME:-}${DVM_CHEZMOI_EMAIL:-}${DVM_CHEZMOI_ROLE:-} ]]; then
	toml='[data]'
	for k in name email role; do
		var=DVM_CHEZMOI_${k^^}
		val=${!var:-}
		[[ -n $val ]] || continue
		[[ $val != *[$'\n\r']* ]] || dvm_die "$var must be one line"
		val=${val//\\/\\\\}
		val=${val//\"/\\\"}
		toml+=$'\n'"$k = \"$val\""
	done
fi
if [[ -n $toml ]]; then
	cfg=$home/.config/chezmoi
	dvm_as_user mkdir -p -- "$cfg"
	printf '%s\n' "$toml" | dvm_put_file "$cfg/chezmoi.toml" 0600 "$DVM_USER:$(id -gn "$DVM_USER")"
fi

# No terminal here: git and ssh must not ask. A host key seen for the
# first time is accepted and pinned in ~/.ssh/known_hosts.
run_chezmoi() {
	dvm_as_user env GIT_TERMINAL_PROMPT=0 \
		GIT_SSH_COMMAND='ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new' \
		chezmoi --no-tty "$@"
}
if ! sudo test -d "$home/.local/share/chezmoi/.git"; then
	dvm_log "chezmoi: init from $repo"
	args=(init)
	[[ -z $branch ]] || args+=(--branch "$branch")
	((apply)) && args+=(--apply --force)
	run_chezmoi "${args[@]}" -- "$repo"
elif ((apply)); then
	run_chezmoi update
else
	run_chezmoi git -- pull --ff-only
fi
