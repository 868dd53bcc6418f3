# shellcheck shell=bash disable=SC2034
# dvm config of VM "@VM@" (Lima instance dvm-@VM@), read after the
# global config.sh. CPUs, memory, disk and ports take effect when
# the VM is created; to change them later: dvm reset @VM@ --yes

# DVM_CPUS=4
# DVM_MEMORY=4
# DVM_DISK=30

# Extra host:guest forwards. Lima already forwards ports the VM
# listens on to the same port on the host's localhost.
# DVM_PORTS=(3000:3000 8080:80)

# Tools come from recipes (`dvm recipes` lists them), in order:
# use node python

# Anything else to install in the VM goes into @SETUP_PATH@,
# which runs on every `dvm sync @VM@`.
