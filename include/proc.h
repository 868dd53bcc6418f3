/*
 * proc.h: the only module that forks, execs and waits.
 *
 * Fill a struct proc, proc_start() it, use the fds it hands back, then
 * proc_finish(). File descriptors:
 *   in:  0 inherit; PROC_NULL reads /dev/null; >0 an fd that becomes the
 *        child's stdin and is closed by proc_start(), even on error.
 *   out: 0 inherit; PROC_PIPE makes a pipe whose read end is stored back
 *        in out (the caller closes it); >0 an fd the child writes to,
 *        closed by proc_start().
 *   err: 0 inherit; PROC_NULL discards it; PROC_TO_OUT sends stderr
 *        where stdout goes; PROC_PIPE and >0 as for out.
 * The child gets default signal dispositions and, with new_pgrp set, its
 * own process group, so dvm decides when an interrupt reaches it.
 */
#ifndef DVM_PROC_H
#define DVM_PROC_H

#include <sys/types.h>

#include "strvec.h"

enum {
	PROC_NULL = -1,
	PROC_PIPE = -2,
	PROC_TO_OUT = -3
};

struct proc {
	struct strvec	args;
	int		in, out, err;
	int		new_pgrp;
	pid_t		pid;
};
#define PROC_INIT { STRVEC_INIT, 0, 0, 0, 0, -1 }

/* 0 once the child runs; -1 (reported) if it could not be started. */
int proc_start(struct proc *p);
/*
 * Wait for the child and clear p->args. Returns its exit status, or
 * 128 + signal if it was killed, like a shell reports it.
 */
int proc_finish(struct proc *p);
/* Poll the child: 1 and *status if it has exited, 0 if still running. */
int proc_poll(struct proc *p, int *status);
/* Send sig to the child (its whole group when it has one). */
void proc_kill(struct proc *p, int sig);
/*
 * Run p with stdout captured into out; stderr inherited unless p->err is
 * set. Returns the exit status as proc_finish() does, -1 if not started.
 */
struct strbuf;
int proc_capture(struct proc *p, struct strbuf *out);
/*
 * Run fn(arg) in a forked copy of dvm instead of a program: its stdout
 * and stderr go to a pipe whose read end is stored in p->out, stdin is
 * /dev/null, and the child exits with fn's return value. For work that
 * runs side by side (sync --all); p->args only names it in messages.
 */
int proc_start_fn(struct proc *p, int (*fn)(void *), void *arg);
/* Replace dvm with argv. Does not return: 127 if not found, else 126. */
void proc_exec(char *const *argv) NORETURN;
/*
 * What to tell the user when prog cannot be found, e.g. how to install
 * Lima for limactl: added to the "cannot run" error. One program.
 */
void proc_set_missing_hint(const char *prog, const char *hint);

/*
 * Interrupt handling for supervised children: after proc_catch_signals(),
 * SIGINT, SIGTERM and SIGHUP only record themselves; proc_caught() returns
 * the pending signal number (0 if none) for the supervising loop to act on.
 */
void proc_catch_signals(void);
int proc_caught(void);
/* Restore the default action and re-raise sig, so dvm dies of it. */
void proc_die_of_signal(int sig) NORETURN;

#endif
