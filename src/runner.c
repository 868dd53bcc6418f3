/*
 * Running a plan: one child at a time, its output read line by line,
 * markers turned into steps, lines written to the step's log.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dvm.h"
#include "guest.h"
#include "lock.h"
#include "proc.h"
#include "quote.h"
#include "runner.h"
#include "sanitize.h"
#include "strbuf.h"
#include "strvec.h"
#include "ui.h"
#include "util.h"

/* Lines of a failed step's output shown under its cross. */
#define TAIL_LINES 20
/* Warnings (dvm_warn_host) one guest script may show, and their width. */
#define MAX_WARNINGS 8
#define WARNING_WIDTH 1000
/*
 * Bytes kept of each of them: even with every byte shown as \xNN it
 * still fits in one ui_detail() line.
 */
#define TAIL_WIDTH 1000

void
plan_init(struct plan *p, const char *vm, int dry_run)
{
	p->vm = vm ? xstrdup(vm) : NULL;
	p->dry_run = dry_run;
	p->heading = NULL;
	p->items = NULL;
	p->nr = 0;
}

static struct plan_item *
new_item(struct plan *p, struct strvec *av)
{
	struct plan_item *it;

	p->items = xreallocarray(p->items, p->nr + 1, sizeof(*p->items));
	it = &p->items[p->nr++];
	memset(it, 0, sizeof(*it));
	if (av) {
		it->argv = *av;
		strvec_init(av);
	} else {
		strvec_init(&it->argv);
	}
	return it;
}

void
plan_add_host(struct plan *p, const char *label, enum log_kind log,
    struct strvec *av)
{
	struct plan_item *it = new_item(p, av);

	it->label = xstrdup(label);
	it->log = log;
}

void
plan_add_guest(struct plan *p, struct strvec *av, struct guest_script *gs,
    const struct vm_config *c)
{
	struct plan_item *it = new_item(p, av);

	it->steps = *gs;
	gs->steps = NULL;
	gs->nr = 0;
	strvec_init(&gs->secrets);
	it->config = c;
}

void
plan_add_call(struct plan *p, plan_fn *fn, void *arg, const char *ok,
    const char *dry)
{
	struct plan_item *it = new_item(p, NULL);

	it->fn = fn;
	it->arg = arg;
	it->ok = ok ? xstrdup(ok) : NULL;
	it->dry = dry ? xstrdup(dry) : NULL;
}

void
plan_add_ok(struct plan *p, const char *text)
{
	plan_add_call(p, NULL, NULL, text, NULL);
}

void
plan_release(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		strvec_clear(&p->items[i].argv);
		free(p->items[i].label);
		guest_script_release(&p->items[i].steps);
		free(p->items[i].ok);
		free(p->items[i].dry);
	}
	free(p->items);
	free(p->vm);
	free(p->heading);
	p->items = NULL;
	p->vm = NULL;
	p->heading = NULL;
	p->nr = 0;
}

void
plan_print(const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	if (p->heading)
		strbuf_addf(&sb, "%s\n", p->heading);
	for (i = 0; i < p->nr; i++) {
		const struct plan_item *it = &p->items[i];

		if (it->argv.nr == 0) {
			if (it->dry)
				strbuf_addf(&sb, "%s\n", it->dry);
			continue;
		}
		sq_quote_argv(&sb, it->argv.v);
		strbuf_addch(&sb, '\n');
		for (j = 0; j < it->steps.nr; j++)
			strbuf_addf(&sb, "  stdin step %zu: %s\n", j + 1,
			    it->steps.steps[j].summary);
		if (it->steps.nr && opt.verbose) {
			strbuf_addstr(&sb, "# its stdin, as it would be sent "
			    "but for the nonce (" GUEST_SHOWN_NONCE ") and "
			    "secret values:\n");
			guest_show(&sb, &it->steps, it->config);
			strbuf_addstr(&sb, "# end of stdin\n");
		}
	}
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
}

/* The last lines of the current step, for the failure report. */
struct tail {
	char	*line[TAIL_LINES];
	size_t	 next, count;
};

/*
 * Keep a line of guest output for the failure report, made safe to
 * print: the report is dvm's own output, the log keeps the raw bytes.
 */
