#!/bin/sh
# The main job as far as this machine allows: a dry-run sync of the sample
# VM in examples/config. Copies the sample into a private temp dir first,
# since dvm refuses config files that others could write.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dvm-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
umask 077
cp -R "$top/examples/config" "$tmp/config"
chmod -R go-w "$tmp/config"
echo "\$ dvm sync sample --dry-run   (DVM_CONFIG_DIR=examples/config)"
DVM_CONFIG_DIR="$tmp/config" LIMA_HOME="$tmp/lima" \
    "$top/dvm" sync sample --dry-run
