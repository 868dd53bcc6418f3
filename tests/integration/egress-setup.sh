#!/bin/sh
# What tests/integration/egress.bats needs on this Debian machine to run
# guest/egress.sh for real in network namespaces: nftables (nft),
# dnsmasq-base (the dnsmasq binary with nftset support, without the
# dnsmasq package's system service), iproute2 (ip netns), python3 (the
# test's clients and servers), bubblewrap (the agent sandbox), sudo (to
# show that it is closed to the dev user), util-linux (setpriv, unshare).
# Root only; idempotent, and instant once everything is there.
set -eu

# shellcheck source=tests/lib/pkg.sh
. "$(dirname "$0")/../lib/pkg.sh"

have nft || pkg nftables
have dnsmasq || pkg dnsmasq-base
have ip || pkg iproute2
[ -x /usr/bin/python3 ] || pkg python3
have bwrap || pkg bubblewrap
have sudo || pkg sudo
{ have setpriv && have unshare; } || pkg util-linux

install_needed egress-setup.sh || true
