/* A table-driven option parser that allows options after operands. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dvm.h"
#include "strvec.h"
#include "util.h"

static const struct flag *
find_flag(const struct flag *flags, const char *arg, size_t len)
{
	for (; flags && flags->name; flags++) {
		if ((strlen(flags->name) == len &&
		    strncmp(flags->name, arg, len) == 0) ||
		    (flags->alias && strlen(flags->alias) == len &&
		    strncmp(flags->alias, arg, len) == 0))
			return flags;
	}
	return NULL;
}

void
parse_args(int argc, char **argv, const struct flag *flags,
    int stop_at_operand, struct strvec *operands)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		const struct flag *f;
		size_t len;

		if (strcmp(a, "--") == 0) {
			/* Keep "--" for commands that pass argv through. */
			if (stop_at_operand)
				strvec_push(operands, a);
			for (i++; i < argc; i++)
				strvec_push(operands, argv[i]);
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			strvec_push(operands, a);
			if (stop_at_operand) {
				for (i++; i < argc; i++)
					strvec_push(operands, argv[i]);
				break;
			}
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_cmd_help(cmd_find(argv[0]));
			exit(EXIT_OK);
		}
		eq = strchr(a, '=');
		len = eq && has_prefix(a, "--") ? (size_t)(eq - a) : strlen(a);
		if ((f = find_flag(flags, a, len)) == NULL)
			usage_error(argv[0], "unknown option '%s'", a);
		if (f->value) {
			if (eq && len != strlen(a))
				*f->value = eq + 1;
			else if (i + 1 < argc)
				*f->value = argv[++i];
			else
				usage_error(argv[0], "option '%s' needs a "
				    "value", f->name);
		} else {
			if (len != strlen(a))
				usage_error(argv[0], "option '%s' takes no "
				    "value", f->name);
			*f->set = 1;
		}
	}
}
