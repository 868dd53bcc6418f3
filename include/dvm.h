/*
 * dvm.h: the command table and the options every command shares.
 */
#ifndef DVM_DVM_H
#define DVM_DVM_H

#include <stdio.h>

#define DVM_VERSION "0.1.0"

/*
 * Settings read once from the environment by main(); no command writes
 * them. A command combines dry_run with its --dry-run and passes the
 * result on (plan_init()).
 */
struct dvm_options {
	const char	*limactl;	/* DVM_LIMACTL, default "limactl" */
	const char	*log_level;	/* DVM_LIMA_LOG_LEVEL, warn / info */
	int		 verbose;	/* DVM_VERBOSE=1 */
	int		 dry_run;	/* DVM_DRY_RUN=1 */
	int		 rebuild_dev_base; /* DVM_REBUILD_DEV_BASE=1 */
	unsigned long	 step_timeout;	/* DVM_STEP_TIMEOUT seconds, 0 none */
};
extern struct dvm_options opt;

struct cmd {
	const char	*name;
	int		(*fn)(int argc, char **argv);	/* argv[0] = name */
	const char	*usage;		/* synopsis after "dvm " */
	const char	*summary;	/* one line for the command list */
	const char	*help;		/* longer text for `dvm help <cmd>` */
};

const struct cmd *cmd_find(const char *name);
/* The command name is a typo of ("snyc": "sync"), or NULL. */
const char *cmd_suggest(const char *name);
/* Print "dvm: error: <msg>" and the command's synopsis; exit 2. */
void usage_error(const char *cmd, const char *fmt, ...) PRINTFLIKE(2, 3)
    NORETURN;
/* The list of commands, for dvm help and for usage errors. */
void print_overview(FILE *f);
/* Print the help of one command to stdout. */
void print_cmd_help(const struct cmd *c);

int cmd_add(int argc, char **argv);
int cmd_base(int argc, char **argv);
int cmd_cp(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_recipes(int argc, char **argv);
int cmd_reset(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_sh(int argc, char **argv);
int cmd_ssh(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