static void
tail_push(struct tail *t, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t keep = len;

	if (keep > TAIL_WIDTH) {
		/* Cut before a character, not inside one. */
		keep = TAIL_WIDTH;
		while (keep > TAIL_WIDTH - 3 &&
		    ((unsigned char)s[keep] & 0xc0) == 0x80)
			keep--;
	}
	sanitize_add(&sb, s, keep, SANITIZE_LINES);
	if (keep < len)
		strbuf_addstr(&sb, " …");
	free(t->line[t->next]);
	t->line[t->next] = strbuf_detach(&sb);
	t->next = (t->next + 1) % TAIL_LINES;
	if (t->count < TAIL_LINES)
		t->count++;
}

static void
tail_clear(struct tail *t)
{
	size_t i;

	for (i = 0; i < TAIL_LINES; i++) {
		free(t->line[i]);
		t->line[i] = NULL;
	}
	t->next = t->count = 0;
}

/* State of one child being supervised. */
struct stream {
	const struct plan_item	*item;
	struct vm_logs		*logs;
	const char		*nonce;		/* NULL for host items */
	long			 cur;		/* running step, -1 none */
	long			 failed;	/* first failed step, -1 none */
	int			 failed_rc;
	size_t			 done;		/* steps that ended */
	int			 pending_blank;
	struct tail		 tail;
	struct strbuf		 partial;
	const char		*vm;
	struct timespec		 step_start;	/* for DVM_STEP_TIMEOUT */
	int			 timed_out;
	int			 log_errno;	/* a log write failed */
	char			 result[GUEST_RESULT_MAX + 1];	/* dvm_result */
	struct strvec		 warnings;	/* shown when the step ends */
	size_t			 nr_warnings;	/* received in this run */
};

static void
clock_now(struct timespec *ts)
{
	if (clock_gettime(CLOCK_MONOTONIC, ts) < 0)
		ts->tv_sec = ts->tv_nsec = 0;
}

/* Has the running step used up DVM_STEP_TIMEOUT? */
static int
step_overdue(const struct stream *s)
{
	struct timespec now;

	if (opt.step_timeout == 0)
		return 0;
	clock_now(&now);
	return now.tv_sec - s->step_start.tv_sec > (time_t)opt.step_timeout ||
	    (now.tv_sec - s->step_start.tv_sec == (time_t)opt.step_timeout &&
	    now.tv_nsec >= s->step_start.tv_nsec);
}

static const char *
step_label(const struct stream *s, long i)
{
	if (s->nonce == NULL)
		return s->item->label;
	return s->item->steps.steps[i].label;
}

static int
step_log(const struct stream *s)
{
	enum log_kind k;

	if (s->nonce == NULL)
		k = s->item->log;
	else if (s->cur >= 0)
		k = s->item->steps.steps[s->cur].log;
	else
		k = LOG_LIMA;
	return s->logs->fd[k];
}

static const char *
step_log_path(const struct stream *s, long i)
{
	enum log_kind k = s->nonce == NULL ? s->item->log :
	    s->item->steps.steps[i].log;

	return s->logs->path[k];
}

static void
report_failure(struct stream *s, long i, int rc)
{
	const char *path = step_log_path(s, i);
	const char *base = strrchr(path, '/');
	size_t k, idx;

	ui_step_end(step_label(s, i), 0);
	if (s->timed_out)
		ui_detail("%s: %s timed out after %lu s (DVM_STEP_TIMEOUT). "
		    "full log: %s", s->vm, step_label(s, i), opt.step_timeout,
		    path);
	else
		ui_detail("%s: %s failed with exit status %d. full log: %s",
		    s->vm, step_label(s, i), rc, path);
	if (s->tail.count == 0) {
		ui_detail("last lines of %s: none, the step printed nothing",
		    base ? base + 1 : path);
		return;
	}
	ui_detail("last lines of %s:", base ? base + 1 : path);
	idx = (s->tail.next + TAIL_LINES - s->tail.count) % TAIL_LINES;
	for (k = 0; k < s->tail.count; k++) {
		ui_detail("  %s", s->tail.line[idx]);
		idx = (idx + 1) % TAIL_LINES;
	}
}

/* The guest step i, or NULL for a host item. */
static const struct guest_step *
guest_step(const struct stream *s, long i)
{
	return s->nonce ? &s->item->steps.steps[i] : NULL;
}

static void
begin_step(struct stream *s, long i)
{
	const struct guest_step *g = guest_step(s, i);

	s->cur = i;
	s->result[0] = '\0';
	clock_now(&s->step_start);
	tail_clear(&s->tail);
	if (log_header(step_log(s), step_label(s, i),
	    s->nonce ? NULL : s->item->argv.v) < 0 && !s->log_errno)
		s->log_errno = errno ? errno : EIO;
	if (g == NULL || !g->quiet)
		ui_step_begin(step_label(s, i));
}

