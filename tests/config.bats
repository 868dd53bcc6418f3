#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# The config shim and the host paths: edge cases and their error messages.

load test_helper
load lib/bash32

setup() {
	setup_dvm_env
	write_vm_config app ''
	PROJ=$XDG_CONFIG_HOME/dvm/vms/app/projects
}
teardown() { teardown_dvm_env; }

write_project() {
	mkdir -p "$PROJ/$1"  # umask 077 keeps every level private
	printf '%s\n' "$2" >"$PROJ/$1/project.sh"
	chmod 0600 "$PROJ/$1/project.sh"
}

@test "use with no recipe name fails the config with a message" {
	write_vm_config app 'use'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "dvm: error: use: a recipe name is required"
	assert_output_contains "vms/app/config.sh: failed with status 1 while being read"
}

@test "use picks recipes in order, after the baseline" {
	for r in git node python; do
		printf '# Description: %s here\necho %s-ran\n' "$r" "$r" >"$XDG_CONFIG_HOME/dvm/recipes/$r.sh"
	done
	write_vm_config app 'use git
use node python'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "stdin step 3: recipe baseline (~/.config/dvm/recipes/baseline.sh)
  stdin step 4: recipe git (~/.config/dvm/recipes/git.sh)
  stdin step 5: recipe node (~/.config/dvm/recipes/node.sh)
  stdin step 6: recipe python (~/.config/dvm/recipes/python.sh)"
}

@test "config files owned by someone else are refused" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to give a file away"
	chown nobody "$XDG_CONFIG_HOME/dvm/vms/app/config.sh"
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "dvm: error: VM config ~/.config/dvm/vms/app/config.sh must be owned by the current user"
}

