#!/usr/bin/env bats
# shellcheck disable=SC2016 # the scripts given to bash -c expand later
# The bundled recipes (recipes/*.sh): static rules every recipe keeps, and
# the helper library (recipes/_helpers.sh) run in bash against stub sudo,
# rpm, dnf5, curl, systemctl and id on PATH. Nothing here touches the
# system or the network; the real agent-user recipe runs in
# tests/integration/sandbox.bats.

load test_helper

RECIPES=$REPO_DIR/recipes
HELPERS=$RECIPES/_helpers.sh
BUNDLED=(baseline zsh git helix lazygit starship fzf bat git-delta just tmux
	zellij yazi node python chezmoi docker agent-user codex claude opencode
	mistral llama cloudflared tailscale)

setup() {
	setup_dvm_env
	STUB=$BATS_TEST_TMPDIR/stub
	export STUB STUB_LOG=$STUB/log
	mkdir -p "$STUB/bin" "$STUB/serve"
	: >"$STUB_LOG"
	: >"$STUB/installed"
	: >"$STUB/available"

	# sudo: drop the options, log, run the command as this user.
	cat >"$STUB/bin/sudo" <<'EOF'
#!/bin/bash
while (($#)); do
	case $1 in
	-u | -g) shift 2 ;;
	--) shift; break ;;
	-*) shift ;;
	*) break ;;
	esac
done
printf 'sudo %s\n' "$*" >>"$STUB_LOG"
exec "$@"
EOF
	# rpm -q [--quiet] [--whatprovides] NAME: installed when listed.
	cat >"$STUB/bin/rpm" <<'EOF'
#!/bin/bash
grep -qx -- "${!#}" "$STUB/installed"
EOF
	# dnf5: log; repoquery answers from the available list; install records.
	cat >"$STUB/bin/dnf5" <<'EOF'
#!/bin/bash
printf 'dnf5 %s\n' "$*" >>"$STUB_LOG"
for a; do
	case $a in
	repoquery) grep -x -- "${!#}" "$STUB/available" || true; exit 0 ;;
	install) install=1 ;;
	-*) ;;
	*) [[ -n ${install-} ]] && printf '%s\n' "$a" >>"$STUB/installed" ;;
	esac
done
exit 0
EOF
	# curl ... -o FILE URL: serves $STUB/serve/<last part of URL>.
	cat >"$STUB/bin/curl" <<'EOF'