/* The check mark of a step that succeeded (none for a quiet one). */
static void
step_done(const struct stream *s, long i)
{
	const struct guest_step *g = guest_step(s, i);

	if (g && g->result_word && strcmp(s->result, g->result_word) == 0)
		ui_step_end(g->result_label, 1);
	else if (g == NULL || !g->quiet)
		ui_step_end(step_label(s, i), 1);
}

static long
find_step(const struct stream *s, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < s->item->steps.nr; i++) {
		const char *sid = s->item->steps.steps[i].id;

		if (strlen(sid) == len && strncmp(sid, id, len) == 0)
			return (long)i;
	}
	return -1;
}

static void
output_line(struct stream *s, const char *line, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, line, len);
	strbuf_addch(&sb, '\n');
	/* A full disk stops the step: its output would be lost unseen. */
	if (write_all(step_log(s), sb.buf, sb.len) < 0 && !s->log_errno)
		s->log_errno = errno ? errno : EIO;
	if (opt.verbose) {
		struct strbuf shown = STRBUF_INIT;

		sanitize_add(&shown, sb.buf, sb.len, SANITIZE_LINES);
		write_all(STDERR_FILENO, shown.buf, shown.len);
		strbuf_release(&shown);
	}
	strbuf_release(&sb);
	if (s->cur >= 0)
		tail_push(&s->tail, line, len);
}

/*
 * A warning marker of dvm's own fragment. Its text comes from the guest:
 * the log gets it raw, the terminal a short, sanitized copy.
 */
static void
add_warning(struct stream *s, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t keep = len;

	strbuf_addstr(&sb, "dvm: warning: ");
	strbuf_add(&sb, text, len);
	output_line(s, sb.buf, sb.len);
	strbuf_reset(&sb);
	if (s->nr_warnings++ >= MAX_WARNINGS) {
		strbuf_release(&sb);
		return;
	}
	if (keep > WARNING_WIDTH) {
		/* Cut before a character, not inside one. */
		keep = WARNING_WIDTH;
		while (keep > WARNING_WIDTH - 3 &&
		    ((unsigned char)text[keep] & 0xc0) == 0x80)
			keep--;
	}
	sanitize_add(&sb, text, keep, SANITIZE_FIELD);
	if (keep < len)
		strbuf_addstr(&sb, " …");
	strvec_push(&s->warnings, sb.buf);
	strbuf_release(&sb);
}

static void
show_warnings(struct stream *s)
{
	size_t i;

	for (i = 0; i < s->warnings.nr; i++)
		warning("%s", s->warnings.v[i]);
	strvec_clear(&s->warnings);
}

static void
handle_line(struct stream *s, char *line, size_t len)
{
	const char *id;
	size_t idlen;
	int status;
	long i;
	enum marker_kind k = MARKER_NONE;

	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (s->nonce && guest_parse_result(line, s->nonce, &id, &idlen)) {
		s->pending_blank = 0;
		if (s->cur >= 0) {
			memcpy(s->result, id, idlen);
			s->result[idlen] = '\0';
		}
		return;
	}
	if (s->nonce)
		k = guest_parse_marker(line, s->nonce, &id, &idlen, &status);
	if (k == MARKER_NONE) {
		/* Markers start with a newline; hold blanks until we know. */
		if (s->pending_blank)
			output_line(s, "", 0);
		s->pending_blank = 0;
		if (len == 0 && s->nonce) {
			s->pending_blank = 1;
			return;
		}
		output_line(s, line, len);
		return;
	}
	s->pending_blank = 0;
	if (k == MARKER_WARN) {
		add_warning(s, id, idlen);
		return;
	}
	if ((i = find_step(s, id, idlen)) < 0)
		return;
	if (k == MARKER_BEGIN) {
		begin_step(s, i);
		return;
	}
	if (i != s->cur)
		return;
	s->done++;
	if (status == 0) {
		step_done(s, i);
	} else {
		report_failure(s, i, status);
		if (s->failed < 0) {
			s->failed = i;
			s->failed_rc = status;
		}
	}
	show_warnings(s);
	s->cur = -1;
}

/* Longer output lines are handled in pieces of this size. */
#define MAX_LINE	(64 * 1024)

