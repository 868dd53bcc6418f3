/*
 * dvm ls: every dvm VM, from one `limactl list` (none at all when no
 * dvm instance exists locally) plus the configs on this host.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "instances.h"
#include "strvec.h"
#include "util.h"

static void
print_row(const char *vm, const char *state, const char *cpus,
    const char *mem, const char *disk, size_t projects)
{
	printf("%-20s %-10s %-5s %-8s %-8s %zu\n", vm, state, cpus, mem,
	    disk, projects);
}

int
cmd_ls(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT, configured = STRVEC_INIT;
	struct strvec projs = STRVEC_INIT;
	struct instances is = INSTANCES_INIT;
	size_t i;
	int ret = EXIT_FAIL;

	parse_args(argc, argv, NULL, 0, &ops);
	if (ops.nr)
		usage_error(argv[0], "too many arguments");
	if (instances_any_local() && instances_load(&is, NULL) < 0)
		goto out;
	config_list_vms(&configured);

	printf("%-20s %-10s %-5s %-8s %-8s %s\n", "VM", "STATE", "CPUS",
	    "MEMORY", "DISK", "PROJECTS");
	for (i = 0; i < is.nr; i++) {
		const struct instance *in = &is.list[i];
		char *mem = format_gib(in->memory), *disk = format_gib(in->disk);

		print_row(in->vm, in->status, in->cpus, mem, disk,
		    config_list_projects(in->vm, &projs));
		strvec_clear(&projs);
		free(mem);
		free(disk);
	}
	for (i = 0; i < configured.nr; i++) {
		if (instances_find(&is, configured.v[i]))
			continue;
		print_row(configured.v[i], "absent", "-", "-", "-",
		    config_list_projects(configured.v[i], &projs));
		strvec_clear(&projs);
	}
	ret = EXIT_OK;
out:
	instances_release(&is);
	strvec_clear(&ops);
	strvec_clear(&configured);
	return ret;
}
