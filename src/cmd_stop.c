/*
 * dvm stop <vm> | <vm>/<project> | --all: stop running dvm VMs, or one
 * project's container. What is already stopped, or does not exist, is
 * not an error: the goal is reached.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "instances.h"
#include "lima.h"
#include "paths.h"
#include "quote.h"
#include "runner.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "ui.h"
#include "util.h"

/*
 * Lima's stop fails on a stopped VM, so the plan looks first: a host
 * function, which a dry run (contacting nothing) skips.
 */
static int
vm_running(void *vm)
{
	struct instances is = INSTANCES_INIT;
	const struct instance *in;
	int ret = 0;

	if (instances_load(&is, vm) < 0)
		return -1;
	in = instances_find(&is, vm);
	if (in && strcmp(in->status, "Stopped") == 0) {
		ui_ok("%s already stopped", (const char *)vm);
		ret = PLAN_STOP;
	}
	instances_release(&is);
	return ret;
}

/* Stop one VM; with check, only when it does not look stopped. */
static int
stop_vm(char *vm, int check, int dry_run)
{
	struct plan p;
	struct strvec av = STRVEC_INIT;
	char *label = xasprintf("stopping instance dvm-%s", vm);
	char *done = xasprintf("%s stopped", vm);
	int ret;

	plan_init(&p, vm, dry_run);
	if (check)
		plan_add_call(&p, vm_running, vm, NULL, NULL);
	lima_stop_argv(&av, opt.limactl, opt.log_level, vm);
	plan_add_host(&p, label, LOG_LIMA, &av);
	plan_add_ok(&p, done);
	ret = plan_execute(&p, 0) == 0 ? EXIT_OK : EXIT_FAIL;
	plan_release(&p);
	free(label);
	free(done);
	return ret;
}

/* A stopped VM has stopped its containers too; do not boot it. */
static int
vm_of_project_running(void *arg)
{
	char *const *names = arg;	/* vm, project */
	struct instances is = INSTANCES_INIT;
	const struct instance *in;
	int ret = 0;

	if (instances_load(&is, names[0]) < 0)
		return -1;
	in = instances_find(&is, names[0]);
	if (in && strcmp(in->status, "Stopped") == 0) {
		ui_ok("%s/%s already stopped (the VM is stopped)", names[0],
		    names[1]);
		ret = PLAN_STOP;
	}
	instances_release(&is);
	return ret;
}

static int
stop_project(char *vm, char *pname, int dry_run)
{
	struct vm_config *c = NULL;
	const struct project *proj;
	struct plan p = PLAN_INIT;
	struct strvec av = STRVEC_INIT;
	char *args[2], *names[2], *label = NULL, *done = NULL;
	int ret = EXIT_FAIL;

	if (load_target(vm, pname, &c, &proj) < 0)
		goto out;
	if (!paths_instance_exists(vm)) {
		ui_ok("%s/%s: the VM has no Lima instance; nothing to stop",
		    vm, pname);
		ret = EXIT_OK;
		goto out;
	}
	label = xasprintf("stopping container %s", pname);
	done = xasprintf("%s/%s stopped", vm, pname);
	args[0] = pname;
	args[1] = NULL;
	names[0] = vm;
	names[1] = pname;
	session_podman_argv(&av, c, 0, guest_stop_container_sh, args);
	plan_init(&p, vm, dry_run);
	plan_add_call(&p, vm_of_project_running, names, NULL, NULL);
	plan_add_host(&p, label, LOG_SETUP, &av);
	plan_add_ok(&p, done);
	ret = plan_execute(&p, 0) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	plan_release(&p);
	config_free(c, 1);
	free(label);
	free(done);
	return ret;
}

/* stop --all: every dvm VM that is not stopped, as Lima lists them. */
static int
stop_running(void *arg)
{
	const int *only_config = arg;
	struct instances is = INSTANCES_INIT;
	struct strvec configured = STRVEC_INIT;
	size_t i, failed = 0;

	if (instances_load(&is, NULL) < 0)
		return -1;
	if (*only_config)
		config_list_vms(&configured);
	for (i = 0; i < is.nr; i++) {
		if (strcmp(is.list[i].status, "Stopped") == 0)
			continue;
		if (*only_config && !strvec_has(&configured, is.list[i].vm))
			continue;
		if (stop_vm(is.list[i].vm, 0, 0) != EXIT_OK)
			failed++;
	}
	instances_release(&is);
	strvec_clear(&configured);
	return failed ? -1 : 0;
}

/* With only_config, only VMs that have a config. */
static int
stop_all(int only_config, int dry_run)
{
	struct plan p;
	struct strvec av = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (!instances_any_local())
		return EXIT_OK;
	/* Which VMs run is only known by asking Lima; a dry run says so. */
	lima_list_argv(&av, opt.limactl, INSTANCES_FORMAT, NULL);
	sq_quote_argv(&sb, av.v);
	strbuf_addf(&sb, "\n# then stop each dvm-* instance that is not "
	    "Stopped%s", only_config ? " and has a config" : "");
	plan_init(&p, NULL, dry_run);
	plan_add_call(&p, stop_running, &only_config, NULL, sb.buf);
	ret = plan_execute(&p, 0) == 0 ? EXIT_OK : EXIT_FAIL;
	plan_release(&p);
	strvec_clear(&av);
	strbuf_release(&sb);
	return ret;
}

/*
 * Nothing to stop: say so (exit 0, so scripts stay idempotent), and when
 * no config names the VM either, say that plainly with the names there
 * are: "nosuch" is more likely a typo than a VM stopped long ago.
 */
static void
nothing_to_stop(const char *vm)
{
	struct strvec configured = STRVEC_INIT;
	struct strbuf names = STRBUF_INIT;
	size_t i;

	ui_ok("%s has no Lima instance; nothing to stop", vm);
	config_list_vms(&configured);
	for (i = 0; i < configured.nr; i++)
		strbuf_addf(&names, "%s%s", i ? ", " : "", configured.v[i]);
	if (!strvec_has(&configured, vm) && configured.nr)
		warning("no VM named '%s' is configured either (configured: "
		    "%s)", vm, names.buf);
	else if (!strvec_has(&configured, vm))
		warning("no VM named '%s' is configured either (none is: "
		    "dvm new <vm> makes one)", vm);
	strbuf_release(&names);
	strvec_clear(&configured);
}

int
cmd_stop(int argc, char **argv)
{
	int all = 0, only_config = 0, dry_run = opt.dry_run, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--all", "-a", &all, NULL },
		{ "--only-config", NULL, &only_config, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	char *vm = NULL, *pname = NULL;

	parse_args(argc, argv, flags, 0, &ops);
	if (all && ops.nr)
		usage_error(argv[0], "give a VM name or --all, not both");
	if (only_config && !all)
		usage_error(argv[0], "--only-config goes with --all");
	if (all) {
		ret = stop_all(only_config, dry_run);
		goto out;
	}
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name (or --all)");
	parse_target_operand(argv[0], ops.v[0], &vm, &pname);
	if (pname) {
		ret = stop_project(vm, pname, dry_run);
		goto out;
	}
	if (!paths_instance_exists(vm)) {
		nothing_to_stop(vm);
		ret = EXIT_OK;
		goto out;
	}
	ret = stop_vm(vm, 1, dry_run);
out:
	strvec_clear(&ops);
	free(vm);
	free(pname);
	return ret;
}
