/*
 * dvm new <vm> [--template <name>]: scaffold a VM's config.sh and
 * setup.sh, and the global config.sh the first time. Never overwrites
 * anything. dvm new --list-templates: the templates there are.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "config.h"
#include "devuser.h"
#include "dvm.h"
#include "paths.h"
#include "scripts.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "template.h"
#include "util.h"
#include "validate.h"

static int
list_templates(void)
{
	struct strvec names = STRVEC_INIT;
	size_t i;

	template_names(&names);
	for (i = 0; i < names.nr; i++)
		printf("%s\n", names.v[i]);
	strvec_clear(&names);
	return EXIT_OK;
}

int
cmd_new(int argc, char **argv)
{
	const char *template = NULL;
	int dry_run = 0, list = 0, made_dir = 0, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--template", "-t", NULL, &template },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ "--list-templates", NULL, &list, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *vms = NULL, *dir = NULL, *cfg = NULL, *setup = NULL;
	char *global = NULL, *shown = NULL, *text = NULL;
	/* What the scaffolds and the template say as @KEY@. */
	const char *vars[] = { "VM", NULL, "SETUP_PATH", NULL, "USER", NULL,
	    NULL };
	int need_global, found;
	const char *vm;

	parse_args(argc, argv, flags, 0, &ops);
	if (list) {
		if (ops.nr || template || dry_run)
			usage_error(argv[0], "--list-templates takes nothing "
			    "else");
		strvec_clear(&ops);
		return list_templates();
	}
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	vm = ops.v[0];
	check_vm_operand(argv[0], vm);
	if (template == NULL)
		template = TEMPLATE_DEFAULT;
	if ((found = template_load(template, &text)) < 0)
		goto out;
	if (found > 0) {
		char *names = template_list(", ");

		usage_error(argv[0], "unknown template '%s' (available: %s)",
		    template, names);
	}
	dry_run |= opt.dry_run;

	vms = paths_vms_dir();
	dir = paths_vm_dir(vm);
	cfg = paths_vm_config(vm);
	setup = paths_vm_setup(vm);
	global = paths_global_config();
	if (config_check_safe(paths_config_dir(), "config directory", 1) < 0)
		goto out;
	if (path_exists(dir)) {
		shown = display_path(dir);
		error("VM directory %s already exists; dvm never overwrites "
		    "it", shown);
		goto out;
	}
	need_global = !path_exists(global);
	if (dry_run) {
		if (need_global)
			printf("would write %s\n", global);
		printf("would write %s\nwould write %s\n", cfg, setup);
		ret = EXIT_OK;
		goto out;
	}
	if (mkdir_p(vms, 0700) < 0) {
		error_errno("cannot create %s", vms);
		goto out;
	}
	if (mkdir(dir, 0700) < 0) {
		error_errno("cannot create %s", dir);
		goto out;
	}
	made_dir = 1;
	vars[1] = vm;
	vars[5] = devuser_suggest();
	if (need_global) {
		template_expand(&sb, scaffold_global_config_sh, vars);
		if (write_scaffold(global, sb.buf, sb.len) < 0)
			goto out;
		shown = display_path(global);
		printf("wrote %s (global)\n", shown);
		free(shown);
		shown = NULL;
	}
	strbuf_reset(&sb);
	vars[3] = shown = display_path(setup);
	template_expand(&sb, scaffold_vm_config_sh, vars);
	/* The template, after a blank line, below the scaffold. */
	if (text) {
		strbuf_addch(&sb, '\n');
		template_expand(&sb, text, vars);
	}
	if (write_scaffold(cfg, sb.buf, sb.len) < 0)
		goto out;
	strbuf_reset(&sb);
	template_expand(&sb, scaffold_vm_setup_sh, vars);
	if (write_scaffold(setup, sb.buf, sb.len) < 0)
		goto out;
	free(shown);
	shown = display_path(dir);
	printf("wrote %s/{config.sh,setup.sh}\n", shown);
	ret = EXIT_OK;
out:
	if (ret != EXIT_OK && made_dir) {
		const char *mine[] = { cfg, setup, NULL };

		/* A VM dir without both files would block the next dvm new. */
		unwrite_scaffold(dir, mine);
	}
	strvec_clear(&ops);
	strbuf_release(&sb);
	free(vms);
	free(dir);
	free(cfg);
	free(setup);
	free(global);
	free(shown);
	free(text);
	return ret;
}
