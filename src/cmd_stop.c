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
#include "podman.h"
#include "quote.h"
#include "runner.h"
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

/* $1 is the container; a missing one is already stopped. */
static const char stop_container_script[] =
	"export XDG_RUNTIME_DIR=\"/run/user/$(id -u)\"\n"
	PODMAN_HAS_CONTAINER("")
	"dvm_has_container \"$1\" || exit 0\n"
	"podman stop \"$1\" >/dev/null\n";

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
	lima_user_argv(&av, opt.limactl, vm, 0, c->user,
	    stop_container_script, args);
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
	struct instances is = INSTANCES_INIT;
	size_t i, failed = 0;

	(void)arg;
	if (instances_load(&is, NULL) < 0)
		return -1;
	for (i = 0; i < is.nr; i++) {
		if (strcmp(is.list[i].status, "Stopped") == 0)
			continue;
		if (stop_vm(is.list[i].vm, 0, 0) != EXIT_OK)
			failed++;
	}
	instances_release(&is);
	return failed ? -1 : 0;
}

static int
stop_all(int dry_run)
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
	strbuf_addstr(&sb, "\n# then stop each dvm-* instance that is not "
	    "Stopped");
	plan_init(&p, NULL, dry_run);
	plan_add_call(&p, stop_running, NULL, NULL, sb.buf);
	ret = plan_execute(&p, 0) == 0 ? EXIT_OK : EXIT_FAIL;
	plan_release(&p);
	strvec_clear(&av);
	strbuf_release(&sb);
	return ret;
}

int
cmd_stop(int argc, char **argv)
{
	int all = 0, dry_run = opt.dry_run, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--all", "-a", &all, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	char *vm = NULL, *pname = NULL;

	parse_args(argc, argv, flags, 0, &ops);
	if (all && ops.nr)
		usage_error(argv[0], "give a VM name or --all, not both");
	if (all) {
		ret = stop_all(dry_run);
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
		ui_ok("%s has no Lima instance; nothing to stop", vm);
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
