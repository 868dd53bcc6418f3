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
#include "ui.h"
#include "util.h"
#include "vmsync.h"

/*
 * Refuse to delete a VM whose code dir holds work that exists nowhere
 * else. 0 when clean, -1 (reported) otherwise.
 */
static int
check_unsaved(const char *vm)
{
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

/* Remove the config dir when asked; otherwise say that it stays. */
static int
handle_config(const char *dir, int remove)
{
	char *shown = display_path(dir);
	int ret = 0;

	if (remove && path_exists(dir)) {
		if (remove_tree(dir) < 0)
			ret = error_errno("cannot remove %s", shown);
		else
			printf("removed config %s\n", shown);
	} else if (!remove && path_exists(dir)) {
		warning("config remains at %s (use --config to remove it)",
		    shown);
	}
	free(shown);
	return ret;
}

static int
rm_project(const char *vm, const char *pname, int keep_data, int config,
    int force)
{
	struct vm_config *c = NULL;
	const struct project *proj;
	struct plan p = PLAN_INIT;
	char *dir = paths_project_dir(vm, pname), *done = NULL;
	int ret = EXIT_FAIL;

	if (load_target(vm, pname, &c, &proj) < 0)
		goto out;
	plan_init(&p, vm);
	if (paths_instance_exists(vm)) {
		/* The removal runs the bootstrap, so its checks apply. */
		if (devuser_check(c, DEVUSER_BOOTSTRAP) < 0)
			goto out;
		/* Without --keep-data the volume goes: look in it first. */
		if (!keep_data && !force && !opt.dry_run &&
		    unsaved_check_project(c, proj, "delete") < 0)
			goto out;
		done = xasprintf("%s/%s removed", vm, pname);
		if (vmsync_project_plan(&p, c, proj, keep_data ?
		    PROJECT_REMOVE_KEEP : PROJECT_REMOVE) < 0 ||
		    vmsync_execute(&p, done, 0) != EXIT_OK)
			goto out;
	} else {
		printf("no Lima instance: dvm-%s\n", vm);
	}
	if (opt.dry_run) {
		if (config && path_exists(dir))
			printf("# would remove %s\n", dir);
		ret = EXIT_OK;
		goto out;
	}
	ret = handle_config(dir, config) < 0 ? EXIT_FAIL : EXIT_OK;
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
	int yes = 0, config = 0, keep_data = 0, dry_run = 0, force = 0;
	int ret = EXIT_FAIL;
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
	char *dir = NULL, *shown = NULL, *label = NULL;
	char *vm = NULL, *pname = NULL;
	int exists;

	parse_args(argc, argv, flags, 0, &ops);
	opt.dry_run |= dry_run;
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	parse_target_operand(argv[0], ops.v[0], &vm, &pname);
	if (!yes)
		usage_error(argv[0], "dvm rm deletes %s; confirm with --yes",
		    pname ? "the container and its data" :
		    "the VM and everything in it");
	if (pname) {
		ret = rm_project(vm, pname, keep_data, config, force);
		goto out;
	}
	if (keep_data)
		usage_error(argv[0], "--keep-data is for <vm>/<project>");

	dir = paths_vm_dir(vm);
	shown = display_path(dir);
	exists = paths_instance_exists(vm);

	plan_init(&p, vm);
	if (exists) {
		label = xasprintf("removing instance dvm-%s", vm);
		lima_delete_argv(&av, opt.limactl, opt.log_level, vm);
		plan_add_host(&p, label, LOG_LIMA, &av);
	}
	if (opt.dry_run) {
		if (exists)
			plan_print(&p);
		else
			printf("# no Lima instance dvm-%s\n", vm);
		if (config && path_exists(dir))
			printf("# would remove %s\n", dir);
		ret = EXIT_OK;
		goto out;
	}
	if (exists) {
		if (!force && check_unsaved(vm) < 0)
			goto out;
		if (plan_execute(&p, 0) != 0)
			goto out;
		ui_ok("%s removed", vm);
	} else {
		printf("no Lima instance: dvm-%s\n", vm);
	}
	ret = handle_config(dir, config) < 0 ? EXIT_FAIL : EXIT_OK;
out:
	plan_release(&p);
	strvec_clear(&ops);
	free(dir);
	free(shown);
	free(label);
	free(vm);
	free(pname);
	return ret;
}
