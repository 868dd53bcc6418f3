/*
 * dvm base init | dev-init | build [--clean] [--no-cache] | status |
 * rm [--builder] [--image]: the baked base image new VMs boot from, and
 * the dev-base that project containers start from. This file reads the
 * arguments; each subcommand is a file of its own (base.h).
 */
#include "compat.h"

#include <string.h>

#include "args.h"
#include "base.h"
#include "dvm.h"
#include "strvec.h"
#include "util.h"

int
cmd_base(int argc, char **argv)
{
	int clean = 0, no_cache = 0, builder = 0, image = 0;
	int dry_run = opt.dry_run;
	const struct flag flags[] = {
		{ "--clean", NULL, &clean, NULL },
		{ "--no-cache", NULL, &no_cache, NULL },
		{ "--builder", NULL, &builder, NULL },
		{ "--image", NULL, &image, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	const char *sub;
	int ret;

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing subcommand (init, dev-init, build, status, rm)");
	sub = ops.v[0];
	if ((clean || no_cache) && strcmp(sub, "build") != 0)
		usage_error(argv[0], "--clean and --no-cache are for build");
	if ((builder || image) && strcmp(sub, "rm") != 0)
		usage_error(argv[0], "--builder and --image are for rm");
	if (strcmp(sub, "init") == 0)
		ret = base_init(0, dry_run);
	else if (strcmp(sub, "dev-init") == 0)
		ret = base_init(1, dry_run);
	else if (strcmp(sub, "build") == 0)
		ret = base_build(clean, no_cache, dry_run);
	else if (strcmp(sub, "status") == 0)
		ret = base_status();
	else if (strcmp(sub, "rm") == 0)
		ret = base_rm(builder || !image, image || !builder, dry_run);
	else
		usage_error(argv[0], "unknown subcommand '%s' (init, dev-init, "
		    "build, status, rm)", sub);
	strvec_clear(&ops);
	return ret;
}
