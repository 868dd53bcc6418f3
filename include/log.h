/*
 * log.h: the per-VM logs under $DVM_STATE_DIR/<vm>/ (dir 0700, files
 * 0600, since setup output can hold secrets). lima.log receives limactl
 * and bootstrap output, setup.log the setup scripts and projects.
 */
#ifndef DVM_LOG_H
#define DVM_LOG_H

enum log_kind {
	LOG_LIMA,
	LOG_SETUP,
	LOG_KINDS
};

struct vm_logs {
	char	*path[LOG_KINDS];
	int	 fd[LOG_KINDS];
};
#define VM_LOGS_INIT { { NULL, NULL }, { -1, -1 } }

/* Open (and with truncate, empty) both logs of vm. -1 if reported. */
int logs_open(struct vm_logs *logs, const char *vm, int truncate);
void logs_close(struct vm_logs *logs);
/*
 * A line "== <UTC time> <label>" and, if argv, the quoted command.
 * -1 with errno set if it could not be written (a full disk).
 */
int log_header(int fd, const char *label, char *const *argv);

#endif
