# shellcheck shell=bash
# guest/base-context.sh: unpack the build context of `dvm base build`
# (the user's base/ directory) into an empty build directory.
#
# A step of the build's guest script, in the builder VM as Lima's login
# user. Parameters: the build directory. Its stdin is the context, a
# base64 tar.
rm -rf "$1" && mkdir -p "$1"
base64 -d | tar -x -C "$1"
