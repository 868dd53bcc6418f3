/*
 * dvm sync <vm> | --all: create or start each VM and run its guest steps
 * (bootstrap of DVM_USER and the code dir, then setup.sh) as one script.
 */
#include "compat.h"

#include <stdlib.h>

#include "args.h"
#include "config.h"
#include "devuser.h"
#include "dvm.h"
#include "parallel.h"
#include "paths.h"
#include "runner.h"
#include "strvec.h"
#include "target.h"
#include "ui.h"
#include "util.h"
#include "validate.h"
#include "vmsync.h"

static int
sync_one(const struct vm_config *c, int dry_run)
{
	struct plan p;
	char *done = xasprintf("%s ready", c->name);
	int ret = EXIT_FAIL;

	plan_init(&p, c->name, dry_run);
	if (vmsync_plan(&p, c, paths_instance_exists(c->name)) == 0) {
		plan_add_ok(&p, done);
		ret = plan_execute(&p, 1) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	plan_release(&p);
	free(done);
	return ret;
}

/* One VM of sync --all, in a worker (parallel.c): never a dry run. */
static int
sync_for_real(const struct vm_config *c)
{
	return sync_one(c, 0);
}

/* sync <vm>/<project>: the VM must exist; its own setup does not rerun. */
static int
sync_project(const char *vm, const char *proj, int dry_run)
{
	struct vm_config *c = NULL;
	const struct project *p;
	struct plan plan = PLAN_INIT;
	char *done = NULL;
	int ret = EXIT_FAIL;

	if (load_target(vm, proj, &c, &p) < 0)
		return EXIT_FAIL;
	if (devuser_check(c, DEVUSER_BOOTSTRAP) < 0)
		goto out;
	if (!paths_instance_exists(vm)) {
		error("VM '%s' has no Lima instance dvm-%s yet (run: dvm sync "
		    "%s)", vm, vm, vm);
		goto out;
	}
	plan_init(&plan, vm, dry_run);
	done = xasprintf("%s/%s ready", vm, proj);
	if (vmsync_project_plan(&plan, c, p, PROJECT_SYNC) == 0) {
		plan_add_ok(&plan, done);
		ret = plan_execute(&plan, 0) == 0 ? EXIT_OK : EXIT_FAIL;
	}
out:
	plan_release(&plan);
	config_free(c, 1);
	free(done);
	return ret;
}

int
cmd_sync(int argc, char **argv)
{
	int all = 0, dry_run = opt.dry_run, ret = EXIT_OK;
	const char *jobs_arg = NULL;
	unsigned long jobs = 4;
	const struct flag flags[] = {
		{ "--all", "-a", &all, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ "--jobs", "-j", NULL, &jobs_arg },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT, names = STRVEC_INIT;
	struct vm_config *vms = NULL;
	size_t i, failed = 0;

	parse_args(argc, argv, flags, 0, &ops);
	if (all && ops.nr)
		usage_error(argv[0], "give a VM name or --all, not both");
	if (jobs_arg && (!all || !valid_uint(jobs_arg, 64, &jobs)))
		usage_error(argv[0], all ? "--jobs takes a number from 1 to 64, "
		    "not '%s'" : "--jobs is for --all", jobs_arg);
	if (!all && ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name (<vm>, <vm>/<project> or --all)");
	config_warn_legacy();
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
		char *vm, *proj;

		parse_target_operand(argv[0], ops.v[0], &vm, &proj);
		if (proj) {
			ret = sync_project(vm, proj, dry_run);
			free(vm);
			free(proj);
			goto out;
		}
		strvec_push_nodup(&names, vm);
	}
	/* One bash reads every VM's config before anything starts. */
	if (config_load(names.v, names.nr, CONFIG_PROJECTS, &vms) < 0) {
		ret = EXIT_FAIL;
		goto out;
	}
	/* Like a bad value: one refused VM stops them all, before any call. */
	for (i = 0; i < names.nr; i++) {
		if (devuser_check(&vms[i], DEVUSER_RECIPES) < 0) {
			ret = EXIT_FAIL;
			goto out;
		}
	}
	/* A dry run only prints: one VM after the other, in order. */
	if (all && !dry_run && jobs > 1 && names.nr > 1) {
		failed = parallel_run(vms, names.nr, jobs, sync_for_real);
	} else {
		for (i = 0; i < names.nr; i++) {
			if (all && !dry_run)
				ui_heading("sync %s", vms[i].name);
			if (sync_one(&vms[i], dry_run) != EXIT_OK)
				failed++;
		}
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
