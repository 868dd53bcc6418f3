/*
 * dvm sync <vm> | --all: create or start each VM and run its guest steps
 * (bootstrap of DVM_USER and the code dir, then setup.sh) as one script.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "paths.h"
#include "runner.h"
#include "strvec.h"
#include "target.h"
#include "ui.h"
#include "util.h"
#include "vmsync.h"

static int
sync_one(const struct vm_config *c)
{
	struct plan p;
	int ret = EXIT_FAIL;

	plan_init(&p, c->name);
	if (vmsync_plan(&p, c, paths_instance_exists(c->name)) == 0)
		ret = vmsync_execute(&p, c);
	plan_release(&p);
	return ret;
}

int
cmd_sync(int argc, char **argv)
{
	int all = 0, dry_run = 0, ret = EXIT_OK;
	const struct flag flags[] = {
		{ "--all", "-a", &all, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT, names = STRVEC_INIT;
	struct vm_config *vms = NULL;
	size_t i, failed = 0;

	parse_args(argc, argv, flags, 0, &ops);
	opt.dry_run |= dry_run;
	if (all && ops.nr)
		usage_error(argv[0], "give a VM name or --all, not both");
	if (!all && ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name (or --all)");
	if (all) {
		if (config_list_vms(&names) == 0) {
			char *shown = display_path(paths_config_dir());

			error("no VMs configured in %s/vms (run: dvm new "
			    "<vm>)", shown);
			free(shown);
			ret = EXIT_FAIL;
			goto out;
		}
		for (i = 0; i < names.nr; i++)
			check_vm_operand(argv[0], names.v[i]);
	} else {
		check_vm_operand(argv[0], ops.v[0]);
		strvec_push(&names, ops.v[0]);
	}
	/* One bash reads every VM's config before anything starts. */
	if (config_load(names.v, names.nr, CONFIG_PROJECTS, &vms) < 0) {
		ret = EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < names.nr; i++) {
		if (all && !opt.dry_run)
			ui_heading("sync %s", vms[i].name);
		if (sync_one(&vms[i]) != EXIT_OK)
			failed++;
	}
	if (all && failed)
		error("%zu of %zu VMs failed to sync", failed, names.nr);
	ret = failed ? EXIT_FAIL : EXIT_OK;
out:
	config_free(vms, names.nr);
	strvec_clear(&ops);
	strvec_clear(&names);
	return ret;
}
