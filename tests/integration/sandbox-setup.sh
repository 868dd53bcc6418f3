#!/bin/sh
# What tests/integration/sandbox.bats needs on this Debian machine to run
# the real agent-user recipe: bubblewrap (0.8, not setuid: unprivileged
# user namespaces do the work), sudo and visudo, setfacl/getfacl, git,
# npm (for an npm install as the agent, like the AI recipes do).
# Root only; idempotent, and instant once everything is there.
set -eu

# shellcheck source=tests/lib/pkg.sh
. "$(dirname "$0")/../lib/pkg.sh"

have bwrap || pkg bubblewrap
{ have sudo && have visudo; } || pkg sudo
{ have setfacl && have getfacl; } || pkg acl
have git || pkg git
have npm || pkg npm
have realpath || pkg coreutils

install_needed sandbox-setup.sh || true
