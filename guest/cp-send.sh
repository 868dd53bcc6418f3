# shellcheck shell=sh
# cp-send.sh: the guest end of dvm cp <vm>[/<project>]:<src> <host path>.
# Runs as DVM_USER in the VM (bash -lc) or inside a project's container
# as its user (sh -c, so POSIX sh only).
#   $1 the file or directory to send.
# Writes a tar of it (one entry, ./<its name>) to stdout; dvm's own tar
# reader takes it apart. pax where the guest's tar knows it, since GNU
# tar's own format needs ././@LongLink entries for long names (busybox
# may know neither), else the tar's default.
set -eu
[ -e "$1" ] || [ -L "$1" ] || { echo "dvm: error: no such file or directory: $1" >&2; exit 1; }
cd "$(dirname "$1")"
member=./$(basename "$1")
if tar --format=pax --version >/dev/null 2>&1; then
	exec tar --format=pax -c -f - "$member"
fi
exec tar -c -f - "$member"
