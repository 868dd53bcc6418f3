/*
 * runner.h: executing a plan, or printing it for --dry-run.
 *
 * A plan is a list of items for one VM. A host item is one limactl call
 * shown as one step. A guest item is one `limactl shell ... bash -s` whose
 * stdin is a guest script (guest.h); the markers in its output drive the
 * spinner and route each step's output to its log. Output always goes to
 * the per-VM logs (and to stderr as well with DVM_VERBOSE=1). A host
 * function is work on the host at its place in the plan: a check that
 * contacts the VM, a message, a file to remove.
 *
 * Whether a command only shows what it would do is decided here, once:
 * plan_execute() of a dry-run plan prints it and contacts nothing, so
 * the commands build the same plan either way.
 */
#ifndef DVM_RUNNER_H
#define DVM_RUNNER_H

#include <stddef.h>

#include "guest.h"
#include "log.h"
#include "strvec.h"

struct vm_config;

/*
 * A host function in a plan (a check, a message, a file to remove): 0
 * to go on, PLAN_STOP to end the plan there with success (nothing left
 * to do), -1 to fail it (fn reported why).
 */
typedef int plan_fn(void *arg);
#define PLAN_STOP 1

struct plan_item {
	struct strvec		 argv;	/* empty for a host function */
	/* Host item: */
	char			*label;
	enum log_kind		 log;
	/* Guest item (steps.nr > 0): */
	struct guest_script	 steps;
	const struct vm_config	*config;
	/* Host function: */
	plan_fn			*fn;
	void			*arg;
	char			*ok;	/* "✓ ok" after it ran, or NULL */
	char			*dry;	/* what a dry run prints, or NULL */
};

struct plan {
	char			*vm;	/* whose lock and logs, or NULL */
	int			 dry_run;
	char			*heading;	/* a dry run's first line */
	struct plan_item	*items;
	size_t			 nr;
};
#define PLAN_INIT { NULL, 0, NULL, NULL, 0 }

/*
 * A plan for vm (NULL: one of host functions only, run without a lock).
 * With dry_run (--dry-run or DVM_DRY_RUN=1), plan_execute() prints it
 * instead of running it.
 */
void plan_init(struct plan *p, const char *vm, int dry_run);
/* Append a host step; argv is moved into the plan (av is left empty). */
void plan_add_host(struct plan *p, const char *label, enum log_kind log,
    struct strvec *av);
/*
 * Append a guest item: av (moved) is the limactl shell argv, gs (moved)
 * the steps, c the VM config for the export line.
 */
void plan_add_guest(struct plan *p, struct strvec *av,
    struct guest_script *gs, const struct vm_config *c);
/*
 * Append a host function: running the plan calls fn(arg) (when fn is
 * set) at this place and then shows "✓ ok" (when ok is set); a dry run
 * calls nothing and prints the line dry (when set). arg must outlive
 * the plan's execution. Strings are copied.
 */
void plan_add_call(struct plan *p, plan_fn *fn, void *arg, const char *ok,
    const char *dry);
/* Append "✓ text" for a run that got this far; nothing in a dry run. */
void plan_add_ok(struct plan *p, const char *text);
void plan_release(struct plan *p);

/*
 * Print the plan to stdout: the heading, each limactl argv with its
 * step summaries, the dry lines of host functions. With DVM_VERBOSE=1,
 * each guest script follows its summaries, exactly as it would be sent
 * but for the nonce and secret values (guest_show()).
 */
void plan_print(const struct plan *p);
/*
 * Run the plan, or print it when p->dry_run. Running takes the lock of
 * p->vm and, before its first limactl call, opens its logs (emptied
 * first when truncate is set); then runs every item in order, stopping
 * at the first failure. Returns 0 when all succeeded (or a host function
 * said PLAN_STOP), else 1 after the failure was reported: a failed step
 * with its label, exit status, log path and last lines. An interrupt
 * kills the running child's process group and makes dvm die of the same
 * signal.
 */
int plan_execute(struct plan *p, int truncate);

#endif
