/*
 * dvm ls: every dvm VM, from one `limactl list` (none at all when no dvm
 * instance exists locally) plus the configs on this host.
 * dvm ls <vm>: the VM's projects with their container state and image,
 * from one `limactl shell` that does not boot a stopped VM.
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
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "util.h"

/* $1 is the VM: name, state and image of each of its containers. */
static const char containers_script[] =
	"export XDG_RUNTIME_DIR=\"/run/user/$(id -u)\"\n"
	"podman ps -a --filter \"label=dvm.vm=$1\" --format '{{.Names}}' |\n"
	"while read -r name; do\n"
	"	podman inspect --format \\\n"
	"	    '{{.Name}}\t{{.State.Status}}\t{{.ImageName}}' \"$name\"\n"
	"done\n";

static void
print_row(const char *vm, const char *state, const char *cpus,
    const char *mem, const char *disk, size_t projects)
{
	printf("%-20s %-10s %-5s %-8s %-8s %zu\n", vm, state, cpus, mem,
	    disk, projects);
}

static int
list_vms(void)
{
	struct strvec configured = STRVEC_INIT, projs = STRVEC_INIT;
	struct instances is = INSTANCES_INIT;
	size_t i;

	if (instances_any_local() && instances_load(&is, NULL) < 0)
		return EXIT_FAIL;
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
	instances_release(&is);
	strvec_clear(&configured);
	return EXIT_OK;
}

/* The line of out for container name: "name\tstate\timage", or NULL. */
static char *
find_container(const char *out, const char *name, const char **state,
    const char **image)
{
	const char *line = out;
	size_t n = strlen(name);

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len > n && strncmp(line, name, n) == 0 && line[n] == '\t') {
			char *copy = xstrndup(line, len), *tab;

			*state = copy + n + 1;
			if ((tab = strchr(copy + n + 1, '\t')) != NULL) {
				*tab = '\0';
				*image = tab + 1;
			} else {
				*image = "";
			}
			copy[n] = '\0';
			return copy;
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static int
list_projects(const char *vm)
{
	struct vm_config *c = NULL;
	const struct project *unused;
	struct proc p = PROC_INIT;
	struct strbuf out = STRBUF_INIT;
	char *args[2];
	size_t i;
	int status = 0, reachable = 0;

	if (load_target(vm, NULL, &c, &unused) < 0)
		return EXIT_FAIL;
	if (paths_instance_exists(vm)) {
		args[0] = c->name;
		args[1] = NULL;
		lima_user_argv(&p.args, opt.limactl, vm, 0, c->user,
		    containers_script, args);
		p.in = PROC_NULL;
		p.err = PROC_NULL;
		status = proc_capture(&p, &out);
		reachable = status == 0;
		if (!reachable)
			warning("cannot reach VM '%s' (stopped? run: dvm sync "
			    "%s); container states unknown", vm, vm);
	}
	printf("%-20s %-10s %s\n", "PROJECT", "STATE", "IMAGE");
	for (i = 0; i < c->nr_projects; i++) {
		const struct project *pr = &c->projects[i];
		const char *state = reachable ? "absent" : "-", *image;
		char *row = find_container(out.buf, pr->name, &state, &image);

		printf("%-20s %-10s %s\n", pr->name, state,
		    row && *image ? image : pr->image);
		free(row);
	}
	config_free(c, 1);
	strbuf_release(&out);
	return EXIT_OK;
}

int
cmd_ls(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT;
	int ret;

	parse_args(argc, argv, NULL, 0, &ops);
	if (ops.nr > 1)
		usage_error(argv[0], "too many arguments");
	if (ops.nr == 1) {
		check_vm_operand(argv[0], ops.v[0]);
		ret = list_projects(ops.v[0]);
	} else {
		ret = list_vms();
	}
	strvec_clear(&ops);
	return ret;
}
