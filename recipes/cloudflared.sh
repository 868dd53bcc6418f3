#!/usr/bin/env bash
# Description: Cloudflare Tunnel: cloudflared 2026.9.3 (sha256-pinned) as dvm-cloudflared.service, token from CLOUDFLARED_TOKEN
# Secrets: CLOUDFLARED_TOKEN
# Unit: dvm-cloudflared.service
#
# Pass the tunnel token for one sync, from the host environment:
#
#   CLOUDFLARED_TOKEN=... dvm sync <vm>
#
# dvm stages it as a 0600 file; this recipe copies it into
# /etc/dvm/cloudflared.env (root, 0600), which systemd reads as the
# service's environment (cloudflared takes TUNNEL_TOKEN from there). The
# token is never in an argv, a unit file or a log. Later syncs without it
# keep the tunnel as it is.

unit=dvm-cloudflared.service
env_file=/etc/dvm/cloudflared.env
v=2026.9.3
case $(dvm_arch) in
x86_64) a=amd64 sum=77e26d8d900e0b8469f416239d14b5f296525fdf79fee6f511ef55609e3fbac2 ;;
aarch64) a=arm64 sum=aaeb2d7d0da3614634c7e03ab13487a1522c2e79165ed2929cfe23d5e95b326d ;;
esac
bin_changed=0
if ! dvm_pinned_current cloudflared "$v"; then
	bin_changed=1
	dvm_pinned_install cloudflared "$v" \
		"https://github.com/cloudflare/cloudflared/releases/download/$v/cloudflared-linux-$a" \
		"$sum" cloudflared
fi

env_changed=0
if dvm_has_secret CLOUDFLARED_TOKEN; then
	IFS= read -r token <"$(dvm_secret CLOUDFLARED_TOKEN)" || true
	token=${token%$'\r'}
	# Base64url/base64 text only: nothing that could end the line or add
	# another variable to the environment file.
	[[ $token =~ ^[A-Za-z0-9+/=._-]{20,}$ ]] ||
		dvm_die "CLOUDFLARED_TOKEN does not look like a tunnel token (letters, digits, +/=._- only)"
	printf 'TUNNEL_TOKEN=%s\n' "$token" | dvm_put_file "$env_file" 0600
	# shellcheck disable=SC2154 # set by dvm_put_file (_helpers.sh)
	env_changed=$dvm_changed
	unset token
elif ! sudo test -f "$env_file"; then
	cat <<EOF
dvm: cloudflared is installed, but no tunnel is configured yet. Create a
dvm: tunnel in the Cloudflare dashboard (Zero Trust > Networks > Tunnels),
dvm: copy its token, and pass it for one sync, from your Mac:
dvm:
dvm:   CLOUDFLARED_TOKEN='<token>' dvm sync $DVM_NAME
dvm:
dvm: (from the macOS keychain: CLOUDFLARED_TOKEN="\$(security find-generic-password -a dvm -s cloudflared -w)" dvm sync $DVM_NAME)
EOF
	exit 0
fi

dvm_unit "$unit" <<EOF
# Written by dvm's cloudflared recipe; a sync rewrites it.
[Unit]
Description=Cloudflare Tunnel (dvm)
Wants=network-online.target
After=network-online.target

[Service]
EnvironmentFile=$env_file
ExecStart=/usr/local/bin/cloudflared tunnel --no-autoupdate run
DynamicUser=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
NoNewPrivileges=yes
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
EOF
if ((dvm_changed || env_changed || bin_changed)) && systemctl is-active --quiet "$unit"; then
	sudo systemctl restart "$unit"
fi
if ! systemctl is-enabled --quiet "$unit" || ! systemctl is-active --quiet "$unit"; then
	sudo systemctl enable --now "$unit"
fi
dvm_log "cloudflared: $unit is running (dvm logs $DVM_NAME)"
