#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# The C side of recipes: order, overrides, errors, `dvm recipes`,
# secrets staging, service templates and unit inference (the # Secrets:
# and # Unit: headers). (The recipes themselves are tested in
# recipes.bats.)

load test_helper

setup() {
	setup_dvm_env
	R=$XDG_CONFIG_HOME/dvm/recipes
	STATE=$XDG_STATE_HOME/dvm/app
}
teardown() { teardown_dvm_env; }

user_recipe() {
	printf '# Description: %s\n%s\n' "$2" "$3" >"$R/$1.sh"
}

@test "recipes run after the bootstrap, baseline first, then each use in order, then setup.sh" {
	user_recipe one 'first one' 'echo one-ran'
	user_recipe two 'second one' 'echo two-ran'
	write_vm_config app 'use two
use one'
	write_vm_setup app 'echo setup-ran'
	run_dvm sync app
	assert_success
	assert_output_contains "✓ recipe baseline
• recipe two
✓ recipe two
• recipe one
✓ recipe one
• running VM setup"
	[ "$(grep -E -o 'baseline ran|two-ran|one-ran|setup-ran' "$STATE/setup.log" | tr '\n' ' ')" = "baseline ran two-ran one-ran setup-ran " ]
}

@test "DVM_NO_BASELINE=1 skips the baseline" {
	write_vm_config app 'DVM_NO_BASELINE=1'
	run_dvm sync app
	assert_success
	refute_output_contains "recipe baseline"
	write_vm_config app 'DVM_NO_BASELINE=maybe'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_NO_BASELINE='maybe' must be 0 or 1"
}

@test "a user recipe overrides the bundled one of the same name" {
	rm "$R/baseline.sh"
	run_dvm sync app --dry-run 2>/dev/null || true
	write_vm_config app ''
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "recipe baseline (bundled)"
	user_recipe baseline 'mine' 'echo mine'
	run_dvm sync app --dry-run
	assert_output_contains "recipe baseline (~/.config/dvm/recipes/baseline.sh)"
}

@test "a missing recipe stops the sync before anything runs" {
	write_vm_config app 'use nosuch'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: no recipe 'nosuch' (see: dvm recipes; or write ~/.config/dvm/recipes/nosuch.sh)"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "use docker without DVM_USER_SUDO=1 is refused before any call" {
	write_vm_config app 'use git docker'
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/vms/app/config.sh: use docker requires DVM_USER_SUDO=1 (the docker group is as good as root in the VM); set DVM_USER_SUDO=1 to accept a dev user with root, or remove use docker"
	run_dvm sync app --dry-run
	assert_failure 1
	DVM_USER_SUDO=1 run_dvm sync app --dry-run	# the environment does not count
	assert_failure 1
	write_global_config 'use docker'
	write_vm_config app ''
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: ~/.config/dvm/config.sh: use docker requires DVM_USER_SUDO=1"
	[ "$(lima_call_count)" -eq 0 ]
	# Accepted with DVM_USER_SUDO=1, which the recipe sees.
	write_vm_config app 'DVM_USER_SUDO=1'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "recipe docker (bundled)"
	# A user recipe of that name decides for itself with its own header.
	write_vm_config app ''
	user_recipe docker 'rootless docker, mine' 'echo mine'
	run_dvm sync app --dry-run
	assert_success
	printf '# Description: mine too\n# Requires: DVM_USER_SUDO=1\necho x\n' >"$R/docker.sh"
	run_dvm sync app --dry-run
	assert_failure 1
	assert_output "dvm: error: ~/.config/dvm/config.sh: use docker requires DVM_USER_SUDO=1; set DVM_USER_SUDO=1 to accept a dev user with root, or remove use docker"
}

