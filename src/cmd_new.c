/*
 * dvm new <vm> [--template app]: scaffold a VM's config.sh and setup.sh,
 * and the global config.sh the first time. Never overwrites anything.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "config.h"
#include "devuser.h"
#include "dvm.h"
#include "paths.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "util.h"
#include "validate.h"

static void
global_scaffold(struct strbuf *sb)
{
	strbuf_addf(sb,
	    "# shellcheck shell=bash disable=SC2034\n"
	    "# dvm global config. dvm sources it (with bash) before the\n"
	    "# config.sh of each VM, which may override any value set here.\n"
	    "# Paths in dvm config always mean paths inside the VM.\n"
	    "\n"
	    "# The user that owns the code and runs dvm sh, dvm ssh and the\n"
	    "# project containers in every VM. It must not be Lima's login "
	    "user\n"
	    "# (Lima names that one after you and gives it passwordless "
	    "root),\n"
	    "# and dvm gives it no sudo.\n"
	    "DVM_USER=%s\n"
	    "\n"
	    "# DVM_USER_SUDO=1 accepts a dev user with root: DVM_USER may "
	    "then be\n"
	    "# Lima's login user (as DVM 3.0 set it up) or hold sudo or the "
	    "docker\n"
	    "# group (use docker needs it). What it gives up: anything that "
	    "runs as\n"
	    "# DVM_USER, an npm postinstall hook included, can then change "
	    "the whole\n"
	    "# VM, and DVM_EGRESS cannot be used.\n"
	    "# DVM_USER_SUDO=1\n"
	    "\n"
	    "# vCPUs for new VMs. They are shared host threads: idle ones "
	    "cost\n"
	    "# nothing. Default: host cores minus 1 (minus 2 above 4 "
	    "cores), at\n"
	    "# least 2.\n"
	    "# DVM_CPUS=4\n"
	    "\n"
	    "# Memory in GiB, reserved while the VM runs.\n"
	    "# DVM_MEMORY=2\n"
	    "\n"
	    "# Disk in GiB; the image grows as the VM writes.\n"
	    "# DVM_DISK=30\n"
	    "\n"
	    "# Lima VM type: vz (default on Apple Silicon) or qemu.\n"
	    "# DVM_VM_TYPE=vz\n", devuser_suggest());
}

static void
vm_scaffold(struct strbuf *sb, const char *vm, const char *setup)
{
	strbuf_addf(sb,
	    "# shellcheck shell=bash disable=SC2034\n"
	    "# dvm config of VM \"%s\" (Lima instance dvm-%s), read after the\n"
	    "# global config.sh. CPUs, memory, disk and ports take effect "
	    "when\n"
	    "# the VM is created; to change them later: dvm reset %s --yes\n"
	    "\n"
	    "# DVM_CPUS=4\n"
	    "# DVM_MEMORY=4\n"
	    "# DVM_DISK=30\n"
	    "\n"
	    "# Extra host:guest forwards. Lima already forwards ports the VM\n"
	    "# listens on to the same port on the host's localhost.\n"
	    "# DVM_PORTS=(3000:3000 8080:80)\n"
	    "\n"
	    "# What to install in the VM goes into %s,\n"
	    "# which runs on every `dvm sync %s`.\n", vm, vm, vm, setup, vm);
}

/* The service VM templates: one service recipe on the user-v2 network. */
static const struct {
	const char *name, *text;
} templates[] = {
	{ "llama",
	  "# A local model server (llama.cpp) as dvm-llama.service. Other VMs\n"
	  "# on the user-v2 network reach it as lima-dvm-@VM@.internal.\n"
	  "DVM_NETWORK=user-v2\n"
	  "DVM_MEMORY=8\n"
	  "DVM_DISK=60\n"
	  "use llama\n"
	  "# Which model to fetch and serve: see `dvm recipes` and the\n"
	  "# DVM_LLAMA_* settings at the top of the llama recipe.\n" },
	{ "cloudflared",
	  "# A Cloudflare tunnel as dvm-cloudflared.service. The token comes\n"
	  "# from the host at sync time and reaches the VM only as a file:\n"
	  "#   CLOUDFLARED_TOKEN=... dvm sync @VM@\n"
	  "DVM_NETWORK=user-v2\n"
	  "use cloudflared\n" },
	{ "tailscale",
	  "# Tailscale (tailscaled.service): private names for your VMs. The\n"
	  "# auth key comes from the host at sync time, only as a file:\n"
	  "#   TAILSCALE_AUTH_KEY=tskey-... dvm sync @VM@\n"
	  "DVM_NETWORK=user-v2\n"
	  "DVM_NO_BASELINE=1\n"
	  "use tailscale\n"
	  "# DVM_TAILSCALE_HOSTNAME=my-vm\n" },
};

