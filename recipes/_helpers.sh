# shellcheck shell=bash
# _helpers.sh: the small library dvm puts in front of every recipe.
#
# A recipe runs as one script, `bash -Eeu -o pipefail FILE </dev/null`, as
# Lima's default user (passwordless sudo) with cwd /. FILE is this text, a
# newline, then the recipe. Not a recipe itself: its name starts with `_`.
#
# Every function here is idempotent and prints nothing on the happy path
# unless it changed something. Errors end the recipe with a one-line
# message naming what to do.

# `producer | dvm_put_file ...` must run dvm_put_file in this shell, so that
# the dvm_changed it sets is seen after the pipeline.
shopt -s lastpipe

# Where system files go, and who owns them (tests point these elsewhere).
_dvm_bin_dir=${_dvm_bin_dir:-/usr/local/bin}
_dvm_pin_dir=${_dvm_pin_dir:-/usr/local/share/dvm/pins}
_dvm_unit_dir=${_dvm_unit_dir:-/etc/systemd/system}
_dvm_root=${_dvm_root:-root:root}

# ---------------------------------------------------------------- messages

# dvm_log MSG...: a progress line for setup.log.
dvm_log() {
	printf 'dvm: %s\n' "$*"
}

# dvm_warn MSG...: a warning on stderr (setup.log too).
dvm_warn() {
	printf 'dvm: warning: %s\n' "$*" >&2
}

# dvm_die MSG...: the recipe fails with MSG.
dvm_die() {
	printf 'dvm: error: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- values

# dvm_has CMD: CMD is on PATH.
dvm_has() {
	command -v "$1" >/dev/null 2>&1
}

# dvm_bool NAME DEFAULT: print 1 or 0 for the variable NAME (1/true/yes/on
# or 0/false/no/off, any case); DEFAULT when it is unset or empty.
dvm_bool() {
	local v=${!1-}
	[[ -n $v ]] || v=$2
	case ${v,,} in
	1 | true | yes | on) printf '1\n' ;;
	0 | false | no | off) printf '0\n' ;;
	*) dvm_die "$1 must be 1 or 0 (got '$v')" ;;
	esac
}

# dvm_arch: x86_64 or aarch64, the names release assets use.
dvm_arch() {
	local m
	m=$(uname -m)
	case $m in
	x86_64 | amd64) printf 'x86_64\n' ;;
	aarch64 | arm64) printf 'aarch64\n' ;;
	*) dvm_die "unsupported architecture: $m" ;;
	esac
}

# ---------------------------------------------------------------- packages

_dvm_dnf_flags=(-y --setopt=install_weak_deps=False)

# dvm_pkg PKG...: install, in one dnf5 transaction, the packages that are
# not installed yet (a name may be a capability, e.g. /usr/bin/zsh). Does
# nothing, and needs no network, when all of them are there.
dvm_pkg() {
	local p
	local -a missing=()
	for p in "$@"; do
		rpm -q --quiet --whatprovides "$p" 2>/dev/null || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	dvm_log "installing ${missing[*]}"
	sudo dnf5 install "${_dvm_dnf_flags[@]}" "${missing[@]}"
}

# dvm_pkg_available PKG: the enabled repositories offer PKG.
dvm_pkg_available() {
	local out
	out=$(sudo dnf5 -q repoquery --available "$1" 2>/dev/null) || return 1
	[[ -n $out ]]
}

# ---------------------------------------------------------------- downloads