@test "a failing recipe stops the sync with its last lines" {
	user_recipe broken 'breaks' 'echo about-to-break; exit 9'
	write_vm_config app 'use broken'
	write_vm_setup app 'echo setup-ran'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "✗ recipe broken"
	assert_output_contains "recipe broken failed with exit status 9"
	assert_output_contains "about-to-break"
	refute_output_contains "running VM setup"
}

@test "a user recipe others can write is refused" {
	user_recipe mine 'x' 'true'
	chmod g+w "$R/mine.sh"
	write_vm_config app 'use mine'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "unsafe permissions on recipe ~/.config/dvm/recipes/mine.sh"
}

@test "a user recipe's # Egress: hosts are allowed too, an AI recipe's for dvm-agent; a bad one names the recipe" {
	printf '%s\n' '#!/usr/bin/env bash' '# Description: my tool' \
		'# Egress: dl.example.com .cdn.example.net' '# Egress: mirror.example.org' \
		'' '# Egress: not-a-header.example.com' 'echo mine-ran' >"$R/mine.sh"
	printf '%s\n' '# Description: my agent' '# Egress: models.example.ai' \
		'dvm_need_agent myagent' >"$R/myagent.sh"
	write_vm_config app 'DVM_EGRESS=(github.com)
use mine'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "    DVM_EGRESS (developer, its containers and dvm-agent), 4 hosts:
      github.com (DVM_EGRESS)
      dl.example.com (recipe mine)
      .cdn.example.net (recipe mine)
      mirror.example.org (recipe mine)
  stdin step 3: recipe baseline"
	refute_output_contains "not-a-header"
	run_dvm sync app
	assert_success
	assert_guest_call "apply --user developer --agent dvm-agent --allow github.com --allow dl.example.com --allow .cdn.example.net --allow mirror.example.org"
	# An AI recipe (dvm_need_agent first): its hosts go to dvm-agent's own list.
	write_vm_config app 'DVM_EGRESS=(github.com)
DVM_AGENT_EGRESS=(api.example.ai)
use mine
use myagent'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "    DVM_AGENT_EGRESS (dvm-agent), 2 hosts:
      api.example.ai (DVM_AGENT_EGRESS)
      models.example.ai (recipe myagent)"
	refute_output_contains "models.example.ai (recipe myagent)
    DVM_AGENT_EGRESS"
	# A bad host stops the sync before anything runs.
	rm -rf "$FAKE_LIMA_LOG_DIR"
	fake_guest_marker
	printf '%s\n' '# Description: my tool' '# Egress: dl.example.com:443' >"$R/mine.sh"
	run_dvm sync app
	assert_failure 1
	assert_output "dvm: error: recipe mine (~/.config/dvm/recipes/mine.sh): # Egress: 'dl.example.com:443' is not a host name: no scheme, user, port or path (an allowed host is open on every port)"
	[ "$(lima_call_count)" -eq 0 ]
	# Without DVM_EGRESS nothing is limited, so the header is not read.
	write_vm_config app 'use mine'
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "egress: no limit"
}

@test "every bundled recipe's # Egress: hosts pass the host-name rule, and those that download as a limited user have some" {
	local names
	rm "$R/baseline.sh"
	# All but docker, which cannot go with DVM_EGRESS (config.bats).
	names=$("$DVM" recipes | cut -d' ' -f1 | grep -vx docker | tr '\n' ' ')
	write_vm_config app "DVM_EGRESS=(github.com)
DVM_AGENT_EGRESS=(api.example.ai)
use $names"
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "github.com (DVM_EGRESS, recipe chezmoi)"
	assert_output_contains "registry.npmjs.org (recipe node)"
	assert_output_contains "pypi.org (recipe python)"
	# The AI recipes' downloads run as dvm-agent: its list gets them.
	assert_output_contains "    DVM_AGENT_EGRESS (dvm-agent), 4 hosts:
      api.example.ai (DVM_AGENT_EGRESS)
      registry.npmjs.org (recipe claude, recipe codex, recipe opencode)
      pypi.org (recipe mistral)
      files.pythonhosted.org (recipe mistral)"
}

