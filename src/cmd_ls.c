/*
 * dvm ls: every dvm VM, from one `limactl list` (none at all when no dvm
 * instance exists locally) plus the configs on this host; --only-config
 * leaves out dvm-* instances that have no config.
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
#include "paths.h"
#include "proc.h"
#include "sanitize.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "util.h"
#include "validate.h"

/* A configured list as a JSON array, or null when the config sets none. */
static void
json_list(struct strbuf *sb, const char *key, const struct strvec *v)
{
	size_t i;

	strbuf_addf(sb, ", \"%s\": ", key);
	if (v == NULL || v->nr == 0) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addch(sb, '[');
	for (i = 0; i < v->nr; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		json_add_str(sb, v->v[i], strlen(v->v[i]));
	}
	strbuf_addch(sb, ']');
}

/*
 * One VM as a JSON object; numbers are null when unknown, and so are the
 * egress lists of a VM without config (c NULL) or that sets none.
 * Strings are valid UTF-8 whatever limactl or the guest sent
 * (json_add_str).
 */
static void
json_vm(struct strbuf *sb, const char *vm, const char *state,
    const char *cpus, unsigned long long mem, unsigned long long disk,
    size_t projects, const struct vm_config *c)
{
	strbuf_addstr(sb, sb->len > 1 ? ",\n  {\"name\": " : "\n  {\"name\": ");
	json_add_str(sb, vm, strlen(vm));
	strbuf_addstr(sb, ", \"state\": ");
	json_add_str(sb, state, strlen(state));
	if (cpus && valid_uint(cpus, 100000, NULL))
		strbuf_addf(sb, ", \"cpus\": %s", cpus);
	else
		strbuf_addstr(sb, ", \"cpus\": null");
	if (mem)
		strbuf_addf(sb, ", \"memory_bytes\": %llu", mem);
	else
		strbuf_addstr(sb, ", \"memory_bytes\": null");
	if (disk)
		strbuf_addf(sb, ", \"disk_bytes\": %llu", disk);
	else
		strbuf_addstr(sb, ", \"disk_bytes\": null");
	strbuf_addf(sb, ", \"projects\": %zu", projects);
	json_list(sb, "egress", c ? &c->egress : NULL);
	json_list(sb, "agent_egress", c ? &c->agent_egress : NULL);
	strbuf_addch(sb, '}');
}

/*
 * --json reads every VM's config, in the one config bash, for its egress
 * lists (the VMs whose directory name is a VM name at all).
 */
static int
load_configs(const struct strvec *configured, struct strvec *names,
    struct vm_config **vms)
{
	size_t i;

	*vms = NULL;
	for (i = 0; i < configured->nr; i++) {
		if (valid_name(configured->v[i]) &&
		    !reserved_vm_name(configured->v[i]))
			strvec_push(names, configured->v[i]);
	}
	if (names->nr == 0)
		return 0;
	return config_load(names->v, names->nr, 0, vms);
}

static const struct vm_config *
config_of(const struct vm_config *vms, const struct strvec *names,
    const char *vm)
{
	size_t i;

	for (i = 0; vms && i < names->nr; i++) {
		if (strcmp(names->v[i], vm) == 0)
			return &vms[i];
	}
	return NULL;
}

/* Fields from limactl (the VM's status among them) are shown sanitized. */
static void
print_row(const char *vm, const char *state, const char *cpus,
    const char *mem, const char *disk, size_t projects)
{
	char *v = sanitize_str(vm, SANITIZE_FIELD);
	char *st = sanitize_str(state, SANITIZE_FIELD);
	char *n = sanitize_str(cpus, SANITIZE_FIELD);

	printf("%-20s %-10s %-5s %-8s %-8s %zu\n", v, st, n, mem, disk,
	    projects);
	free(v);
	free(st);
	free(n);
}

