#!/usr/bin/env bash
# Description: lazygit, a terminal UI for git: Fedora's package if it has one, else release 0.61.1 (sha256-pinned)

v=0.61.1
case $(dvm_arch) in
x86_64) a=x86_64 sum=1b91e660700f2332696726b635202576b543e2bc49b639830dccd26bc5160d5d ;;
aarch64) a=arm64 sum=20b1abb2bee5dfd46173b9047353eb678bc51a23839e821958d0b1863ab1655e ;;
esac
dvm_tool lazygit "$v" \
	"https://github.com/jesseduffield/lazygit/releases/download/v$v/lazygit_${v}_linux_$a.tar.gz" \
	"$sum" lazygit
