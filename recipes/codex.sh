#!/usr/bin/env bash
# Description: OpenAI Codex CLI (npm @openai/codex 0.169.0), always run as dvm-agent in the sandbox; DVM_CODEX_YOLO=0 turns approvals back on
# Egress: registry.npmjs.org
#
#   DVM_CODEX_YOLO      1 (default): --dangerously-bypass-approvals-and-sandbox,
#                       no prompts (the dvm sandbox and the VM are the walls);
#                       0: Codex's own approvals and sandbox
#   DVM_CODEX_VERSION   another exact npm version

dvm_need_agent codex
dvm_pkg nodejs npm

dvm_agent_npm @openai/codex "${DVM_CODEX_VERSION:-0.169.0}"
on=$(dvm_bool DVM_CODEX_YOLO 1)
flags=()
if ((on)); then
	flags+=(--dangerously-bypass-approvals-and-sandbox)
fi
dvm_agent_wrapper codex "$DVM_AGENT_OPT/npm/bin/codex" "${flags[@]}"
