#!/usr/bin/env bash
# Description: Mistral Vibe (PyPI mistral-vibe 2.4.1 through uv), commands vibe and mistral, always run as dvm-agent in the sandbox
# Egress: pypi.org files.pythonhosted.org
#
#   DVM_MISTRAL_VERSION   another exact PyPI version
#
# The version is pinned; its dependencies are whatever uv resolves from
# PyPI at install time (PyPI offers no lock for a tool install).

dvm_need_agent mistral
dvm_pkg python3 uv

v=${DVM_MISTRAL_VERSION:-2.4.1}
[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || dvm_die "DVM_MISTRAL_VERSION must be an exact version (got '$v')"
py=$DVM_AGENT_OPT/uv/tools/mistral-vibe/bin/python
have=$(dvm_as_agent "$py" -c 'import importlib.metadata as m; print(m.version("mistral-vibe"))' 2>/dev/null || true)
if [[ $have != "$v" ]]; then
	dvm_log "installing mistral-vibe $v for $DVM_AGENT"
	dvm_agent_install env \
		UV_TOOL_DIR="$DVM_AGENT_OPT/uv/tools" UV_TOOL_BIN_DIR="$DVM_AGENT_OPT/bin" \
		UV_PYTHON_INSTALL_DIR="$DVM_AGENT_OPT/uv/python" \
		UV_CACHE_DIR="$DVM_AGENT_HOME/.cache/uv" \
		uv tool install --force "mistral-vibe==$v"
fi
dvm_agent_wrapper vibe "$DVM_AGENT_OPT/bin/vibe"
dvm_agent_wrapper mistral "$DVM_AGENT_OPT/bin/vibe"
