# shellcheck shell=bash disable=SC2034
# Tailscale (tailscaled.service): private names for your VMs. The
# auth key comes from the host at sync time, only as a file:
#   TAILSCALE_AUTH_KEY=tskey-... dvm sync @VM@
DVM_NETWORK=user-v2
DVM_NO_BASELINE=1
use tailscale
# DVM_TAILSCALE_HOSTNAME=my-vm
