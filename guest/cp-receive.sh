# shellcheck shell=sh
# cp-receive.sh: the guest end of dvm cp <host path> <vm>[/<project>]:<dest>.
# Runs as DVM_USER in the VM (bash -lc) or inside a project's container
# as its user (sh -c, so POSIX sh only).
#   $1 the destination, $2 the name of the one entry of the tar on stdin.
# The entry goes inside $1 when that is a directory (or ends in /), else
# becomes $1. It is extracted into a temp dir beside the target and
# renamed, so it is all or nothing. A directory already at the target is
# refused, never merged into or deleted: the rule dvm's place() keeps on
# the host, with the same message.
set -eu
dest=$1 name=$2
case $dest in */) mkdir -p "$dest" ;; esac
if [ -d "$dest" ]; then target=${dest%/}/$name; else target=$dest; fi
if [ -d "$target" ]; then
	echo "dvm: error: $target already exists as a directory; remove it first or copy to another name" >&2
	exit 1
fi
parent=$(dirname "$target")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.dvm-cp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -x -f - -C "$tmp"
mv -f "$tmp/$name" "$target"
