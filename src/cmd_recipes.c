/*
 * dvm recipes: every recipe a config can `use`, bundled and the user's
 * own (which override a bundled one of the same name), with its
 * one-line description. With a name, the text of that recipe: what
 * `use <name>` will run in the VM.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dvm.h"
#include "recipe.h"
#include "strvec.h"
#include "util.h"

static int
show_recipe(const char *name)
{
	struct recipe r;

	if (recipe_load(name, &r) < 0)
		return EXIT_FAIL;
	fputs(r.text, stdout);
	if (*r.text && r.text[strlen(r.text) - 1] != '\n')
		putchar('\n');
	recipe_release(&r);
	return EXIT_OK;
}

int
cmd_recipes(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT, names = STRVEC_INIT;
	size_t i;
	int ret = EXIT_OK;

	parse_args(argc, argv, NULL, 0, &ops);
	if (ops.nr > 1)
		usage_error(argv[0], "too many arguments");
	if (ops.nr == 1) {
		ret = show_recipe(ops.v[0]);
		strvec_clear(&ops);
		return ret;
	}
	recipe_names(&names);
	for (i = 0; i < names.nr; i++) {
		struct recipe r;
		char *desc;

		if (recipe_load(names.v[i], &r) < 0) {
			ret = EXIT_FAIL;
			continue;
		}
		desc = recipe_description(r.text);
		printf("%-14s %s%s\n", r.name, desc,
		    strcmp(r.origin, "bundled") == 0 ? "" : " (yours)");
		free(desc);
		recipe_release(&r);
	}
	strvec_clear(&names);
	strvec_clear(&ops);
	return ret;
}
