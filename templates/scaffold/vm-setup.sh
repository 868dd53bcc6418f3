#!/usr/bin/env bash
# Runs inside VM "@VM@" on every `dvm sync @VM@`: as Lima's login user,
# which has passwordless sudo, with set -Eeuo pipefail. Make every
# line safe to run twice. Exported: DVM_VM, DVM_USER, DVM_CODE_DIR.
set -Eeuo pipefail

# sudo dnf5 install -y git ripgrep tmux
# sudo -u "$DVM_USER" -H git -C "$DVM_CODE_DIR" clone https://example.org/you/app.git
