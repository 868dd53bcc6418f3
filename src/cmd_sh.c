/*
 * dvm sh <vm> | <vm>/<project>: an interactive login shell, as DVM_USER
 * in the code dir, or bash -l in the project's container at its workdir.
 * dvm execs limactl, so the terminal, signals and exit status are the
 * shell's own.
 */
#include "compat.h"

#include <stdlib.h>
#include <unistd.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "podman.h"
#include "scripts.h"
#include "session.h"
#include "strvec.h"
#include "target.h"
#include "util.h"

int
cmd_sh(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT, cmd = STRVEC_INIT;
	struct vm_config *c = NULL;
	const struct project *p;
	char *vm = NULL, *proj = NULL;
	int ret = EXIT_FAIL;

	parse_args(argc, argv, NULL, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	parse_target_operand(argv[0], ops.v[0], &vm, &proj);
	if (load_target(vm, proj, &c, &p) < 0)
		goto out;
	if (p == NULL) {
		ret = session_vm(c, guest_sh_login_sh, NULL);
		goto out;
	}
	strvec_pushl(&cmd, "bash", "-l", NULL);
	{
		struct strvec ex = STRVEC_INIT;

		/* -t only for a terminal: piped input stays plain input. */
		podman_exec_argv(&ex, c->name, p, isatty(STDIN_FILENO),
		    cmd.v);
		ret = session_project(c, p, 1, ex.v);
		strvec_clear(&ex);
	}
out:
	config_free(c, 1);
	strvec_clear(&cmd);
	strvec_clear(&ops);
	free(vm);
	free(proj);
	return ret;
}
