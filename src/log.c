/* Per-VM log files. */
#include "compat.h"

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "quote.h"
#include "strbuf.h"
#include "util.h"

static const char *const log_names[LOG_KINDS] = { "lima.log", "setup.log" };

int
logs_open(struct vm_logs *logs, const char *vm, int truncate)
{
	const char *root = paths_state_dir();
	char *dir = paths_log_dir(vm);
	int rfd, dfd = -1, i, ret = -1;

	if ((rfd = private_dir_open(root, "state directory")) < 0 ||
	    (dfd = private_dir_openat(rfd, root, vm, "log directory")) < 0)
		goto out;
	for (i = 0; i < LOG_KINDS; i++) {
		logs->path[i] = xasprintf("%s/%s", dir, log_names[i]);
		logs->fd[i] = private_file_openat(dfd, dir, log_names[i],
		    O_WRONLY | O_APPEND, "log");
		if (logs->fd[i] < 0)
			goto out;
		if (truncate && ftruncate(logs->fd[i], 0) < 0) {
			error_errno("cannot empty log %s", logs->path[i]);
			goto out;
		}
	}
	ret = 0;
out:
	if (dfd >= 0)
		close(dfd);
	if (rfd >= 0)
		close(rfd);
	free(dir);
	return ret;
}

void
logs_close(struct vm_logs *logs)
{
	int i;

	for (i = 0; i < LOG_KINDS; i++) {
		if (logs->fd[i] >= 0)
			close(logs->fd[i]);
		logs->fd[i] = -1;
		free(logs->path[i]);
		logs->path[i] = NULL;
	}
}

int
log_header(int fd, const char *label, char *const *argv)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;
	char stamp[32] = "";
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) != NULL)
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addf(&sb, "== %s %s\n", stamp, label);
	if (argv) {
		strbuf_addstr(&sb, "$ ");
		sq_quote_argv(&sb, argv);
		strbuf_addch(&sb, '\n');
	}
	if (fd >= 0 && write_all(fd, sb.buf, sb.len) < 0)
		ret = -1;
	strbuf_release(&sb);
	return ret;
}
