#!/usr/bin/env bats
# shellcheck disable=SC2016 # single-quoted scripts run as other users
# The egress allowlist for real: guest/egress.sh loads its nftables rules
# and writes dnsmasq's configuration, and the real dnsmasq fills the
# address sets as names resolve. Everything happens in two network
# namespaces this file makes, never in this machine's own network:
#
#   guest (EG_NS)  10.213.0.2 fd00:213::2 -- veth -- 10.213.0.1 fd00:213::1  net (EG_NET)
#     the limited users' clients, the name component       an upstream DNS server
#     (dnsmasq on 127.0.0.153, from the unit's own         (dnsmasq with host records)
#     ExecStart line), resolv.conf pointing at it          and servers on 443 and 22
#     (/etc/netns/EG_NS/resolv.conf, bind-mounted by        for every host below, each
#     ip netns exec; never /etc/hosts)                      on its own address
#
# Names (in the net namespace's DNS only):
#   agent.test  .10  in DVM_EGRESS and DVM_AGENT_EGRESS
#   dev.test    .11  in DVM_EGRESS only; sub.dev.test .15 under it
#   www.wild.test .12, wild.test .13  (DVM_EGRESS has .wild.test)
#   cdn.test    a CNAME to edge.cdnnet.test .14 (cdn.test allowed)
#   denied.test .20  in neither
# (10.213.1.X and fd00:213:1::X). The Fedora half (systemd-resolved and
# NetworkManager handing every lookup to dnsmasq) cannot run here: the
# last test checks what the script writes and calls for it, with stubs.

load ../test_helper

EG_PY=/usr/bin/python3

# (Python runs with -S, without site packages: a faster start, and the
# clients run about a hundred times.)

