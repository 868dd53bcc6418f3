/* Replacing dvm with `limactl shell` for sh and ssh. */
#include "compat.h"

#include <stdlib.h>

#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "proc.h"
#include "session.h"
#include "strvec.h"
#include "target.h"
#include "util.h"

int
session_exec(const char *cmd, const char *vm, const char *script,
    char *const *args)
{
	struct vm_config *c = NULL;
	struct strvec av = STRVEC_INIT, pos = STRVEC_INIT;
	char *name = (char *)vm;

	check_vm_operand(cmd, vm);
	if (config_load(&name, 1, 0, &c) < 0)
		return EXIT_FAIL;
	if (!paths_instance_exists(vm)) {
		error("VM '%s' has no Lima instance dvm-%s yet (run: dvm sync "
		    "%s)", vm, vm, vm);
		config_free(c, 1);
		return EXIT_FAIL;
	}
	strvec_push(&pos, c->code_dir);
	if (args)
		strvec_pushv(&pos, args);
	lima_user_argv(&av, opt.limactl, vm, c->user, script, pos.v);
	strvec_clear(&pos);
	config_free(c, 1);
	proc_exec(av.v);
}
