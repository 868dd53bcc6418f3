/*
 * Spawning and reaping children. Everything about fork, exec, wait and
 * signals lives here so that it is right in one place.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "strbuf.h"
#include "util.h"

static volatile sig_atomic_t caught_signal;
static const char *missing_prog, *missing_hint;

static void cannot_run(const char *, int);

static void
on_signal(int sig)
{
	caught_signal = sig;
}

void
proc_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int
proc_caught(void)
{
	return caught_signal;
}

void
proc_die_of_signal(int sig)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static int
set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

/* Child side, after fork: only async-signal-safe calls from here on. */
static void
child(struct proc *p, int in, int out, int err, int notify)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGPIPE, SIGTSTP,
	    SIGTERM, SIGHUP, SIGCHLD };
	struct sigaction sa;
	sigset_t empty;
	size_t i;
	int e;

	if (p->new_pgrp)
		setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < nitems(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &empty, NULL);

	if (in >= 0 && in != STDIN_FILENO) {
		dup2(in, STDIN_FILENO);
		close(in);
	}
	if (out >= 0 && out != STDOUT_FILENO) {
		dup2(out, STDOUT_FILENO);
		if (out != err)
			close(out);
	}
	if (err == -2)
		dup2(STDOUT_FILENO, STDERR_FILENO);
	else if (err >= 0 && err != STDERR_FILENO) {
		dup2(err, STDERR_FILENO);
		close(err);
	}
	execvp(p->args.v[0], p->args.v);
	e = errno;
	(void)!write(notify, &e, sizeof(e));
	_exit(127);
}

int
proc_start(struct proc *p)
{
	int notify[2] = { -1, -1 }, pipefd[2] = { -1, -1 };
	int errpipe[2] = { -1, -1 };
	int in = -1, out = -1, err = -1, ret = -1, e;
	ssize_t n;

	if (p->args.nr == 0) {
		error("internal: empty command");
		goto out;
	}
	fflush(NULL);
	if (p->in == PROC_NULL) {
		if ((in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
			error_errno("cannot open /dev/null");
			goto out;
		}
	} else if (p->in > 0) {
		in = p->in;
	}
	if (p->out == PROC_PIPE) {
		if (pipe(pipefd) < 0 || set_cloexec(pipefd[0]) < 0 ||
		    set_cloexec(pipefd[1]) < 0) {
			error_errno("cannot create a pipe");
			goto out;
		}
		out = pipefd[1];
	} else if (p->out == PROC_NULL) {
		if ((out = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
			error_errno("cannot open /dev/null");
			goto out;
		}
	} else if (p->out > 0) {
		out = p->out;
	}
	if (p->err == PROC_TO_OUT) {
		err = -2;
	} else if (p->err == PROC_NULL) {
		/* Unread: a guest's stderr never reaches the terminal raw. */
		if ((err = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
			error_errno("cannot open /dev/null");
			goto out;
		}
	} else if (p->err == PROC_PIPE) {
		if (pipe(errpipe) < 0 || set_cloexec(errpipe[0]) < 0 ||
		    set_cloexec(errpipe[1]) < 0) {
			error_errno("cannot create a pipe");
			goto out;
		}
		err = errpipe[1];
	} else if (p->err > 0)
		err = p->err;
	if (pipe(notify) < 0 || set_cloexec(notify[0]) < 0 ||
	    set_cloexec(notify[1]) < 0) {
		error_errno("cannot create a pipe");
		goto out;
	}

	p->pid = fork();
	if (p->pid < 0) {
		error_errno("cannot fork");
		goto out;
	}
	if (p->pid == 0)
		child(p, in, out, err, notify[1]);
	if (p->new_pgrp)
		setpgid(p->pid, p->pid);	/* no race with the child */

	close(notify[1]);
	notify[1] = -1;
	do {
		n = read(notify[0], &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(e)) {
		int status;

		while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
			;
		p->pid = -1;
		cannot_run(p->args.v[0], e);
		if (pipefd[0] >= 0) {
			close(pipefd[0]);
			pipefd[0] = -1;
		}
		goto out;
	}
	if (p->out == PROC_PIPE) {
		p->out = pipefd[0];
		pipefd[0] = -1;
	}
	if (p->err == PROC_PIPE) {
		p->err = errpipe[0];
		errpipe[0] = -1;
	}
	ret = 0;
out:
	if (notify[0] >= 0)
		close(notify[0]);
	if (notify[1] >= 0)
		close(notify[1]);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (err >= 0 && err != out)
		close(err);
	if (ret < 0)
		strvec_clear(&p->args);
	return ret;
}

int
proc_start_fn(struct proc *p, int (*fn)(void *), void *arg)
{
	int pipefd[2], null;

	fflush(NULL);
	if (pipe(pipefd) < 0 || set_cloexec(pipefd[0]) < 0) {
		error_errno("cannot create a pipe");
		return -1;
	}
	p->pid = fork();
	if (p->pid < 0) {
		error_errno("cannot fork");
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (p->pid == 0) {
		close(pipefd[0]);
		if ((null = open("/dev/null", O_RDONLY)) >= 0) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[1]);
		/* A copy of dvm, not an exec: flush what fn printed, then go. */
		{
			int status = fn(arg);

			fflush(NULL);
			_exit(status);
		}
	}
	close(pipefd[1]);
	p->out = pipefd[0];
	return 0;
}

static int
decode_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int
proc_poll(struct proc *p, int *status)
{
	int st;
	pid_t r;

	if (p->pid < 0)
		return 1;
	do {
		r = waitpid(p->pid, &st, WNOHANG);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	*status = r < 0 ? 255 : decode_status(st);
	p->pid = -1;
	strvec_clear(&p->args);
	return 1;
}

int
proc_finish(struct proc *p)
{
	int status = 255, st;

	if (p->pid > 0) {
		while (waitpid(p->pid, &st, 0) < 0) {
			if (errno != EINTR) {
				st = -1;
				break;
			}
		}
		status = st == -1 ? 255 : decode_status(st);
	}
	p->pid = -1;
	strvec_clear(&p->args);
	return status;
}

void
proc_kill(struct proc *p, int sig)
{
	if (p->pid <= 0)
		return;
	if (p->new_pgrp)
		kill(-p->pid, sig);
	else
		kill(p->pid, sig);
}

int
proc_capture(struct proc *p, struct strbuf *out)
{
	char buf[8192];
	int fd;

	p->out = PROC_PIPE;
	if (proc_start(p) < 0)
		return -1;
	fd = p->out;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break;
		strbuf_add(out, buf, (size_t)n);
	}
	close(fd);
	return proc_finish(p);
}

void
proc_set_missing_hint(const char *prog, const char *hint)
{
	missing_prog = prog;
	missing_hint = hint;
}

static int
hinted(const char *prog, int errnum)
{
	return errnum == ENOENT && missing_prog &&
	    strcmp(prog, missing_prog) == 0;
}

/* "cannot run PROG: why", and the hint when PROG is not there at all. */
static void
cannot_run(const char *prog, int errnum)
{
	if (hinted(prog, errnum))
		error("cannot run %s: %s; %s", prog, strerror(errnum),
		    missing_hint);
	else
		error("cannot run %s: %s", prog, strerror(errnum));
}

void
proc_exec(char *const *argv)
{
	int errnum;

	fflush(NULL);
	execvp(argv[0], argv);
	errnum = errno;
	if (errnum == ENOENT && !hinted(argv[0], errnum))
		error("%s: command not found", argv[0]);
	else
		cannot_run(argv[0], errnum);
	exit(errnum == ENOENT ? 127 : 126);
}
