/*
 * dvm reset <vm> --yes: throw the VM away and build it again from its
 * config, in one locked plan: delete, create, guest script.
 */
#include "compat.h"

#include <stdlib.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "runner.h"
#include "strvec.h"
#include "target.h"
#include "util.h"
#include "vmsync.h"

int
cmd_reset(int argc, char **argv)
{
	int yes = 0, dry_run = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--yes", "-y", &yes, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT, av = STRVEC_INIT;
	struct vm_config *c = NULL;
	struct plan p = PLAN_INIT;
	char *label = NULL;

	parse_args(argc, argv, flags, 0, &ops);
	opt.dry_run |= dry_run;
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	check_vm_operand(argv[0], ops.v[0]);
	if (!yes)
		usage_error(argv[0], "dvm reset deletes the VM and builds it "
		    "again; confirm with --yes");
	/* Read the config first: without it the VM could not come back. */
	if (config_load(ops.v, 1, CONFIG_PROJECTS, &c) < 0)
		goto out;
	plan_init(&p, c->name);
	if (paths_instance_exists(c->name)) {
		label = xasprintf("removing instance dvm-%s", c->name);
		lima_delete_argv(&av, opt.limactl, opt.log_level, c->name);
		plan_add_host(&p, label, LOG_LIMA, &av);
	}
	if (vmsync_plan(&p, c, 0) < 0)
		goto out;
	ret = vmsync_execute(&p, c);
out:
	plan_release(&p);
	config_free(c, 1);
	strvec_clear(&ops);
	free(label);
	return ret;
}
