/* Checks shared by every command that takes a VM or project operand. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dvm.h"
#include "target.h"
#include "util.h"
#include "validate.h"

void
check_vm_operand(const char *cmd, const char *arg)
{
	if (!valid_name(arg))
		usage_error(cmd, "invalid VM name '%s' (a lowercase letter, "
		    "then a-z, 0-9 or '-', at most %d characters)", arg,
		    NAME_MAX_LEN);
	if (reserved_vm_name(arg))
		usage_error(cmd, "'%s' is reserved by dvm; pick another VM "
		    "name", arg);
}

void
parse_target_operand(const char *cmd, const char *arg, char **vm,
    char **proj)
{
	const char *why;

	if (!parse_target(arg, vm, proj, &why)) {
		if (strcmp(why, "invalid VM name") == 0 && strchr(arg, '/') ==
		    NULL)
			check_vm_operand(cmd, arg);
		usage_error(cmd, "%s in '%s' (<vm> or <vm>/<project>: a "
		    "lowercase letter, then a-z, 0-9 or '-')", why, arg);
	}
	check_vm_operand(cmd, *vm);
}

const struct project *
find_project(const struct vm_config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nr_projects; i++) {
		if (strcmp(c->projects[i].name, name) == 0)
			return &c->projects[i];
	}
	error("no project '%s' in VM '%s' (run: dvm add %s/%s)", name,
	    c->name, c->name, name);
	return NULL;
}

int
load_target(const char *vm, const char *proj, struct vm_config **c,
    const struct project **p)
{
	char *name = (char *)vm;

	*p = NULL;
	if (config_load(&name, 1, CONFIG_PROJECTS, c) < 0)
		return -1;
	if (proj && (*p = find_project(*c, proj)) == NULL) {
		config_free(*c, 1);
		*c = NULL;
		return -1;
	}
	return 0;
}
