#!/usr/bin/env bash
# Description: OpenCode (npm opencode-ai 1.18.33), always run as dvm-agent in the sandbox
# Egress: registry.npmjs.org
#
#   DVM_OPENCODE_VERSION   another exact npm version

dvm_need_agent opencode
dvm_pkg nodejs npm

dvm_agent_npm opencode-ai "${DVM_OPENCODE_VERSION:-1.18.33}"
dvm_agent_wrapper opencode "$DVM_AGENT_OPT/npm/bin/opencode"
