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
	const char *cache = paths_cache_dir();
	char *dir = xasprintf("%s/locks", cache), *name, *path;
	struct flock fl;
	int cfd, dfd = -1, fd = -1;

	name = xasprintf("%s.lock", vm);
	path = xasprintf("%s/%s", dir, name);
	if ((cfd = private_dir_open(cache, "cache directory")) < 0 ||
	    (dfd = private_dir_openat(cfd, cache, "locks",
	    "lock directory")) < 0 ||
	    (fd = private_file_openat(dfd, dir, name, O_RDWR,
	    "lock file")) < 0)
		goto out;
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
	if (dfd >= 0)
		close(dfd);
	if (cfd >= 0)
		close(cfd);
	free(dir);
	free(name);
	free(path);
	return fd;
}

void
unlock_vm(int fd)
{
	if (fd >= 0)
		close(fd);
}
