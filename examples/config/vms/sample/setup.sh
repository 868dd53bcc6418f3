#!/usr/bin/env bash
# Runs in the sample VM on every sync.
set -Eeuo pipefail
sudo dnf5 install -y git tmux
