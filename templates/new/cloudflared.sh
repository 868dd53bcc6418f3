# shellcheck shell=bash disable=SC2034
# A Cloudflare tunnel as dvm-cloudflared.service. The token comes
# from the host at sync time and reaches the VM only as a file:
#   CLOUDFLARED_TOKEN=... dvm sync @VM@
DVM_NETWORK=user-v2
use cloudflared
