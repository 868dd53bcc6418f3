/* Replacing dvm with `limactl shell` for sh, ssh and logs. */
#include "compat.h"

#include <stdlib.h>

#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "podman.h"
#include "proc.h"
#include "session.h"
#include "strvec.h"
#include "util.h"

/*
 * $1 VM, $2 container, $3 "start" or not, then the command. Runs as
 * DVM_USER, whose rootless podman needs XDG_RUNTIME_DIR.
 */
static const char project_script[] =
	"export XDG_RUNTIME_DIR=\"/run/user/$(id -u)\"\n"
	PODMAN_HAS_CONTAINER("")
	"if ! dvm_has_container \"$2\"; then\n"
	"	echo \"dvm: error: no container for $1/$2 (run: dvm sync $1/$2)\" >&2\n"
	"	exit 1\n"
	"fi\n"
	"if [ \"$3\" = start ]; then\n"
	"	podman start \"$2\" >/dev/null || exit\n"
	"fi\n"
	"shift 3\n"
	"exec \"$@\"\n";

int
session_need_instance(const char *vm)
{
	if (paths_instance_exists(vm))
		return 0;
	return error("VM '%s' has no Lima instance dvm-%s yet (run: dvm sync "
	    "%s)", vm, vm, vm);
}

int
session_vm(const struct vm_config *c, const char *script, char *const *args)
{
	struct strvec av = STRVEC_INIT, pos = STRVEC_INIT;

	if (session_need_instance(c->name) < 0)
		return EXIT_FAIL;
	strvec_push(&pos, c->code_dir);
	if (args)
		strvec_pushv(&pos, args);
	lima_user_argv(&av, opt.limactl, c->name, 1, c->user, script, pos.v);
	strvec_clear(&pos);
	proc_exec(av.v);
}

void
session_project_argv(struct strvec *av, const struct vm_config *c,
    const struct project *p, int start, char *const *cmd)
{
	struct strvec pos = STRVEC_INIT;

	strvec_pushl(&pos, c->name, p->name, start ? "start" : "-", NULL);
	strvec_pushv(&pos, cmd);
	lima_user_argv(av, opt.limactl, c->name, 1, c->user, project_script,
	    pos.v);
	strvec_clear(&pos);
}

int
session_project(const struct vm_config *c, const struct project *p,
    int start, char *const *cmd)
{
	struct strvec av = STRVEC_INIT;

	if (session_need_instance(c->name) < 0)
		return EXIT_FAIL;
	session_project_argv(&av, c, p, start, cmd);
	proc_exec(av.v);
}
