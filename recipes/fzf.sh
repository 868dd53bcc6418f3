#!/usr/bin/env bash
# Description: fzf, the fuzzy finder, from Fedora

dvm_pkg fzf
