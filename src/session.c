/*
 * Replacing dvm with `limactl shell` for sh, ssh and logs, and the argv
 * of the one-shot scripts that run DVM_USER's podman.
 */
#include "compat.h"

#include <stdlib.h>

#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "proc.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

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
session_podman_argv(struct strvec *av, const struct vm_config *c, int start,
    const char *body, char *const *args)
{
	struct strbuf script = STRBUF_INIT;

	strbuf_addstr(&script, guest_dev_env_sh);
	strbuf_addstr(&script, guest_has_container_sh);
	strbuf_addstr(&script, body);
	lima_user_argv(av, opt.limactl, c->name, start, c->user, script.buf,
	    args);
	strbuf_release(&script);
}

void
session_project_argv(struct strvec *av, const struct vm_config *c,
    const struct project *p, int start, char *const *cmd)
{
	struct strvec pos = STRVEC_INIT;

	strvec_pushl(&pos, c->name, p->name, start ? "start" : "-", NULL);
	strvec_pushv(&pos, cmd);
	session_podman_argv(av, c, 1, guest_project_exec_sh, pos.v);
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
