/*
 * runner.h: executing a plan, or printing it for --dry-run.
 *
 * A plan is a list of items for one VM. A host item is one limactl call
 * shown as one step. A guest item is one `limactl shell ... bash -s` whose
 * stdin is a guest script (guest.h); the markers in its output drive the
 * spinner and route each step's output to its log. Output always goes to
 * the per-VM logs (and to stderr as well with DVM_VERBOSE=1).
 */
#ifndef DVM_RUNNER_H
#define DVM_RUNNER_H

#include <stddef.h>

#include "guest.h"
#include "log.h"
#include "strvec.h"

struct vm_config;

struct plan_item {
	struct strvec		 argv;
	/* Host item: */
	char			*label;
	enum log_kind		 log;
	/* Guest item (steps.nr > 0): */
	struct guest_script	 steps;
	const struct vm_config	*config;
};

struct plan {
	char			*vm;
	struct plan_item	*items;
	size_t			 nr;
};
#define PLAN_INIT { NULL, NULL, 0 }

void plan_init(struct plan *p, const char *vm);
/* Append a host step; argv is moved into the plan (av is left empty). */
void plan_add_host(struct plan *p, const char *label, enum log_kind log,
    struct strvec *av);
/*
 * Append a guest item: av (moved) is the limactl shell argv, gs (moved)
 * the steps, c the VM config for the export line.
 */
void plan_add_guest(struct plan *p, struct strvec *av,
    struct guest_script *gs, const struct vm_config *c);
void plan_release(struct plan *p);

/* Print the plan to stdout: argv lines and step summaries. */
void plan_print(const struct plan *p);
/*
 * Run every item in order, stopping at the first failure. Returns 0 when
 * all steps succeeded, else 1 after the failed step was reported with its
 * label, exit status, log path and last lines. An interrupt kills the
 * running child's process group and makes dvm die of the same signal.
 */
int plan_run(struct plan *p, struct vm_logs *logs);
/*
 * Take the lock of p->vm, open its logs (emptied first when truncate is
 * set) and plan_run() it. Returns 0, or 1 if locking, logging or a step
 * failed (reported).
 */
int plan_execute(struct plan *p, int truncate);

#endif
