/*
 * vmsync.h: bringing one VM to its config, shared by sync and reset.
 *
 * The plan is at most two limactl calls on top of whatever the command
 * adds before it: create or start the instance, then one guest script
 * with every guest step (bootstrap, egress, recipes, setup.sh, podman,
 * dev-base, projects). vmsync.c chooses the steps and their parameters;
 * guest.c only frames them. Both functions give the plan its dry-run
 * heading, "# VM <vm> (Lima instance dvm-<vm>)"; the command adds what
 * comes after (plan_add_ok()) and runs it with plan_execute().
 */
#ifndef DVM_VMSYNC_H
#define DVM_VMSYNC_H

/* The smallest DVM_DISK a VM is created with, in GiB. */
#define MIN_DISK_GIB 10

struct plan;
struct project;
struct vm_config;

/*
 * Append the sync of c to p. exists says whether the Lima instance is
 * there (a local look at $LIMA_HOME, see paths_instance_exists()): an
 * existing instance is started, never created, and a missing one is
 * created with the full create argv. Returns 0, or -1 (reported).
 */
int vmsync_plan(struct plan *p, const struct vm_config *c, int exists);
/* What a project plan does to the container before bringing it up. */
enum project_op {
	PROJECT_SYNC,		/* create if missing, start, run setup.sh */
	PROJECT_RESET,		/* remove container and volume, then sync */
	PROJECT_RESET_KEEP,	/* remove the container only, then sync */
	PROJECT_REMOVE,		/* remove container and volume */
	PROJECT_REMOVE_KEEP	/* remove the container only */
};

/*
 * Append the plan of one project of an existing VM: start the VM (a
 * no-op when it runs), then one guest script: bootstrap, podman, the
 * dev-base when configured, and op on the project. Returns 0 or -1.
 */
int vmsync_project_plan(struct plan *p, const struct vm_config *c,
    const struct project *proj, enum project_op op);

#endif