# dvm_fetch URL SHA256 DEST: download URL (https only) and put it at DEST
# only if its sha256 is SHA256. The file is written next to DEST first, so
# DEST is never partial; on a mismatch nothing is left at DEST. DEST's
# directory must be writable by the caller.
dvm_fetch() {
	local url=$1 sum=$2 dest=$3 tmp
	[[ $url == https://* ]] || dvm_die "refusing a download that is not https: $url"
	[[ $sum =~ ^[0-9a-f]{64}$ ]] || dvm_die "not a sha256 (64 lowercase hex digits): $sum"
	tmp=$(mktemp "$dest.part.XXXXXX") || dvm_die "cannot write next to $dest"
	if ! curl -fsSL --proto '=https' --tlsv1.2 --retry 3 --retry-delay 2 \
		-o "$tmp" "$url"; then
		rm -f -- "$tmp"
		dvm_die "download failed: $url"
	fi
	if ! printf '%s  %s\n' "$sum" "$tmp" | sha256sum -c --status -; then
		rm -f -- "$tmp"
		dvm_die "checksum mismatch for $url (expected sha256 $sum); nothing installed"
	fi
	mv -f -- "$tmp" "$dest"
}

# dvm_fetch_key URL FINGERPRINT DEST: download an OpenPGP public key and put
# it at DEST (as root, 0644) only if it holds exactly one primary key whose
# fingerprint is FINGERPRINT (40 hex digits, any case).
dvm_fetch_key() {
	local url=$1 want=${2^^} dest=$3 work fprs
	[[ $url == https://* ]] || dvm_die "refusing a download that is not https: $url"
	[[ $want =~ ^[0-9A-F]{40}$ ]] || dvm_die "not an OpenPGP fingerprint: $2"
	dvm_pkg gnupg2
	work=$(mktemp -d)
	if ! curl -fsSL --proto '=https' --tlsv1.2 --retry 3 --retry-delay 2 \
		-o "$work/key" "$url"; then
		rm -rf -- "$work"
		dvm_die "download failed: $url"
	fi
	# The fingerprint of each primary key: the fpr line after each pub line.
	fprs=$(GNUPGHOME=$work gpg --batch --with-colons --show-keys "$work/key" 2>/dev/null |
		awk -F: '$1 == "pub" { p = 1; next } $1 == "fpr" && p { print $10; p = 0 }') || true
	if [[ $fprs != "$want" ]]; then
		rm -rf -- "$work"
		dvm_die "the key at $url does not have the pinned fingerprint $want; nothing installed"
	fi
	sudo install -D -m 0644 -o "${_dvm_root%%:*}" -g "${_dvm_root#*:}" "$work/key" "$dest"
	rm -rf -- "$work"
}

# ---------------------------------------------------------------- users

# dvm_as_user CMD...: run CMD as DVM_USER, with its HOME.
dvm_as_user() {
	sudo -u "$DVM_USER" -H -- "$@"
}

# The AI sandbox (written by the agent-user recipe).
DVM_AGENT=dvm-agent
DVM_AGENT_HOME=/var/lib/dvm-agent
DVM_AGENT_OPT=/opt/dvm-agent
DVM_SANDBOX=/usr/local/bin/dvm-sandbox

# dvm_as_agent CMD...: run CMD as the agent user, with its HOME.
dvm_as_agent() {
	sudo -u "$DVM_AGENT" -H -- "$@"
}

# dvm_need_agent RECIPE: fail unless the agent-user recipe ran before.
dvm_need_agent() {
	if ! id -u "$DVM_AGENT" >/dev/null 2>&1 || [[ ! -x $DVM_SANDBOX ]]; then
		dvm_die "the $1 recipe needs \`use agent-user\` before it (in the VM's config.sh: use agent-user, then use $1)"
	fi
}

# dvm_agent_install CMD...: run an installer (npm, uv) as the agent user
# inside bubblewrap, where it can write only DVM_AGENT_OPT, its own home
# and a fresh /tmp: no code dir, no /home, so a hostile install script
# reaches nothing of the developer's. Network is shared.
dvm_agent_install() {
	dvm_as_agent env -i \
		HOME="$DVM_AGENT_HOME" USER="$DVM_AGENT" LOGNAME="$DVM_AGENT" \
		PATH="$DVM_AGENT_OPT/bin:$DVM_AGENT_OPT/npm/bin:/usr/local/bin:/usr/bin" \
		LANG=C.UTF-8 TMPDIR=/tmp \
		bwrap --die-with-parent --new-session --unshare-all --share-net \
		--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/sbin /sbin \
		--symlink usr/lib /lib --symlink usr/lib64 /lib64 \
		--ro-bind /etc /etc --ro-bind-try /run/systemd/resolve /run/systemd/resolve \
		--proc /proc --dev /dev --tmpfs /tmp \
		--bind "$DVM_AGENT_OPT" "$DVM_AGENT_OPT" \
		--bind "$DVM_AGENT_HOME" "$DVM_AGENT_HOME" \
		--chdir "$DVM_AGENT_HOME" -- "$@"
}

# dvm_agent_npm PACKAGE VERSION: install PACKAGE@VERSION (exact) into the
# agent's npm prefix, unless that version is there already. npm checks
# every tarball against the registry's integrity hash. The machine's
# /etc/npmrc (registry, proxy, CA) still applies.
dvm_agent_npm() {
	local pkg=$1 ver=$2 have=''
	local manifest=$DVM_AGENT_OPT/npm/lib/node_modules/$pkg/package.json
	[[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || dvm_die "$pkg: not an exact version: $ver"
	have=$(dvm_as_agent sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$manifest" 2>/dev/null |
		head -n 1) || true
	[[ $have == "$ver" ]] && return 0
	dvm_log "installing $pkg@$ver for $DVM_AGENT"
	dvm_agent_install npm install --global --prefix "$DVM_AGENT_OPT/npm" \
		--globalconfig /etc/npmrc \
		--no-fund --no-audit --no-update-notifier "$pkg@$ver"
}

# dvm_agent_wrapper NAME TARGET [ARG...]: write /usr/local/bin/NAME, which
# runs TARGET ARG... "$@" through dvm-sandbox: as the agent user, inside
# bubblewrap, with the project at /workspace. Never the developer's home.
dvm_agent_wrapper() {
	local name=$1 a line=''
	shift
	for a in "$@"; do
		printf -v a '%q' "$a"
		line+=" $a"
	done
	dvm_put_file "$_dvm_bin_dir/$name" 0755 <<EOF
#!/bin/bash
# $name: runs as $DVM_AGENT inside the dvm sandbox (written by dvm; do not edit).
exec $DVM_SANDBOX --$line "\$@"
EOF
}

# ---------------------------------------------------------------- secrets

# dvm_has_secret NAME: dvm staged the secret NAME for this sync.
dvm_has_secret() {
	local v=DVM_SECRET_FILE_$1
	[[ -n ${!v-} && -r ${!v} ]]
}

# dvm_secret NAME: print the path of the staged secret file NAME (a 0600
# file dvm deletes when the sync ends). Read it; never echo its content,
# never put it in an argv.
dvm_secret() {
	local v=DVM_SECRET_FILE_$1
	[[ $1 =~ ^[A-Z][A-Z0-9_]*$ ]] || dvm_die "bad secret name: $1"
	if [[ -z ${!v-} ]]; then
		dvm_die "secret $1 was not passed: set it in the host environment for this sync ($1=... dvm sync <vm>), or list it in DVM_SECRETS"
	fi
	[[ -f ${!v} && -r ${!v} ]] || dvm_die "secret $1: staged file ${!v} is missing or unreadable"
	printf '%s\n' "${!v}"
}

# ---------------------------------------------------------------- files and units

# dvm_put_file DEST MODE [OWNER:GROUP] < CONTENT: install stdin as DEST
# (as root) only when it differs from what is there, content, mode or
# owner. Sets dvm_changed to 1 when it wrote, 0 when DEST was already right.
dvm_changed=0
dvm_put_file() {
	local dest=$1 mode=$2 owner=${3:-$_dvm_root} tmp want
	want="$(printf '%o' "$((8#$mode))") $owner"
	tmp=$(mktemp)
	cat >"$tmp"
	if sudo test -f "$dest" && sudo cmp -s -- "$tmp" "$dest" &&
		[[ $(sudo stat -c '%a %U:%G' -- "$dest") == "$want" ]]; then
		rm -f -- "$tmp"
		dvm_changed=0
		return 0
	fi
	sudo install -D -m "$mode" -o "${owner%%:*}" -g "${owner#*:}" -- "$tmp" "$dest.dvm-new"
	sudo mv -f -- "$dest.dvm-new" "$dest"
	rm -f -- "$tmp"
	dvm_changed=1
}

# dvm_unit NAME < UNIT: write the systemd unit NAME (only when it changed;
# then daemon-reload). Sets dvm_changed like dvm_put_file.
dvm_unit() {
	[[ $1 =~ ^[A-Za-z0-9_.@-]+\.(service|timer|socket|path)$ ]] || dvm_die "bad unit name: $1"
	dvm_put_file "$_dvm_unit_dir/$1" 0644
	if ((dvm_changed)); then
		sudo systemctl daemon-reload
	fi
}

# ---------------------------------------------------------------- pinned tools

# dvm_pinned_current NAME VERSION: the pinned install NAME is at VERSION
# (and its command is still there).
dvm_pinned_current() {
	[[ -x $_dvm_bin_dir/$1 && -f $_dvm_pin_dir/$1 && $(<"$_dvm_pin_dir/$1") == "$2" ]]
}

# dvm_pinned_install NAME VERSION URL SHA256 MEMBER...: download the release
# archive (.tar.gz, .zip or a bare binary), verify it, and install each
# MEMBER (a path inside the archive; its basename becomes the command) to
# /usr/local/bin, then record VERSION.
dvm_pinned_install() {
	local name=$1 ver=$2 url=$3 sum=$4 work m f
	shift 4
	dvm_pkg /usr/bin/curl tar gzip
	work=$(mktemp -d)
	dvm_log "installing $name $ver from $url"
	dvm_fetch "$url" "$sum" "$work/download"
	mkdir "$work/x"
	case $url in
	*.tar.gz | *.tgz) tar -xzf "$work/download" -C "$work/x" ;;
	*.zip) dvm_pkg unzip && unzip -q "$work/download" -d "$work/x" ;;
	*) cp -- "$work/download" "$work/x/$name" ;;
	esac
	for m in "$@"; do
		f=$work/x/$m
		[[ -f $f ]] || dvm_die "$name: $m is not in $url"
		sudo install -m 0755 -o "${_dvm_root%%:*}" -g "${_dvm_root#*:}" -- "$f" "$_dvm_bin_dir/${m##*/}"
	done
	printf '%s\n' "$ver" | dvm_put_file "$_dvm_pin_dir/$name" 0644
	rm -rf -- "$work"
}

# dvm_tool PKG VERSION URL SHA256 MEMBER...: the Fedora package PKG when it
# is installed or the repositories offer it; else the pinned release (see
# dvm_pinned_install). Fast when already done.
dvm_tool() {
	local pkg=$1 ver=$2
	rpm -q --quiet "$pkg" 2>/dev/null && return 0
	dvm_pinned_current "$pkg" "$ver" && return 0
	if dvm_pkg_available "$pkg"; then
		dvm_pkg "$pkg"
		return 0
	fi
	dvm_pinned_install "$@"
}
