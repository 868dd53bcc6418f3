# shellcheck shell=bash
# tests/fake/guest-lib.bash: shared code for the tests/fake/guest-bin stubs (sourced, never run).
#
# The stubs stand in for guest tools that would be dangerous or impossible on the test host when
# the fake limactl runs a guest command in stub mode (FAKE_LIMA_GUEST=stub). Each appends its argv
# (`NAME` + printf ' %q' per argument) to $FAKE_LIMA_LOG_DIR/guest.log. Guest state lives under
# $FAKE_GUEST_ROOT: passwd, group, subuid, subgid, home/USER, var/lib/systemd/linger/USER.
# FAKE_GUEST_STRICT_USERS=1 makes `sudo -u USER` fail for a USER the fake guest does not know.

: "${FAKE_LIMA_LOG_DIR:=${BATS_TEST_TMPDIR:-/tmp}/lima-calls}"
: "${FAKE_GUEST_ROOT:=$FAKE_LIMA_LOG_DIR/guest-root}"
export FAKE_LIMA_LOG_DIR FAKE_GUEST_ROOT

guest_bin_dir=${BASH_SOURCE[0]%/*}/guest-bin
stub_name=${0##*/}

guest_log() {
	local l=''
	(($#)) && printf -v l ' %q' "$@"
	[[ -d $FAKE_LIMA_LOG_DIR ]] || mkdir -p -- "$FAKE_LIMA_LOG_DIR"
	printf '%s%s\n' "$stub_name" "$l" >>"$FAKE_LIMA_LOG_DIR/guest.log"
}

guest_dir() {
	[[ -d $FAKE_GUEST_ROOT ]] || mkdir -p -- "$FAKE_GUEST_ROOT"
}

# real_cmd NAME: REPLY = the first NAME on PATH that is not a guest-bin stub.
real_cmd() {
	local d
	local -a dirs
	IFS=: read -ra dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		[[ -n $d && -x $d/$1 && ! -d $d/$1 ]] || continue
		[[ $d/$1 -ef $guest_bin_dir/$1 ]] && continue
		REPLY=$d/$1
		return 0
	done
	printf '%s: real %s not found on PATH\n' "$stub_name" "$1" >&2
	return 1
}

# real_user: REPLY = the name of the user the tests really run as.
real_user() {
	real_cmd id || return 1
	REPLY=$("$REPLY" -un)
}

# pw_lookup NAME|UID: sets PW_NAME PW_UID PW_GID PW_HOME PW_SHELL PW_LINE from $FAKE_GUEST_ROOT/passwd.
pw_lookup() {
	local name x uid gid gecos home shell
	[[ -r $FAKE_GUEST_ROOT/passwd ]] || return 1
	while IFS=: read -r name x uid gid gecos home shell; do
		if [[ $name == "$1" || $uid == "$1" ]]; then
			# shellcheck disable=SC2034 # results for the stubs
			PW_NAME=$name PW_UID=$uid PW_GID=$gid PW_HOME=$home PW_SHELL=$shell
			# shellcheck disable=SC2034
			PW_LINE=$name:$x:$uid:$gid:$gecos:$home:$shell
			return 0
		fi
	done <"$FAKE_GUEST_ROOT/passwd"
	return 1
}

# gr_lookup NAME|GID: sets GR_NAME GR_GID GR_LINE from $FAKE_GUEST_ROOT/group.
gr_lookup() {
	local name x gid members
	[[ -r $FAKE_GUEST_ROOT/group ]] || return 1
	while IFS=: read -r name x gid members; do
		if [[ $name == "$1" || $gid == "$1" ]]; then
			# shellcheck disable=SC2034 # results for the stubs
			GR_NAME=$name GR_GID=$gid GR_LINE=$name:$x:$gid:$members
			return 0
		fi
	done <"$FAKE_GUEST_ROOT/group"
	return 1
}

# drop_user FILE NAME: removes the lines whose first field is NAME from $FAKE_GUEST_ROOT/FILE.
drop_user() {
	local f=$FAKE_GUEST_ROOT/$1 l out=''
	[[ -f $f ]] || return 0
	while IFS= read -r l || [[ -n $l ]]; do
		[[ ${l%%:*} == "$2" ]] || out+=$l$'\n'
	done <"$f"
	printf '%s' "$out" >"$f"
}

# guest_path PATH: REPLY = where an absolute guest path lives on the host (relative paths stay).
guest_path() {
	if [[ $1 == /* ]]; then
		REPLY=$FAKE_GUEST_ROOT$1
	else
		REPLY=$1
	fi
}
