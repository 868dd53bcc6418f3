#!/usr/bin/env bash
# Description: llama.cpp's server (Fedora's llama-cpp) as dvm-llama.service, with GGUF models downloaded and sha256-checked
# Unit: dvm-llama.service
#
#   DVM_LLAMA_MODELS          "alias=https://... alias2=https://..." (spaces or commas)
#   DVM_LLAMA_MODELS_SHA256   "alias=<64 hex> alias2=<64 hex>": one per model, required
#   DVM_LLAMA_MODEL_URL/_SHA256  one model, alias "model" (shorthand)
#   DVM_LLAMA_DEFAULT_MODEL   the alias to serve (default: the first)
#   DVM_LLAMA_HOST            0.0.0.0 (default: other VMs reach it as
#                             lima-dvm-<vm>.internal) or 127.0.0.1
#   DVM_LLAMA_PORT            8080
#   DVM_LLAMA_ARGS            more llama-server options, e.g. "-c 8192 -ngl 0"
#   DVM_LLAMA_REFRESH         1: check every model's sha256 again (re-download
#                             a bad one); default 0 trusts the last check
#
# Models live in /var/lib/dvm-llama/models/<alias>.gguf; current.gguf
# points at the one served. The service runs as a throwaway user
# (DynamicUser) that can read the models and nothing of yours.

unit=dvm-llama.service
dir=/var/lib/dvm-llama/models

port=${DVM_LLAMA_PORT:-8080}
if [[ ! $port =~ ^[0-9]{1,5}$ ]] || ((port < 1 || port > 65535)); then
	dvm_die "DVM_LLAMA_PORT must be a port (1-65535), not '$port'"
fi
host=${DVM_LLAMA_HOST:-0.0.0.0}
[[ $host =~ ^[A-Za-z0-9.:-]+$ ]] || dvm_die "bad DVM_LLAMA_HOST: $host"
extra=${DVM_LLAMA_ARGS:-}
[[ $extra =~ ^[A-Za-z0-9\ ._=:,/+-]*$ ]] || dvm_die "DVM_LLAMA_ARGS may hold only letters, digits, spaces and ._=:,/+- (got '$extra')"
refresh=$(dvm_bool DVM_LLAMA_REFRESH 0)

# alias -> url, alias -> sha256, in the order given.
declare -A url=() sum=()
aliases=()
list=${DVM_LLAMA_MODELS:-}
sums=${DVM_LLAMA_MODELS_SHA256:-}
if [[ -n ${DVM_LLAMA_MODEL_URL:-} ]]; then
	list+=" model=$DVM_LLAMA_MODEL_URL"
	sums+=" model=${DVM_LLAMA_MODEL_SHA256:-}"
fi
for item in ${list//,/ }; do
	a=${item%%=*}
	u=${item#*=}
	[[ $item == *=* && $a =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ && $a != current ]] ||
		dvm_die "DVM_LLAMA_MODELS: '$item' is not alias=https://... (alias: letters, digits, ._-; not 'current')"
	[[ $u =~ ^https://[^[:space:]\"\'\`\\\$]+$ ]] || dvm_die "DVM_LLAMA_MODELS: $a: the URL must be https:// (got '$u')"
	[[ -z ${url[$a]+x} ]] || dvm_die "DVM_LLAMA_MODELS: alias $a given twice"
	url[$a]=$u
	aliases+=("$a")
done
for item in ${sums//,/ }; do
	a=${item%%=*}
	s=${item#*=}
	[[ -n ${url[$a]+x} ]] || dvm_die "DVM_LLAMA_MODELS_SHA256: $a is not in DVM_LLAMA_MODELS"
	s=${s,,}
	[[ $s =~ ^[0-9a-f]{64}$ ]] || dvm_die "DVM_LLAMA_MODELS_SHA256: $a: not a sha256 (64 hex digits): '$s'"
	sum[$a]=$s
done
for a in "${aliases[@]}"; do
	[[ -n ${sum[$a]+x} ]] || dvm_die "model $a has no sha256: add $a=<sha256> to DVM_LLAMA_MODELS_SHA256"
done
default=${DVM_LLAMA_DEFAULT_MODEL:-${aliases[0]-}}
if [[ -n $default && -z ${url[$default]+x} ]]; then
	dvm_die "DVM_LLAMA_DEFAULT_MODEL not found in DVM_LLAMA_MODELS: $default"
fi

dvm_pkg llama-cpp /usr/bin/curl
server=$(command -v llama-server) || dvm_die "the llama-cpp package has no llama-server"

# The models: downloaded by this (Lima's) user, readable by the service.
if [[ ! -d $dir || ! -w $dir ]]; then
	sudo install -d -m 0755 /var/lib/dvm-llama
	sudo install -d -m 0755 -o "$(id -un)" -g "$(id -gn)" "$dir"
fi
for a in "${aliases[@]}"; do
	f=$dir/$a.gguf
	stamp="${sum[$a]} ${url[$a]}"
	# <alias>.gguf.ok records what was checked last time.
	if ((!refresh)) && [[ -f $f && -f $f.ok && $(<"$f.ok") == "$stamp" ]]; then
		continue
	fi
	rm -f -- "$f.ok"
	if [[ -f $f ]] && printf '%s  %s\n' "${sum[$a]}" "$f" | sha256sum -c --status -; then
		:
	else
		[[ ! -f $f ]] || dvm_warn "checksum mismatch for $f; downloading it again"
		dvm_log "downloading model $a from ${url[$a]}"
		dvm_fetch "${url[$a]}" "${sum[$a]}" "$f"
	fi
	chmod 0644 -- "$f"
	printf '%s\n' "$stamp" >"$f.ok"
done

if [[ -z $default ]]; then
	dvm_log "llama: no model configured; set DVM_LLAMA_MODELS=\"name=https://...gguf\" and DVM_LLAMA_MODELS_SHA256=\"name=<sha256>\", then dvm sync again"
	if systemctl is-enabled --quiet "$unit" 2>/dev/null; then
		sudo systemctl disable --now "$unit"
	fi
	exit 0
fi
model_changed=0
if [[ $(readlink "$dir/current.gguf" 2>/dev/null) != "$default.gguf" ]]; then
	ln -sfn -- "$default.gguf" "$dir/current.gguf"
	model_changed=1
fi

dvm_unit "$unit" <<EOF
# Written by dvm's llama recipe; a sync rewrites it.
[Unit]
Description=llama.cpp server (dvm)
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=$server --model $dir/current.gguf --alias $default --host $host --port $port $extra
DynamicUser=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
NoNewPrivileges=yes
ReadOnlyPaths=$dir
Restart=on-failure
RestartSec=3

[Install]
WantedBy=multi-user.target
EOF
# shellcheck disable=SC2154 # set by dvm_put_file (_helpers.sh)
if ((dvm_changed || model_changed)) && systemctl is-active --quiet "$unit"; then
	sudo systemctl restart "$unit"
fi
if ! systemctl is-enabled --quiet "$unit" || ! systemctl is-active --quiet "$unit"; then
	sudo systemctl enable --now "$unit"
fi
dvm_log "llama: http://127.0.0.1:$port ($default), from other VMs http://lima-$DVM_LIMA_NAME.internal:$port"
