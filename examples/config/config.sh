# shellcheck shell=bash disable=SC2034
# Global config of the sample used by `make demo`.
DVM_USER=developer
DVM_MEMORY=4
