/*
 * dvm rm <vm> --yes [--config]: delete the VM's Lima instance, and with
 * --config its config directory too. Works for an instance whose config
 * is gone.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "runner.h"
#include "strvec.h"
#include "target.h"
#include "ui.h"
#include "util.h"

int
cmd_rm(int argc, char **argv)
{
	int yes = 0, config = 0, dry_run = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--yes", "-y", &yes, NULL },
		{ "--config", NULL, &config, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT, av = STRVEC_INIT;
	struct plan p = PLAN_INIT;
	char *dir = NULL, *shown = NULL, *label = NULL;
	const char *vm;
	int exists;

	parse_args(argc, argv, flags, 0, &ops);
	opt.dry_run |= dry_run;
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	vm = ops.v[0];
	check_vm_operand(argv[0], vm);
	if (!yes)
		usage_error(argv[0], "dvm rm deletes the VM and everything in "
		    "it; confirm with --yes");
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
		if (plan_execute(&p, 0) != 0)
			goto out;
		ui_ok("%s removed", vm);
	} else {
		printf("no Lima instance: dvm-%s\n", vm);
	}
	if (config && path_exists(dir)) {
		if (remove_tree(dir) < 0) {
			error_errno("cannot remove %s", shown);
			goto out;
		}
		printf("removed config %s\n", shown);
	} else if (!config && path_exists(dir)) {
		warning("config remains at %s (use --config to remove it)",
		    shown);
	}
	ret = EXIT_OK;
out:
	plan_release(&p);
	strvec_clear(&ops);
	free(dir);
	free(shown);
	free(label);
	return ret;
}
