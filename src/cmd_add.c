/*
 * dvm add <vm>/<project>: scaffold the project's project.sh and
 * setup.sh. Never overwrites anything.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "paths.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "util.h"

static void
project_scaffold(struct strbuf *sb, const char *vm, const char *proj)
{
	strbuf_addf(sb,
	    "# shellcheck shell=bash disable=SC2034\n"
	    "# Project \"%s\" in VM \"%s\": a rootless podman container named\n"
	    "# %s. Read after the VM's config.sh. Image, ports and NESTED are\n"
	    "# fixed when the container is created: `dvm reset %s/%s --yes`\n"
	    "# applies a change (add --keep-data to keep the workspace).\n"
	    "\n"
	    "# The image. Default: the dev-base when base/dev/Containerfile "
	    "exists,\n"
	    "# else Fedora.\n"
	    "# IMAGE=node:22\n"
	    "\n"
	    "# 1 lets the project run its own containers (podman compose for a\n"
	    "# database): adds /dev/fuse and turns SELinux labels off for the\n"
	    "# container, so leave it unset unless you need it.\n"
	    "# NESTED=1\n"
	    "\n"
	    "# Where the workspace volume dvm-%s-%s is mounted; it survives\n"
	    "# `dvm reset` unless you wipe it.\n"
	    "# PROJ_WORKDIR=/work\n"
	    "\n"
	    "# Ports published on the VM's 127.0.0.1; Lima forwards them to "
	    "the\n"
	    "# host's localhost.\n"
	    "# PROJ_PORTS=(3000:3000)\n", proj, vm, proj, vm, proj, vm, proj);
}

static void
setup_scaffold(struct strbuf *sb, const char *vm, const char *proj)
{
	strbuf_addf(sb,
	    "#!/usr/bin/env bash\n"
	    "# Runs inside the container of %s/%s on every `dvm sync`, in its\n"
	    "# workdir, with set -Eeuo pipefail. Make every line safe to run\n"
	    "# twice. Exported: DVM_VM, DVM_PROJECT, PROJ_WORKDIR.\n"
	    "set -Eeuo pipefail\n"
	    "\n"
	    "# [ -d .git ] || git clone https://example.org/you/%s.git .\n"
	    "# npm ci\n", vm, proj, proj);
}

int
cmd_add(int argc, char **argv)
{
	int dry_run = 0, made_dir = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *vm = NULL, *proj = NULL, *cfg = NULL, *projects = NULL;
	char *dir = NULL, *pfile = NULL, *sfile = NULL, *shown = NULL;

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing <vm>/<project>");
	parse_target_operand(argv[0], ops.v[0], &vm, &proj);
	if (proj == NULL)
		usage_error(argv[0], "expected <vm>/<project>, got '%s'",
		    ops.v[0]);
	dry_run |= opt.dry_run;
	cfg = paths_vm_config(vm);
	projects = paths_projects_dir(vm);
	dir = paths_project_dir(vm, proj);
	pfile = xasprintf("%s/project.sh", dir);
	sfile = xasprintf("%s/setup.sh", dir);
	if (!path_exists(cfg)) {
		error("no VM '%s' (run: dvm new %s)", vm, vm);
		goto out;
	}
	if (config_check_safe(paths_config_dir(), "config directory", 0) < 0)
		goto out;
	if (path_exists(dir)) {
		shown = display_path(dir);
		error("project directory %s already exists; dvm never "
		    "overwrites it", shown);
		goto out;
	}
	if (dry_run) {
		printf("would write %s\nwould write %s\n", pfile, sfile);
		ret = EXIT_OK;
		goto out;
	}
	if (mkdir_p(projects, 0700) < 0 || mkdir(dir, 0700) < 0) {
		error_errno("cannot create %s", dir);
		goto out;
	}
	made_dir = 1;
	project_scaffold(&sb, vm, proj);
	if (write_scaffold(pfile, sb.buf, sb.len) < 0)
		goto out;
	strbuf_reset(&sb);
	setup_scaffold(&sb, vm, proj);
	if (write_scaffold(sfile, sb.buf, sb.len) < 0)
		goto out;
	shown = display_path(dir);
	printf("wrote %s/{project.sh,setup.sh}\n", shown);
	ret = EXIT_OK;
out:
	if (ret != EXIT_OK && made_dir) {
		const char *mine[] = { pfile, sfile, NULL };

		unwrite_scaffold(dir, mine);
	}
	strvec_clear(&ops);
	strbuf_release(&sb);
	free(vm);
	free(proj);
	free(cfg);
	free(projects);
	free(dir);
	free(pfile);
	free(sfile);
	free(shown);
	return ret;
}
