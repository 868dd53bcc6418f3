/* Reading `limactl list` into a table of dvm instances. */
#include "compat.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "dvm.h"
#include "instances.h"
#include "lima.h"
#include "paths.h"
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "validate.h"

static unsigned long long
parse_bytes(const char *s)
{
	unsigned long long v = 0;

	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (~0ULL - 9) / 10)
			return 0;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	return *s == '\0' ? v : 0;
}

static void
parse_line(struct instances *is, char *line)
{
	char *field[5];
	size_t n = 0;
	char *p = line;
	struct instance *in;

	while (n < 5) {
		char *tab = strchr(p, '\t');

		field[n++] = p;
		if (tab == NULL)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	if (n != 5 || !has_prefix(field[0], "dvm-") ||
	    !valid_name(field[0] + 4) || reserved_vm_name(field[0] + 4))
		return;
	is->list = xreallocarray(is->list, is->nr + 1, sizeof(*is->list));
	in = &is->list[is->nr++];
	in->vm = xstrdup(field[0] + 4);
	in->status = xstrdup(field[1]);
	in->cpus = xstrdup(field[2]);
	in->memory = parse_bytes(field[3]);
	in->disk = parse_bytes(field[4]);
}

void
instances_parse(struct instances *is, const char *text)
{
	char *copy = xstrdup(text), *line = copy, *nl;

	while (*line) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		parse_line(is, line);
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	free(copy);
}

int
instances_load(struct instances *is, const char *vm)
{
	struct proc p = PROC_INIT;
	struct strbuf out = STRBUF_INIT;
	int status;

	lima_list_argv(&p.args, opt.limactl, INSTANCES_FORMAT, vm);
	p.in = PROC_NULL;
	status = proc_capture(&p, &out);
	if (status < 0) {
		strbuf_release(&out);
		return -1;
	}
	if (status != 0) {
		strbuf_release(&out);
		return error("limactl list failed with exit status %d",
		    status);
	}
	instances_parse(is, out.buf);
	strbuf_release(&out);
	return 0;
}

const struct instance *
instances_find(const struct instances *is, const char *vm)
{
	size_t i;

	for (i = 0; i < is->nr; i++) {
		if (strcmp(is->list[i].vm, vm) == 0)
			return &is->list[i];
	}
	return NULL;
}

void
instances_release(struct instances *is)
{
	size_t i;

	for (i = 0; i < is->nr; i++) {
		free(is->list[i].vm);
		free(is->list[i].status);
		free(is->list[i].cpus);
	}
	free(is->list);
	is->list = NULL;
	is->nr = 0;
}

int
instances_any_local(void)
{
	DIR *d = opendir(paths_lima_home());
	struct dirent *de;
	int found = 0;

	if (d == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		char *yaml;

		if (!has_prefix(de->d_name, "dvm-") ||
		    reserved_vm_name(de->d_name + 4))
			continue;
		yaml = xasprintf("%s/%s/lima.yaml", paths_lima_home(),
		    de->d_name);
		found = path_exists(yaml);
		free(yaml);
	}
	closedir(d);
	return found;
}

char *
format_gib(unsigned long long bytes)
{
	unsigned long long tenths;

	if (bytes == 0)
		return xstrdup("-");
	/* Rounding to tenths needs bytes * 10 + 2^29 to fit. */
	if (bytes > (~0ULL - (1ULL << 29)) / 10)
		return xasprintf("%lluGiB", bytes >> 30);
	tenths = (bytes * 10 + (1ULL << 29)) >> 30;
	if (tenths % 10 == 0)
		return xasprintf("%lluGiB", tenths / 10);
	return xasprintf("%llu.%lluGiB", tenths / 10, tenths % 10);
}