static void
feed(struct stream *s, const char *buf, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n')
			continue;
		strbuf_add(&s->partial, buf + start, i - start);
		handle_line(s, s->partial.buf, s->partial.len);
		strbuf_reset(&s->partial);
		start = i + 1;
	}
	strbuf_add(&s->partial, buf + start, n - start);
	/* A guest that never ends its line must not grow us without end. */
	if (s->partial.len >= MAX_LINE) {
		handle_line(s, s->partial.buf, s->partial.len);
		strbuf_reset(&s->partial);
	}
}

/*
 * Stop the child's process group: SIGTERM, up to 3 s to exit, then
 * SIGKILL. Returns its status.
 */
static int
stop_child(struct proc *p)
{
	int status = 0, i;

	proc_kill(p, SIGTERM);
	for (i = 0; i < 30; i++) {
		struct timespec ts = { 0, 100000000 };

		if (proc_poll(p, &status))
			return status;
		nanosleep(&ts, NULL);
	}
	proc_kill(p, SIGKILL);
	return proc_finish(p);
}

/* Stop the child after an interrupt and die of the same signal. */
static void
interrupted(struct stream *s, struct proc *p, int sig)
{
	static const char note[] = "== interrupted\n";

	ui_abort();
	stop_child(p);
	write_all(step_log(s), note, sizeof(note) - 1);
	fprintf(stderr, "dvm: interrupted%s%s\n", s->cur >= 0 ? " during: " :
	    "", s->cur >= 0 ? step_label(s, s->cur) : "");
	proc_die_of_signal(sig);
}

/* Read everything left without blocking (the child has exited). */
static void
drain(struct stream *s, int fd)
{
	char buf[8192];
	int flags = fcntl(fd, F_GETFL);

	if (flags >= 0)
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		feed(s, buf, (size_t)n);
	}
}

/*
 * Supervise one child until it exits. We stop on the child's exit rather
 * than on EOF: an ssh ControlMaster it forks may hold the pipe open.
 */
static int
supervise(struct stream *s, struct proc *p)
{
	char buf[8192];
	struct pollfd pfd;
	int status = 0, eof = 0, exited = 0;

	pfd.fd = p->out;
	pfd.events = POLLIN;
	while (!exited) {
		int sig = proc_caught();

		if (sig)
			interrupted(s, p, sig);
		if (s->log_errno) {
			status = stop_child(p);
			break;
		}
		if (step_overdue(s)) {
			char *note = xasprintf("== timed out after %lu s "
			    "(DVM_STEP_TIMEOUT)\n", opt.step_timeout);

			s->timed_out = 1;
			write_all(step_log(s), note, strlen(note));
			free(note);
			status = stop_child(p);
			break;
		}
		if (!eof) {
			int r = poll(&pfd, 1, 80);

			if (r > 0) {
				ssize_t n = read(p->out, buf, sizeof(buf));

				if (n > 0)
					feed(s, buf, (size_t)n);
				else if (n == 0 || errno != EINTR)
					eof = 1;
			}
		} else {
			struct timespec ts = { 0, 50000000 };

			nanosleep(&ts, NULL);
		}
		ui_step_tick();
		exited = proc_poll(p, &status);
	}
	if (!eof)
		drain(s, p->out);
	if (s->partial.len) {
		handle_line(s, s->partial.buf, s->partial.len);
		strbuf_reset(&s->partial);
	}
	close(p->out);
	p->out = 0;
	return status;
}

/*
 * The step a failure belongs to: the running one, else the next one of
 * a guest script (limactl failed before or between steps), shown as
 * begun so that its cross has a line to end.
 */
static long
failed_step(const struct stream *s)
{
	long i;

	if (s->cur >= 0)
		return s->cur;
	i = s->nonce && s->done < s->item->steps.nr ? (long)s->done : 0;
	ui_step_begin(step_label(s, i));
	return i;
}

/* Write the guest script to an unlinked temp file: nothing to clean up. */
static int
script_fd(const char *script, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/dvm-script.XXXXXX",
	    tmp && *tmp == '/' ? tmp : "/tmp");
	int fd = mkstemp(path);

	if (fd < 0) {
		error_errno("cannot create a temporary file in %s",
		    tmp && *tmp == '/' ? tmp : "/tmp");
		free(path);
		return -1;
	}
	unlink(path);
	free(path);
	if (write_all(fd, script, len) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		error_errno("cannot write the guest script");
		close(fd);
		return -1;
	}
	return fd;
}

