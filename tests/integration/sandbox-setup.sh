#!/bin/sh
# What tests/integration/sandbox.bats needs on this Debian machine to run
# the real agent-user recipe: bubblewrap (0.8, not setuid: unprivileged
# user namespaces do the work), sudo and visudo, setfacl/getfacl, git,
# npm (for an npm install as the agent, like the AI recipes do).
# Root only; idempotent, and instant once everything is there.
set -eu

need=""
have() { command -v "$1" >/dev/null 2>&1; }
pkg() { need="$need $1"; }

have bwrap || pkg bubblewrap
{ have sudo && have visudo; } || pkg sudo
{ have setfacl && have getfacl; } || pkg acl
have git || pkg git
have npm || pkg npm
have realpath || pkg coreutils

if [ -z "$need" ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "sandbox-setup.sh: missing:$need; run as root to install them" >&2
	exit 1
fi
echo "sandbox-setup.sh: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
