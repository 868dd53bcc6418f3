/*
 * dvm ssh <vm> | <vm>/<project> [--] cmd...: run one command as DVM_USER
 * in the code dir, or in the project's container at its workdir. The
 * words reach the guest as separate arguments, never re-split, and the
 * command's exit status becomes dvm's (dvm execs limactl).
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

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
cmd_ssh(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT, ex = STRVEC_INIT;
	struct vm_config *c = NULL;
	const struct project *p;
	char *const *cmd;
	char *vm = NULL, *proj = NULL;
	size_t first = 0;
	int ret = EXIT_FAIL;

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
	parse_target_operand(argv[0], ops.v[first], &vm, &proj);
	if (load_target(vm, proj, &c, &p) < 0)
		goto out;
	if (p == NULL) {
		ret = session_vm(c, guest_ssh_exec_sh, cmd);
		goto out;
	}
	podman_exec_argv(&ex, c->name, p, 0, cmd);
	ret = session_project(c, p, 1, ex.v);
out:
	config_free(c, 1);
	strvec_clear(&ex);
	strvec_clear(&ops);
	free(vm);
	free(proj);
	return ret;
}
