# shellcheck shell=bash disable=SC2034
# The sample VM: a bit more memory and one remapped port.
DVM_CPUS=2
DVM_MEMORY=6
DVM_DISK=40
DVM_PORTS=(8080:80)
