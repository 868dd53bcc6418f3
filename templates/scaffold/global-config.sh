# shellcheck shell=bash disable=SC2034
# dvm global config. dvm sources it (with bash) before the
# config.sh of each VM, which may override any value set here.
# Paths in dvm config always mean paths inside the VM.

# The user that owns the code and runs dvm sh, dvm ssh and the
# project containers in every VM. It must not be Lima's login user
# (Lima names that one after you and gives it passwordless root),
# and dvm gives it no sudo.
DVM_USER=@USER@

# DVM_USER_SUDO=1 accepts a dev user with root: DVM_USER may then be
# Lima's login user (as DVM 3.0 set it up) or hold sudo or the docker
# group (use docker needs it). What it gives up: anything that runs as
# DVM_USER, an npm postinstall hook included, can then change the whole
# VM, and DVM_EGRESS cannot be used.
# DVM_USER_SUDO=1

# vCPUs for new VMs. They are shared host threads: idle ones cost
# nothing. Default: host cores minus 1 (minus 2 above 4 cores), at
# least 2.
# DVM_CPUS=4

# Memory in GiB, reserved while the VM runs.
# DVM_MEMORY=2

# Disk in GiB; the image grows as the VM writes.
# DVM_DISK=30

# Lima VM type: vz (default on Apple Silicon) or qemu.
# DVM_VM_TYPE=vz