# Everything this run creates, for teardown_file. The names are per run,
# so a run never touches another's (or anything of the machine's own).
_eg_cleanup() {
	local f u
	for f in "$EG_W"/*.pid; do
		[[ -e $f ]] || continue
		kill "$(cat "$f")" 2>/dev/null || true
	done
	ip netns del "$EG_NS" 2>/dev/null || true
	ip netns del "$EG_NET" 2>/dev/null || true
	ip netns del "$EG_NS-sd" 2>/dev/null || true
	rm -rf "/etc/netns/${EG_NS:?}"
	if [[ -e $EG_W/made-etc-netns ]]; then
		rmdir /etc/netns 2>/dev/null || true
	fi
	for u in "$EG_DEV" "$EG_AGENT" "$EG_LOGIN" "$EG_WHEEL"; do
		userdel "$u" >/dev/null 2>&1 || true
		groupdel "$u" >/dev/null 2>&1 || true
	done
	rm -f "/etc/sudoers.d/${EG_NS:?}"
	rm -rf -- "${EG_W:?}"
}

setup_file() {
	if [[ $(id -u) -ne 0 ]]; then
		return 0 # each test skips
	fi
	"$BATS_TEST_DIRNAME/egress-setup.sh"
	local r
	r=$(printf '%04x' "$((RANDOM ^ $$ & 0xffff))")
	export EG_NS=dvmeg-$r EG_NET=dvmeg-$r-net
	export EG_DEV=dvmeg${r}dev EG_AGENT=dvmeg${r}agt EG_LOGIN=dvmeg${r}lgn EG_WHEEL=dvmeg${r}whl
	EG_W=$(mktemp -d /tmp/dvm-egress-test.XXXXXX)
	export EG_W
	chmod 0755 "$EG_W"
	export EG_ROOT=$EG_W/root EG_SCRIPT=$REPO_DIR/guest/egress.sh
	cp "$BATS_TEST_DIRNAME/egress-net.py" "$EG_W/net.py"
	chmod 0644 "$EG_W/net.py"
	export EG_CLIENT=$EG_W/net.py
	# Where servers run by the test users write their "ready" files.
	install -d -m 1777 "$EG_W/tmp"

	# The users: DVM_USER (with subordinate uids, like dvm's bootstrap
	# makes it), dvm-agent (a system user, like the agent-user recipe makes
	# it) and a Lima-like login user with passwordless sudo.
	useradd --no-create-home --shell /bin/bash "$EG_DEV"
	if ! grep -q "^$EG_DEV:" /etc/subuid 2>/dev/null; then
		usermod --add-subuids 2100000000-2100065535 --add-subgids 2100000000-2100065535 "$EG_DEV"
	fi
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin "$EG_AGENT"
	useradd --no-create-home --shell /bin/bash "$EG_LOGIN"
	printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$EG_LOGIN" >"/etc/sudoers.d/$EG_NS"
	chmod 0440 "/etc/sudoers.d/$EG_NS"

	# Two namespaces and a veth pair between them; the hosts' addresses
	# live on the net namespace's loopback.
	# The pair is made inside the namespaces: nothing appears in this
	# machine's own.
	ip netns add "$EG_NS"
	ip netns add "$EG_NET"
	ip -n "$EG_NS" link add "dvmeg$r-g" type veth peer name "dvmeg$r-n" netns "$EG_NET"
	ip -n "$EG_NS" link set lo up
	ip -n "$EG_NET" link set lo up
	ip -n "$EG_NS" addr add 10.213.0.2/24 dev "dvmeg$r-g"
	ip -n "$EG_NS" addr add fd00:213::2/64 dev "dvmeg$r-g" nodad
	ip -n "$EG_NET" addr add 10.213.0.1/24 dev "dvmeg$r-n"
	ip -n "$EG_NET" addr add fd00:213::1/64 dev "dvmeg$r-n" nodad
	ip -n "$EG_NS" link set "dvmeg$r-g" up
	ip -n "$EG_NET" link set "dvmeg$r-n" up
	ip -n "$EG_NS" route add default via 10.213.0.1
	ip -n "$EG_NS" -6 route add default via fd00:213::1
	local h
	for h in 10 11 12 13 14 15 20; do
		ip -n "$EG_NET" addr add "10.213.1.$h/32" dev lo
		ip -n "$EG_NET" addr add "fd00:213:1::$h/128" dev lo
	done

	# The upstream DNS server ("the internet's") and the servers.
	ip netns exec "$EG_NET" dnsmasq --keep-in-foreground --conf-file=/dev/null \
		--no-resolv --no-hosts --pid-file= --bind-interfaces \
		--listen-address=10.213.0.1 \
		--host-record=agent.test,10.213.1.10,fd00:213:1::10 \
		--host-record=dev.test,10.213.1.11,fd00:213:1::11 \
		--host-record=www.wild.test,10.213.1.12,fd00:213:1::12 \
		--host-record=wild.test,10.213.1.13,fd00:213:1::13 \
		--host-record=edge.cdnnet.test,10.213.1.14,fd00:213:1::14 \
		--cname=cdn.test,edge.cdnnet.test \
		--host-record=sub.dev.test,10.213.1.15,fd00:213:1::15 \
		--host-record=denied.test,10.213.1.20,fd00:213:1::20 \
		>"$EG_W/upstream-dns.log" 2>&1 3>&- &
	echo "$!" >"$EG_W/upstream-dns.pid"
	ip netns exec "$EG_NET" "$EG_PY" -S "$EG_CLIENT" serve --ready "$EG_W/servers.ready" 443 22 \
		>"$EG_W/servers.log" 2>&1 3>&- &
	echo "$!" >"$EG_W/servers.pid"
	printf 'nameserver 10.213.0.1\n' >"$EG_W/upstream.conf"
	chmod 0644 "$EG_W/upstream.conf"

	# The guest resolves through the name component only.
	[[ -d /etc/netns ]] || touch "$EG_W/made-etc-netns"
	mkdir -p "/etc/netns/$EG_NS"
	printf 'nameserver 127.0.0.153\noptions timeout:1 attempts:1\n' >"/etc/netns/$EG_NS/resolv.conf"

	# shellcheck disable=SC2119
	_eg_apply >"$EG_W/apply.log" 2>&1 || {
		cat "$EG_W/apply.log" >&2
		return 1
	}
	_eg_start_dns
	wait_for_file "$EG_W/servers.ready" 5 "the servers did not listen"
}

teardown_file() {
	[[ $(id -u) -eq 0 ]] || return 0
	_eg_cleanup
}

setup() {
	[[ $(id -u) -eq 0 ]] || skip "the egress tests need root (tests/integration/run)"
}

# shellcheck disable=SC2120 # tests pass EXTRA through `run`
# _eg_apply [EXTRA...]: egress.sh apply with this file's users and lists
# (EXTRA appended), as a test run: files under EG_ROOT, no systemd, the
# test's resolv.conf already pointing at the name component.
_eg_apply() {
	ip netns exec "$EG_NS" bash "$EG_SCRIPT" apply --prefix "$EG_ROOT" --no-systemd \
		--resolver none --upstream "$EG_W/upstream.conf" \
		--user "$EG_DEV" --agent "$EG_AGENT" \
		--allow agent.test --allow dev.test --allow .wild.test --allow cdn.test \
		--agent-allow agent.test "$@"
}

# _eg_unit_lines KEY: the command lines of the name component's unit for
# KEY (ExecStartPre...), as systemd would run them ("-" = may fail).
_eg_unit_lines() {
	sed -n "s/^$1=//p" "$EG_ROOT/etc/systemd/system/dvm-egress-dns.service"
}

# _eg_start_dns: start the name component as its unit does: ExecStartPre,
# then ExecStart in the background; wait until it answers.
_eg_start_dns() {
	local line words i
	while IFS= read -r line; do
		read -ra words <<<"$line"
		ip netns exec "$EG_NS" "${words[@]}" || fail "ExecStartPre failed: $line"
	done < <(_eg_unit_lines ExecStartPre)
	line=$(_eg_unit_lines ExecStart)
	[[ -n $line ]] || fail "the unit has no ExecStart"
	read -ra words <<<"$line"
	ip netns exec "$EG_NS" "${words[@]}" >"$EG_W/dns.log" 2>&1 3>&- &
	echo "$!" >"$EG_W/dns.pid"
	for i in $(seq 50); do
		if ip netns exec "$EG_NS" "$EG_PY" -S "$EG_CLIENT" connect --udp --timeout 0.2 127.0.0.153 53 >/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	cat "$EG_W/dns.log" >&2
	fail "the name component did not answer after $i tries"
}

# _eg_stop_dns: stop it as systemd would: the process goes, then
# ExecStopPost runs.
_eg_stop_dns() {
	local line words pid
	pid=$(cat "$EG_W/dns.pid")
	kill "$pid"
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.02
	done
	rm -f "$EG_W/dns.pid"
	while IFS= read -r line; do
		read -ra words <<<"${line#-}"
		if [[ $line == -* ]]; then
			ip netns exec "$EG_NS" "${words[@]}" || true
		else
			ip netns exec "$EG_NS" "${words[@]}" || fail "ExecStopPost failed: $line"
		fi
	done < <(_eg_unit_lines ExecStopPost)
}

# as_user USER CMD...: run CMD in the guest namespace as USER (uid, gid and
# supplementary groups), with a clean environment.
as_user() {
	local user=$1
	shift
	ip netns exec "$EG_NS" setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ LANG=C.UTF-8 "$@"
}

# conn USER ARGS...: the client as USER, into $output and $status.
conn() {
	local user=$1
	shift
	run as_user "$user" "$EG_PY" -S "$EG_CLIENT" connect "$@"
}

# in_sandbox ARGS...: the client as the agent, inside bubblewrap shaped
# like dvm-sandbox-exec's (recipes/agent-user.sh): new namespaces but the
# network, read-only system, fresh /tmp, /proc and /dev.
in_sandbox() {
	run as_user "$EG_AGENT" bwrap --die-with-parent --new-session --unshare-all --share-net \
		--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \
		--symlink usr/lib64 /lib64 --symlink usr/sbin /sbin \
		--ro-bind /etc /etc --proc /proc --dev /dev --tmpfs /tmp \
		--ro-bind "$EG_W" "$EG_W" --chdir / \
		-- "$EG_PY" -S "$EG_CLIENT" connect "$@"
}

# answers ADDR: the last conn reached the server at ADDR. A host given as
# 10.213.1.X may answer at fd00:213:1::X too: a name has both, and which one
# getaddrinfo puts first is not this test's business.
answers() {
	local other=$1
	[[ $1 == 10.213.1.* ]] && other=fd00:213:1::${1##*.}
	[[ $status == 0 && ($output == "ok hello from $1:"* || $output == "ok hello from $other:"*) ]] ||
		fail "expected an answer from $1" "$(_th_show_run)"
}

# refused: the last conn was refused at once (a reset or an ICMP error in
# well under a second; never a timeout).
refused() {
	[[ $output =~ ^fail\ (ECONNREFUSED|EPERM|EHOSTUNREACH|EACCES)\ ([0-9]+)ms$ ]] ||
		fail "expected a refusal" "$(_th_show_run)"
	((BASH_REMATCH[2] < 1000)) || fail "refused, but only after ${BASH_REMATCH[2]} ms" "$(_th_show_run)"
}

# tcp_refused: refused with a TCP reset ("Connection refused").
tcp_refused() {
	refused
	[[ $output == "fail ECONNREFUSED "* ]] || fail "expected ECONNREFUSED" "$(_th_show_run)"
}

# in_set POLICY ADDR: ADDR is in the policy's IPv4 set.
in_set() {
	ip netns exec "$EG_NS" nft list set inet dvm_egress "$1_v4" | grep -qw -- "$2"
}

@test "egress: as DVM_USER an allowed host answers and any other is refused at once, on https and ssh ports" {
	local port
	for port in 443 22; do
		conn "$EG_DEV" dev.test "$port"
		answers 10.213.1.11
		conn "$EG_DEV" agent.test "$port"
		answers 10.213.1.10
		conn "$EG_DEV" denied.test "$port"
		tcp_refused
		# By address, without a name: refused too.
		conn "$EG_DEV" 10.213.1.20 "$port"
		tcp_refused
	done
	# UDP to a host not allowed: an error at once as well.
	conn "$EG_DEV" --udp 10.213.1.20 443
	refused
}

@test "egress: IPv6 is limited the same way" {
	conn "$EG_DEV" -6 dev.test 443
	answers fd00:213:1::11
	conn "$EG_DEV" -6 dev.test 22
	answers fd00:213:1::11
	conn "$EG_DEV" -6 denied.test 443
	tcp_refused
	conn "$EG_DEV" fd00:213:1::20 22
	tcp_refused
}

@test "egress: an allowed host's address is refused until its name is resolved through the name component" {
	# A restart empties the sets (ExecStopPost, ExecStartPre).
	_eg_stop_dns
	_eg_start_dns
	! in_set dev 10.213.1.11 || fail "10.213.1.11 is in the set before any lookup"
	conn "$EG_DEV" 10.213.1.11 443
	tcp_refused
	conn "$EG_DEV" dev.test 443
	answers 10.213.1.11
	in_set dev 10.213.1.11
	conn "$EG_DEV" 10.213.1.11 443
	answers 10.213.1.11
}

@test "egress: .example.com admits the domain and its subdomains; a CNAME's target is admitted with the name" {
	conn "$EG_DEV" www.wild.test 443
	answers 10.213.1.12
	conn "$EG_DEV" wild.test 22
	answers 10.213.1.13
	conn "$EG_DEV" cdn.test 443
	answers 10.213.1.14
	in_set dev 10.213.1.14
}

@test "egress: a listed name admits its subdomains too (dnsmasq matches whole labels)" {
	# dev.test is listed without a leading dot; dnsmasq's --nftset cannot
	# match a name exactly, so sub.dev.test gets in. docs/security.md says so.
	conn "$EG_DEV" sub.dev.test 443
	answers 10.213.1.15
}

@test "egress: as dvm-agent inside bwrap, DVM_AGENT_EGRESS narrows the list" {
	# DVM_USER has resolved dev.test, so its address is in DVM_USER's set.
	conn "$EG_DEV" dev.test 443
	answers 10.213.1.11
	local port
	for port in 443 22; do
		in_sandbox agent.test "$port"
		answers 10.213.1.10
		in_sandbox dev.test "$port"
		tcp_refused
		in_sandbox 10.213.1.11 "$port"
		tcp_refused
		in_sandbox denied.test "$port"
		tcp_refused
	done
	in_sandbox -6 agent.test 443
	answers fd00:213:1::10
	in_sandbox -6 dev.test 443
	tcp_refused
	! in_set agent 10.213.1.11 || fail "dev.test's address is in the agent's set"
	# Outside bwrap the agent's uid is limited the same way.
	conn "$EG_AGENT" dev.test 22
	tcp_refused
}

@test "egress: the login user and root are not limited" {
	local port user
	for user in "$EG_LOGIN" root; do
		for port in 443 22; do
			conn "$user" denied.test "$port"
			answers 10.213.1.20
			conn "$user" dev.test "$port"
			answers 10.213.1.11
		done
		conn "$user" -6 denied.test 443
		answers fd00:213:1::20
	done
	# The login user's sudo still works (it is Lima's setup account).
	run as_user "$EG_LOGIN" sudo -n true
	assert_success
}

@test "egress: a server run by DVM_USER answers clients from outside and from other uids; DVM_USER reaches 127.0.0.1" {
	# (Not through as_user: $! must be the server itself.)
	ip netns exec "$EG_NS" setpriv --reuid="$EG_DEV" --regid="$EG_DEV" --init-groups \
		"$EG_PY" -S "$EG_CLIENT" serve --ready "$EG_W/tmp/dev-server.ready" 8080 \
		>"$EG_W/dev-server.log" 2>&1 3>&- &
	echo "$!" >"$EG_W/dev-server.pid"
	ip netns exec "$EG_NS" setpriv --reuid="$EG_LOGIN" --regid="$EG_LOGIN" --init-groups \
		"$EG_PY" -S "$EG_CLIENT" serve --ready "$EG_W/tmp/login-server.ready" 8081 \
		>"$EG_W/login-server.log" 2>&1 3>&- &
	echo "$!" >"$EG_W/login-server.pid"
	wait_for_file "$EG_W/tmp/dev-server.ready" 5 "DVM_USER's server did not listen"
	wait_for_file "$EG_W/tmp/login-server.ready" 5 "the login user's server did not listen"

	# From outside (another machine on the network, a Lima port forward).
	run ip netns exec "$EG_NET" "$EG_PY" -S "$EG_CLIENT" connect 10.213.0.2 8080
	answers 10.213.0.2
	run ip netns exec "$EG_NET" "$EG_PY" -S "$EG_CLIENT" connect fd00:213::2 8080
	answers fd00:213::2
	# From other uids on the guest.
	conn "$EG_LOGIN" 10.213.0.2 8080
	answers 10.213.0.2
	conn "$EG_AGENT" 127.0.0.1 8080
	answers 127.0.0.1
	# DVM_USER to a local server of another user, over loopback.
	conn "$EG_DEV" 127.0.0.1 8081
	answers 127.0.0.1
	conn "$EG_DEV" ::1 8081
	answers ::1
	conn "$EG_DEV" 10.213.0.2 8081
	answers 10.213.0.2

	kill "$(cat "$EG_W/dev-server.pid")" "$(cat "$EG_W/login-server.pid")"
	rm -f "$EG_W/dev-server.pid" "$EG_W/login-server.pid"
}

@test "egress: DNS goes only to the name component" {
	# Straight to the upstream server: refused for the limited users...
	conn "$EG_DEV" --udp 10.213.0.1 53
	refused
	conn "$EG_DEV" 10.213.0.1 53
	tcp_refused
	conn "$EG_AGENT" --udp 10.213.0.1 53
	refused
	# ...not for the login user.
	conn "$EG_LOGIN" --udp 10.213.0.1 53
	assert_success
	# Through the name component: fine.
	conn "$EG_DEV" --udp 127.0.0.153 53
	assert_success
}

@test "egress: processes under DVM_USER's subordinate uids (rootless containers on the host network) are limited too" {
	local first
	first=$(awk -F: -v u="$EG_DEV" '$1 == u { print $2; exit }' /etc/subuid)
	[[ -n $first ]]
	run ip netns exec "$EG_NS" setpriv --reuid="$((first + 1000))" --regid="$((first + 1000))" \
		--clear-groups "$EG_PY" -S "$EG_CLIENT" connect denied.test 443
	tcp_refused
	run ip netns exec "$EG_NS" setpriv --reuid="$((first + 1000))" --regid="$((first + 1000))" \
		--clear-groups "$EG_PY" -S "$EG_CLIENT" connect dev.test 443
	answers 10.213.1.11
}

@test "egress: DVM_USER cannot remove the rules or use sudo" {
	run as_user "$EG_DEV" nft flush ruleset
	assert_failure
	assert_output_contains "Operation not permitted"
	run as_user "$EG_DEV" nft delete table inet dvm_egress
	assert_failure
	# Not from a user namespace of its own either (rootless podman's).
	run as_user "$EG_DEV" unshare -r nft flush ruleset
	assert_failure
	run as_user "$EG_DEV" sudo -n true
	assert_failure
	run as_user "$EG_DEV" sudo -n nft flush ruleset
	assert_failure
	run as_user "$EG_AGENT" nft flush ruleset
	assert_failure
	# Still in force.
	ip netns exec "$EG_NS" nft list chain inet dvm_egress dev >/dev/null
	conn "$EG_DEV" denied.test 443
	tcp_refused
}

@test "egress: with the name component stopped, the limited users reach nothing" {
	conn "$EG_DEV" dev.test 443
	answers 10.213.1.11
	in_sandbox agent.test 443
	answers 10.213.1.10

	_eg_stop_dns
	# No names...
	conn "$EG_DEV" dev.test 443
	[[ $status == 3 && $output == noname* ]] || fail "expected no name" "$(_th_show_run)"
	# ...and no addresses, not even those resolved before.
	conn "$EG_DEV" 10.213.1.11 443
	tcp_refused
	conn "$EG_DEV" fd00:213:1::11 22
	tcp_refused
	in_sandbox 10.213.1.10 443
	tcp_refused
	# The rules still reject: the login user is not limited.
	conn "$EG_LOGIN" 10.213.1.11 443
	answers 10.213.1.11

	_eg_start_dns
	conn "$EG_DEV" dev.test 443
	answers 10.213.1.11
}

@test "egress: a second apply with the same values changes nothing; changed values apply again" {
	conn "$EG_DEV" dev.test 443
	answers 10.213.1.11
	local before
	before=$(cd "$EG_ROOT" && find . -type f -exec sha256sum {} + | sort)

	run _eg_apply
	assert_success
	assert_output unchanged
	[[ $(cd "$EG_ROOT" && find . -type f -exec sha256sum {} + | sort) == "$before" ]]
	# The table was not replaced: the set still holds what dnsmasq added.
	in_set dev 10.213.1.11

	# A changed list applies (and systemd would restart the name component).
	run _eg_apply --allow denied.test
	assert_success
	assert_line_contains applied
	grep -q '^allow=.*denied.test' "$EG_ROOT/etc/dvm/egress/applied"
	_eg_stop_dns
	_eg_start_dns
	conn "$EG_DEV" denied.test 22
	answers 10.213.1.20
	in_sandbox denied.test 22
	tcp_refused

	# Back to the first list: the address goes with the name.
	run _eg_apply
	assert_success
	assert_line_contains applied
	_eg_stop_dns
	_eg_start_dns
	conn "$EG_DEV" denied.test 22
	tcp_refused
	conn "$EG_DEV" 10.213.1.20 22
	tcp_refused
	[[ $(cd "$EG_ROOT" && find . -type f -exec sha256sum {} + | sort) == "$before" ]]

	# Rules removed behind its back (by root) are loaded again.
	ip netns exec "$EG_NS" nft delete table inet dvm_egress
	run _eg_apply
	assert_success
	assert_line_contains applied
	ip netns exec "$EG_NS" nft list table inet dvm_egress >/dev/null
	conn "$EG_DEV" denied.test 443
	tcp_refused
}

@test "egress: off removes the rules and the files; apply brings them back" {
	run ip netns exec "$EG_NS" bash "$EG_SCRIPT" off --prefix "$EG_ROOT" --no-systemd
	assert_success
	assert_line_contains removed
	run ip netns exec "$EG_NS" nft list table inet dvm_egress
	assert_failure
	[[ -z $(find "$EG_ROOT" -path "$EG_ROOT/run" -prune -o -type f -print) ]]
	conn "$EG_DEV" 10.213.1.20 443
	answers 10.213.1.20
	run ip netns exec "$EG_NS" bash "$EG_SCRIPT" off --prefix "$EG_ROOT" --no-systemd
	assert_success
	assert_output unchanged

	run _eg_apply
	assert_success
	assert_line_contains applied
	_eg_stop_dns
	_eg_start_dns
	conn "$EG_DEV" 10.213.1.20 443
	tcp_refused
	conn "$EG_DEV" dev.test 443
	answers 10.213.1.11
}

@test "egress: bad values are refused before anything is written or loaded" {
	local bad=$EG_W/bad
	useradd --no-create-home --shell /bin/bash --groups sudo "$EG_WHEEL" 2>/dev/null ||
		useradd --no-create-home --shell /bin/bash "$EG_WHEEL"
	# eg ARGS...: apply with ARGS in a throw-away network namespace.
	eg() {
		run unshare -n bash "$EG_SCRIPT" apply --prefix "$bad" --no-systemd \
			--resolver none --upstream "$EG_W/upstream.conf" "$@"
		[[ $status == 1 || $status == 2 ]] || fail "expected status 1 or 2" "$(_th_show_run)"
		[[ ! -e $bad/etc ]] || fail "something was written under $bad/etc" "$(_th_show_run)"
	}
	eg --user "$EG_DEV" --allow 'x.test; rm -rf /'
	assert_output_contains "bad host name: x.test; rm -rf /"
	eg --user "$EG_DEV" --allow $'a.test\nserver=10.0.0.1'
	assert_output_contains "bad host name"
	eg --user "$EG_DEV" --allow 'a.test/b.test'
	assert_output_contains "bad host name"
	eg --user "$EG_DEV" --allow 10.213.1.20
	assert_output_contains "bad host name: 10.213.1.20"
	eg --user "$EG_DEV" --allow test
	assert_output_contains "bad host name: test"
	eg --user "$EG_DEV" --allow .test
	assert_output_contains "bad host name: .test"
	eg --user "$EG_DEV" --allow -a.test
	assert_output_contains "bad host name"
	eg --user root --allow a.test
	assert_output_contains "root is never limited"
	eg --user 'a;b' --allow a.test
	assert_output_contains "bad user name"
	eg --user dvm-no-such-user-x --allow a.test
	assert_output_contains "no such user"
	eg --user "$EG_DEV" --agent "$EG_DEV" --allow a.test
	assert_output_contains "given twice"
	eg --user "$EG_DEV"
	assert_output_contains "at least one --allow"
	eg --allow a.test
	assert_output_contains "at least one --user"
	eg --user "$EG_DEV" --allow a.test --dns-address 10.0.0.1
	assert_output_contains "bad --dns-address"
	eg --user "$EG_DEV" --allow a.test --dns-address 127.0.0.53
	assert_output_contains "bad --dns-address"
	eg --user "$EG_DEV" --allow a.test --upstream '/tmp/x y'
	assert_output_contains "bad --upstream"
	eg --user "$EG_DEV" --allow a.test --upstream $'/tmp/x\nserver=1.1.1.1'
	assert_output_contains "bad --upstream"
	eg --user "$EG_DEV" --allow a.test --frobnicate
	assert_output_contains "unknown option"
	# The login user (who runs it through sudo) is never limited.
	run env SUDO_USER="$EG_LOGIN" unshare -n bash "$EG_SCRIPT" apply --prefix "$bad" \
		--no-systemd --resolver none --upstream "$EG_W/upstream.conf" \
		--user "$EG_LOGIN" --allow a.test
	assert_failure 1
	assert_output_contains "the login user"
	if id -nG "$EG_WHEEL" | grep -qw sudo; then
		eg --user "$EG_WHEEL" --allow a.test
		assert_output_contains "root-equivalent"
	fi
	[[ ! -e $bad ]]
}

@test "egress: with systemd, apply enables the units and points systemd-resolved at the name component" {
	local sd=$EG_W/sd stub=$EG_W/stub
	mkdir -p "$stub" "$sd/etc/NetworkManager"
	# Stubs that log their arguments; systemctl's queries answer "no" until
	# EG_ACTIVE=1 (units enabled and running).
	cat >"$stub/systemctl" <<'EOF'
#!/bin/sh
echo "systemctl $*" >>"$EG_CALLS"
case $1 in
is-enabled | is-active) [ "${EG_ACTIVE:-0}" = 1 ] ;;
*) exit 0 ;;
esac
EOF
	cat >"$stub/resolvectl" <<'EOF'
#!/bin/sh
echo "resolvectl $*" >>"$EG_CALLS"
EOF
	chmod 0755 "$stub/systemctl" "$stub/resolvectl"
	export EG_CALLS=$EG_W/calls.log
	: >"$EG_CALLS"
	# sd_apply: the script as dvm would run it on Fedora, in a network
	# namespace of its own.
	ip netns add "$EG_NS-sd"
	sd_apply() {
		run ip netns exec "$EG_NS-sd" env PATH="$stub:$PATH" bash "$EG_SCRIPT" apply --prefix "$sd" \
			--user "$EG_DEV" --agent "$EG_AGENT" --allow github.com --allow .npmjs.org \
			--agent-allow api.anthropic.com --upstream "$sd/no-stub-resolv.conf"
	}
	# By default dnsmasq asks the servers NetworkManager writes down.
	run ip netns exec "$EG_NS-sd" env PATH="$stub:$PATH" bash "$EG_SCRIPT" apply --prefix "$sd" \
		--no-systemd --user "$EG_DEV" --allow github.com
	assert_success
	grep -qx 'resolv-file=/run/NetworkManager/no-stub-resolv.conf' "$sd/etc/dvm/egress/dnsmasq.conf"
	rm -rf "${sd:?}/etc/dvm" "$sd/etc/systemd" "$sd/etc/NetworkManager/conf.d"
	# When NetworkManager writes no servers there, the resolver is put back
	# and the run fails (the next one applies again).
	: >"$EG_CALLS"
	sd_apply
	assert_failure 1
	assert_output_contains "no nameserver in $sd/no-stub-resolv.conf"
	[[ ! -e $sd/etc/systemd/resolved.conf.d/90-dvm-egress.conf ]]
	[[ ! -e $sd/etc/NetworkManager/conf.d/90-dvm-egress.conf ]]
	[[ ! -e $sd/etc/dvm/egress/applied ]]
	grep -qx "systemctl try-restart systemd-resolved.service" "$EG_CALLS"

	printf 'nameserver 192.168.5.3\n' >"$sd/no-stub-resolv.conf"
	: >"$EG_CALLS"
	sd_apply
	assert_success
	assert_line_contains applied

	# resolved's only server is dnsmasq, which asks NetworkManager's servers.
	grep -qx 'DNS=127.0.0.153' "$sd/etc/systemd/resolved.conf.d/90-dvm-egress.conf"
	grep -qx 'Domains=~.' "$sd/etc/systemd/resolved.conf.d/90-dvm-egress.conf"
	grep -qx 'dns=default' "$sd/etc/NetworkManager/conf.d/90-dvm-egress.conf"
	grep -qx 'systemd-resolved=false' "$sd/etc/NetworkManager/conf.d/90-dvm-egress.conf"
	grep -qx 'rc-manager=unmanaged' "$sd/etc/NetworkManager/conf.d/90-dvm-egress.conf"
	grep -qx "resolv-file=$sd/no-stub-resolv.conf" "$sd/etc/dvm/egress/dnsmasq.conf"
	grep -qx "nftset=/npmjs.org/4#inet#dvm_egress#dev_v4,6#inet#dvm_egress#dev_v6" "$sd/etc/dvm/egress/dnsmasq.conf"
	grep -qx "nftset=/api.anthropic.com/4#inet#dvm_egress#agent_v4,6#inet#dvm_egress#agent_v6" "$sd/etc/dvm/egress/dnsmasq.conf"
	# The units: rules before any service or session, dnsmasq after them;
	# sets emptied around dnsmasq; resolved's cache flushed.
	local units=$sd/etc/systemd/system
	grep -qx "WantedBy=sysinit.target" "$units/dvm-egress.service"
	grep -q "^Before=sysinit.target .*systemd-user-sessions.service" "$units/dvm-egress.service"
	grep -qx "ExecStart=$(command -v nft) -f $sd/etc/dvm/egress/rules.nft" "$units/dvm-egress.service"
	grep -qx "Requires=dvm-egress.service" "$units/dvm-egress-dns.service"
	grep -qx "ExecStartPre=$(command -v nft) -f $sd/etc/dvm/egress/flush.nft" "$units/dvm-egress-dns.service"
	grep -qx "ExecStopPost=-$(command -v nft) -f $sd/etc/dvm/egress/flush.nft" "$units/dvm-egress-dns.service"
	grep -qx "ExecStartPost=-$stub/resolvectl flush-caches" "$units/dvm-egress-dns.service"
	grep -qx "Restart=always" "$units/dvm-egress-dns.service"

	# The calls, in order: units on; dnsmasq running before resolved is
	# pointed at it; NetworkManager's per-link servers taken back.
	run cat "$EG_CALLS"
	local want=(
		"systemctl daemon-reload"
		"systemctl enable --quiet dvm-egress.service dvm-egress-dns.service"
		"systemctl start dvm-egress.service"
		"systemctl restart dvm-egress-dns.service"
		"systemctl try-reload-or-restart NetworkManager.service"
		"systemctl restart systemd-resolved.service"
		"resolvectl flush-caches"
	)
	local got=() l
	while IFS= read -r l; do
		[[ $l == "systemctl is-"* ]] || got+=("$l")
	done <"$EG_CALLS"
	# (No "resolvectl revert LINK": lo, the namespace's only link, is skipped.)
	[[ "${got[*]}" == "${want[*]}" ]] || fail "calls differ" "want: ${want[*]}" "got:  ${got[*]}"

	# Again, with the units up: nothing to do, no call but the queries.
	: >"$EG_CALLS"
	export EG_ACTIVE=1
	sd_apply
	unset EG_ACTIVE
	assert_success
	assert_output unchanged
	! grep -v '^systemctl is-' "$EG_CALLS" || fail "a second apply made calls"

	# off: resolver first, then the units go.
	: >"$EG_CALLS"
	run ip netns exec "$EG_NS-sd" env PATH="$stub:$PATH" bash "$EG_SCRIPT" off --prefix "$sd"
	assert_success
	assert_line_contains removed
	grep -qx "systemctl try-reload-or-restart NetworkManager.service" "$EG_CALLS"
	grep -qx "systemctl disable --now dvm-egress-dns.service dvm-egress.service" "$EG_CALLS"
	[[ ! -e $sd/etc/systemd/resolved.conf.d/90-dvm-egress.conf ]]
	[[ ! -e $sd/etc/NetworkManager/conf.d/90-dvm-egress.conf ]]
	[[ ! -e $units/dvm-egress.service && ! -e $units/dvm-egress-dns.service ]]
	run ip netns exec "$EG_NS-sd" nft list table inet dvm_egress
	assert_failure
	ip netns del "$EG_NS-sd"
}