#!/bin/bash
out='' url=${!#}
while (($#)); do
	[[ $1 == -o ]] && out=$2
	shift
done
printf 'curl %s\n' "$url" >>"$STUB_LOG"
[[ ! -e $STUB/curl-fails ]] || exit 22
cp -- "$STUB/serve/${url##*/}" "$out"
EOF
	cat >"$STUB/bin/systemctl" <<'EOF'
#!/bin/bash
printf 'systemctl %s\n' "$*" >>"$STUB_LOG"
EOF
	# id -u dvm-agent: the agent exists only when $STUB/agent does.
	cat >"$STUB/bin/id" <<'EOF'
#!/bin/bash
if [[ ${!#} == dvm-agent ]]; then
	[[ -e $STUB/agent ]] || { echo "id: 'dvm-agent': no such user" >&2; exit 1; }
	echo 990
	exit 0
fi
exec /usr/bin/id "$@"
EOF
	chmod 0755 "$STUB"/bin/*
	export PATH="$STUB/bin:$PATH"

	# Where the helpers put system files, owned by us instead of root.
	export _dvm_bin_dir=$BATS_TEST_TMPDIR/usr-local-bin
	export _dvm_pin_dir=$BATS_TEST_TMPDIR/pins
	export _dvm_unit_dir=$BATS_TEST_TMPDIR/units
	_dvm_root="$(id -un):$(id -gn)"
	export _dvm_root
	mkdir -p "$_dvm_bin_dir"
}

teardown() {
	teardown_dvm_env
}

# helpers SCRIPT [ARG...]: run SCRIPT in bash -Eeu -o pipefail after the
# helpers, as dvm runs a recipe.
helpers() {
	local script=$1
	shift
	run bash -Eeu -o pipefail -c 'source "$0"; __script=$1; shift; eval "$__script"' \
		"$HELPERS" "$script" "$@"
}

# recipe NAME: run the real recipe as dvm does (helpers, newline, recipe).
recipe() {
	{
		cat "$HELPERS"
		printf '\n'
		cat "$RECIPES/$1.sh"
	} >"$BATS_TEST_TMPDIR/$1.run"
	run bash -Eeu -o pipefail "$BATS_TEST_TMPDIR/$1.run" </dev/null
}

stub_log() {
	cat "$STUB_LOG"
}

# ---------------------------------------------------------------- static rules

@test "every bundled recipe is there, and _helpers.sh" {
	local r
	[ -f "$HELPERS" ]
	for r in "${BUNDLED[@]}"; do
		[ -f "$RECIPES/$r.sh" ] || fail "missing recipes/$r.sh"
	done
}

@test "every recipe starts with a one-line # Description: (after an optional shebang)" {
	local f first second line
	for f in "$RECIPES"/*.sh; do
		[[ ${f##*/} != _* ]] || continue
		{ IFS= read -r first; IFS= read -r second; } <"$f"
		line=$first
		[[ $first != '#!'* ]] || line=$second
		[[ $line =~ ^#\ Description:\ [^[:space:]].{10,}$ ]] ||
			fail "${f##*/}: no '# Description: ...' line at the top (got: $line)"
	done
}

@test "every recipe passes shellcheck -s bash with the helpers in front" {
	local f out bad=''
	command -v shellcheck >/dev/null || fail "shellcheck is not installed (tests/deps.sh)"
	for f in "$RECIPES"/*.sh; do
		[[ ${f##*/} != _* ]] || continue
		{
			cat "$HELPERS"
			printf '\n'
			cat "$f"
		} >"$BATS_TEST_TMPDIR/${f##*/}"
		if ! out=$(shellcheck -s bash "$BATS_TEST_TMPDIR/${f##*/}" 2>&1); then
			bad+="${f##*/}:"$'\n'"$out"$'\n'
		fi
	done
	[ -z "$bad" ] || fail "$bad"
	shellcheck -s bash "$HELPERS"
}

@test "no recipe pipes a download into a shell" {
	run grep -nE '(curl|wget)[^#]*\|[[:space:]]*(sudo[[:space:]]+)?(env[[:space:]]+)?(ba|z|da|k)?sh\b|(ba|z)?sh[[:space:]]+(-c[[:space:]]+)?["]?[$<]\((curl|wget)' "$RECIPES"/*.sh
	assert_failure 1
}

@test "only the helpers download, and every download is checked before it is used" {
	local f name body
	# A curl or wget command in a recipe (not a package name in dvm_pkg).
	run grep -nE '(^|[;&|({]|\$\(|then|do|else)[[:space:]]*(sudo[[:space:]]+)?(curl|wget)[[:space:]]' \
		"$RECIPES"/[!_]*.sh
	assert_failure 1
	# In the helpers, every function that runs curl checks what it got
	# (sha256sum -c, or an OpenPGP fingerprint) after the download.
	local n=0
	while IFS= read -r name; do
		body=$(sed -n "/^$name() {/,/^}/p" "$HELPERS")
		grep -qE '(^|[;&|!(]|then|if)[[:space:]]*curl[[:space:]]' <<<"$body" || continue
		n=$((n + 1))
		body=${body#*curl -}
		[[ $body == *'sha256sum -c'* || $body == *'--show-keys'*'$want'* ]] ||
			fail "$name downloads without a checksum or fingerprint check after it"
	done < <(sed -n 's/^\([a-z_]*\)() {$/\1/p' "$HELPERS")
	[ "$n" = 2 ] || fail "expected curl in dvm_fetch and dvm_fetch_key only, found it in $n functions"
	run grep -c 'sha256sum -c' "$HELPERS"
	[ "$output" -ge 1 ]
	# Recipes download only through dvm_fetch/dvm_fetch_key/dvm_tool/
	# dvm_pinned_install, each given a 64-hex sha256 or a fingerprint.
	for f in "$RECIPES"/[!_]*.sh; do
		while IFS= read -r line; do
			[[ $line =~ ^sum=[0-9a-f]{64}$ ]] ||
				fail "${f##*/}: a pinned sha256 that is not 64 lowercase hex digits: $line"
		done < <(grep -oE '\bsum=[0-9a-fA-F]+' "$f")
	done
	# One pinned sha256 per architecture in each recipe with a release.
	for f in lazygit starship zellij yazi cloudflared; do
		run grep -cE '^(x86_64|aarch64)\) .*sum=[0-9a-f]{64}' "$RECIPES/$f.sh"
		assert_output 2
	done
}