static int
run_item(struct plan *plan, const struct plan_item *it, struct vm_logs *logs)
{
	struct proc p = PROC_INIT;
	struct stream s;
	struct strbuf script = STRBUF_INIT;
	char nonce[GUEST_NONCE_LEN + 1];
	int status, ret = 1, tries;

	memset(&s, 0, sizeof(s));
	strvec_init(&s.warnings);
	s.item = it;
	s.logs = logs;
	s.cur = s.failed = -1;
	s.vm = plan->vm;
	strbuf_init(&s.partial);
	clock_now(&s.step_start);
	strvec_pushv(&p.args, it->argv.v);
	p.err = PROC_TO_OUT;
	p.out = PROC_PIPE;
	p.new_pgrp = 1;
	if (it->steps.nr) {
		for (tries = 0; tries < 5; tries++) {
			guest_nonce(nonce);
			strbuf_reset(&script);
			if (guest_build(&script, &it->steps, it->config,
			    nonce) == 0)
				break;
		}
		if (tries == 5) {
			error("cannot frame the guest script");
			goto out;
		}
		s.nonce = nonce;
		if (log_header(logs->fd[LOG_LIMA], "guest script",
		    it->argv.v) < 0) {
			error_errno("cannot write log %s", logs->path[LOG_LIMA]);
			goto out;
		}
		if ((p.in = script_fd(script.buf, script.len)) < 0)
			goto out;
	} else {
		p.in = PROC_NULL;
		begin_step(&s, 0);
	}
	if (proc_start(&p) < 0) {
		if (s.cur >= 0)
			ui_step_end(step_label(&s, s.cur), 0);
		goto out;
	}
	status = supervise(&s, &p);
	if (s.log_errno) {
		long i = failed_step(&s);

		ui_step_end(step_label(&s, i), 0);
		error("cannot write log %s: %s; stopped %s", step_log_path(&s, i),
		    strerror(s.log_errno), step_label(&s, i));
		goto out;
	}
	if (s.timed_out) {
		report_failure(&s, failed_step(&s), status);
		goto out;
	}
	if (s.nonce == NULL) {
		s.done = 1;
		if (status == 0)
			ui_step_end(it->label, 1);
		else
			report_failure(&s, 0, status);
		ret = status != 0;
		goto out;
	}
	if (s.cur >= 0) {
		/* The step never ended: the connection or the VM went away. */
		report_failure(&s, s.cur, status ? status : 255);
		goto out;
	}
	if (s.failed >= 0)
		goto out;
	if (status != 0) {
		/* limactl failed before or between steps. */
		report_failure(&s, failed_step(&s), status);
		goto out;
	}
	ret = 0;
out:
	show_warnings(&s);
	tail_clear(&s.tail);
	strbuf_release(&s.partial);
	strbuf_release(&script);
	strvec_clear(&p.args);
	return ret;
}

/*
 * Run p's items in order; logs are opened (and signals caught) before
 * the first limactl call, so a host function that refuses first leaves
 * the logs of the last run as they were.
 */
static int
run_items(struct plan *p, int truncate)
{
	struct vm_logs logs = VM_LOGS_INIT;
	int opened = 0, ret = 0;
	size_t i;

	for (i = 0; i < p->nr && ret == 0; i++) {
		const struct plan_item *it = &p->items[i];

		if (it->argv.nr == 0) {
			int r = it->fn ? it->fn(it->arg) : 0;

			if (r == PLAN_STOP)
				break;
			if (r < 0)
				ret = 1;
			else if (it->ok)
				ui_ok("%s", it->ok);
			continue;
		}
		if (!opened) {
			/* A limactl call always belongs to a VM. */
			if (p->vm == NULL || logs_open(&logs, p->vm,
			    truncate) < 0) {
				ret = 1;
				break;
			}
			opened = 1;
			proc_catch_signals();
		}
		if (run_item(p, it, &logs) != 0)
			ret = 1;
	}
	logs_close(&logs);
	return ret;
}

int
plan_execute(struct plan *p, int truncate)
{
	int lock = -1, ret;

	if (p->dry_run) {
		plan_print(p);
		return 0;
	}
	if (p->vm && (lock = lock_vm(p->vm)) < 0)
		return 1;
	ret = run_items(p, truncate);
	if (lock >= 0)
		unlock_vm(lock);
	return ret;
}
