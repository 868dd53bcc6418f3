/* The plan of a VM sync and its execution under the VM lock. */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "dvm.h"
#include "guest.h"
#include "lima.h"
#include "log.h"
#include "runner.h"
#include "strvec.h"
#include "ui.h"
#include "util.h"
#include "vmsync.h"

int
vmsync_plan(struct plan *p, const struct vm_config *c, int exists)
{
	struct strvec av = STRVEC_INIT;
	struct guest_script gs = GUEST_SCRIPT_INIT;
	char *label;

	if (exists) {
		lima_start_argv(&av, opt.limactl, opt.log_level, c->name);
		label = xasprintf("starting instance dvm-%s", c->name);
	} else {
		lima_create_argv(&av, opt.limactl, opt.log_level, c,
		    LIMA_TEMPLATE);
		label = xasprintf("creating instance dvm-%s", c->name);
	}
	plan_add_host(p, label, LOG_LIMA, &av);
	free(label);

	guest_add_bootstrap(&gs, c);
	/* Recipes (baseline, then each `use`) will run here, before setup. */
	if (c->setup_path && guest_add_user_script(&gs, "setup",
	    "running VM setup", LOG_SETUP, c->setup_path) < 0) {
		guest_script_release(&gs);
		return -1;
	}
	/* Project containers will come up here, after the VM's own setup. */
	lima_script_argv(&av, opt.limactl, c->name);
	plan_add_guest(p, &av, &gs, c);
	return 0;
}

int
vmsync_execute(struct plan *p, const struct vm_config *c)
{
	if (opt.dry_run) {
		printf("# VM %s (Lima instance dvm-%s)\n", c->name, c->name);
		plan_print(p);
		return EXIT_OK;
	}
	if (plan_execute(p, 1) != 0)
		return EXIT_FAIL;
	ui_ok("%s ready", c->name);
	return EXIT_OK;
}
