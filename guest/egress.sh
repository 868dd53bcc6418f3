#!/usr/bin/env bash
# guest/egress.sh: the guest side of DVM_EGRESS and DVM_AGENT_EGRESS.
#
# Run as root in the guest (dvm runs it through sudo as Lima's login user).
# Every value arrives as an argument and is checked here again; nothing is
# spliced into code.
#
#   egress.sh apply --user NAME [--user NAME]... [--agent NAME]...
#                   --allow HOST [--allow HOST]... [--agent-allow HOST]...
#                   [--dns-address 127.X.Y.Z] [--resolver resolved|none]
#                   [--upstream FILE] [--prefix DIR] [--no-systemd]
#   egress.sh off   [--prefix DIR] [--no-systemd]
#
# apply limits where processes of the --user and --agent accounts (and of
# their subordinate uids from /etc/subuid, which rootless containers run
# as) may connect: loopback, replies on connections others opened to them,
# DNS to the local name component only, and the addresses of the allowed
# names; everything else is rejected at once (TCP reset, ICMP
# admin-prohibited). With --agent-allow, the --agent accounts get that
# list instead of --allow.
#
# How: an nftables table (inet dvm_egress) with `meta skuid` rules and one
# pair of address sets per list, and dnsmasq (--nftset) as the name
# component: it adds the addresses of allowed names to the sets as they are
# resolved. On Fedora (--resolver resolved, the default) systemd-resolved
# forwards every lookup to that dnsmasq, and NetworkManager stops giving
# resolved per-link servers, so no answer bypasses it. Two systemd units
# load the rules and run dnsmasq at boot, before any user session.
#
# Prints one line on stdout: "applied", "unchanged" (the same values were
# already in force) or "removed"; details and warnings go to stderr. Exit 1
# on an error, 2 on a usage error. See docs/security.md ("Egress
# allowlist") for the design and the tests that prove it.
#
# Test-only options: --prefix DIR writes every file under DIR (and the
# units point at those files); --no-systemd skips systemctl and the
# resolver services, so the caller starts dnsmasq itself (the unit's
# ExecStartPre/ExecStart lines); --resolver none leaves the system
# resolver alone (the caller points resolv.conf at --dns-address).
set -Eeuo pipefail
umask 022
export LC_ALL=C

prog=egress.sh
table=dvm_egress

die() {
	printf '%s: error: %s\n' "$prog" "$*" >&2
	exit 1
}
synopsis() {
	printf 'usage: %s apply --user NAME... [--agent NAME]... --allow HOST... [--agent-allow HOST]...\n' "$prog"
	printf '       %s off\n' "$prog"
}
usage() {
	printf '%s: %s\n' "$prog" "$*" >&2
	synopsis >&2
	exit 2
}
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

# ---------------------------------------------------------------- arguments

(($# > 0)) || usage "no command"
cmd=$1
shift
case $cmd in
apply | off) ;;
-h | --help)
	synopsis
	exit 0
	;;
*) usage "unknown command: $cmd" ;;
esac

users=()
agents=()
allow=()
agent_allow=()
dns_address=127.0.0.153
resolver=resolved
upstream=
prefix=
use_systemd=1

while (($# > 0)); do
	opt=$1
	case $opt in
	--no-systemd)
		use_systemd=0
		shift
		continue
		;;
	--user | --agent | --allow | --agent-allow | --dns-address | --resolver | --upstream | --prefix)
		(($# >= 2)) || usage "$opt needs a value"
		val=$2
		shift 2
		;;
	*) usage "unknown option: $opt" ;;
	esac
	[[ $cmd == apply || $opt == --prefix ]] || usage "$opt is for apply only"
	case $opt in
	--user) users+=("$val") ;;
	--agent) agents+=("$val") ;;
	--allow) allow+=("$val") ;;
	--agent-allow) agent_allow+=("$val") ;;
	--dns-address) dns_address=$val ;;
	--resolver) resolver=$val ;;
	--upstream) upstream=$val ;;
	--prefix) prefix=$val ;;
	esac
done

