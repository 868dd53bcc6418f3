# shellcheck shell=bash
# Global config of the sample used by `make demo`.
DVM_USER=developer
DVM_MEMORY=4
