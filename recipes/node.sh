#!/usr/bin/env bash
# Description: Node.js and npm from Fedora, corepack pinned (DVM_COREPACK_VERSION, default 0.34.0; off to skip) for pnpm and yarn
# Egress: registry.npmjs.org repo.yarnpkg.com

dvm_pkg nodejs npm

v=${DVM_COREPACK_VERSION:-0.34.0}
case ${v,,} in
off | none | 0) exit 0 ;;
esac
[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || dvm_die "DVM_COREPACK_VERSION must be an exact version like 0.34.0, or off (got '$v')"
if [[ $(corepack --version 2>/dev/null || true) != "$v" ]]; then
	dvm_log "installing corepack@$v"
	# npm checks the tarball against the registry's integrity hash; no
	# install scripts run as root.
	sudo npm install --global --ignore-scripts --no-fund --no-audit \
		--no-update-notifier "corepack@$v"
	hash -r
fi
corepack=$(command -v corepack) || dvm_die "corepack is not on PATH after installing it"
if [[ ! -e ${corepack%/*}/pnpm || ! -e ${corepack%/*}/yarn ]]; then
	sudo "$corepack" enable
fi
