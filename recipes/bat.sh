#!/usr/bin/env bash
# Description: bat, cat with syntax highlighting, from Fedora

dvm_pkg bat
