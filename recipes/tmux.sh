#!/usr/bin/env bash
# Description: tmux, from Fedora

dvm_pkg tmux