static const char *
template_text(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(templates); i++) {
		if (strcmp(templates[i].name, name) == 0)
			return templates[i].text;
	}
	return NULL;
}

static void
setup_scaffold(struct strbuf *sb, const char *vm)
{
	strbuf_addf(sb,
	    "#!/usr/bin/env bash\n"
	    "# Runs inside VM \"%s\" on every `dvm sync %s`: as Lima's login "
	    "user,\n"
	    "# which has passwordless sudo, with set -Eeuo pipefail. Make "
	    "every\n"
	    "# line safe to run twice. Exported: DVM_VM, DVM_USER, "
	    "DVM_CODE_DIR.\n"
	    "set -Eeuo pipefail\n"
	    "\n"
	    "# sudo dnf5 install -y git ripgrep tmux\n"
	    "# sudo -u \"$DVM_USER\" -H git -C \"$DVM_CODE_DIR\" clone "
	    "https://example.org/you/app.git\n", vm, vm);
}

int
cmd_new(int argc, char **argv)
{
	const char *template = "app";
	int dry_run = 0, made_dir = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--template", "-t", NULL, &template },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *vms = NULL, *dir = NULL, *cfg = NULL, *setup = NULL;
	char *global = NULL, *shown = NULL;
	int need_global;
	const char *vm;

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	vm = ops.v[0];
	check_vm_operand(argv[0], vm);
	if (strcmp(template, "app") != 0 && template_text(template) == NULL)
		usage_error(argv[0], "unknown template '%s' (available: app, "
		    "llama, cloudflared, tailscale)", template);
	dry_run |= opt.dry_run;

	vms = paths_vms_dir();
	dir = paths_vm_dir(vm);
	cfg = paths_vm_config(vm);
	setup = paths_vm_setup(vm);
	global = paths_global_config();
	if (config_check_safe(paths_config_dir(), "config directory", 1) < 0)
		goto out;
	if (path_exists(dir)) {
		shown = display_path(dir);
		error("VM directory %s already exists; dvm never overwrites "
		    "it", shown);
		goto out;
	}
	need_global = !path_exists(global);
	if (dry_run) {
		if (need_global)
			printf("would write %s\n", global);
		printf("would write %s\nwould write %s\n", cfg, setup);
		ret = EXIT_OK;
		goto out;
	}
	if (mkdir_p(vms, 0700) < 0) {
		error_errno("cannot create %s", vms);
		goto out;
	}
	if (mkdir(dir, 0700) < 0) {
		error_errno("cannot create %s", dir);
		goto out;
	}
	made_dir = 1;
	if (need_global) {
		global_scaffold(&sb);
		if (write_scaffold(global, sb.buf, sb.len) < 0)
			goto out;
		shown = display_path(global);
		printf("wrote %s (global)\n", shown);
		free(shown);
		shown = NULL;
	}
	strbuf_reset(&sb);
	shown = display_path(setup);
	vm_scaffold(&sb, vm, shown);
	if (template_text(template)) {
		const char *t;

		/* The template names the VM where it says @VM@. */
		strbuf_addch(&sb, '\n');
		for (t = template_text(template); *t; t++) {
			if (has_prefix(t, "@VM@")) {
				strbuf_addstr(&sb, vm);
				t += 3;
			} else {
				strbuf_addch(&sb, *t);
			}
		}
	}
	if (write_scaffold(cfg, sb.buf, sb.len) < 0)
		goto out;
	strbuf_reset(&sb);
	setup_scaffold(&sb, vm);
	if (write_scaffold(setup, sb.buf, sb.len) < 0)
		goto out;
	free(shown);
	shown = display_path(dir);
	printf("wrote %s/{config.sh,setup.sh}\n", shown);
	ret = EXIT_OK;
out:
	if (ret != EXIT_OK && made_dir) {
		const char *mine[] = { cfg, setup, NULL };

		/* A VM dir without both files would block the next dvm new. */
		unwrite_scaffold(dir, mine);
	}
	strvec_clear(&ops);
	strbuf_release(&sb);
	free(vms);
	free(dir);
	free(cfg);
	free(setup);
	free(global);
	free(shown);
	return ret;
}
