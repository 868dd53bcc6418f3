# shellcheck shell=sh
# project-key.sh: dvm key <vm>/<project>, inside the project's container
# (sh -c, so POSIX sh only), as the container's user: the project's own
# ed25519 key, made once in its workspace volume, where `dvm reset
# --keep-data` keeps it. Writes the git config that dvm's podman exec
# includes (GIT_CONFIG_VALUE_0), so git in the container uses the key and
# learns a host's key on first contact. Only the public half is printed.
#   $1 the key directory (.dvm-ssh) in the workdir, which podman exec
#   made the current directory; $2 the comment of a new key.
# Exit 3: the container has no ssh-keygen.
dir=$(pwd)
dir=${dir%/}/$1
key=$dir/id_ed25519
command -v ssh-keygen >/dev/null 2>&1 || exit 3
(umask 077 && mkdir -p "$dir") || exit 1
if [ ! -e "$key" ]; then
	ssh-keygen -q -t ed25519 -N '' -C "$2" -f "$key" </dev/null >/dev/null ||
		exit 1
fi
# Nothing here is work to keep in git, nor to count as unsaved.
[ -e "$dir/.gitignore" ] || printf '*\n' >"$dir/.gitignore" || exit 1
# dvm checked that the workdir needs no quoting, for git nor for the
# shell git runs core.sshCommand with.
tmp=$dir/gitconfig.tmp.$$
cat >"$tmp" <<CONF || exit 1
# Written by dvm key; git includes it in every podman exec of dvm.
[core]
	sshCommand = ssh -i $key -o IdentitiesOnly=yes -o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=accept-new
CONF
mv -f "$tmp" "$dir/gitconfig" || exit 1
exec ssh-keygen -y -f "$key"
