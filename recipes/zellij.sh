#!/usr/bin/env bash
# Description: zellij, a terminal workspace: Fedora's package if it has one, else release 0.44.3 (static musl build, sha256-pinned)

v=0.44.3
case $(dvm_arch) in
x86_64) sum=0f7c346788627f506c0a28296517768633cff24fc822a739f8264b640ecad751 ;;
aarch64) sum=15e6534d42644d66973d136c590c49739dcfd6a1a2a0d3d917973f16c81b45fb ;;
esac
dvm_tool zellij "$v" \
	"https://github.com/zellij-org/zellij/releases/download/v$v/zellij-$(dvm_arch)-unknown-linux-musl.tar.gz" \
	"$sum" zellij
