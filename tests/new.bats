#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm new: scaffolding that never overwrites.

load test_helper

setup() { setup_dvm_env; CFG=$XDG_CONFIG_HOME/dvm; }
teardown() { teardown_dvm_env; }

@test "new writes the global config once and the VM's two files, private" {
	run_dvm new app
	assert_success
	assert_output_contains "wrote ~/.config/dvm/config.sh (global)"
	assert_output_contains "wrote ~/.config/dvm/vms/app/{config.sh,setup.sh}"
	assert_file_mode "$CFG" 700
	assert_file_mode "$CFG/vms" 700
	assert_file_mode "$CFG/vms/app" 700
	assert_file_mode "$CFG/config.sh" 600
	assert_file_mode "$CFG/vms/app/config.sh" 600
	assert_file_mode "$CFG/vms/app/setup.sh" 600
	run_dvm new web
	assert_success
	refute_output_contains "(global)"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "new scaffolds pass shellcheck and bash -n, with no active VM settings" {
	run_dvm new app
	assert_success
	bash -n "$CFG/config.sh"
	bash -n "$CFG/vms/app/config.sh"
	bash -n "$CFG/vms/app/setup.sh"
	shellcheck "$CFG/config.sh" "$CFG/vms/app/config.sh" "$CFG/vms/app/setup.sh"
	if grep -q '^DVM_CPUS=' "$CFG/vms/app/config.sh"; then fail "unexpected match"; fi
	grep -q '^set -Eeuo pipefail' "$CFG/vms/app/setup.sh"
}

@test "new scaffolds DVM_USER=developer, never \$USER, and says it must not be Lima's login user" {
	USER=alice run_dvm new app
	assert_success
	grep -qx 'DVM_USER=developer' "$CFG/config.sh"
	grep -qx "# project containers in every VM. It must not be Lima's login user" "$CFG/config.sh"
	grep -qx '# (Lima names that one after you and gives it passwordless root),' "$CFG/config.sh"
	# DVM_USER_SUDO is there, commented out, with what it gives up.
	grep -qx '# DVM_USER_SUDO=1' "$CFG/config.sh"
	grep -qx '# VM, and DVM_EGRESS cannot be used.' "$CFG/config.sh"
	if grep -q '^DVM_USER_SUDO' "$CFG/config.sh"; then fail "DVM_USER_SUDO is set"; fi
	rm -rf "$CFG"
	USER='Bad User' run_dvm new app
	assert_success
	grep -qx 'DVM_USER=developer' "$CFG/config.sh"
	# A host user named developer would be Lima's login user: dev instead.
	rm -rf "$CFG"
	USER=developer run_dvm new app
	assert_success
	grep -qx 'DVM_USER=dev' "$CFG/config.sh"
	USER=developer run_dvm sync app --dry-run
	assert_success
}

@test "the scaffolded config is accepted by sync" {
	run_dvm new app
	assert_success
	run_dvm sync app --dry-run
	assert_success
}

@test "new never overwrites an existing VM" {
	run_dvm new app
	echo '# mine' >> "$CFG/vms/app/config.sh"
	run_dvm new app
	assert_failure 1
	assert_output_contains "VM directory ~/.config/dvm/vms/app already exists"
	grep -q '# mine' "$CFG/vms/app/config.sh"
}

@test "new keeps an existing global config" {
	mkdir -p "$CFG"
	echo 'DVM_USER=keepme' > "$CFG/config.sh"
	run_dvm new app
	assert_success
	refute_output_contains "(global)"
	grep -qx 'DVM_USER=keepme' "$CFG/config.sh"
}

@test "new refuses bad and reserved names" {
	for name in Bad 'a;b' 1app 'a b' "$(printf 'a%.0s' {1..41})"; do
		run_dvm new "$name"
		assert_failure 2
		assert_output_contains "invalid VM name"
	done
	run_dvm new -- -x
	assert_failure 2
	assert_output_contains "invalid VM name '-x'"
	run_dvm new base
	assert_failure 2
	assert_output_contains "'base' is reserved by dvm"
	[ ! -e "$CFG/vms" ]
}

@test "new takes exactly one name and a known template" {
	run_dvm new
	assert_failure 2
	assert_output_contains "missing VM name"
	run_dvm new a b
	assert_failure 2
	assert_output_contains "too many arguments"
	run_dvm new app --template nope
	assert_failure 2
	assert_output_contains "unknown template 'nope' (available: app, cloudflared, llama, tailscale)"
	run_dvm new app --template
	assert_failure 2
	assert_output_contains "option '--template' needs a value"
	run_dvm new app --template=app
	assert_success
}

@test "init is an alias of new" {
	run_dvm init app
	assert_success
	assert_file_exists "$CFG/vms/app/config.sh"
}

@test "new --dry-run writes nothing" {
	run_dvm new app --dry-run
	assert_success
	assert_output_contains "would write $CFG/vms/app/config.sh"
	[ ! -e "$CFG/vms" ]
	DVM_DRY_RUN=1 run_dvm new app
	assert_success
	[ ! -e "$CFG/vms" ]
}

@test "new refuses a config dir others can write" {
	mkdir -p "$CFG"
	chmod 0777 "$CFG"
	run_dvm new app
	assert_failure 1
	assert_output_contains "unsafe permissions on config directory"
}

@test "new --list-templates lists app, then the bundled and your templates; help and the error show the same" {
	run_dvm new --list-templates
	assert_success
	assert_output "$(printf '%s\n' app cloudflared llama tailscale)"
	mkdir -p "$CFG/templates"
	printf '# shellcheck shell=bash disable=SC2034\nuse git\n' >"$CFG/templates/web.sh"
	# Names dvm would refuse are no templates.
	: >"$CFG/templates/Bad.sh"
	: >"$CFG/templates/notes.txt"
	run_dvm new --list-templates
	assert_success
	assert_output "$(printf '%s\n' app cloudflared llama tailscale web)"
	run_dvm help new
	assert_success
	assert_line_contains "usage: dvm new <vm> [--template app|cloudflared|llama|tailscale|web] [--dry-run] | --list-templates"
	run_dvm new app --template nope
	assert_failure 2
	assert_output_contains "unknown template 'nope' (available: app, cloudflared, llama, tailscale, web)"
	run_dvm new app --template Bad
	assert_failure 2
	run_dvm new app --list-templates
	assert_failure 2
	assert_output_contains "dvm: error: --list-templates takes nothing else"
	[ ! -e "$CFG/vms" ]
}

@test "a template of yours overrides a bundled one, names the VM where it says @VM@, and must be private" {
	mkdir -p "$CFG/templates"
	printf '%s\n' '# shellcheck shell=bash disable=SC2034' '# My model server; others reach lima-dvm-@VM@.internal.' \
		'DVM_NETWORK=user-v2' 'use llama' >"$CFG/templates/llama.sh"
	chmod 600 "$CFG/templates/llama.sh"
	run_dvm new box --template llama
	assert_success
	# The scaffold, a blank line, then the template without its shellcheck line.
	[ "$(tail -n 4 "$CFG/vms/box/config.sh")" = "
# My model server; others reach lima-dvm-box.internal.
DVM_NETWORK=user-v2
use llama" ]
	[ "$(grep -c '^# shellcheck' "$CFG/vms/box/config.sh")" -eq 1 ]
	shellcheck "$CFG/vms/box/config.sh"
	# app is the plain scaffold unless you write one.
	printf 'use git\n' >"$CFG/templates/app.sh"
	run_dvm new plain
	assert_success
	[ "$(tail -n 2 "$CFG/vms/plain/config.sh")" = "
use git" ]
	chmod 0666 "$CFG/templates/llama.sh"
	run_dvm new other --template llama
	assert_failure 1
	assert_output_contains "unsafe permissions on template"
	[ ! -e "$CFG/vms/other" ]
}
