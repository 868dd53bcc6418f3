#!/usr/bin/env bash
# Description: delta, a pager for git diffs, from Fedora

dvm_pkg git-delta
