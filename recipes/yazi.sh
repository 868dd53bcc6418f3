#!/usr/bin/env bash
# Description: yazi, a terminal file manager (yazi, ya): Fedora's package if it has one, else release 26.1.22 (sha256-pinned)

v=26.1.22
case $(dvm_arch) in
x86_64) sum=a136269b2d5fbb5fb43f3fac3391446e8fbc72aba1c4bb4fae6e6d1556420750 ;;
aarch64) sum=f5a9d7062ae30b75c1e0481d3132aa54c14bacf76efb1b39b54b6d5d08b7c537 ;;
esac
t=$(dvm_arch)-unknown-linux-gnu
# yazi asks file(1) for MIME types.
dvm_pkg file
dvm_tool yazi "$v" \
	"https://github.com/sxyazi/yazi/releases/download/v$v/yazi-$t.zip" \
	"$sum" "yazi-$t/yazi" "yazi-$t/ya"
