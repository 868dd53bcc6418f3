/*
 * config.h: the user's Bash config, evaluated by one bash process.
 *
 * config_load() checks the owner and mode of every file it will source,
 * runs one "bash --noprofile --norc -c <shim>" that sources the global
 * config.sh and then, each in its own subshell, every requested VM's
 * config.sh and (optionally) its projects' project.sh files, and reads
 * back every DVM_* variable as NUL-separated records. Each value is then
 * validated here, in C, and a bad one is reported as one line naming the
 * file, the variable and the value.
 */
#ifndef DVM_CONFIG_H
#define DVM_CONFIG_H

#include <stddef.h>

#include "strvec.h"

struct project {
	char		*name;
	char		*dir;		/* host dir holding project.sh */
	char		*setup_path;	/* NULL when there is no setup.sh */
	char		*image;		/* IMAGE, or the VM's DVM_DEV_BASE */
	int		 nested;	/* NESTED=1 */
	char		*workdir;	/* PROJ_WORKDIR */
	struct strvec	 ports;		/* PROJ_PORTS, "host:guest" */
};

struct vm_config {
	char		*name;
	char		*config_path;
	char		*setup_path;	/* NULL when there is no setup.sh */
	char		*cpus, *memory, *disk;
	char		*user;
	char		*user_file;	/* the file DVM_USER came from */
	/*
	 * DVM_USER_SUDO=1: a dev user with root is accepted (it may be
	 * Lima's login user, or hold sudo or the docker group).
	 */
	int		 user_sudo;
	char		*subuid_count, *subgid_count;
	struct strvec	 ports;		/* DVM_PORTS, "host:guest" */
	char		*vm_type;	/* "" for Lima's default */
	char		*network;	/* "" or "user-v2" */
	char		*dev_base;
	char		*code_dir;	/* /home/<user>/code/<vm>, fixed */
	struct strvec	 recipes;	/* names given to `use`, in order */
	char		*use_file;	/* the file whose `use` list it is */
	char		*cpus_file;	/* the file DVM_CPUS came from */
	char		*disk_file;	/* the file DVM_DISK came from */
	int		 no_baseline;	/* DVM_NO_BASELINE=1 */
	struct strvec	 secrets;	/* DVM_SECRETS: host variable names */
	/*
	 * DVM_EGRESS, DVM_AGENT_EGRESS: host names as written (checked by
	 * valid_egress_host()); empty means no limit, and no list of the
	 * agent's own. See egress.h.
	 */
	struct strvec	 egress, agent_egress;
	/*
	 * Every other DVM_* variable the config set, as NAME=value, for the
	 * export line of guest scripts (recipe variables and the like).
	 */
	struct strvec	 extra;
	struct project	*projects;
	size_t		 nr_projects;
};

enum config_flags {
	CONFIG_PROJECTS = 1 << 0	/* also source every project.sh */
};

/*
 * Load the named VMs (each must have vms/<vm>/config.sh). Returns 0, or
 * -1 after printing one error line. On success *out is an array of n
 * configs the caller releases with config_free().
 */
int config_load(char *const *vms, size_t n, unsigned flags,
    struct vm_config **out);
void config_free(struct vm_config *vms, size_t n);
/* Free what one config holds (not the struct itself). */
void vm_config_release(struct vm_config *c);

/*
 * Check that path is owned by us and not writable by group or others.
 * Missing paths pass when may_be_missing is set. label names the file in
 * the message ("VM config"). Returns 0 or -1 (reported).
 */
int config_check_safe(const char *path, const char *label, int may_be_missing);

/* Host CPUs minus a reserve (1 up to 4 cores, else 2), at least 2. */
unsigned long config_default_cpus(void);

/*
 * Names of every VM with a vms/<vm>/config.sh, sorted. Returns the count;
 * *out is a vector the caller clears.
 */
size_t config_list_vms(struct strvec *out);
/*
 * Warn when DVM 2's global setup.sh is still in the config dir: dvm
 * never runs it, and its content belongs elsewhere. sync calls it.
 */
void config_warn_legacy(void);
/* Names of the projects of vm (dirs with a project.sh), sorted. */
size_t config_list_projects(const char *vm, struct strvec *out);

#endif
