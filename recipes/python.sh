#!/usr/bin/env bash
# Description: python3, pip and uv, from Fedora

dvm_pkg python3 python3-pip uv
