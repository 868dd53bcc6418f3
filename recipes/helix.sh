#!/usr/bin/env bash
# Description: the helix editor (hx), from Fedora

dvm_pkg helix
