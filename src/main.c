/*
 * dvm: per-project Fedora VMs through Lima. main() reads the shared
 * environment settings, finds the command in the table and runs it.
 */
#include "compat.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dvm.h"
#include "lima.h"
#include "proc.h"
#include "secret.h"
#include "util.h"
#include "validate.h"

/* The longest step timeout accepted: a week. */
#define MAX_STEP_TIMEOUT 604800UL

static int
env_flag(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0' || strcmp(v, "0") == 0)
		return 0;
	if (strcmp(v, "1") == 0)
		return 1;
	error("%s='%s' must be 0 or 1", name, v);
	exit(EXIT_USAGE);
}

static void
read_environment(void)
{
	static const char *const levels[] = { "trace", "debug", "info",
	    "warn", "warning", "error", "fatal", "panic" };
	const char *v;
	size_t i;

	opt.verbose = env_flag("DVM_VERBOSE");
	opt.dry_run = env_flag("DVM_DRY_RUN");
	opt.rebuild_dev_base = env_flag("DVM_REBUILD_DEV_BASE");
	v = getenv("DVM_STEP_TIMEOUT");
	if (v && *v && !valid_uint(v, MAX_STEP_TIMEOUT, &opt.step_timeout)) {
		error("DVM_STEP_TIMEOUT='%s' is not a number of seconds from 0 "
		    "(no limit) to %lu", v, MAX_STEP_TIMEOUT);
		exit(EXIT_USAGE);
	}
	v = getenv("DVM_LIMACTL");
	opt.limactl = v && *v ? v : "limactl";
	proc_set_missing_hint(opt.limactl, LIMA_MISSING_HINT);
	v = getenv("DVM_LIMA_LOG_LEVEL");
	if (v == NULL || *v == '\0')
		v = opt.verbose ? "info" : "warn";
	for (i = 0; i < nitems(levels); i++) {
		if (strcmp(levels[i], v) == 0)
			break;
	}
	if (i == nitems(levels)) {
		error("DVM_LIMA_LOG_LEVEL='%s' is not a Lima log level "
		    "(trace, debug, info, warn or warning, error, fatal, "
		    "panic)", v);
		exit(EXIT_USAGE);
	}
	opt.log_level = v;
}

int
main(int argc, char **argv)
{
	static char ls_name[] = "ls";
	static char *ls_argv[] = { ls_name, NULL };
	const struct cmd *c;
	int ret;

	/* `dvm ls | head -1` must end quietly, not with an error. */
	signal(SIGPIPE, SIG_DFL);
	/* Before any child, the config bash included: see secret.h. */
	secrets_take_declared();
	if (argc < 2) {
		read_environment();
		return cmd_ls(1, ls_argv);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		print_overview(stdout);
		return EXIT_OK;
	}
	if ((c = cmd_find(argv[1])) == NULL) {
		const char *near = cmd_suggest(argv[1]);

		/* A typo gets the one line that fixes it, not the whole list. */
		if (near)
			usage_error(NULL, "unknown command '%s' (did you mean "
			    "'%s'?)", argv[1], near);
		error("unknown command '%s'", argv[1]);
		print_overview(stderr);
		return EXIT_USAGE;
	}
	read_environment();
	ret = c->fn(argc - 1, argv + 1);
	if (fflush(stdout) != 0 || ferror(stdout))
		die_errno("cannot write to standard output");
	return ret;
}