@test "dvm recipes lists bundled and user recipes with descriptions" {
	user_recipe zeta 'my own tool' 'true'
	run_dvm recipes
	assert_success
	assert_line_contains "baseline       test stand-in for the baseline (yours)"
	assert_line_contains "zeta           my own tool (yours)"
	rm "$R/baseline.sh"
	run_dvm recipes
	assert_line_contains "baseline       the basics every VM gets"
}

@test "dvm recipes <name> prints the recipe, yours when you override it" {
	run_dvm recipes bat
	assert_success
	assert_output_contains "# Description: bat, cat with syntax highlighting"
	assert_output_contains "dvm_pkg bat"
	user_recipe bat 'my bat' 'echo my-own-bat'
	run_dvm recipes bat
	assert_success
	assert_output_contains "echo my-own-bat"
}

@test "dvm recipes <name> refuses unknown and invalid names, and extra operands" {
	run_dvm recipes nope
	assert_failure 1
	assert_output_contains "dvm: error: no recipe 'nope' (see: dvm recipes; or write ~/.config/dvm/recipes/nope.sh)"
	run_dvm recipes 'a;b'
	assert_failure 1
	assert_output_contains "dvm: error: invalid recipe name 'a;b'"
	run_dvm recipes bat git
	assert_failure 2
	assert_output_contains "usage: dvm recipes [<name>]"
}

@test "secrets reach the guest only on stdin, as 0600 files removed afterwards" {
	user_recipe cloudflared 'tunnel' '[ "$(cat "$DVM_SECRET_FILE_CLOUDFLARED_TOKEN")" = "tok-$SECRET_SEED" ] && echo token-ok
stat -c "mode %a" "$DVM_SECRET_FILE_CLOUDFLARED_TOKEN"
[ "$(cat "$DVM_SECRET_FILE_MY_API_KEY")" = "api key with spaces '\''and quotes'\''" ] && echo api-ok
echo "dir=${DVM_SECRET_FILE_MY_API_KEY%/*}"'
	write_vm_config app 'use cloudflared
DVM_SECRETS=(MY_API_KEY)'
	export SECRET_SEED=$RANDOM
	tok="tok-$SECRET_SEED"
	CLOUDFLARED_TOKEN=$tok MY_API_KEY="api key with spaces 'and quotes'" run_dvm sync app
	assert_success
	grep -q token-ok "$STATE/setup.log"
	grep -q api-ok "$STATE/setup.log"
	grep -q 'mode 600' "$STATE/setup.log"
	dir=$(sed -n 's/^dir=//p' "$STATE/setup.log")
	[ -n "$dir" ] && [ ! -e "$dir" ]
	refute_output_contains "$tok"
	! grep -rqF "$tok" "$STATE" || fail "the token is in a log"
	! grep -qF "$tok" "$FAKE_LIMA_LOG_DIR/calls.log" || fail "the token is in an argv"
	for f in "$FAKE_LIMA_LOG_DIR"/*.argv; do
		! grep -qaF "$tok" "$f" || fail "the token is in $f"
	done
	lima_stdin 2 | grep -qF "$tok"
	CLOUDFLARED_TOKEN=$tok MY_API_KEY=x run_dvm sync app --dry-run
	assert_success
	refute_output_contains "$tok"
}

# env_files_lack VALUE: no recorded limactl environment holds VALUE.
env_files_lack() {
	local f n=0
	for f in "$FAKE_LIMA_LOG_DIR"/*.env; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		! grep -qaF -- "$1" "$f" || fail "a secret is in the environment of limactl call ${f##*/}"
	done
	[ "$n" -gt 0 ] || fail "no limactl environment was recorded"
}

