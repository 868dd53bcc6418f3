# shellcheck shell=bash
# guest/project-up.sh: bring one project container up: create it unless a
# container of exactly that name exists, start it, and run its setup.sh
# inside it when it has one.
#
# A step of the guest script, in the VM as Lima's login user; podman runs
# as DVM_USER (the prelude's dvm_as_dev). Parameters: NAME, then argument
# vectors from src/podman.c, each as a count and its words: the podman
# create argv, the podman start argv and, only for a project with a
# setup.sh, the podman exec argv that runs it (bash -c RUNNER dvm-setup,
# RUNNER being guest/run-script.sh). Its stdin is that setup.sh.
name=$1
shift
create=("${@:2:$1}")
shift $(($1 + 1))
start=("${@:2:$1}")
shift $(($1 + 1))
dvm_has_container "$name" || dvm_as_dev "${create[@]}" >/dev/null </dev/null
dvm_as_dev "${start[@]}" >/dev/null </dev/null
if [ $# -gt 0 ]; then
	setup=("${@:2:$1}")
	dvm_as_dev "${setup[@]}"
fi
