/*
 * vmsync.h: bringing one VM to its config, shared by sync and reset.
 *
 * The plan is at most two limactl calls on top of whatever the command
 * adds before it: create or start the instance, then one guest script
 * with every guest step (bootstrap, recipes, setup.sh, projects).
 */
#ifndef DVM_VMSYNC_H
#define DVM_VMSYNC_H

struct plan;
struct vm_config;

/*
 * Append the sync of c to p. exists says whether the Lima instance is
 * there (a local look at $LIMA_HOME, see paths_instance_exists()): an
 * existing instance is started, never created, and a missing one is
 * created with the full create argv. Returns 0, or -1 (reported).
 */
int vmsync_plan(struct plan *p, const struct vm_config *c, int exists);
/*
 * Print p (dry run) or run it under the VM's lock with fresh logs,
 * ending with "<vm> ready". Returns an exit status: 0 or 1.
 */
int vmsync_execute(struct plan *p, const struct vm_config *c);

#endif
