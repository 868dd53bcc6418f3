/* Per-VM locks held with fcntl() so the kernel frees them on crash. */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lock.h"
#include "paths.h"
#include "util.h"

int
lock_vm(const char *vm)
{
	char *path = paths_lock(vm), *dir = NULL, *slash;
	struct flock fl;
	int fd = -1;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (mkdir_p(dir, 0700) < 0) {
		error_errno("cannot create lock directory %s", dir);
		goto out;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		error_errno("cannot open lock file %s", path);
		goto out;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		if (errno == EACCES || errno == EAGAIN)
			error("VM '%s' is busy: another dvm command is "
			    "working on it", vm);
		else
			error_errno("cannot lock %s", path);
		close(fd);
		fd = -1;
	}
out:
	free(dir);
	free(path);
	return fd;
}

void
unlock_vm(int fd)
{
	if (fd >= 0)
		close(fd);
}
