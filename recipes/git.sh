#!/usr/bin/env bash
# Description: git, from Fedora

dvm_pkg git
