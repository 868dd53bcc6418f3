/*
 * The supervisor of sync --all: one forked worker per VM, up to jobs at
 * a time, their pipes read without blocking so that no worker waits on
 * another, and each line shown under its VM's name.
 */
#include "compat.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "dvm.h"
#include "parallel.h"
#include "proc.h"
#include "sanitize.h"
#include "strbuf.h"
#include "strvec.h"
#include "ui.h"
#include "util.h"

enum worker_state {
	WORKER_QUEUED,
	WORKER_RUNNING,
	WORKER_DONE
};

struct worker {
	const struct vm_config	*c;
	parallel_fn		 fn;
	struct proc		 p;
	struct strbuf		 out;	/* everything it printed */
	struct strbuf		 partial;	/* a line not ended yet */
	enum worker_state	 state;
	int			 status;
};

/* In the forked copy of dvm. */
static int
worker_main(void *arg)
{
	struct worker *w = arg;

	ui_plain();	/* its output goes to the parent, not a terminal */
	return w->fn(w->c);
}

/*
 * A worker's output is dvm's, with guest text already sanitized; it is
 * sanitized again (a no-op then) so that nothing a child of the worker
 * let through unfiltered reaches the terminal.
 */
static void
worker_line(struct worker *w, size_t i, const char *line, int board)
{
	char *shown = sanitize_str(line, SANITIZE_LINES);

	if (board) {
		char *text = xasprintf("%s: %s", w->c->name, shown);

		ui_board_set(i, text);
		free(text);
	} else {
		fprintf(stderr, "[%s] %s\n", w->c->name, shown);
	}
	free(shown);
}

static void
worker_feed(struct worker *w, size_t i, const char *buf, size_t n, int board)
{
	size_t k, start = 0;

	strbuf_add(&w->out, buf, n);
	for (k = 0; k < n; k++) {
		if (buf[k] != '\n')
			continue;
		strbuf_add(&w->partial, buf + start, k - start);
		worker_line(w, i, w->partial.buf, board);
		strbuf_reset(&w->partial);
		start = k + 1;
	}
	strbuf_add(&w->partial, buf + start, n - start);
}

/* Start queued workers while fewer than jobs run; *done counts failures. */
static void
start_queued(struct worker *w, size_t n, unsigned long jobs,
    size_t *running, size_t *done)
{
	size_t i;

	for (i = 0; i < n && *running < jobs; i++) {
		if (w[i].state != WORKER_QUEUED)
			continue;
		strvec_push(&w[i].p.args, w[i].c->name);
		if (proc_start_fn(&w[i].p, worker_main, &w[i]) < 0) {
			w[i].state = WORKER_DONE;
			w[i].status = EXIT_FAIL;
			(*done)++;
			continue;
		}
		/* Never block on one worker while others talk. */
		fcntl(w[i].p.out, F_SETFL, fcntl(w[i].p.out, F_GETFL) |
		    O_NONBLOCK);
		w[i].state = WORKER_RUNNING;
		(*running)++;
	}
}

/*
 * Take what running worker i has written. Returns 1 once it has exited
 * and everything it wrote is shown, else 0.
 */
static int
worker_collect(struct worker *w, size_t i, int board)
{
	char buf[4096];
	ssize_t r;
	int st;

	if (w->p.out > 0) {
		r = read(w->p.out, buf, sizeof(buf));
		if (r > 0) {
			worker_feed(w, i, buf, (size_t)r, board);
			return 0;
		}
		if (r == 0) {
			close(w->p.out);
			w->p.out = 0;
		}
	}
	/* EOF, or nothing to read: done once it has exited. */
	if (!proc_poll(&w->p, &st))
		return 0;
	if (w->p.out > 0) {
		while ((r = read(w->p.out, buf, sizeof(buf))) > 0)
			worker_feed(w, i, buf, (size_t)r, board);
		close(w->p.out);
		w->p.out = 0;
	}
	w->status = st;
	if (w->partial.len)
		worker_line(w, i, w->partial.buf, board);
	w->state = WORKER_DONE;
	if (board) {
		char *text = xasprintf("%s %s: %s", st ? "✗" : "✓",
		    w->c->name, st ? "failed" : "ready");

		ui_board_set(i, text);
		free(text);
	}
	return 1;
}

size_t
parallel_run(const struct vm_config *vms, size_t n, unsigned long jobs,
    parallel_fn fn)
{
	struct worker *w = xcalloc(n, sizeof(*w));
	struct pollfd *pfd = xcalloc(n, sizeof(*pfd));
	struct strvec names = STRVEC_INIT;
	size_t i, running = 0, done = 0, failed = 0;
	int board = ui_fancy();

	proc_catch_signals();
	for (i = 0; i < n; i++) {
		w[i].c = &vms[i];
		w[i].fn = fn;
		strbuf_init(&w[i].out);
		strbuf_init(&w[i].partial);
		w[i].p.pid = -1;
		strvec_push(&names, vms[i].name);
	}
	if (board)
		ui_board_begin(names.v, n);
	while (done < n) {
		size_t np = 0;
		int sig;

		start_queued(w, n, jobs, &running, &done);
		for (i = 0; i < n; i++) {
			if (w[i].state == WORKER_RUNNING && w[i].p.out > 0) {
				pfd[np].fd = w[i].p.out;
				pfd[np].events = POLLIN;
				np++;
			}
		}
		poll(pfd, np, 100);
		if ((sig = proc_caught()) != 0) {
			/* The workers saw the same terminal signal. */
			for (i = 0; i < n; i++)
				if (w[i].state == WORKER_RUNNING)
					proc_finish(&w[i].p);
			if (board)
				ui_board_end();
			proc_die_of_signal(sig);
		}
		for (i = 0; i < n; i++) {
			if (w[i].state == WORKER_RUNNING &&
			    worker_collect(&w[i], i, board)) {
				running--;
				done++;
			}
		}
	}
	if (board)
		ui_board_end();
	for (i = 0; i < n; i++) {
		if (w[i].status != EXIT_OK) {
			failed++;
			if (board) {
				char *shown = sanitize_str(w[i].out.buf,
				    SANITIZE_LINES);

				ui_heading("%s", w[i].c->name);
				fputs(shown, stderr);
				free(shown);
			}
		}
		strbuf_release(&w[i].out);
		strbuf_release(&w[i].partial);
		strvec_clear(&w[i].p.args);
	}
	strvec_clear(&names);
	free(pfd);
	free(w);
	return failed;
}
