/*
 * dvm sync <vm> | --all: create or start each VM and run its guest steps
 * (bootstrap of DVM_USER and the code dir, then setup.sh) as one script.
 */
#include "compat.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "args.h"
#include "config.h"
#include "devuser.h"
#include "dvm.h"
#include "paths.h"
#include "proc.h"
#include "runner.h"
#include "sanitize.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "ui.h"
#include "util.h"
#include "validate.h"
#include "vmsync.h"

static int
sync_one(const struct vm_config *c, int dry_run)
{
	struct plan p;
	char *done = xasprintf("%s ready", c->name);
	int ret = EXIT_FAIL;

	plan_init(&p, c->name, dry_run);
	if (vmsync_plan(&p, c, paths_instance_exists(c->name)) == 0) {
		plan_add_ok(&p, done);
		ret = plan_execute(&p, 1) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	plan_release(&p);
	free(done);
	return ret;
}

/*
 * sync --all: each VM in a forked worker (its own lock, logs and limactl
 * calls), up to jobs at a time. Workers report in plain lines; on a
 * terminal each VM gets one status line showing its latest, otherwise
 * every line is printed with the VM's name in front. A failed VM's whole
 * report is printed again at the end.
 */
struct worker {
	const struct vm_config	*c;
	struct proc		 p;
	struct strbuf		 out;	/* everything it printed */
	struct strbuf		 partial;
	int			 state;	/* 0 queued, 1 running, 2 done */
	int			 status;
};

static int
worker_main(void *arg)
{
	ui_plain();	/* its output goes to the parent, not a terminal */
	return sync_one(arg, 0);
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

static size_t
sync_parallel(const struct vm_config *vms, size_t n, unsigned long jobs)
{
	struct worker *w = xcalloc(n, sizeof(*w));
	struct pollfd *pfd = xcalloc(n, sizeof(*pfd));
	struct strvec names = STRVEC_INIT;
	size_t i, running = 0, done = 0, failed = 0;
	int board = ui_fancy();

	for (i = 0; i < n; i++) {
		w[i].c = &vms[i];
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

		for (i = 0; i < n && running < jobs; i++) {
			if (w[i].state != 0)
				continue;
			strvec_push(&w[i].p.args, w[i].c->name);
			if (proc_start_fn(&w[i].p, worker_main,
			    (void *)w[i].c) < 0) {
				w[i].state = 2;
				w[i].status = EXIT_FAIL;
				done++;
				continue;
			}
			/* Never block on one worker while others talk. */
			fcntl(w[i].p.out, F_SETFL, fcntl(w[i].p.out, F_GETFL) |
			    O_NONBLOCK);
			w[i].state = 1;
			running++;
		}
		for (i = 0; i < n; i++) {
			if (w[i].state == 1 && w[i].p.out > 0) {
				pfd[np].fd = w[i].p.out;
				pfd[np].events = POLLIN;
				np++;
			}
		}
		poll(pfd, np, 100);
		if ((sig = proc_caught()) != 0) {
			/* The workers saw the same terminal signal. */
			for (i = 0; i < n; i++)
				if (w[i].state == 1)
					proc_finish(&w[i].p);
			if (board)
				ui_board_end();
			proc_die_of_signal(sig);
		}
		for (i = 0; i < n; i++) {
			char buf[4096];
			ssize_t r;
			int st;

			if (w[i].state != 1)
				continue;
			if (w[i].p.out > 0) {
				r = read(w[i].p.out, buf, sizeof(buf));
				if (r > 0) {
					worker_feed(&w[i], i, buf, (size_t)r,
					    board);
					continue;
				}
				if (r == 0) {
					close(w[i].p.out);
					w[i].p.out = 0;
				}
			}
			/* EOF, or nothing to read: done once it has exited. */
			if (!proc_poll(&w[i].p, &st))
				continue;
			if (w[i].p.out > 0) {
				while ((r = read(w[i].p.out, buf,
				    sizeof(buf))) > 0)
					worker_feed(&w[i], i, buf, (size_t)r,
					    board);
				close(w[i].p.out);
				w[i].p.out = 0;
			}
			w[i].status = st;
			if (w[i].partial.len)
				worker_line(&w[i], i, w[i].partial.buf, board);
			w[i].state = 2;
			running--;
			done++;
			if (board) {
				char *text = xasprintf("%s %s: %s",
				    st ? "✗" : "✓", w[i].c->name,
				    st ? "failed" : "ready");

				ui_board_set(i, text);
				free(text);
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

/* sync <vm>/<project>: the VM must exist; its own setup does not rerun. */
static int
sync_project(const char *vm, const char *proj, int dry_run)
{
	struct vm_config *c = NULL;
	const struct project *p;
	struct plan plan = PLAN_INIT;
	char *done = NULL;
	int ret = EXIT_FAIL;

	if (load_target(vm, proj, &c, &p) < 0)
		return EXIT_FAIL;
	if (devuser_check(c, DEVUSER_BOOTSTRAP) < 0)
		goto out;
	if (!paths_instance_exists(vm)) {
		error("VM '%s' has no Lima instance dvm-%s yet (run: dvm sync "
		    "%s)", vm, vm, vm);
		goto out;
	}
	plan_init(&plan, vm, dry_run);
	done = xasprintf("%s/%s ready", vm, proj);
	if (vmsync_project_plan(&plan, c, p, PROJECT_SYNC) == 0) {
		plan_add_ok(&plan, done);
		ret = plan_execute(&plan, 0) == 0 ? EXIT_OK : EXIT_FAIL;
	}
out:
	plan_release(&plan);
	config_free(c, 1);
	free(done);
	return ret;
}

int
cmd_sync(int argc, char **argv)
{
	int all = 0, dry_run = opt.dry_run, ret = EXIT_OK;
	const char *jobs_arg = NULL;
	unsigned long jobs = 4;
	const struct flag flags[] = {
		{ "--all", "-a", &all, NULL },
		{ "--dry-run", "-n", &dry_run, NULL },
		{ "--jobs", "-j", NULL, &jobs_arg },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT, names = STRVEC_INIT;
	struct vm_config *vms = NULL;
	size_t i, failed = 0;

	parse_args(argc, argv, flags, 0, &ops);
	if (all && ops.nr)
		usage_error(argv[0], "give a VM name or --all, not both");
	if (jobs_arg && (!all || !valid_uint(jobs_arg, 64, &jobs)))
		usage_error(argv[0], all ? "--jobs takes a number from 1 to 64, "
		    "not '%s'" : "--jobs is for --all", jobs_arg);
	if (!all && ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name (<vm>, <vm>/<project> or --all)");
	if (all) {
		if (config_list_vms(&names) == 0) {
			char *shown = display_path(paths_config_dir());

			error("no VMs configured in %s/vms (run: dvm new "
			    "<vm>)", shown);
			free(shown);
			ret = EXIT_FAIL;
			goto out;
		}
		for (i = 0; i < names.nr; i++)
			check_vm_operand(argv[0], names.v[i]);
	} else {
		char *vm, *proj;

		parse_target_operand(argv[0], ops.v[0], &vm, &proj);
		if (proj) {
			ret = sync_project(vm, proj, dry_run);
			free(vm);
			free(proj);
			goto out;
		}
		strvec_push_nodup(&names, vm);
	}
	/* One bash reads every VM's config before anything starts. */
	if (config_load(names.v, names.nr, CONFIG_PROJECTS, &vms) < 0) {
		ret = EXIT_FAIL;
		goto out;
	}
	/* Like a bad value: one refused VM stops them all, before any call. */
	for (i = 0; i < names.nr; i++) {
		if (devuser_check(&vms[i], DEVUSER_RECIPES) < 0) {
			ret = EXIT_FAIL;
			goto out;
		}
	}
	/* A dry run only prints: one VM after the other, in order. */
	if (all && !dry_run && jobs > 1 && names.nr > 1) {
		proc_catch_signals();
		failed = sync_parallel(vms, names.nr, jobs);
	} else {
		for (i = 0; i < names.nr; i++) {
			if (all && !dry_run)
				ui_heading("sync %s", vms[i].name);
			if (sync_one(&vms[i], dry_run) != EXIT_OK)
				failed++;
		}
	}
	if (all && failed)
		error("%zu of %zu VMs failed to sync", failed, names.nr);
	ret = failed ? EXIT_FAIL : EXIT_OK;
out:
	config_free(vms, names.nr);
	strvec_clear(&ops);
	strvec_clear(&names);
	return ret;
}
