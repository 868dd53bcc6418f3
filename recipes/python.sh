#!/usr/bin/env bash
# Description: python3, pip and uv, from Fedora
# Egress: pypi.org files.pythonhosted.org

dvm_pkg python3 python3-pip uv
