/*
 * Unsaved work: before rm or reset deletes a VM, look in its code dir
 * for work that exists nowhere else, as DVM_USER inside the VM.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "podman.h"
#include "proc.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "unsaved.h"
#include "util.h"

/*
 * Unsaved work in the code dir ($1), run as DVM_USER: git repos with
 * staged, unstaged or untracked changes, commits that no remote-tracking
 * branch has (a repo without a remote has only those) or stashes, and
 * files outside any repo.
 * Prints what it found and exits 3 when there is some; exits 4 when git
 * is needed but missing.
 */
static const char dirty_script[] =
	"code=$1\n"
	"[ -d \"$code\" ] || exit 0\n"
	"dirty=0\n"
	"repos=$(find \"$code\" -name .git -prune -print | sed 's|/\\.git$||')\n"
	"if [ -n \"$repos\" ] && ! command -v git >/dev/null 2>&1; then\n"
	"	echo 'git is not installed in the VM, so its repositories cannot "
	"be checked'\n"
	"	exit 4\n"
	"fi\n"
	"while IFS= read -r repo; do\n"
	"	[ -n \"$repo\" ] || continue\n"
	"	why=''\n"
	"	git -C \"$repo\" diff --cached --quiet 2>/dev/null || "
	"why=\"$why, staged changes\"\n"
	"	git -C \"$repo\" diff --quiet 2>/dev/null || "
	"why=\"$why, unstaged changes\"\n"
	"	[ -z \"$(git -C \"$repo\" ls-files --others --exclude-standard "
	"2>/dev/null)\" ] || why=\"$why, untracked files\"\n"
	"	[ -z \"$(git -C \"$repo\" log --branches --not --remotes "
	"--format=%h 2>/dev/null | head -n 1)\" ] || "
	"why=\"$why, commits on no remote\"\n"
	"	[ -z \"$(git -C \"$repo\" stash list 2>/dev/null | head -n 1)\" ] "
	"|| why=\"$why, stashed changes\"\n"
	"	if [ -n \"$why\" ]; then\n"
	"		echo \"repository $repo:${why#,}\"\n"
	"		dirty=1\n"
	"	fi\n"
	"done <<EOF\n"
	"$repos\n"
	"EOF\n"
	"loose=$(find \"$code\" -mindepth 1 \\( -type d -exec test -e '{}/.git' "
	"\\; -prune \\) -o -type f -print)\n"
	"if [ -n \"$loose\" ]; then\n"
	"	n=$(printf '%s\\n' \"$loose\" | wc -l)\n"
	"	echo \"$n file(s) outside any git repository, such as:\"\n"
	"	printf '%s\\n' \"$loose\" | head -n 5 | sed 's/^/  /'\n"
	"	dirty=1\n"
	"fi\n"
	"[ \"$dirty\" -eq 0 ] || exit 3\n";

/*
 * Run the check (argv in p), where names what is checked ("VM 'app'",
 * "project 'app/api'") and dir the directory it looked in.
 */
static int
run_check(struct proc *p, const char *where, const char *dir,
    const char *doing)
{
	struct strbuf out = STRBUF_INIT;
	int status, ret = -1;

	p->in = PROC_NULL;
	status = proc_capture(p, &out);
	if (status == 0) {
		ret = 0;
	} else if (status == 3) {
		error("%s has unsaved work in %s:", where, dir);
		fputs(out.buf, stderr);
		fprintf(stderr, "commit and push it, copy it out with dvm cp, "
		    "or %s anyway with --force\n", doing);
	} else if (status > 0) {
		if (out.len)
			fputs(out.buf, stderr);
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
	    dirty_script, args);
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
	strvec_pushl(&cmd, "sh", "-c", dirty_script, "sh", ".", NULL);
	podman_exec_argv(&ex, c->name, pr, 0, cmd.v);
	session_project_argv(&p.args, c, pr, 1, ex.v);
	ret = run_check(&p, where, pr->workdir, doing);
	strvec_clear(&cmd);
	strvec_clear(&ex);
	free(where);
	return ret;
}
