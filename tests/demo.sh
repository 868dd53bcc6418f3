#!/bin/sh
# The main job as far as this machine allows: a dry-run sync of the sample
# VM in examples/config. The header line is the command itself, runnable
# as shown from the top of the clone. dvm refuses config files others
# could write, so a checkout made with a group-writable umask is copied
# into a private temp dir first (and the header says so).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dvm-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
config=$top/examples/config
if [ -n "$(find "$config" -perm /022 -print -quit)" ]; then
	umask 077
	cp -R "$config" "$tmp/config"
	chmod -R go-w "$tmp/config"
	config=$tmp/config
	echo "# examples/config is writable by others here; using a private copy"
fi
# A fresh LIMA_HOME: the sample VM does not exist yet, so it is created.
echo "\$ DVM_CONFIG_DIR=\$PWD/examples/config dvm sync sample --dry-run"
DVM_CONFIG_DIR=$config LIMA_HOME=$tmp/lima ./dvm sync sample --dry-run