# A path that may go into a config file or a unit: absolute, plain
# characters only (no spaces, quotes, newlines or %).
path_ok() { [[ $1 =~ ^/[A-Za-z0-9._/+-]*$ && $1 != *//* && /$1/ != */../* ]]; }

if [[ -n $prefix ]]; then
	path_ok "$prefix" || die "bad --prefix: $prefix"
	prefix=${prefix%/}
fi

((EUID == 0)) || die "must run as root"

conf_dir=$prefix/etc/dvm/egress
unit_dir=$prefix/etc/systemd/system
resolved_dropin=$prefix/etc/systemd/resolved.conf.d/90-dvm-egress.conf
nm_dropin=$prefix/etc/NetworkManager/conf.d/90-dvm-egress.conf
rules_file=$conf_dir/rules.nft
flush_file=$conf_dir/flush.nft
dnsmasq_conf=$conf_dir/dnsmasq.conf
state_file=$conf_dir/applied
rules_unit=dvm-egress.service
dns_unit=dvm-egress-dns.service

# Serialise runs (dvm holds a lock per VM too; this covers a hand-run).
lock() {
	mkdir -p "$prefix/run"
	exec 9>"$prefix/run/dvm-egress.lock"
	if have flock; then
		flock 9
	fi
}

have() { command -v "$1" >/dev/null 2>&1; }

systemctl_() {
	((use_systemd)) || return 0
	systemctl "$@"
}

# write_file PATH MODE CONTENT: replace PATH atomically when it differs.
write_file() {
	local path=$1 mode=$2 content=$3 tmp
	if [[ -f $path ]] && [[ $(<"$path") == "$content" ]]; then
		return 0
	fi
	mkdir -p "${path%/*}"
	tmp=$(mktemp "$path.XXXXXX")
	printf '%s\n' "$content" >"$tmp"
	chmod "$mode" "$tmp"
	mv -f "$tmp" "$path"
}

# same PATH CONTENT: PATH exists and holds exactly CONTENT.
same() { [[ -f $1 ]] && [[ $(<"$1") == "$2" ]]; }

table_loaded() { nft list table inet "$table" >/dev/null 2>&1; }

# ---------------------------------------------------------------- off

# Put systemd-resolved and NetworkManager back as they were before apply.
resolver_restore() {
	local had=0
	[[ -e $resolved_dropin ]] && had=1
	[[ -e $nm_dropin ]] && had=1
	rm -f -- "$resolved_dropin" "$nm_dropin"
	((had)) || return 0
	((use_systemd)) || return 0
	# NetworkManager gives resolved its per-link servers again.
	systemctl try-reload-or-restart NetworkManager.service || warn "could not reload NetworkManager"
	systemctl try-restart systemd-resolved.service || warn "could not restart systemd-resolved"
}

if [[ $cmd == off ]]; then
	lock
	found=0
	for f in "$unit_dir/$rules_unit" "$unit_dir/$dns_unit" "$resolved_dropin" \
		"$nm_dropin" "$rules_file" "$flush_file" "$dnsmasq_conf" "$state_file"; do
		[[ -e $f ]] && found=1
	done
	if have nft && table_loaded; then
		found=1
	fi
	if ((!found)); then
		echo unchanged
		exit 0
	fi
	# The system resolver first, so names keep resolving without dnsmasq.
	resolver_restore
	if ((use_systemd)); then
		systemctl disable --now "$dns_unit" "$rules_unit" >/dev/null 2>&1 || true
	fi
	rm -f -- "$unit_dir/$rules_unit" "$unit_dir/$dns_unit"
	systemctl_ daemon-reload
	if have nft && table_loaded; then
		nft delete table inet "$table"
	fi
	rm -f -- "$rules_file" "$flush_file" "$dnsmasq_conf" "$state_file"
	rmdir -- "$conf_dir" "${conf_dir%/*}" 2>/dev/null || true
	note "the egress limits are off"
	echo removed
	exit 0
fi

# ---------------------------------------------------------------- checks

((${#users[@]} > 0)) || usage "apply needs at least one --user"
((${#allow[@]} > 0)) || usage "apply needs at least one --allow (no list means no limit: use off)"
case $resolver in
resolved | none) ;;
*) die "bad --resolver: $resolver (resolved or none)" ;;
esac

# The name component listens on loopback, apart from resolved's 127.0.0.53/54.
if [[ ! $dns_address =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] ||
	((BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255 || BASH_REMATCH[3] > 255)) ||
	[[ $dns_address == 127.0.0.53 || $dns_address == 127.0.0.54 ]]; then
	die "bad --dns-address: $dns_address (an address in 127.0.0.0/8 other than 127.0.0.53 and .54)"
fi

if [[ -z $upstream ]]; then
	[[ $resolver == resolved ]] || die "--resolver none needs --upstream FILE (the servers dnsmasq asks)"
	# The servers NetworkManager learnt, without resolved's stub.
	upstream=/run/NetworkManager/no-stub-resolv.conf
fi
path_ok "$upstream" || die "bad --upstream: $upstream"

# norm_host HOST: print the name dnsmasq matches (lower case, no leading
# dot), or fail. Names only: at least two labels, the last not numeric (so
# not an address), each label 1-63 letters, digits and inner hyphens.
norm_host() {
	local h=${1,,} label
	h=${h#.}
	((${#h} <= 253)) || return 1
	[[ $h =~ ^[a-z0-9.-]+$ && $h == *.* && $h != *..* && $h != .* && $h != *. ]] || return 1
	local IFS=.
	for label in $h; do
		[[ $label =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || return 1
	done
	[[ ! ${h##*.} =~ ^[0-9]+$ ]] || return 1
	printf '%s\n' "$h"
}

# check_hosts VAR HOST...: the normalised, sorted, unique names into VAR.
check_hosts() {
	local -n names_out=$1
	shift
	local h n
	names_out=()
	for h in "$@"; do
		n=$(norm_host "$h") || die "bad host name: $h (a DNS name like github.com or .example.com)"
		names_out+=("$n")
	done
	mapfile -t names_out < <(printf '%s\n' "${names_out[@]}" | sort -u)
}

dev_names=()
agent_names=()
check_hosts dev_names "${allow[@]}"
agent_policy=0
if ((${#agent_allow[@]} > 0)); then
	agent_policy=1
	check_hosts agent_names "${agent_allow[@]}"
fi

# Root-equivalent groups: a member could remove the rules.
root_groups=' root wheel sudo admin docker disk '

# uid_spec NAME: print "UID" and the user's subordinate uid ranges
# ("LO-HI"), comma-separated; fail when NAME cannot be limited.
uid_spec() {
	local name=$1 uid g spec line start count
	[[ $name =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die "bad user name: $name"
	uid=$(id -u -- "$name" 2>/dev/null) || die "no such user: $name"
	((uid != 0)) || die "$name is root: root is never limited"
	if [[ -n ${SUDO_USER-} && $SUDO_USER == "$name" ]]; then
		die "$name runs this script through sudo (the login user): it cannot be limited"
	fi
	for g in $(id -nG -- "$name"); do
		[[ $root_groups != *" $g "* ]] ||
			die "$name is in group $g, which is root-equivalent: it could remove the limits"
	done
	spec=$uid
	if [[ -r /etc/subuid ]]; then
		while IFS=: read -r line start count; do
			[[ $line == "$name" || $line == "$uid" ]] || continue
			if [[ $start =~ ^[0-9]+$ && $count =~ ^[0-9]+$ ]] && ((count > 0)); then
				spec+=",$start-$((start + count - 1))"
			fi
		done </etc/subuid
	fi
	printf '%s\n' "$spec"
}

declare -A seen_user=()
dev_uids=()
agent_uids=()
summary=()
for u in "${users[@]}" "${agents[@]}"; do
	[[ $u =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die "bad user name: $u"
done
for u in "${users[@]}"; do
	[[ -z ${seen_user[$u]-} ]] || die "user $u given twice"
	seen_user[$u]=1
	spec=$(uid_spec "$u")
	dev_uids+=("$spec")
	summary+=("user $u $spec")
done
for u in "${agents[@]}"; do
	[[ -z ${seen_user[$u]-} ]] || die "user $u given twice (as --user and --agent?)"
	seen_user[$u]=1
	if ! id -u -- "$u" >/dev/null 2>&1; then
		# dvm-agent appears with the agent-user recipe; the next run
		# (the state differs) limits it.
		warn "agent user $u does not exist (yet): not limited"
		summary+=("agent $u absent")
		continue
	fi
	spec=$(uid_spec "$u")
	if ((agent_policy)); then
		agent_uids+=("$spec")
	else
		dev_uids+=("$spec")
	fi
	summary+=("agent $u $spec")
done

lock

# ---------------------------------------------------------------- packages

if ! have nft || ! have dnsmasq; then
	if have dnf5; then
		dnf=dnf5
	elif have dnf; then
		dnf=dnf
	else
		die "nft and dnsmasq are needed (packages nftables and dnsmasq)"
	fi
	note "installing nftables and dnsmasq"
	"$dnf" install -y nftables dnsmasq >&2
fi
nft_bin=$(command -v nft)
dnsmasq_bin=$(command -v dnsmasq)
resolvectl_bin=
if [[ $resolver == resolved ]]; then
	resolvectl_bin=$(command -v resolvectl) || die "--resolver resolved: resolvectl not found"
	[[ -d $prefix/etc/NetworkManager ]] ||
		die "--resolver resolved needs NetworkManager (its per-link servers would bypass the name component otherwise)"
fi

# ---------------------------------------------------------------- content

header="# Written by dvm (guest/egress.sh); a sync rewrites it."

sets_of() { # POLICY: the dnsmasq set spec of one policy's two sets
	printf '4#inet#%s#%s_v4,6#inet#%s#%s_v6' "$table" "$1" "$table" "$1"
}

chain_of() { # POLICY
	cat <<EOF
	chain $1 {
		oif "lo" accept
		ct state established,related accept
		meta l4proto { tcp, udp } th dport 53 goto refuse
		ip daddr @${1}_v4 accept
		ip6 daddr @${1}_v6 accept
		goto refuse
	}
EOF
}

join() { # SEP ITEM...
	local sep=$1 joined=${2-} x
	shift 2
	for x in "$@"; do
		joined+="$sep$x"
	done
	printf '%s' "$joined"
}

policies=(dev)
((agent_policy)) && policies+=(agent)

rules="#!$nft_bin -f
$header
# The egress allowlist: processes of the limited users (meta skuid) reach
# loopback, replies on connections others opened to them, DNS through the
# local name component, and the addresses dnsmasq put in the sets; the
# rest is rejected at once. Loaded atomically: the table is replaced whole.
table inet $table
delete table inet $table
table inet $table {"
for p in "${policies[@]}"; do
	rules+="
	set ${p}_v4 { type ipv4_addr; }
	set ${p}_v6 { type ipv6_addr; }"
done
rules+="
	chain output {
		type filter hook output priority filter; policy accept;"
if ((${#dev_uids[@]} > 0)); then
	rules+="
		meta skuid { $(join ', ' "${dev_uids[@]}") } jump dev"
fi
if ((${#agent_uids[@]} > 0)); then
	rules+="
		meta skuid { $(join ', ' "${agent_uids[@]}") } jump agent"
fi
rules+="
	}"
for p in "${policies[@]}"; do
	rules+="
$(chain_of "$p")"
done
rules+="
	chain refuse {
		meta l4proto tcp counter reject with tcp reset
		counter reject with icmpx type admin-prohibited
	}
}"

flush="$header
# Empties the address sets: run before dnsmasq starts and after it stops,
# so that without the name component the limited users reach nothing."
for p in "${policies[@]}"; do
	flush+="
flush set inet $table ${p}_v4
flush set inet $table ${p}_v6"
done

# covers LIST_VAR NAME: some name of the list is NAME or a parent of it.
covers() {
	local -n list=$1
	local n
	for n in "${list[@]}"; do
		[[ $2 == "$n" || $2 == *".$n" ]] && return 0
	done
	return 1
}

# dnsmasq applies the one --nftset entry whose domain is the longest match
# of the question name, so each entry lists the sets of every list that
# covers its domain.
mapfile -t all_names < <(printf '%s\n' "${dev_names[@]}" "${agent_names[@]}" | sort -u)
nftsets=
for n in "${all_names[@]}"; do
	specs=()
	covers dev_names "$n" && specs+=("$(sets_of dev)")
	if ((agent_policy)) && covers agent_names "$n"; then
		specs+=("$(sets_of agent)")
	fi
	nftsets+="
nftset=/$n/$(join , "${specs[@]}")"
done

dnsmasq_user=
if getent passwd dnsmasq >/dev/null 2>&1; then
	dnsmasq_user="
user=dnsmasq"
fi

dnsmasq="$header
# The name component of the egress allowlist: every lookup on this machine
# comes here (through systemd-resolved on Fedora). Answers for allowed names
# (and, as dnsmasq matches whole labels, their subdomains) add their
# addresses to the sets in table inet $table. No cache, so every answer
# passes through the sets.
port=53
listen-address=$dns_address
bind-interfaces
no-hosts
resolv-file=$upstream
cache-size=0
pid-file=$dnsmasq_user$nftsets"

rules_unit_text="$header
[Unit]
Description=dvm egress allowlist: nftables rules for the limited users
Documentation=man:nft(8)
DefaultDependencies=no
After=local-fs.target systemd-modules-load.service
Before=sysinit.target network-pre.target systemd-user-sessions.service shutdown.target
Wants=network-pre.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$nft_bin -f $rules_file

[Install]
WantedBy=sysinit.target"

resolved_post=
if [[ $resolver == resolved ]]; then
	resolved_post="
ExecStartPost=-$resolvectl_bin flush-caches
ExecStopPost=-$resolvectl_bin flush-caches"
fi

dns_unit_text="$header
[Unit]
Description=dvm egress allowlist: dnsmasq, which fills the allowed-address sets
Documentation=man:dnsmasq(8)
Requires=$rules_unit
After=$rules_unit
PartOf=$rules_unit
Wants=nss-lookup.target
Before=nss-lookup.target systemd-user-sessions.service

[Service]
Type=simple
ExecStartPre=$nft_bin -f $flush_file
ExecStart=$dnsmasq_bin --keep-in-foreground --conf-file=$dnsmasq_conf
ExecStopPost=-$nft_bin -f $flush_file$resolved_post
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target"

resolved_text="$header
# Every lookup goes to the name component of the egress allowlist, which
# asks the servers NetworkManager learnt (it no longer gives them to
# resolved, see NetworkManager/conf.d/90-dvm-egress.conf).
[Resolve]
DNS=$dns_address
Domains=~.
FallbackDNS="

nm_text="$header
# NetworkManager keeps its DNS servers to itself (in
# /run/NetworkManager/no-stub-resolv.conf, which dnsmasq reads) instead of
# giving them to systemd-resolved, whose only server is the egress
# allowlist's dnsmasq; /etc/resolv.conf stays resolved's stub.
[main]
dns=default
rc-manager=unmanaged
systemd-resolved=false"

# The record of what is in force; written last, so a run that failed half
# way runs again.
state="$header
# The egress allowlist in force (guest/egress.sh apply).
resolver=$resolver
dns-address=$dns_address
upstream=$upstream
$(printf '%s\n' "${summary[@]}")
allow=$(join ' ' "${dev_names[@]}")"
if ((agent_policy)); then
	state+="
agent-allow=$(join ' ' "${agent_names[@]}")"
fi
state+="
files=$(printf '%s\n' "$rules" "$flush" "$dnsmasq" "$rules_unit_text" "$dns_unit_text" \
	"$resolved_text" "$nm_text" | sha256sum | cut -d' ' -f1)"

# ---------------------------------------------------------------- unchanged?

runtime_ok() {
	table_loaded || return 1
	((use_systemd)) || return 0
	systemctl is-enabled --quiet "$rules_unit" &&
		systemctl is-enabled --quiet "$dns_unit" &&
		systemctl is-active --quiet "$dns_unit"
}

files_same=1
same "$rules_file" "$rules" || files_same=0
same "$flush_file" "$flush" || files_same=0
same "$dnsmasq_conf" "$dnsmasq" || files_same=0
same "$unit_dir/$rules_unit" "$rules_unit_text" || files_same=0
same "$unit_dir/$dns_unit" "$dns_unit_text" || files_same=0
if [[ $resolver == resolved ]]; then
	same "$resolved_dropin" "$resolved_text" || files_same=0
	same "$nm_dropin" "$nm_text" || files_same=0
else
	[[ ! -e $resolved_dropin && ! -e $nm_dropin ]] || files_same=0
fi
same "$state_file" "$state" || files_same=0

if ((files_same)) && runtime_ok; then
	echo unchanged
	exit 0
fi

# ---------------------------------------------------------------- apply

mkdir -p "$conf_dir"
chmod 0755 "$conf_dir"

# The rules: loaded from a temp file first, so a file that does not load
# never becomes the one the boot unit loads.
tmp=$(mktemp "$rules_file.XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
printf '%s\n' "$rules" >"$tmp"
"$nft_bin" -f "$tmp" || die "nft refused the rules (nothing changed); they are in $tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$rules_file"
write_file "$flush_file" 0644 "$flush"

tmp=$(mktemp "$dnsmasq_conf.XXXXXX")
printf '%s\n' "$dnsmasq" >"$tmp"
"$dnsmasq_bin" --test --conf-file="$tmp" >/dev/null 2>&1 ||
	die "dnsmasq refused its configuration: $("$dnsmasq_bin" --test --conf-file="$tmp" 2>&1 | head -n 3)"
chmod 0644 "$tmp"
mv -f "$tmp" "$dnsmasq_conf"
trap - EXIT

write_file "$unit_dir/$rules_unit" 0644 "$rules_unit_text"
write_file "$unit_dir/$dns_unit" 0644 "$dns_unit_text"

resolver_changed=0
if [[ $resolver == resolved ]]; then
	if ! same "$resolved_dropin" "$resolved_text" || ! same "$nm_dropin" "$nm_text"; then
		resolver_changed=1
	fi
	write_file "$nm_dropin" 0644 "$nm_text"
	write_file "$resolved_dropin" 0644 "$resolved_text"
else
	resolver_restore
fi

if ((use_systemd)); then
	systemctl daemon-reload
	systemctl enable --quiet "$rules_unit" "$dns_unit"
	# Loads the rules again only if it was not active (e.g. the first run).
	systemctl start "$rules_unit"
	# A fresh dnsmasq: the sets were emptied by the reload above, and
	# ExecStartPre empties them again for names no longer allowed.
	systemctl restart "$dns_unit"
	if ((resolver_changed)); then
		# NetworkManager stops handing resolved its per-link servers; the
		# ones it already gave are dropped; resolved reads its drop-in.
		systemctl try-reload-or-restart NetworkManager.service ||
			warn "could not reload NetworkManager"
		# dnsmasq asks the servers NetworkManager writes there. Without
		# them, put the system resolver back rather than leave root
		# without names; the limited users get none (fail closed).
		for _ in {1..30}; do
			grep -qs '^nameserver' "$upstream" && break
			sleep 0.1
		done
		if ! grep -qs '^nameserver' "$upstream"; then
			resolver_restore
			die "no nameserver in $upstream after NetworkManager reloaded: systemd-resolved keeps its own servers; the limited users get no names until this is fixed"
		fi
		for link in /sys/class/net/*; do
			link=${link##*/}
			[[ $link != lo ]] || continue
			"$resolvectl_bin" revert "$link" >/dev/null 2>&1 || true
		done
		systemctl restart systemd-resolved.service
	fi
	if [[ $resolver == resolved ]]; then
		"$resolvectl_bin" flush-caches >/dev/null 2>&1 || true
	fi
else
	note "--no-systemd: start the name component yourself ($unit_dir/$dns_unit)"
fi

write_file "$state_file" 0644 "$state"
note "limited: $(join '; ' "${summary[@]}")"
note "allowed: $(join ' ' "${dev_names[@]}")"
if ((agent_policy)); then
	note "allowed for agents: $(join ' ' "${agent_names[@]}")"
fi
echo applied
