#!/usr/bin/env bash
# Description: the basics every VM gets: curl, git, tar, unzip, which, ACL tools
# Runs before every other recipe (skip it with DVM_NO_BASELINE=1).

need=()
for pkg in curl git tar unzip which acl rsync; do
	rpm -q "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
	sudo dnf5 install -y --setopt=install_weak_deps=False "${need[@]}"
fi
