/*
 * Unsaved work: before rm or reset deletes a VM, look in its code dir
 * for work that exists nowhere else, as DVM_USER inside the VM.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "dvm.h"
#include "guesttext.h"
#include "lima.h"
#include "podman.h"
#include "proc.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "unsaved.h"
#include "util.h"

/*
 * Run the check (argv in p), where names what is checked ("VM 'app'",
 * "project 'app/api'") and dir the directory it looked in. Nothing the
 * guest prints reaches the terminal as it came: it is all sanitized.
 */
static int
run_check(struct proc *p, const char *where, const char *dir,
    const char *doing)
{
	struct strbuf out = STRBUF_INIT;
	int status, ret = -1;

	status = guest_capture(p, &out);
	if (status == 0) {
		ret = 0;
	} else if (status == 3) {
		error("%s has unsaved work in %s:", where, dir);
		guest_text_show(out.buf, out.len);
		fprintf(stderr, "to keep it, push it to a remote or copy it "
		    "out with dvm cp, which leaves .git behind;\n"
		    "for commits and stashes, copy out a bundle (git bundle "
		    "create <file> --all) or use\n"
		    "dvm cp --with-vcs, and read .git/config before running "
		    "git on that copy: git config\n"
		    "from a VM can run commands on this host;\n"
		    "or %s anyway with --force\n", doing);
	} else if (status > 0) {
		guest_text_show(out.buf, out.len);
		error("cannot check %s for unsaved work (exit status %d); "
		    "%s anyway with --force", where, status, doing);
	}
	strbuf_release(&out);
	return ret;
}

int
unsaved_check(const struct vm_config *c, const char *doing)
{
	struct proc p = PROC_INIT;
	char *args[2], *where = xasprintf("VM '%s'", c->name);
	int ret;

	args[0] = c->code_dir;
	args[1] = NULL;
	lima_user_argv(&p.args, opt.limactl, c->name, 1, c->user,
	    guest_unsaved_sh, args);
	ret = run_check(&p, where, c->code_dir, doing);
	free(where);
	return ret;
}

int
unsaved_check_project(const struct vm_config *c, const struct project *pr,
    const char *doing)
{
	struct proc p = PROC_INIT;
	struct strvec cmd = STRVEC_INIT, ex = STRVEC_INIT;
	char *where = xasprintf("project '%s/%s'", c->name, pr->name);
	int ret;

	/*
	 * The container is started if stopped: the volume is seen in it,
	 * from its workdir (podman exec --workdir), so "." is the volume.
	 */
	strvec_pushl(&cmd, "sh", "-c", guest_unsaved_sh, "sh", ".", NULL);
	podman_exec_argv(&ex, c->name, pr, 0, cmd.v);
	session_project_argv(&p.args, c, pr, 1, ex.v);
	ret = run_check(&p, where, pr->workdir, doing);
	strvec_clear(&cmd);
	strvec_clear(&ex);
	free(where);
	return ret;
}
