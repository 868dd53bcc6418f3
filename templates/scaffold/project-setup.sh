#!/usr/bin/env bash
# Runs inside the container of @VM@/@PROJECT@ on every `dvm sync`, in its
# workdir, with set -Eeuo pipefail. Make every line safe to run
# twice. Exported: DVM_VM, DVM_PROJECT, PROJ_WORKDIR.
set -Eeuo pipefail

# The code, over SSH with the project's own key: `dvm key @VM@/@PROJECT@`
# makes it and prints the public half to add as the repository's deploy
# key (the image needs git and openssh-clients). The key lives in
# .dvm-ssh here, so clone beside it and move the repository in:
# if [ ! -d .git ]; then
# 	rm -rf .dvm-clone
# 	git clone -q --no-checkout git@github.com:you/@PROJECT@.git .dvm-clone
# 	mv .dvm-clone/.git . && rmdir .dvm-clone
# 	git reset -q --hard
# fi
# npm ci
