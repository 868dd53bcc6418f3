# shellcheck shell=bash disable=SC2034
# A local model server (llama.cpp) as dvm-llama.service. Other VMs
# on the user-v2 network reach it as lima-dvm-@VM@.internal.
DVM_NETWORK=user-v2
DVM_MEMORY=8
DVM_DISK=60
use llama
# Which model to fetch and serve: see `dvm recipes` and the
# DVM_LLAMA_* settings at the top of the llama recipe.
