/*
 * dvm logs <vm>/<project> [-f]: the container's podman logs.
 * dvm logs <vm> <unit> [journalctl args]: the journal of a service unit
 * in the VM (default args: --no-pager -n 100).
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "proc.h"
#include "recipe.h"
#include "session.h"
#include "strvec.h"
#include "target.h"
#include "util.h"
#include "validate.h"

/*
 * The unit of the one service recipe c uses (its "# Unit:" line) in
 * *unit, malloc'd; NULL when there is none or several, with *found
 * saying how many. -1 after a bad header's error.
 */
static int
inferred_unit(const struct vm_config *c, char **unit, size_t *found)
{
	size_t i;
	char *u;

	*unit = NULL;
	*found = 0;
	for (i = 0; i < c->recipes.nr; i++) {
		if (recipe_unit(c->recipes.v[i], &u) < 0) {
			free(*unit);
			*unit = NULL;
			return -1;
		}
		/* A recipe used twice, or two that name one unit, count once. */
		if (u == NULL || (*unit && strcmp(u, *unit) == 0)) {
			free(u);
			continue;
		}
		(*found)++;
		free(*unit);
		*unit = u;
	}
	if (*found != 1) {
		free(*unit);
		*unit = NULL;
	}
	return 0;
}

static int
journal(const struct vm_config *c, char *const *rest)
{
	struct strvec av = STRVEC_INIT, cmd = STRVEC_INIT;
	char *inferred = NULL;
	const char *unit;
	size_t found;

	/* No unit, or journalctl options first: the service recipe's. */
	if (rest[0] == NULL || rest[0][0] == '-') {
		if (inferred_unit(c, &inferred, &found) < 0)
			return EXIT_FAIL;
		if ((unit = inferred) == NULL)
			usage_error("logs", "name the unit: dvm logs %s <unit> "
			    "[journalctl args] (the VM uses %s service "
			    "recipe)", c->name, found ? "more than one" : "no");
	} else {
		unit = *rest++;
	}
	if (!valid_unit(unit))
		usage_error("logs", "invalid unit name '%s'", unit);
	if (session_need_instance(c->name) < 0) {
		free(inferred);
		return EXIT_FAIL;
	}
	strvec_pushl(&cmd, "journalctl", "-u", unit, NULL);
	free(inferred);
	if (rest[0])
		strvec_pushv(&cmd, rest);
	else
		strvec_pushl(&cmd, "--no-pager", "-n", "100", NULL);
	lima_sudo_argv(&av, opt.limactl, c->name, cmd.v);
	strvec_clear(&cmd);
	proc_exec(av.v);
}

int
cmd_logs(int argc, char **argv)
{
	int follow = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--follow", "-f", &follow, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT, ex = STRVEC_INIT;
	struct vm_config *c = NULL;
	const struct project *p;
	char *vm = NULL, *proj = NULL;

	/* Options after the unit belong to journalctl. */
	parse_args(argc, argv, flags, 1, &ops);
	if (ops.nr == 0)
		usage_error(argv[0], "missing <vm>/<project> or <vm> <unit>");
	parse_target_operand(argv[0], ops.v[0], &vm, &proj);
	if (proj && ops.nr == 2 && (strcmp(ops.v[1], "-f") == 0 ||
	    strcmp(ops.v[1], "--follow") == 0))
		follow = 1;
	else if (proj && ops.nr > 1)
		usage_error(argv[0], "too many arguments");
	if (!proj && follow)
		usage_error(argv[0], "-f is for a project's logs; pass "
		    "journalctl's own -f after the unit");
	if (load_target(vm, proj, &c, &p) < 0)
		goto out;
	if (p == NULL) {
		ret = journal(c, ops.v + 1);
		goto out;
	}
	strvec_pushl(&ex, "podman", "logs", NULL);
	if (follow)
		strvec_push(&ex, "--follow");
	strvec_push(&ex, p->name);
	ret = session_project(c, p, 0, ex.v);
out:
	config_free(c, 1);
	strvec_clear(&ex);
	strvec_clear(&ops);
	free(vm);
	free(proj);
	return ret;
}
