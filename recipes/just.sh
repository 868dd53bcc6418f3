#!/usr/bin/env bash
# Description: just, a command runner, from Fedora

dvm_pkg just
