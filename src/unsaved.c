/*
 * Unsaved work: before rm or reset deletes a VM, look in its code dir
 * for work that exists nowhere else, as DVM_USER inside the VM.
 */
#include "compat.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "podman.h"
#include "proc.h"
#include "sanitize.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "unsaved.h"
#include "util.h"

/* The most of the check's output we keep: it is only ever shown. */
#define MAX_GUEST_TEXT	(64 * 1024)

/* Print guest text on stderr, as text that cannot drive the terminal. */
static void
show_guest_text(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	sanitize_add(&sb, s, len, SANITIZE_LINES);
	if (sb.len && sb.buf[sb.len - 1] != '\n')
		strbuf_addch(&sb, '\n');
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
}

/* Show the whole lines in pending (all of it when last), keep the rest. */
static void
show_lines(struct strbuf *pending, int last)
{
	size_t n = pending->len;

	/* A line that never ends is shown in pieces, not kept growing. */
	if (!last && n < MAX_GUEST_TEXT)
		while (n > 0 && pending->buf[n - 1] != '\n')
			n--;
	if (n == 0)
		return;
	show_guest_text(pending->buf, n);
	memmove(pending->buf, pending->buf + n, pending->len - n);
	pending->len -= n;
	pending->buf[pending->len] = '\0';
}

/*
 * Run p with its stdout read into out, and its stderr (limactl starting
 * the VM, the guest's complaints) shown as it comes, line by line and
 * sanitized. Returns its exit status, -1 if it could not be started.
 */
static int
capture(struct proc *p, struct strbuf *out)
{
	struct strbuf pending = STRBUF_INIT;
	struct pollfd pfd[2];
	char buf[8192];
	ssize_t n;
	int i;

	p->in = PROC_NULL;
	p->out = PROC_PIPE;
	p->err = PROC_PIPE;
	if (proc_start(p) < 0)
		return -1;
	pfd[0].fd = p->out;
	pfd[1].fd = p->err;
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			} else if (i == 0) {
				/* Enough to show; the rest is drained unseen. */
				if (out->len < MAX_GUEST_TEXT)
					strbuf_add(out, buf, (size_t)n);
			} else {
				strbuf_add(&pending, buf, (size_t)n);
				show_lines(&pending, 0);
			}
		}
	}
	for (i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	show_lines(&pending, 1);
	strbuf_release(&pending);
	return proc_finish(p);
}

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

	status = capture(p, &out);
	if (status == 0) {
		ret = 0;
	} else if (status == 3) {
		error("%s has unsaved work in %s:", where, dir);
		show_guest_text(out.buf, out.len);
		fprintf(stderr, "to keep it, push it to a remote or copy it "
		    "out with dvm cp, which leaves .git behind;\n"
		    "for commits and stashes, copy out a bundle (git bundle "
		    "create <file> --all) or use\n"
		    "dvm cp --with-vcs, and read .git/config before running "
		    "git on that copy: git config\n"
		    "from a VM can run commands on this host;\n"
		    "or %s anyway with --force\n", doing);
	} else if (status > 0) {
		show_guest_text(out.buf, out.len);
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
