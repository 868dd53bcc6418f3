# shellcheck shell=bash
# key.sh: dvm key <vm>, as DVM_USER in the VM (bash -lc): the VM's own
# ed25519 key for getting code in (a deploy key), made once. Only the
# public half leaves the VM: ssh-keygen -y derives it from the private
# key, so a stale or edited .pub file does not matter.
#   $1 the comment of a new key (dvm-<vm>)
key=$HOME/.ssh/id_ed25519
if [ ! -e "$key" ]; then
	(umask 077 && mkdir -p "$HOME/.ssh") || exit 1
	ssh-keygen -q -t ed25519 -N '' -C "$1" -f "$key" </dev/null >/dev/null ||
		exit 1
fi
exec ssh-keygen -y -f "$key"