@test "project files are checked and their values validated" {
	write_project api 'IMAGE=node:22
PROJ_PORTS=(3000:3000)'
	run_dvm sync app --dry-run
	assert_success
	write_project api 'IMAGE="node:22; rm -rf /"'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "projects/api/project.sh: IMAGE='node:22; rm -rf /' is not a container image reference"
	write_project api 'NESTED=yes'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "projects/api/project.sh: NESTED='yes' must be 0 or 1"
	write_project api 'PROJ_WORKDIR=work'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "projects/api/project.sh: PROJ_WORKDIR='work' must be an absolute path without ':' or ','"
	write_project api 'PROJ_PORTS=(80:0)'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "projects/api/project.sh: PROJ_PORTS='80:0' is not a host:guest port pair"
	write_project api 'exit 3'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "projects/api/project.sh: evaluation stopped while reading it"
	write_project api 'true'
	chmod g+w "$PROJ/api/project.sh"
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "unsafe permissions on project config"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "a project directory with a bad name is refused" {
	write_project Bad 'true'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "projects/Bad: invalid project name 'Bad'"
}

@test "HOME must be set" {
	run env -u HOME -u XDG_CONFIG_HOME "$DVM" sync app --dry-run
	assert_failure 1
	assert_output_contains "dvm: error: HOME is not set to an absolute path"
}

@test "state and cache dirs must be absolute and usable" {
	DVM_STATE_DIR=state run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_STATE_DIR must be an absolute path: state"
	touch "$BATS_TEST_TMPDIR/a-file"
	DVM_STATE_DIR=$BATS_TEST_TMPDIR/a-file run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: state directory $BATS_TEST_TMPDIR/a-file is not a directory"
	DVM_CACHE_DIR=$BATS_TEST_TMPDIR/a-file run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: cache directory $BATS_TEST_TMPDIR/a-file is not a directory"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "an unusable TMPDIR stops the sync before the guest script" {
	TMPDIR=$BATS_TEST_TMPDIR/missing run_dvm sync app
	assert_failure 1
	assert_output_contains "cannot create a temporary file in $BATS_TEST_TMPDIR/missing"
	refute_lima_call "shell"
}

@test "new reports a config dir it cannot create" {
	touch "$BATS_TEST_TMPDIR/a-file"
	DVM_CONFIG_DIR=$BATS_TEST_TMPDIR/a-file run_dvm new web
	assert_failure 1
	assert_output_contains "cannot create $BATS_TEST_TMPDIR/a-file/vms"
}

@test "DVM_BASH picks the bash that reads the config" {
	DVM_BASH=/nonexistent/bash run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "cannot run /nonexistent/bash"
}

@test "the config shim uses nothing newer than bash 3.2, and passes shellcheck" {
	# A bash that keeps the -c text dvm hands it, then runs it.
	local rec=$BATS_TEST_TMPDIR/recording-bash shim=$BATS_TEST_TMPDIR/shim.bash
	printf '#!/bin/bash\nwhile [ "$#" -gt 0 ] && [ "$1" != -c ]; do shift; done\nprintf "%%s" "$2" >"%s"\nexec bash --noprofile --norc "$@"\n' "$shim" >"$rec"
	chmod +x "$rec"
	write_vm_config app 'DVM_MEMORY=4'
	DVM_BASH=$rec run_dvm sync app --dry-run
	assert_success
	[ -s "$shim" ]
	grep -q '\${!DVM_@}' "$shim"
	bash4_constructs "$shim"
	# Excluded: arrays named at run time (inside eval text, SC1087), the
	# variables the config sets and the dump reads (SC2034, SC2154),
	# sourcing paths given as arguments (SC1090), `IMAGE= NESTED=0` (SC1007).
	run shellcheck --shell=bash --severity=warning -e SC1087,SC2034,SC2154,SC1090,SC1007 "$shim"
	assert_success
}

@test "a config that unsets a setting is refused, naming the file that unset it" {
	local name
	for name in DVM_CPUS DVM_MEMORY DVM_DISK DVM_USER DVM_SUBUID_COUNT DVM_SUBGID_COUNT DVM_DEV_BASE; do
		write_vm_config app "unset $name"
		run_dvm sync app --dry-run
		assert_failure 1
		assert_output_contains "dvm: error: ~/.config/dvm/vms/app/config.sh: $name='' "
	done
	write_vm_config app ''
	write_global_config 'unset DVM_CPUS'
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output_contains "dvm: error: ~/.config/dvm/config.sh: DVM_CPUS='' is not a whole number of CPUs"
	write_global_config ''
	mkdir -p "$XDG_CONFIG_HOME/dvm/vms/app/projects/api"
	printf 'unset PROJ_WORKDIR\n' >"$XDG_CONFIG_HOME/dvm/vms/app/projects/api/project.sh"
	run_dvm sync app/api --dry-run
	assert_failure 1
	assert_output_contains "dvm: error: ~/.config/dvm/vms/app/projects/api/project.sh: PROJ_WORKDIR='' must be an absolute path"
}

# ---------------------------------------------------------------- egress allowlist

@test "DVM_EGRESS: each kind of bad host is refused before any limactl call, naming file, variable and value" {
	local f='~/.config/dvm/vms/app/config.sh'
	check() {
		write_vm_config app "DVM_EGRESS=(github.com $1)"
		run_dvm sync app
		assert_failure 1
		assert_output "dvm: error: $f: DVM_EGRESS='$2' $3"
	}
	check 1.2.3.4 1.2.3.4 'is an address: the allowlist takes host names only'
	check 2001:db8::1 2001:db8::1 'is an address: the allowlist takes host names only'
	check github.com:22 github.com:22 'is not a host name: no scheme, user, port or path (an allowed host is open on every port)'
	check https://github.com https://github.com 'is not a host name: no scheme, user, port or path (an allowed host is open on every port)'
	check GitHub.com GitHub.com 'has upper-case letters (write host names in lower case)'
	check intranet intranet 'is a single label: give the full name, such as github.com'
	check '""' '' 'is empty (for no limit, leave the list out or write it as ())'
	check "'\$(touch dvm-pwned).com'" '$(touch dvm-pwned).com' "is not a host name (lower-case letters, digits, '-' and '.', such as github.com or .example.com, at most 253 characters)"
	check "'a.com;id'" 'a.com;id' "is not a host name (lower-case letters, digits, '-' and '.', such as github.com or .example.com, at most 253 characters)"
	check '*.github.com' '*.github.com' "is not a host name (lower-case letters, digits, '-' and '.', such as github.com or .example.com, at most 253 characters)"
	check github.com. github.com. "is not a host name (lower-case letters, digits, '-' and '.', such as github.com or .example.com, at most 253 characters)"
	check "$(printf 'a%.0s' $(seq 64)).com" "$(printf 'a%.0s' $(seq 64)).com" "is not a host name (lower-case letters, digits, '-' and '.', such as github.com or .example.com, at most 253 characters)"
	check "'\`id\`.com'" '`id`.com' "is not a host name (lower-case letters, digits, '-' and '.', such as github.com or .example.com, at most 253 characters)"
	[ ! -e dvm-pwned ] && [ ! -e "$HOME/dvm-pwned" ]
	[ "$(lima_call_count)" -eq 0 ]
}

@test "DVM_EGRESS in the global config is the default, and a bad one there names that file" {
	write_global_config 'DVM_EGRESS=(github.com 10.0.0.1)'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/config.sh: DVM_EGRESS='10.0.0.1' is an address: the allowlist takes host names only"
	write_global_config 'DVM_EGRESS=(github.com)'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "github.com (DVM_EGRESS)"
	# A VM turns the limit off with an empty list.
	write_vm_config app 'DVM_EGRESS=()'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "stdin step 2: egress: no limit"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "DVM_AGENT_EGRESS: bad hosts are refused, and it needs DVM_EGRESS" {
	write_vm_config app 'DVM_EGRESS=(github.com)
DVM_AGENT_EGRESS=(api.anthropic.com:443)'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_AGENT_EGRESS='api.anthropic.com:443' is not a host name: no scheme, user, port or path (an allowed host is open on every port)"
	write_vm_config app 'DVM_AGENT_EGRESS=(api.anthropic.com)'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: DVM_AGENT_EGRESS='api.anthropic.com' is set but DVM_EGRESS is empty: dvm-agent's list only narrows DVM_EGRESS (set DVM_EGRESS too)"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "DVM_EGRESS: a project image whose registry is an address or a bare label is refused" {
	write_vm_config app 'DVM_EGRESS=(github.com)'
	write_project api 'IMAGE=10.0.0.5:5000/team/api:1'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/projects/api/project.sh: IMAGE='10.0.0.5:5000/team/api:1' pulls from 10.0.0.5, which is not a host name DVM_EGRESS can allow (use a registry by its name)"
	write_project api 'IMAGE=registry:5000/api'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "IMAGE='registry:5000/api' pulls from registry, which is not a host name"
	# Loopback registries need nothing; without DVM_EGRESS nothing is checked.
	write_project api 'IMAGE=localhost:5000/api'
	run_dvm sync app --dry-run
	assert_success
	write_vm_config app ''
	write_project api 'IMAGE=10.0.0.5:5000/team/api:1'
	run_dvm sync app --dry-run
	assert_success
	[ "$(lima_call_count)" -eq 0 ]
}

@test "DVM_EGRESS with use docker is refused: the docker group is root" {
	# use docker needs DVM_USER_SUDO=1, which DVM_EGRESS excludes: refused
	# either way, before any call.
	write_vm_config app 'DVM_EGRESS=(github.com)
use docker'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: use docker requires DVM_USER_SUDO=1 (the docker group is as good as root in the VM); set DVM_USER_SUDO=1 to accept a dev user with root, or remove use docker"
	write_vm_config app 'DVM_EGRESS=(github.com)
DVM_USER_SUDO=1
use docker'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_USER_SUDO='1' cannot be combined with DVM_EGRESS"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "a near miss of a dvm setting warns once, naming its file; other DVM_* names are the user's" {
	write_global_config 'DVM_USER=developer
DVM_MEMROY=4'
	write_vm_config app 'DVM_CPU=2
DVM_LLAMA_MODEL=qwen
DVM_MY_TOKEN_NAME=x'
	write_vm_config web ''
	run_dvm_split sync --all --dry-run
	assert_success
	# shellcheck disable=SC2154 # run_dvm_split sets it
	[ "$(grep -c 'DVM_MEMROY' <<<"$stderr")" -eq 1 ]
	assert_stderr_contains "dvm: warning: ~/.config/dvm/config.sh: DVM_MEMROY is not a dvm setting; did you mean DVM_MEMORY?"
	assert_stderr_contains "dvm: warning: ~/.config/dvm/vms/app/config.sh: DVM_CPU is not a dvm setting; did you mean DVM_CPUS?"
	[[ $stderr != *DVM_LLAMA_MODEL* && $stderr != *DVM_MY_TOKEN_NAME* ]]
	# Still a setting for the recipes: it reaches the guest as it is.
	run_dvm sync app
	assert_success
	[[ $(last_lima_stdin) == *" DVM_CPU=2"* ]] || fail "DVM_CPU did not reach the guest"
}
