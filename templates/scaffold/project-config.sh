# shellcheck shell=bash disable=SC2034
# Project "@PROJECT@" in VM "@VM@": a rootless podman container named
# @PROJECT@. Read after the VM's config.sh. Image, ports and NESTED are
# fixed when the container is created: `dvm reset @VM@/@PROJECT@ --yes`
# applies a change (add --keep-data to keep the workspace).

# The image. Default: the dev-base when base/dev/Containerfile exists,
# else Fedora.
# IMAGE=node:22

# 1 lets the project run its own containers (podman compose for a
# database): adds /dev/fuse and turns SELinux labels off for the
# container, so leave it unset unless you need it.
# NESTED=1

# Where the workspace volume dvm-@VM@-@PROJECT@ is mounted; it survives
# `dvm reset` unless you wipe it.
# PROJ_WORKDIR=/work

# Ports published on the VM's 127.0.0.1; Lima forwards them to the
# host's localhost.
# PROJ_PORTS=(3000:3000)
