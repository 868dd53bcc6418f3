#!/usr/bin/env bash
# Description: Claude Code (npm @anthropic-ai/claude-code 2.1.330), always run as dvm-agent in the sandbox; DVM_CLAUDE_BYPASS=0 turns permission prompts back on
# Egress: registry.npmjs.org
#
#   DVM_CLAUDE_BYPASS    1 (default): --dangerously-skip-permissions (the dvm
#                        sandbox and the VM are the walls); 0: Claude asks
#   DVM_CLAUDE_VERSION   another exact npm version
#
# Log in once with `claude` (or put ANTHROPIC_API_KEY in the environment
# of the shell you start it from): the login lives in dvm-agent's home,
# /var/lib/dvm-agent, never in yours.

dvm_need_agent claude
dvm_pkg nodejs npm
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
((major >= 22)) || dvm_die "Claude Code needs Node.js 22 or newer; this Fedora's nodejs is $(node --version 2>/dev/null || echo missing)"

dvm_agent_npm @anthropic-ai/claude-code "${DVM_CLAUDE_VERSION:-2.1.330}"
on=$(dvm_bool DVM_CLAUDE_BYPASS 1)
flags=()
if ((on)); then
	flags+=(--dangerously-skip-permissions)
fi
dvm_agent_wrapper claude "$DVM_AGENT_OPT/npm/bin/claude" "${flags[@]}"
