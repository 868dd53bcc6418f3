#!/usr/bin/env bash
# Description: the starship prompt: Fedora's package if it has one, else release 1.25.1 (static musl build, sha256-pinned)
#
# Installs the program only; turn it on in your shell's rc file (or your
# dotfiles): eval "$(starship init bash)" / eval "$(starship init zsh)".

v=1.25.1
case $(dvm_arch) in
x86_64) sum=c6ddd3ecb9c0071a2ad38d98cee748160066b7c4f197421268058f4a5d6f8504 ;;
aarch64) sum=01517aab398959ea9ea73bdb4f032ea4dbb51dff5c8e5eb05b4a1b9b7ab872b8 ;;
esac
dvm_tool starship "$v" \
	"https://github.com/starship/starship/releases/download/v$v/starship-$(dvm_arch)-unknown-linux-musl.tar.gz" \
	"$sum" starship
