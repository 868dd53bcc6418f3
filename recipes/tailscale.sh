#!/usr/bin/env bash
# Description: Tailscale from its signed Fedora repository (key fingerprint pinned), tailscaled.service, login with TAILSCALE_AUTH_KEY, optional Funnel
# Secrets: TAILSCALE_AUTH_KEY
# Unit: tailscaled.service
#
# Log the VM in once, passing an auth key for one sync from the host:
#
#   TAILSCALE_AUTH_KEY=tskey-... dvm sync <vm>
#
# The key reaches `tailscale up` as --auth-key=file:<staged 0600 file>, so it
# is never in an argv; tailscaled keeps the node's own credentials after.
#
#   DVM_TAILSCALE_HOSTNAME       the node's name (default: the VM's name)
#   DVM_TAILSCALE_FUNNEL_TARGET  a local port (3000) or URL
#                                (http://127.0.0.1:3000) to publish on
#                                https://<node>.<tailnet>.ts.net with Funnel;
#                                empty turns dvm's Funnel off again. Funnel
#                                must be allowed for the node in the tailnet
#                                policy (the "funnel" node attribute).

key_url=https://pkgs.tailscale.com/stable/fedora/repo.gpg
key_fpr=2596A99EAAB33821893C0A79458CA832957F5868
key_file=/etc/pki/rpm-gpg/RPM-GPG-KEY-tailscale
funnel_state=/etc/dvm/tailscale-funnel

host=${DVM_TAILSCALE_HOSTNAME:-$DVM_NAME}
[[ $host =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] ||
	dvm_die "DVM_TAILSCALE_HOSTNAME must be a DNS label (a-z, 0-9, -), not '$host'"
target=${DVM_TAILSCALE_FUNNEL_TARGET:-}
if [[ -n $target ]]; then
	[[ $target =~ ^[0-9]{1,5}$ || $target =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$ ]] ||
		dvm_die "DVM_TAILSCALE_FUNNEL_TARGET must be a port or an http(s)://host[:port][/path] URL, not '$target'"
fi

# ---------------------------------------------------------------- install

if ! rpm -q --quiet tailscale; then
	if ! sudo test -f "$key_file"; then
		dvm_fetch_key "$key_url" "$key_fpr" "$key_file"
	fi
	dvm_put_file /etc/yum.repos.d/tailscale.repo 0644 <<EOF
# Written by dvm's tailscale recipe.
[tailscale-stable]
name=Tailscale stable
baseurl=https://pkgs.tailscale.com/stable/fedora/\$basearch
enabled=1
type=rpm
repo_gpgcheck=1
gpgcheck=1
gpgkey=file://$key_file
EOF
	dvm_pkg tailscale
fi
dvm_pkg jq
if ! systemctl is-enabled --quiet tailscaled.service || ! systemctl is-active --quiet tailscaled.service; then
	sudo systemctl enable --now tailscaled.service
fi

# ---------------------------------------------------------------- login

backend_state() {
	sudo tailscale status --json 2>/dev/null | jq -r '.BackendState // empty' 2>/dev/null || true
}
state=''
for _ in 1 2 3 4 5 6 7 8 9 10; do
	state=$(backend_state)
	[[ -z $state || $state == NoState ]] || break
	sleep 1
done

if [[ $state == Running ]]; then
	if dvm_has_secret TAILSCALE_AUTH_KEY; then
		dvm_log "tailscale: already logged in; TAILSCALE_AUTH_KEY was not needed"
	fi
	if [[ $(sudo tailscale status --json | jq -r '.Self.HostName // empty') != "$host" ]]; then
		sudo tailscale set --hostname="$host"
	fi
elif dvm_has_secret TAILSCALE_AUTH_KEY; then
	keyfile=$(dvm_secret TAILSCALE_AUTH_KEY)
	IFS= read -r k <"$keyfile" || true
	[[ $k == tskey-* ]] || dvm_die "TAILSCALE_AUTH_KEY must start with tskey-"
	unset k
	dvm_log "tailscale: logging in as $host"
	sudo tailscale up --reset --auth-key="file:$keyfile" --hostname="$host"
elif [[ $state == Stopped ]]; then
	# Logged in before, just down.
	sudo tailscale up --reset --hostname="$host"
else
	dvm_die "tailscale is not logged in (state: ${state:-unknown}); pass a key for one sync: TAILSCALE_AUTH_KEY=tskey-... dvm sync $DVM_NAME"
fi

# ---------------------------------------------------------------- funnel

# dvm changes the Funnel only when its target changed, and resets it only
# when dvm set one before.
had=''
if sudo test -f "$funnel_state"; then
	had=$(sudo cat "$funnel_state")
fi
if [[ $target != "$had" ]]; then
	if [[ -n $had ]]; then
		sudo tailscale funnel reset
	fi
	if [[ -n $target ]]; then
		sudo tailscale funnel --bg "$target" ||
			dvm_die "tailscale funnel failed: allow Funnel for this node in the tailnet policy (nodeAttrs \"funnel\") and enable HTTPS certificates"
		printf '%s\n' "$target" | dvm_put_file "$funnel_state" 0644
	else
		sudo rm -f -- "$funnel_state"
	fi
fi

ip=$(sudo tailscale ip -4 2>/dev/null | head -n 1 || true)
dvm_log "tailscale: $host ${ip:+($ip)}${target:+, funnel -> $target}"
