#!/usr/bin/env bash
# Description: zsh, from Fedora, as DVM_USER's login shell

dvm_pkg zsh
zsh_path=$(command -v zsh)
if [[ $(getent passwd "$DVM_USER" | cut -d: -f7) != "$zsh_path" ]]; then
	dvm_log "login shell of $DVM_USER: $zsh_path"
	sudo usermod --shell "$zsh_path" "$DVM_USER"
fi
# Without any zsh startup file, the first `dvm sh` would open zsh's
# new-user menu. An empty ~/.zshrc (yours, dotfiles may replace it) avoids it.
home=$(getent passwd "$DVM_USER" | cut -d: -f6)
if ! sudo test -e "$home/.zshrc"; then
	# shellcheck disable=SC2016 # $1 is for the inner sh
	dvm_as_user sh -c 'echo "# ~/.zshrc, created empty by the zsh recipe of dvm" >"$1"' sh "$home/.zshrc"
fi
