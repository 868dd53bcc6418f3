/*
 * dvm add <vm>/<project>: scaffold the project's project.sh and
 * setup.sh. Never overwrites anything.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "paths.h"
#include "scripts.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "template.h"
#include "util.h"

int
cmd_add(int argc, char **argv)
{
	int dry_run = 0, made_dir = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--dry-run", "-n", &dry_run, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *vm = NULL, *proj = NULL, *cfg = NULL, *projects = NULL;
	char *dir = NULL, *pfile = NULL, *sfile = NULL, *shown = NULL;
	const char *vars[] = { "VM", NULL, "PROJECT", NULL, NULL };

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing <vm>/<project>");
	parse_target_operand(argv[0], ops.v[0], &vm, &proj);
	if (proj == NULL)
		usage_error(argv[0], "expected <vm>/<project>, got '%s'",
		    ops.v[0]);
	dry_run |= opt.dry_run;
	cfg = paths_vm_config(vm);
	projects = paths_projects_dir(vm);
	dir = paths_project_dir(vm, proj);
	pfile = xasprintf("%s/project.sh", dir);
	sfile = xasprintf("%s/setup.sh", dir);
	if (!path_exists(cfg)) {
		error("no VM '%s' (run: dvm new %s)", vm, vm);
		goto out;
	}
	if (config_check_safe(paths_config_dir(), "config directory", 0) < 0)
		goto out;
	if (path_exists(dir)) {
		shown = display_path(dir);
		error("project directory %s already exists; dvm never "
		    "overwrites it", shown);
		goto out;
	}
	if (dry_run) {
		printf("would write %s\nwould write %s\n", pfile, sfile);
		ret = EXIT_OK;
		goto out;
	}
	if (mkdir_p(projects, 0700) < 0 || mkdir(dir, 0700) < 0) {
		error_errno("cannot create %s", dir);
		goto out;
	}
	made_dir = 1;
	vars[1] = vm;
	vars[3] = proj;
	template_expand(&sb, scaffold_project_config_sh, vars);
	if (write_scaffold(pfile, sb.buf, sb.len) < 0)
		goto out;
	strbuf_reset(&sb);
	template_expand(&sb, scaffold_project_setup_sh, vars);
	if (write_scaffold(sfile, sb.buf, sb.len) < 0)
		goto out;
	shown = display_path(dir);
	printf("wrote %s/{project.sh,setup.sh}\n", shown);
	ret = EXIT_OK;
out:
	if (ret != EXIT_OK && made_dir) {
		const char *mine[] = { pfile, sfile, NULL };

		unwrite_scaffold(dir, mine);
	}
	strvec_clear(&ops);
	strbuf_release(&sb);
	free(vm);
	free(proj);
	free(cfg);
	free(projects);
	free(dir);
	free(pfile);
	free(sfile);
	free(shown);
	return ret;
}
