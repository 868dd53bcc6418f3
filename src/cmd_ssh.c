/*
 * dvm ssh <vm> [--] cmd...: run one command as DVM_USER in the code dir.
 * The words reach the VM as separate arguments, never re-split, and the
 * command's exit status becomes dvm's (dvm execs limactl).
 */
#include "compat.h"

#include <string.h>

#include "args.h"
#include "dvm.h"
#include "session.h"
#include "strvec.h"

/* $1 is the code dir, the rest is the command. */
static const char ssh_script[] =
	"cd \"$1\" 2>/dev/null || cd\n"
	"shift\n"
	"exec \"$@\"\n";

int
cmd_ssh(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT;
	char *const *cmd;
	size_t first = 0;
	int ret;

	parse_args(argc, argv, NULL, 1, &ops);
	if (ops.nr > 0 && strcmp(ops.v[0], "--") == 0)
		first = 1;
	if (ops.nr <= first)
		usage_error(argv[0], "missing VM name");
	cmd = ops.v + first + 1;
	if (*cmd && strcmp(*cmd, "--") == 0)
		cmd++;
	if (*cmd == NULL)
		usage_error(argv[0], "missing command to run");
	ret = session_exec(argv[0], ops.v[first], ssh_script, cmd);
	strvec_clear(&ops);
	return ret;
}