@test "pinned downloads name an exact https release, never latest" {
	run bash -c 'grep -nE "http://|releases/latest|/latest/download" "$@" |
		grep -vE ":[0-9]+:[[:space:]]*(#|dvm_log|dvm_die|dvm_warn)"' bash "$RECIPES"/*.sh
	assert_failure 1
	run grep -lE 'releases/download/v?\$v/' "$RECIPES"/*.sh
	assert_success
}

@test "the AI recipes check for agent-user before anything else" {
	local r first
	for r in codex claude opencode mistral; do
		first=$(grep -vE '^[[:space:]]*(#|$)' "$RECIPES/$r.sh" | head -n 1)
		[ "$first" = "dvm_need_agent $r" ] || fail "$r.sh starts with: $first"
	done
}

@test "secrets are read from the staged files, never from variables or argv" {
	run grep -nE '\$\{?(CLOUDFLARED_TOKEN|TAILSCALE_AUTH_KEY|DVM_CLOUDFLARED_TOKEN|DVM_TAILSCALE_AUTH_KEY)\b' "$RECIPES"/*.sh
	assert_failure 1
	run grep -n 'auth-key=' "$RECIPES/tailscale.sh"
	assert_success
	assert_output_contains '--auth-key="file:$keyfile"'
	refute_output_contains 'auth-key="$k'
}

# ---------------------------------------------------------------- dvm_pkg

@test "dvm_pkg installs only the missing packages, in one dnf5 call" {
	printf '%s\n' git tar >"$STUB/installed"
	helpers 'dvm_pkg git curl tar jq'
	assert_success
	assert_output "dvm: installing curl jq"
	run stub_log
	assert_output "sudo dnf5 install -y --setopt=install_weak_deps=False curl jq
dnf5 install -y --setopt=install_weak_deps=False curl jq"
}

@test "dvm_pkg does nothing, quietly, when everything is installed" {
	printf '%s\n' git curl >"$STUB/installed"
	helpers 'dvm_pkg git curl; dvm_pkg git'
	assert_success
	assert_output ""
	run stub_log
	assert_output ""
}

@test "dvm_pkg fails when dnf5 fails" {
	printf '#!/bin/sh\nexit 1\n' >"$STUB/bin/dnf5"
	helpers 'dvm_pkg nosuchpkg; echo after'
	assert_failure
	refute_output_contains after
}

# ---------------------------------------------------------------- dvm_fetch

@test "dvm_fetch puts a file with the right sha256 at DEST" {
	printf 'release bits\n' >"$STUB/serve/tool.tar.gz"
	sum=$(sha256sum "$STUB/serve/tool.tar.gz" | cut -d' ' -f1)
	helpers 'dvm_fetch https://example.org/v1/tool.tar.gz "$1" "$2"' "$sum" "$BATS_TEST_TMPDIR/dest"
	assert_success
	[ "$(cat "$BATS_TEST_TMPDIR/dest")" = "release bits" ]
	run stub_log
	assert_output "curl https://example.org/v1/tool.tar.gz"
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output_contains ".part."
}

@test "dvm_fetch rejects a wrong sha256 and leaves nothing at DEST" {
	printf 'tampered\n' >"$STUB/serve/tool.tar.gz"
	helpers 'dvm_fetch https://example.org/v1/tool.tar.gz "$1" "$2"; echo after' \
		"$(printf 'x' | sha256sum | cut -d' ' -f1)" "$BATS_TEST_TMPDIR/dest"
	assert_failure 1
	assert_output_contains "dvm: error: checksum mismatch for https://example.org/v1/tool.tar.gz"
	refute_output_contains after
	refute_file_exists "$BATS_TEST_TMPDIR/dest"
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output_contains ".part."
}

@test "dvm_fetch keeps an existing DEST when the new download is bad" {
	printf 'old\n' >"$BATS_TEST_TMPDIR/dest"
	printf 'tampered\n' >"$STUB/serve/f"
	helpers 'dvm_fetch https://example.org/f "$1" "$2"' "$(printf 'x' | sha256sum | cut -d' ' -f1)" "$BATS_TEST_TMPDIR/dest"
	assert_failure 1
	[ "$(cat "$BATS_TEST_TMPDIR/dest")" = old ]
}

@test "dvm_fetch refuses http, a malformed sha256, and leaves nothing when the download fails" {
	local good
	good=$(printf 'x' | sha256sum | cut -d' ' -f1)
	helpers 'dvm_fetch http://example.org/f "$1" "$2"' "$good" "$BATS_TEST_TMPDIR/dest"
	assert_failure 1
	assert_output_contains "not https"
	helpers 'dvm_fetch https://example.org/f ABC "$1"' "$BATS_TEST_TMPDIR/dest"
	assert_failure 1
	assert_output_contains "not a sha256"
	run stub_log
	assert_output ""
	touch "$STUB/curl-fails"
	helpers 'dvm_fetch https://example.org/f "$1" "$2"' "$good" "$BATS_TEST_TMPDIR/dest"
	assert_failure 1
	assert_output_contains "download failed: https://example.org/f"
	refute_file_exists "$BATS_TEST_TMPDIR/dest"
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output_contains ".part."
}

@test "dvm_fetch_key accepts only the pinned fingerprint" {
	command -v gpg >/dev/null || skip "gpg is not installed"
	printf '%s\n' gnupg2 >"$STUB/installed"
	# A throwaway key, made here.
	export GNUPGHOME=$BATS_TEST_TMPDIR/gnupg
	mkdir -m 0700 "$GNUPGHOME"
	gpg --batch --quiet --passphrase '' --quick-generate-key 'dvm test <t@example.org>' ed25519 sign never 2>/dev/null
	gpg --batch --armor --export t@example.org >"$STUB/serve/repo.gpg"
	fpr=$(gpg --with-colons --list-keys t@example.org | awk -F: '$1 == "fpr" { print $10; exit }')
	unset GNUPGHOME
	helpers 'dvm_fetch_key https://example.org/repo.gpg "$1" "$2"' "${fpr,,}" "$BATS_TEST_TMPDIR/keys/k.gpg"
	assert_success
	cmp "$STUB/serve/repo.gpg" "$BATS_TEST_TMPDIR/keys/k.gpg"
	helpers 'dvm_fetch_key https://example.org/repo.gpg 2596A99EAAB33821893C0A79458CA832957F5868 "$1"' "$BATS_TEST_TMPDIR/keys/other.gpg"
	assert_failure 1
	assert_output_contains "does not have the pinned fingerprint"
	refute_file_exists "$BATS_TEST_TMPDIR/keys/other.gpg"
}

# ---------------------------------------------------------------- users and secrets

@test "dvm_need_agent says which recipe needs use agent-user" {
	helpers 'dvm_need_agent claude; echo after'
	assert_failure 1
	assert_output 'dvm: error: the claude recipe needs `use agent-user` before it (in the VM'"'"'s config.sh: use agent-user, then use claude)'
	# The user alone is not enough: the wrapper must be there too.
	touch "$STUB/agent"
	helpers 'DVM_SANDBOX=$1/none; dvm_need_agent codex' "$BATS_TEST_TMPDIR"
	assert_failure 1
	assert_output_contains "the codex recipe needs \`use agent-user\` before it"
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/dvm-sandbox"
	chmod +x "$BATS_TEST_TMPDIR/dvm-sandbox"
	helpers 'DVM_SANDBOX=$1/dvm-sandbox; dvm_need_agent codex; echo ok' "$BATS_TEST_TMPDIR"
	assert_success
	assert_output ok
}

@test "dvm_secret prints the staged file's path and never its content" {
	printf 'tok-123-secret\n' >"$BATS_TEST_TMPDIR/s"
	chmod 0600 "$BATS_TEST_TMPDIR/s"
	DVM_SECRET_FILE_API_TOKEN=$BATS_TEST_TMPDIR/s helpers 'export DVM_SECRET_FILE_API_TOKEN; dvm_secret API_TOKEN; dvm_has_secret API_TOKEN && echo has'
	assert_success
	assert_output "$BATS_TEST_TMPDIR/s
has"
	refute_output_contains tok-123-secret
}

@test "dvm_secret fails clearly when the secret was not passed or its file is gone" {
	helpers 'dvm_has_secret API_TOKEN || echo none; dvm_secret API_TOKEN'
	assert_failure 1
	assert_output "none
dvm: error: secret API_TOKEN was not passed: set it in the host environment for this sync (API_TOKEN=... dvm sync <vm>), or list it in DVM_SECRETS"
	helpers 'DVM_SECRET_FILE_API_TOKEN=$1/gone; dvm_has_secret API_TOKEN || echo none; dvm_secret API_TOKEN' "$BATS_TEST_TMPDIR"
	assert_failure 1
	assert_output_contains "none"
	assert_output_contains "secret API_TOKEN: staged file $BATS_TEST_TMPDIR/gone is missing or unreadable"
	helpers 'dvm_secret "bad name"'
	assert_failure 1
	assert_output_contains "bad secret name"
}

@test "dvm_bool reads 1/0, yes/no, true/false, on/off and rejects the rest" {
	helpers 'A=yes B=OFF C= D=True; dvm_bool A 0; dvm_bool B 1; dvm_bool C 1; dvm_bool D 0; dvm_bool UNSET 0'
	assert_success
	assert_output "1
0
1
1
0"
	helpers 'DVM_CLAUDE_BYPASS=maybe; dvm_bool DVM_CLAUDE_BYPASS 1'
	assert_failure 1
	assert_output "dvm: error: DVM_CLAUDE_BYPASS must be 1 or 0 (got 'maybe')"
}

# ---------------------------------------------------------------- files and units

@test "dvm_unit writes a unit once, reloads systemd only when it changed" {
	local script='dvm_unit demo.service <<EOF
[Service]
ExecStart=/usr/bin/true $1
EOF
echo "changed=$dvm_changed"'
	helpers "$script" one
	assert_success
	assert_output "changed=1"
	assert_file_contains "$_dvm_unit_dir/demo.service" "ExecStart=/usr/bin/true one"
	assert_file_mode "$_dvm_unit_dir/demo.service" 644
	run grep -c '^sudo systemctl daemon-reload' "$STUB_LOG"
	assert_output 1
	# Same unit again: nothing written, no reload.
	before=$(stat -c %Y.%i "$_dvm_unit_dir/demo.service")
	helpers "$script" one
	assert_success
	assert_output "changed=0"
	[ "$(stat -c %Y.%i "$_dvm_unit_dir/demo.service")" = "$before" ]
	run grep -c '^sudo systemctl daemon-reload' "$STUB_LOG"
	assert_output 1
	# A different unit: written and reloaded.
	helpers "$script" two
	assert_output "changed=1"
	assert_file_contains "$_dvm_unit_dir/demo.service" "ExecStart=/usr/bin/true two"
	run grep -c '^sudo systemctl daemon-reload' "$STUB_LOG"
	assert_output 2
	helpers 'dvm_unit "../evil.service" </dev/null'
	assert_failure 1
	assert_output_contains "bad unit name"
}

@test "dvm_put_file rewrites a file whose mode is wrong, even with the same content" {
	local f=$BATS_TEST_TMPDIR/etc/conf
	helpers 'printf "x\n" | dvm_put_file "$1" 0600; echo $dvm_changed' "$f"
	assert_output 1
	assert_file_mode "$f" 600
	chmod 0644 "$f"
	helpers 'printf "x\n" | dvm_put_file "$1" 0600; echo $dvm_changed' "$f"
	assert_output 1
	assert_file_mode "$f" 600
	helpers 'printf "x\n" | dvm_put_file "$1" 0600; echo $dvm_changed' "$f"
	assert_output 0
	refute_file_exists "$f.dvm-new"
}

# ---------------------------------------------------------------- pinned tools

@test "dvm_tool installs a pinned release when Fedora has no package, once" {
	printf '%s\n' /usr/bin/curl tar gzip >"$STUB/installed"
	mkdir -p "$BATS_TEST_TMPDIR/rel"
	printf '#!/bin/sh\necho hello from tool\n' >"$BATS_TEST_TMPDIR/rel/tool"
	tar -czf "$STUB/serve/tool_1.2.3_linux.tar.gz" -C "$BATS_TEST_TMPDIR/rel" tool
	sum=$(sha256sum "$STUB/serve/tool_1.2.3_linux.tar.gz" | cut -d' ' -f1)
	local script='dvm_tool tool 1.2.3 https://example.org/v1.2.3/tool_1.2.3_linux.tar.gz "$1" tool'
	helpers "$script" "$sum"
	assert_success
	assert_output_contains "installing tool 1.2.3 from https://example.org/v1.2.3/tool_1.2.3_linux.tar.gz"
	run "$_dvm_bin_dir/tool"
	assert_output "hello from tool"
	assert_file_mode "$_dvm_bin_dir/tool" 755
	[ "$(cat "$_dvm_pin_dir/tool")" = 1.2.3 ]
	run grep -c '^curl ' "$STUB_LOG"
	assert_output 1
	# Done already: no download, no dnf5.
	: >"$STUB_LOG"
	helpers "$script" "$sum"
	assert_success
	assert_output ""
	run stub_log
	assert_output ""
	# A new version pinned: installed again.
	helpers 'dvm_tool tool 1.2.4 https://example.org/v1.2.3/tool_1.2.3_linux.tar.gz "$1" tool' "$sum"
	assert_success
	[ "$(cat "$_dvm_pin_dir/tool")" = 1.2.4 ]
}

@test "dvm_tool prefers Fedora's package: installed or available means no download" {
	printf '%s\n' tool >"$STUB/installed"
	helpers 'dvm_tool tool 1.0.0 https://example.org/t.tar.gz 0000000000000000000000000000000000000000000000000000000000000000 tool'
	assert_success
	run stub_log
	assert_output ""
	: >"$STUB/installed"
	printf '%s\n' tool >"$STUB/available"
	helpers 'dvm_tool tool 1.0.0 https://example.org/t.tar.gz 0000000000000000000000000000000000000000000000000000000000000000 tool'
	assert_success
	run stub_log
	assert_output_contains "dnf5 install -y --setopt=install_weak_deps=False tool"
	refute_output_contains "curl"
}

@test "a pinned zip installs every named member" {
	command -v zip >/dev/null || skip "zip is not installed"
	printf '%s\n' /usr/bin/curl tar gzip unzip >"$STUB/installed"
	mkdir -p "$BATS_TEST_TMPDIR/rel/yazi-x"
	printf '#!/bin/sh\necho y\n' >"$BATS_TEST_TMPDIR/rel/yazi-x/yazi"
	printf '#!/bin/sh\necho a\n' >"$BATS_TEST_TMPDIR/rel/yazi-x/ya"
	(cd "$BATS_TEST_TMPDIR/rel" && zip -qr "$STUB/serve/y.zip" yazi-x)
	sum=$(sha256sum "$STUB/serve/y.zip" | cut -d' ' -f1)
	helpers 'dvm_pinned_install yazi 1 https://example.org/y.zip "$1" yazi-x/yazi yazi-x/ya' "$sum"
	assert_success
	[ -x "$_dvm_bin_dir/yazi" ] && [ -x "$_dvm_bin_dir/ya" ]
}

@test "dvm_agent_wrapper writes a command that always goes through dvm-sandbox" {
	printf '#!/bin/sh\nprintf "[%%s]" "$@"; echo\n' >"$BATS_TEST_TMPDIR/dvm-sandbox"
	chmod +x "$BATS_TEST_TMPDIR/dvm-sandbox"
	helpers 'DVM_SANDBOX=$1/dvm-sandbox; dvm_agent_wrapper claude "/opt/dvm agent/bin/claude" --dangerously-skip-permissions; echo $dvm_changed' "$BATS_TEST_TMPDIR"
	assert_success
	assert_output 1
	assert_file_mode "$_dvm_bin_dir/claude" 755
	run "$_dvm_bin_dir/claude" -p 'two words'
	assert_success
	assert_output "[--][/opt/dvm agent/bin/claude][--dangerously-skip-permissions][-p][two words]"
}

# ---------------------------------------------------------------- recipes

@test "an AI recipe without agent-user fails before installing anything" {
	local r
	for r in codex claude opencode mistral; do
		: >"$STUB_LOG"
		DVM_USER=dev DVM_CODE_DIR=/home/dev/code/x recipe "$r"
		assert_failure 1
		assert_output_contains "the $r recipe needs \`use agent-user\` before it"
		run stub_log
		assert_output ""
	done
}

@test "the llama recipe checks its settings before installing anything" {
	DVM_LLAMA_MODELS="small=http://example.org/s.gguf" recipe llama
	assert_failure 1
	assert_output_contains "small: the URL must be https://"
	DVM_LLAMA_MODELS="small=https://example.org/s.gguf" recipe llama
	assert_failure 1
	assert_output_contains "model small has no sha256: add small=<sha256> to DVM_LLAMA_MODELS_SHA256"
	DVM_LLAMA_MODELS="small=https://example.org/s.gguf" DVM_LLAMA_MODELS_SHA256="small=abc" recipe llama
	assert_failure 1
	assert_output_contains "not a sha256"
	DVM_LLAMA_MODELS="a=https://example.org/a.gguf" DVM_LLAMA_MODELS_SHA256="a=$(printf 'a' | sha256sum | cut -d' ' -f1)" \
		DVM_LLAMA_DEFAULT_MODEL=b recipe llama
	assert_failure 1
	assert_output_contains "DVM_LLAMA_DEFAULT_MODEL not found in DVM_LLAMA_MODELS: b"
	DVM_LLAMA_PORT=99999 recipe llama
	assert_failure 1
	assert_output_contains "DVM_LLAMA_PORT must be a port"
	DVM_LLAMA_ARGS='-c 8192; rm -rf /' recipe llama
	assert_failure 1
	assert_output_contains "DVM_LLAMA_ARGS may hold only"
	run stub_log
	assert_output ""
}

@test "the cloudflared recipe rejects a malformed token without printing it" {
	printf '%s\n' /usr/bin/curl tar gzip >"$STUB/installed"
	# The pinned binary is in place already.
	printf '#!/bin/sh\n' >"$_dvm_bin_dir/cloudflared"
	chmod +x "$_dvm_bin_dir/cloudflared"
	mkdir -p "$_dvm_pin_dir"
	printf '2026.9.3\n' >"$_dvm_pin_dir/cloudflared"
	printf 'abc def INJECTED=1 secretvalue-xyz\n' >"$BATS_TEST_TMPDIR/token"
	chmod 0600 "$BATS_TEST_TMPDIR/token"
	DVM_NAME=tunnel DVM_SECRET_FILE_CLOUDFLARED_TOKEN=$BATS_TEST_TMPDIR/token recipe cloudflared
	assert_failure 1
	assert_output_contains "CLOUDFLARED_TOKEN does not look like a tunnel token"
	refute_output_contains "secretvalue-xyz"
	run stub_log
	refute_output_contains "secretvalue-xyz"
}

@test "the cloudflared recipe without a token explains how to pass one" {
	[[ ! -e /etc/dvm/cloudflared.env ]] || skip "this machine has a configured dvm tunnel"
	printf '#!/bin/sh\n' >"$_dvm_bin_dir/cloudflared"
	chmod +x "$_dvm_bin_dir/cloudflared"
	mkdir -p "$_dvm_pin_dir"
	printf '2026.9.3\n' >"$_dvm_pin_dir/cloudflared"
	DVM_NAME=tunnel recipe cloudflared
	assert_success
	assert_output_contains "CLOUDFLARED_TOKEN='<token>' dvm sync tunnel"
	run stub_log
	refute_output_contains "systemctl"
}

@test "the tailscale recipe checks its hostname and funnel target first" {
	DVM_NAME=ts DVM_TAILSCALE_HOSTNAME='Bad_Name' recipe tailscale
	assert_failure 1
	assert_output_contains "DVM_TAILSCALE_HOSTNAME must be a DNS label"
	DVM_NAME=ts DVM_TAILSCALE_FUNNEL_TARGET='http://x:1/a b' recipe tailscale
	assert_failure 1
	assert_output_contains "DVM_TAILSCALE_FUNNEL_TARGET must be a port"
	run stub_log
	assert_output ""
}

@test "the agent-user recipe refuses a bad DVM_USER or code dir before changing anything" {
	DVM_USER='root;x' DVM_CODE_DIR=/home/x/code/y recipe agent-user
	assert_failure 1
	assert_output_contains "bad DVM_USER"
	DVM_USER=dev DVM_CODE_DIR='/home/dev/code/$(x)' recipe agent-user
	assert_failure 1
	assert_output_contains "bad DVM_CODE_DIR"
	run stub_log
	assert_output ""
}

@test "the docker recipe says it needs DVM_USER_SUDO=1, and refuses to run without it" {
	grep -qx '# Requires: DVM_USER_SUDO=1 (the docker group is as good as root in the VM)' "$RECIPES/docker.sh"
	local v
	for v in '' 0 yes; do
		DVM_USER_SUDO=$v DVM_USER=dev recipe docker
		assert_failure 1
		assert_output "dvm: error: the docker group is as good as root, so use docker needs DVM_USER_SUDO=1 in the VM's config (a dev user with root); without it, use the projects' rootless podman"
	done
	(unset DVM_USER_SUDO; DVM_USER=dev recipe docker; [ "$status" -eq 1 ])
	run stub_log
	assert_output ""
	# With it, the recipe installs Docker and adds the user to the group
	# (a usermod stub: the sudo stub runs commands for real).
	printf '#!/bin/sh\necho "usermod $*" >>"$STUB_LOG"\n' >"$STUB/bin/usermod"
	chmod +x "$STUB/bin/usermod"
	DVM_USER_SUDO=1 DVM_USER="$(id -un)" recipe docker
	assert_success
	assert_output_contains "dvm: adding $(id -un) to the docker group"
	run stub_log
	assert_output_contains "dnf5 install -y --setopt=install_weak_deps=False moby-engine docker-compose"
	assert_output_contains "sudo usermod --append --groups docker $(id -un)"
	assert_output_contains "usermod --append --groups docker $(id -un)"
}