@test "secrets are in no child's environment; the config bash sees only DVM_SECRETS names" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	{
		printf '#!/bin/bash
'
		printf 'for v in $(compgen -e); do printf "%%s=%%s\\0" "$v" "${!v}"; done >>"%s"
' "$BATS_TEST_TMPDIR/shim.env"
		printf 'exec bash "$@"
'
	} >"$BATS_TEST_TMPDIR/bin/env-bash"
	chmod +x "$BATS_TEST_TMPDIR/bin/env-bash"
	export DVM_BASH=$BATS_TEST_TMPDIR/bin/env-bash
	user_recipe cloudflared 'tunnel' '[ -z "${CLOUDFLARED_TOKEN+x}" ] && [ -z "${MY_API_KEY+x}" ] && echo env-clean
[ "$(cat "$DVM_SECRET_FILE_CLOUDFLARED_TOKEN")" = "tok-$CHILD_ENV_SEED-cf" ] && echo token-ok
[ "$(cat "$DVM_SECRET_FILE_MY_API_KEY")" = "key-$CHILD_ENV_SEED-api" ] && echo api-ok'
	write_vm_config app 'use cloudflared
DVM_SECRETS=(MY_API_KEY)'
	# The recipe rebuilds the values from the seed, which is no secret.
	export CHILD_ENV_SEED=$RANDOM
	tok=tok-$CHILD_ENV_SEED-cf key=key-$CHILD_ENV_SEED-api
	CLOUDFLARED_TOKEN=$tok MY_API_KEY=$key run_dvm sync app
	assert_success
	grep -qx env-clean "$STATE/setup.log" || fail "the guest script inherited a secret"
	grep -qx token-ok "$STATE/setup.log"
	grep -qx api-ok "$STATE/setup.log"
	lima_stdin 2 | grep -qF "$tok"
	lima_stdin 2 | grep -qF "$key"
	for v in "$tok" "$key"; do
		env_files_lack "$v"
		! grep -qaF -- "$v" "$FAKE_LIMA_LOG_DIR"/*.argv || fail "a secret is in an argv"
		! grep -rqaF -- "$v" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" || fail "a secret is in a host file"
		refute_output_contains "$v"
	done
	# The config bash is the user's own code and is what names DVM_SECRETS,
	# so it sees those; the bundled names are gone before it starts.
	! grep -qaF -- "$tok" "$BATS_TEST_TMPDIR/shim.env" || fail "the config bash got CLOUDFLARED_TOKEN"
	grep -qaF -- "MY_API_KEY=$key" "$BATS_TEST_TMPDIR/shim.env"
	# The same through sync --all, whose VMs run in forked workers.
	rm -f "$FAKE_LIMA_LOG_DIR"/*.env
	TAILSCALE_AUTH_KEY=$tok-ts CLOUDFLARED_TOKEN=$tok MY_API_KEY=$key run_dvm sync --all
	assert_success
	env_files_lack "$tok"
	env_files_lack "$key"
}

@test "a name in DVM_SECRETS must be set on the host" {
	write_vm_config app 'DVM_SECRETS=(MISSING_ONE)'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "dvm: error: DVM_SECRETS names MISSING_ONE, but MISSING_ONE is not set in the environment of this dvm"
	write_vm_config app 'DVM_SECRETS=(lower)'
	run_dvm sync app
	assert_failure 1
	assert_output_contains "DVM_SECRETS='lower' is not the name of an environment variable"
	for name in PATH HOME DVM_LIMACTL LIMA_HOME; do
		write_vm_config app "DVM_SECRETS=($name)"
		run_dvm sync app
		assert_failure 1
		assert_output_contains "DVM_SECRETS='$name' is needed in the environment of dvm and limactl, so it cannot be a secret"
	done
	[ "$(lima_call_count)" -eq 0 ]
}

@test "service templates use their recipe on the user-v2 network" {
	for t in llama cloudflared tailscale; do
		run_dvm new "svc-$t" --template "$t"
		assert_success
		grep -qx "use $t" "$XDG_CONFIG_HOME/dvm/vms/svc-$t/config.sh"
		grep -qx "DVM_NETWORK=user-v2" "$XDG_CONFIG_HOME/dvm/vms/svc-$t/config.sh"
		bash -n "$XDG_CONFIG_HOME/dvm/vms/svc-$t/config.sh"
		user_recipe "$t" "$t stand-in" 'true'
		run_dvm sync "svc-$t" --dry-run
		assert_success
		assert_output_contains "--network=lima:user-v2"
	done
	grep -q 'lima-dvm-svc-llama.internal' "$XDG_CONFIG_HOME/dvm/vms/svc-llama/config.sh"
	grep -q 'CLOUDFLARED_TOKEN=... dvm sync svc-cloudflared' "$XDG_CONFIG_HOME/dvm/vms/svc-cloudflared/config.sh"
}

@test "logs <vm> infers the unit of the one service recipe" {
	user_recipe llama 'x' 'true'
	user_recipe tailscale 'x' 'true'
	write_vm_config app 'use llama'
	make_instance dvm-app Running
	run_dvm logs app
	assert_success
	[ "$(lima_call 1)" = "limactl shell --start --workdir=/ dvm-app sudo journalctl -u dvm-llama.service --no-pager -n 100" ]
	run_dvm logs app -n 5
	[ "$(lima_call 2)" = "limactl shell --start --workdir=/ dvm-app sudo journalctl -u dvm-llama.service -n 5" ]
	write_vm_config app 'use llama tailscale'
	run_dvm logs app
	assert_failure 2
	assert_output_contains "(the VM uses more than one service recipe)"
}

@test "a user recipe's # Secrets: and # Unit: work end to end: staged on stdin only, and dvm logs shows its unit" {
	# The recipe checks the staged file against a seed, which is no secret.
	printf '%s\n' '#!/usr/bin/env bash' '# Description: my service' \
		'# Secrets: MY_TOKEN MY_OTHER_TOKEN' '# Unit: my.service' '' \
		'[ -z "${MY_TOKEN+x}" ] && echo env-clean' \
		'[ "$(cat "$DVM_SECRET_FILE_MY_TOKEN")" = "mine-$SEED" ] && echo token-ok' \
		'[ -z "${DVM_SECRET_FILE_MY_OTHER_TOKEN+x}" ] && echo unset-not-staged' >"$R/mysvc.sh"
	write_vm_config app 'use mysvc'
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/bash\nenv >>"%s"\nexec bash "$@"\n' "$BATS_TEST_TMPDIR/shim.env" >"$BATS_TEST_TMPDIR/bin/env-bash"
	chmod +x "$BATS_TEST_TMPDIR/bin/env-bash"
	export SEED=$RANDOM
	tok=mine-$SEED
	DVM_BASH=$BATS_TEST_TMPDIR/bin/env-bash MY_TOKEN=$tok MY_OTHER_TOKEN='' run_dvm sync app
	assert_success
	grep -qx env-clean "$STATE/setup.log"
	grep -qx token-ok "$STATE/setup.log"
	grep -qx unset-not-staged "$STATE/setup.log"
	# The value is on the script's stdin and nowhere else: no argv, no
	# recorded environment, no log, not even the config bash's.
	lima_stdin 2 | grep -qF "$tok"
	env_files_lack "$tok"
	! grep -qaF -- "$tok" "$FAKE_LIMA_LOG_DIR"/*.argv || fail "the token is in an argv"
	! grep -rqaF -- "$tok" "$XDG_STATE_HOME" || fail "the token is in a log"
	! grep -qaF -- "$tok" "$BATS_TEST_TMPDIR/shim.env" || fail "the config bash got MY_TOKEN"
	refute_output_contains "$tok"
	run_dvm logs app
	assert_success
	[ "$(lima_call 3)" = "limactl shell --start --workdir=/ dvm-app sudo journalctl -u my.service --no-pager -n 100" ]
	# With a bundled service recipe too, the unit must be named.
	user_recipe llama 'x' 'true'
	write_vm_config app 'use mysvc llama'
	run_dvm logs app
	assert_failure 2
	assert_output_contains "(the VM uses more than one service recipe)"
}

@test "an override of a bundled service recipe without the headers keeps the bundled secrets and unit; its own headers win" {
	user_recipe cloudflared 'mine' '[ -n "${DVM_SECRET_FILE_CLOUDFLARED_TOKEN:-}" ] && echo staged || echo not-staged'
	write_vm_config app 'use cloudflared'
	tok=cf-$RANDOM
	CLOUDFLARED_TOKEN=$tok run_dvm sync app
	assert_success
	grep -qx staged "$STATE/setup.log"
	lima_stdin 2 | grep -qF "$tok"
	run_dvm logs app -n 5
	assert_success
	[ "$(lima_call 3)" = "limactl shell --start --workdir=/ dvm-app sudo journalctl -u dvm-cloudflared.service -n 5" ]
	# Its own lines, even empty ones, replace the bundled recipe's.
	printf '%s\n' '# Description: mine' '# Secrets:' '# Unit: my-tunnel.service' \
		'[ -n "${DVM_SECRET_FILE_CLOUDFLARED_TOKEN:-}" ] && echo staged || echo not-staged' >"$R/cloudflared.sh"
	CLOUDFLARED_TOKEN=$tok run_dvm sync app
	assert_success
	grep -qx not-staged "$STATE/setup.log"
	! lima_stdin 5 | grep -qF "$tok" || fail "a recipe that says # Secrets: with no name got the token"
	run_dvm logs app
	assert_success
	[ "$(lima_call 6)" = "limactl shell --start --workdir=/ dvm-app sudo journalctl -u my-tunnel.service --no-pager -n 100" ]
}

@test "bad # Secrets: and # Unit: lines are refused, naming the recipe file, before any call" {
	write_vm_config app 'use mysvc'
	for bad in 'lower' 'PATH' 'DVM_LIMACTL' 'A-B'; do
		printf '# Description: x\n# Secrets: OK_ONE %s\ntrue\n' "$bad" >"$R/mysvc.sh"
		MY_VALUE=x run_dvm sync app
		assert_failure 1
		assert_output_contains "dvm: error: recipe mysvc (~/.config/dvm/recipes/mysvc.sh): # Secrets: '$bad' "
	done
	assert_output_contains "'A-B' is not the name of an environment variable"
	printf '# Description: x\n# Secrets: PATH\ntrue\n' >"$R/mysvc.sh"
	run_dvm sync app
	assert_output_contains "# Secrets: 'PATH' is needed in the environment of dvm and limactl, so it cannot be a secret"
	[ "$(lima_call_count)" -eq 0 ]
	# Nor was PATH taken out of dvm's environment for it.
	make_instance dvm-app Running
	run_dvm ls
	assert_success
	assert_lima_call_count 1
	tr '\0' '\n' <"$FAKE_LIMA_LOG_DIR"/0001.env | grep -qx "PATH=$PATH"
	for bad in '-x.service' '.hidden' 'a/b.service' 'a;b'; do
		printf '# Description: x\n# Unit: %s\ntrue\n' "$bad" >"$R/mysvc.sh"
		run_dvm logs app
		assert_failure 1
		assert_output "dvm: error: recipe mysvc (~/.config/dvm/recipes/mysvc.sh): # Unit: '$bad' is not a systemd unit name"
	done
	printf '# Description: x\n# Unit: a.service b.service\ntrue\n' >"$R/mysvc.sh"
	run_dvm logs app
	assert_failure 1
	assert_output "dvm: error: recipe mysvc (~/.config/dvm/recipes/mysvc.sh): # Unit: 'b.service' is a second unit; a recipe has at most one"
	[ "$(lima_call_count)" -eq 1 ]
}
