/*
 * dvm sh <vm>: an interactive login shell as DVM_USER, in the code dir.
 * dvm execs limactl, so the terminal, signals and exit status are the
 * shell's own.
 */
#include "compat.h"

#include "args.h"
#include "dvm.h"
#include "session.h"
#include "strvec.h"

/* $1 is the code dir; start DVM_USER's own login shell there. */
static const char sh_script[] =
	"cd \"$1\" 2>/dev/null || cd\n"
	"shell=$(getent passwd \"$(id -un)\" | cut -d: -f7)\n"
	"exec \"${shell:-/bin/bash}\" -l\n";

int
cmd_sh(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT;
	int ret;

	parse_args(argc, argv, NULL, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	ret = session_exec(argv[0], ops.v[0], sh_script, NULL);
	strvec_clear(&ops);
	return ret;
}
