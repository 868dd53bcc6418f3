#!/usr/bin/env bash
# Runs inside the container of @VM@/@PROJECT@ on every `dvm sync`, in its
# workdir, with set -Eeuo pipefail. Make every line safe to run
# twice. Exported: DVM_VM, DVM_PROJECT, PROJ_WORKDIR.
set -Eeuo pipefail

# [ -d .git ] || git clone https://example.org/you/@PROJECT@.git .
# npm ci
