/*
 * dvm rm <vm> --yes [--config]: delete the VM's Lima instance, and with
 * --config its config directory too. Works for an instance whose config
 * is gone.
 * dvm rm <vm>/<project> --yes [--keep-data] [--config]: remove one
 * container and its workspace volume (unless --keep-data), and with
 * --config the project's config.
 */
#include "compat.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "args.h"
#include "config.h"
#include "devuser.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "runner.h"
#include "strvec.h"
#include "target.h"
#include "unsaved.h"
#include "util.h"
#include "vmsync.h"

/*
 * Refuse to delete a VM whose code dir holds work that exists nowhere
 * else. 0 when clean, -1 (reported) otherwise. A host function of the
 * plan: a dry run does not look.
 */
static int
check_unsaved(void *arg)
{
	const char *vm = arg;
	struct vm_config *c = NULL;
	char *name = (char *)vm;
	char *cfg = paths_vm_config(vm);
	int ret;

	if (!path_exists(cfg)) {
		char *shown = display_path(cfg);

		warning("no config for VM '%s' (%s), so its code dir cannot be "
		    "checked for unsaved work", vm, shown);
		free(shown);
		free(cfg);
		return 0;
	}
	free(cfg);
	if (config_load(&name, 1, 0, &c) < 0)
		return -1;
	ret = unsaved_check(c, "delete");
	config_free(c, 1);
	return ret;
}

struct project_target {
	const struct vm_config	*c;
	const struct project	*proj;
};

static int
check_unsaved_project(void *arg)
{
	struct project_target *t = arg;

	return unsaved_check_project(t->c, t->proj, "delete");
}

/* What happens to the config dir, the plan's last step. */
struct config_dir {
	const char	*dir;
	int		 remove;
};

/* Remove the config dir when asked; otherwise say that it stays. */
static int
handle_config(void *arg)
{
	struct config_dir *cd = arg;
	char *shown = display_path(cd->dir);
	int ret = 0;

	if (cd->remove && path_exists(cd->dir)) {
		if (remove_tree(cd->dir) < 0)
			ret = error_errno("cannot remove %s", shown);
		else
			printf("removed config %s\n", shown);
	} else if (!cd->remove && path_exists(cd->dir)) {
		warning("config remains at %s (use --config to remove it)",
		    shown);
	}
	free(shown);
	return ret;
}

/* The plan's config step, with what a dry run says about it. */
static void
add_config_step(struct plan *p, struct config_dir *cd)
{
	char *dry = NULL;

	if (cd->remove && path_exists(cd->dir))
		dry = xasprintf("# would remove %s", cd->dir);
	plan_add_call(p, handle_config, cd, NULL, dry);
	free(dry);
}

static int
say_no_instance(void *vm)
{
	printf("no Lima instance: dvm-%s\n", (const char *)vm);
	return 0;
}

static int
rm_project(const char *vm, const char *pname, int keep_data, int config,
    int force, int dry_run)
{
	struct vm_config *c = NULL;
	const struct project *proj;
	struct project_target t;
	struct plan p = PLAN_INIT;
	struct config_dir cd;
	char *dir = paths_project_dir(vm, pname), *done = NULL;
	int ret = EXIT_FAIL;

	if (load_target(vm, pname, &c, &proj) < 0)
		goto out;
	t.c = c;
	t.proj = proj;
	cd.dir = dir;
	cd.remove = config;
	plan_init(&p, vm, dry_run);
	if (paths_instance_exists(vm)) {
		/* The removal runs the bootstrap, so its checks apply. */
		if (devuser_check(c, DEVUSER_BOOTSTRAP) < 0)
			goto out;
		/* Without --keep-data the volume goes: look in it first. */
		if (!keep_data && !force)
			plan_add_call(&p, check_unsaved_project, &t, NULL,
			    NULL);
		if (vmsync_project_plan(&p, c, proj, keep_data ?
		    PROJECT_REMOVE_KEEP : PROJECT_REMOVE) < 0)
			goto out;
		done = xasprintf("%s/%s removed", vm, pname);
		plan_add_ok(&p, done);
	} else {
		printf("no Lima instance: dvm-%s\n", vm);
	}
	add_config_step(&p, &cd);
	ret = plan_execute(&p, 0) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	plan_release(&p);
	config_free(c, 1);
	free(dir);
	free(done);
	return ret;
}

int
cmd_rm(int argc, char **argv)
{
	int yes = 0, config = 0, keep_data = 0, dry_run = opt.dry_run;
	int force = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--yes", "-y", &yes, NULL },
		{ "--force", "-f", &force, NULL },
		{ "--config", NULL, &config, NULL },
		{ "--keep-data", NULL, &keep_data, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT, av = STRVEC_INIT;
	struct plan p = PLAN_INIT;
	struct config_dir cd;
	char *dir = NULL, *text = NULL;
	char *vm = NULL, *pname = NULL;

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	parse_target_operand(argv[0], ops.v[0], &vm, &pname);
	if (!yes)
		usage_error(argv[0], "dvm rm deletes %s; confirm with --yes",
		    pname ? "the container and its data" :
		    "the VM and everything in it");
	if (pname) {
		ret = rm_project(vm, pname, keep_data, config, force, dry_run);
		goto out;
	}
	if (keep_data)
		usage_error(argv[0], "--keep-data is for <vm>/<project>");

	dir = paths_vm_dir(vm);
	cd.dir = dir;
	cd.remove = config;
	plan_init(&p, vm, dry_run);
	if (paths_instance_exists(vm)) {
		if (!force)
			plan_add_call(&p, check_unsaved, vm, NULL, NULL);
		text = xasprintf("removing instance dvm-%s", vm);
		lima_delete_argv(&av, opt.limactl, opt.log_level, vm);
		plan_add_host(&p, text, LOG_LIMA, &av);
		free(text);
		text = xasprintf("%s removed", vm);
		plan_add_ok(&p, text);
	} else {
		text = xasprintf("# no Lima instance dvm-%s", vm);
		plan_add_call(&p, say_no_instance, vm, NULL, text);
	}
	add_config_step(&p, &cd);
	ret = plan_execute(&p, 0) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	plan_release(&p);
	strvec_clear(&ops);
	free(dir);
	free(text);
	free(vm);
	free(pname);
	return ret;
}
