/*
 * dvm reset <vm> --yes [--force]: throw the VM away and build it again
 * from its config, in one locked plan: delete, create, guest script.
 * Like rm, it first refuses while the code dir holds unsaved work.
 * dvm reset <vm>/<project> --yes [--keep-data]: recreate one container
 * (and its workspace volume unless --keep-data); siblings and the VM are
 * untouched.
 */
#include "compat.h"

#include <stdlib.h>

#include "args.h"
#include "config.h"
#include "devuser.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "runner.h"
#include "session.h"
#include "strvec.h"
#include "target.h"
#include "unsaved.h"
#include "util.h"
#include "vmsync.h"

/* The unsaved-work checks, as host functions of the plan. */
static int
unsaved_in_vm(void *c)
{
	return unsaved_check(c, "reset");
}

struct project_target {
	const struct vm_config	*c;
	const struct project	*proj;
};

static int
unsaved_in_project(void *arg)
{
	struct project_target *t = arg;

	return unsaved_check_project(t->c, t->proj, "reset");
}

static int
reset_vm(struct plan *p, struct vm_config *c, int force)
{
	struct strvec av = STRVEC_INIT;
	char *label, *done;

	if (paths_instance_exists(c->name)) {
		if (!force)
			plan_add_call(p, unsaved_in_vm, c, NULL, NULL);
		label = xasprintf("removing instance dvm-%s", c->name);
		lima_delete_argv(&av, opt.limactl, opt.log_level, c->name);
		plan_add_host(p, label, LOG_LIMA, &av);
		free(label);
	}
	if (vmsync_plan(p, c, 0) < 0)
		return EXIT_FAIL;
	done = xasprintf("%s ready", c->name);
	plan_add_ok(p, done);
	free(done);
	return plan_execute(p, 1) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
reset_project(struct plan *p, const struct vm_config *c,
    const struct project *proj, int keep_data, int force)
{
	struct project_target t = { c, proj };
	char *done;

	if (session_need_instance(c->name) < 0)
		return EXIT_FAIL;
	/* Without --keep-data the volume is emptied: look in it first. */
	if (!keep_data && !force)
		plan_add_call(p, unsaved_in_project, &t, NULL, NULL);
	if (vmsync_project_plan(p, c, proj, keep_data ? PROJECT_RESET_KEEP :
	    PROJECT_RESET) < 0)
		return EXIT_FAIL;
	done = xasprintf("%s/%s reset", c->name, proj->name);
	plan_add_ok(p, done);
	free(done);
	return plan_execute(p, 0) == 0 ? EXIT_OK : EXIT_FAIL;
}

int
cmd_reset(int argc, char **argv)
{
	int yes = 0, keep_data = 0, dry_run = opt.dry_run, force = 0;
	int ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--yes", "-y", &yes, NULL },
		{ "--force", "-f", &force, NULL },
		{ "--keep-data", NULL, &keep_data, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	struct vm_config *c = NULL;
	const struct project *proj;
	struct plan p = PLAN_INIT;
	char *vm = NULL, *pname = NULL;

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	parse_target_operand(argv[0], ops.v[0], &vm, &pname);
	if (!yes)
		usage_error(argv[0], "dvm reset deletes %s and builds it "
		    "again; confirm with --yes", pname ? "the container" :
		    "the VM");
	if (keep_data && !pname)
		usage_error(argv[0], "--keep-data is for <vm>/<project>");
	/* Read the config first: without it nothing could come back. */
	if (load_target(vm, pname, &c, &proj) < 0 ||
	    devuser_check(c, pname ? DEVUSER_BOOTSTRAP : DEVUSER_RECIPES) < 0)
		goto out;
	plan_init(&p, c->name, dry_run);
	ret = pname ? reset_project(&p, c, proj, keep_data, force) :
	    reset_vm(&p, c, force);
out:
	plan_release(&p);
	config_free(c, 1);
	strvec_clear(&ops);
	free(vm);
	free(pname);
	return ret;
}