static int
list_vms(int json, int only_config)
{
	struct strvec configured = STRVEC_INIT, projs = STRVEC_INIT;
	struct strvec names = STRVEC_INIT;
	struct instances is = INSTANCES_INIT;
	struct vm_config *vms = NULL;
	struct strbuf js = STRBUF_INIT;
	size_t i, np, rows = 0;
	int ret = EXIT_FAIL;

	config_list_vms(&configured);
	if (json && load_configs(&configured, &names, &vms) < 0)
		goto out;
	if (instances_any_local() && instances_load(&is, NULL) < 0)
		goto out;
	if (json)
		strbuf_addch(&js, '[');
	else
		printf("%-20s %-10s %-5s %-8s %-8s %s\n", "VM", "STATE",
		    "CPUS", "MEMORY", "DISK", "PROJECTS");
	for (i = 0; i < is.nr; i++) {
		const struct instance *in = &is.list[i];
		char *mem, *disk;

		if (only_config && !strvec_has(&configured, in->vm))
			continue;
		mem = format_gib(in->memory);
		disk = format_gib(in->disk);
		np = config_list_projects(in->vm, &projs);
		if (json)
			json_vm(&js, in->vm, in->status, in->cpus, in->memory,
			    in->disk, np, config_of(vms, &names, in->vm));
		else
			print_row(in->vm, in->status, in->cpus, mem, disk, np);
		rows++;
		strvec_clear(&projs);
		free(mem);
		free(disk);
	}
	for (i = 0; i < configured.nr; i++) {
		if (instances_find(&is, configured.v[i]))
			continue;
		np = config_list_projects(configured.v[i], &projs);
		if (json)
			json_vm(&js, configured.v[i], "absent", NULL, 0, 0, np,
			    config_of(vms, &names, configured.v[i]));
		else
			print_row(configured.v[i], "absent", "-", "-", "-", np);
		rows++;
		strvec_clear(&projs);
	}
	/* A first run shows more than a bare header: where to begin. */
	if (!json && rows == 0)
		fprintf(stderr, "no VMs yet; make one with: dvm new <name>\n");
	if (json)
		printf("%s%s]\n", js.buf, js.len > 1 ? "\n" : "");
	ret = EXIT_OK;
out:
	strbuf_release(&js);
	instances_release(&is);
	config_free(vms, names.nr);
	strvec_clear(&names);
	strvec_clear(&configured);
	return ret;
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
list_projects(const char *vm, int json)
{
	struct vm_config *c = NULL;
	const struct project *unused;
	struct proc p = PROC_INIT;
	struct strbuf out = STRBUF_INIT, js = STRBUF_INIT;
	char *args[2];
	size_t i;
	int status = 0, reachable = 0;

	if (load_target(vm, NULL, &c, &unused) < 0)
		return EXIT_FAIL;
	if (paths_instance_exists(vm)) {
		args[0] = c->name;
		args[1] = NULL;
		session_podman_argv(&p.args, c, 0, guest_ls_containers_sh,
		    args);
		p.in = PROC_NULL;
		p.err = PROC_NULL;
		status = proc_capture(&p, &out);
		reachable = status == 0;
		if (!reachable)
			warning("cannot reach VM '%s' (stopped? run: dvm sync "
			    "%s); container states unknown", vm, vm);
	}
	if (json)
		strbuf_addch(&js, '[');
	else
		printf("%-20s %-10s %s\n", "PROJECT", "STATE", "IMAGE");
	for (i = 0; i < c->nr_projects; i++) {
		const struct project *pr = &c->projects[i];
		const char *state = reachable ? "absent" : "unknown", *image;
		char *row = find_container(out.buf, pr->name, &state, &image);

		if (!row)
			image = pr->image;
		else if (!*image)
			image = pr->image;
		if (json) {
			strbuf_addstr(&js, i ? ",\n  {\"name\": " :
			    "\n  {\"name\": ");
			json_add_str(&js, pr->name, strlen(pr->name));
			strbuf_addstr(&js, ", \"state\": ");
			json_add_str(&js, state, strlen(state));
			strbuf_addstr(&js, ", \"image\": ");
			json_add_str(&js, image, strlen(image));
			strbuf_addch(&js, '}');
		} else {
			/* State and image come from podman in the guest. */
			char *n = sanitize_str(pr->name, SANITIZE_FIELD);
			char *st = sanitize_str(state, SANITIZE_FIELD);
			char *im = sanitize_str(image, SANITIZE_FIELD);

			printf("%-20s %-10s %s\n", n, st, im);
			free(n);
			free(st);
			free(im);
		}
		free(row);
	}
	if (json)
		printf("%s%s]\n", js.buf, js.len > 1 ? "\n" : "");
	strbuf_release(&js);
	config_free(c, 1);
	strbuf_release(&out);
	return EXIT_OK;
}

int
cmd_ls(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT;
	int json = 0, only_config = 0, ret;
	const struct flag flags[] = {
		{ "--json", NULL, &json, NULL },
		{ "--only-config", NULL, &only_config, NULL },
		{ NULL, NULL, NULL, NULL }
	};

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr > 1)
		usage_error(argv[0], "too many arguments");
	if (ops.nr == 1) {
		if (only_config)
			usage_error(argv[0], "--only-config lists VMs, not the "
			    "projects of one");
		check_vm_operand(argv[0], ops.v[0]);
		ret = list_projects(ops.v[0], json);
	} else {
		ret = list_vms(json, only_config);
	}
	strvec_clear(&ops);
	return ret;
}
