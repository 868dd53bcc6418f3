/* Host paths: config, state, cache and Lima's instance directory. */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

static char *home, *config_dir, *state_dir, *cache_dir, *lima_home;

const char *
paths_home(void)
{
	const char *h;

	if (home == NULL) {
		h = getenv("HOME");
		if (h == NULL || *h != '/')
			die("HOME is not set to an absolute path");
		home = xstrdup(h);
	}
	return home;
}

/* $env if set, else ${xdg:-$HOME/fallback}/dvm. */
static char *
xdg_dir(const char *env, const char *xdg, const char *fallback)
{
	const char *v = getenv(env);

	if (v && *v) {
		if (*v != '/')
			die("%s must be an absolute path: %s", env, v);
		return xstrdup(v);
	}
	v = getenv(xdg);
	if (v && *v == '/')
		return xasprintf("%s/dvm", v);
	return xasprintf("%s/%s/dvm", paths_home(), fallback);
}

const char *
paths_config_dir(void)
{
	if (config_dir == NULL)
		config_dir = xdg_dir("DVM_CONFIG_DIR", "XDG_CONFIG_HOME",
		    ".config");
	return config_dir;
}

const char *
paths_config_dir_quiet(void)
{
	const char *dvm = getenv("DVM_CONFIG_DIR");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *h = getenv("HOME");

	/* The cases where xdg_dir() and paths_home() die. */
	if (dvm && *dvm ? *dvm != '/' :
	    !(xdg && *xdg == '/') && !(h && *h == '/'))
		return NULL;
	return paths_config_dir();
}

const char *
paths_state_dir(void)
{
	if (state_dir == NULL)
		state_dir = xdg_dir("DVM_STATE_DIR", "XDG_STATE_HOME",
		    ".local/state");
	return state_dir;
}

const char *
paths_cache_dir(void)
{
	if (cache_dir == NULL)
		cache_dir = xdg_dir("DVM_CACHE_DIR", "XDG_CACHE_HOME",
		    ".cache");
	return cache_dir;
}

const char *
paths_lima_home(void)
{
	const char *v;

	if (lima_home == NULL) {
		v = getenv("LIMA_HOME");
		if (v && *v == '/')
			lima_home = xstrdup(v);
		else
			lima_home = xasprintf("%s/.lima", paths_home());
	}
	return lima_home;
}

char *
paths_global_config(void)
{
	return xasprintf("%s/config.sh", paths_config_dir());
}

char *
paths_vms_dir(void)
{
	return xasprintf("%s/vms", paths_config_dir());
}

char *
paths_vm_dir(const char *vm)
{
	return xasprintf("%s/vms/%s", paths_config_dir(), vm);
}

char *
paths_vm_config(const char *vm)
{
	return xasprintf("%s/vms/%s/config.sh", paths_config_dir(), vm);
}

char *
paths_vm_setup(const char *vm)
{
	return xasprintf("%s/vms/%s/setup.sh", paths_config_dir(), vm);
}

char *
paths_projects_dir(const char *vm)
{
	return xasprintf("%s/vms/%s/projects", paths_config_dir(), vm);
}

char *
paths_project_dir(const char *vm, const char *proj)
{
	return xasprintf("%s/vms/%s/projects/%s", paths_config_dir(), vm,
	    proj);
}

char *
paths_log_dir(const char *vm)
{
	return xasprintf("%s/%s", paths_state_dir(), vm);
}

int
paths_instance_exists(const char *vm)
{
	char *yaml = xasprintf("%s/dvm-%s/lima.yaml", paths_lima_home(), vm);
	int ret = path_exists(yaml);

	free(yaml);
	return ret;
}

char *
display_path(const char *path)
{
	const char *h = getenv("HOME");
	size_t n;

	if (h && *h == '/' && strcmp(h, "/") != 0) {
		n = strlen(h);
		if (strncmp(path, h, n) == 0 && (path[n] == '/' ||
		    path[n] == '\0'))
			return xasprintf("~%s", path + n);
	}
	return xstrdup(path);
}

void
unwrite_scaffold(const char *dir, const char *const *files)
{
	for (; *files; files++)
		unlink(*files);
	rmdir(dir);
}

int
write_scaffold(const char *path, const char *text, size_t len)
{
	char *shown = display_path(path);
	int ret = 0;

	if (write_new_file(path, text, len, 0600) < 0) {
		if (errno == EEXIST)
			ret = error("%s already exists; dvm never overwrites "
			    "it", shown);
		else
			ret = error_errno("cannot write %s", shown);
	}
	free(shown);
	return ret;
}

int
check_owner_mode(const struct stat *st, const char *label, const char *path)
{
	char *shown = display_path(path);
	int ret = 0;

	if (st->st_uid != geteuid())
		ret = error("%s %s must be owned by the current user", label,
		    shown);
	else if (st->st_mode & (S_IWGRP | S_IWOTH))
		ret = error("unsafe permissions on %s %s (repair: chmod go-w "
		    "'%s')", label, shown, path);
	free(shown);
	return ret;
}

/* dir/name, without doubling the slash after "/". */
static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

/*
 * The open of name failed: say why in words a user can act on. Look at
 * name itself rather than at errno, which differs between systems for a
 * symlink under O_NOFOLLOW (ELOOP on Linux and macOS, EMLINK on FreeBSD)
 * and says ENXIO for a FIFO nobody reads.
 */
static int
open_failed(int dirfd, const char *name, const char *path, const char *label,
    int want_dir)
{
	struct stat st;
	char *shown = display_path(path);
	int e = errno, ret;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		st.st_mode = 0;
	if (S_ISLNK(st.st_mode))
		ret = error("%s %s is a symlink, which dvm refuses to follow "
		    "(repair: rm '%s')", label, shown, path);
	else if (want_dir && st.st_mode && !S_ISDIR(st.st_mode))
		ret = error("%s %s is not a directory", label, shown);
	else if (!want_dir && st.st_mode && !S_ISREG(st.st_mode))
		ret = error("%s %s is not a regular file", label, shown);
	else {
		errno = e;
		ret = error_errno("cannot open %s %s", label, shown);
	}
	free(shown);
	return ret;
}

int
private_dir_openat(int dirfd, const char *dirpath, const char *name,
    const char *label)
{
	char *path = join(dirpath, name), *shown;
	struct stat st;
	int fd, created = 0;

	if (mkdirat(dirfd, name, 0700) == 0)
		created = 1;
	else if (errno != EEXIST) {
		shown = display_path(path);
		error_errno("cannot create %s %s", label, shown);
		free(shown);
		free(path);
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0) {
		open_failed(dirfd, name, path, label, 1);
		free(path);
		return -1;
	}
	/* The umask may have taken bits away; 0700 is what dvm means. */
	if ((created && fchmod(fd, 0700) < 0) || fstat(fd, &st) < 0) {
		shown = display_path(path);
		error_errno("cannot set up %s %s", label, shown);
		free(shown);
		goto fail;
	}
	if (check_owner_mode(&st, label, path) < 0)
		goto fail;
	free(path);
	return fd;
fail:
	close(fd);
	free(path);
	return -1;
}

int
private_dir_open(const char *path, const char *label)
{
	char *copy = xstrdup(path), *slash, *parent, *shown;
	size_t n = strlen(copy);
	int pfd, fd = -1;

	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	slash = strrchr(copy, '/');
	if (slash == NULL || slash[1] == '\0') {
		/* Only "/" gets here (the dirs are absolute paths). */
		struct stat st;

		if ((fd = open(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
		    fstat(fd, &st) < 0) {
			error_errno("cannot open %s %s", label, copy);
			if (fd >= 0)
				close(fd);
			fd = -1;
		} else if (check_owner_mode(&st, label, copy) < 0) {
			close(fd);
			fd = -1;
		}
		free(copy);
		return fd;
	}
	parent = slash == copy ? xstrdup("/") : xstrndup(copy,
	    (size_t)(slash - copy));
	/* Parents may be anything the user likes, symlinks included. */
	if (mkdir_p(parent, 0700) < 0 ||
	    (pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		shown = display_path(copy);
		error_errno("cannot create %s %s", label, shown);
		free(shown);
		goto out;
	}
	fd = private_dir_openat(pfd, parent, slash + 1, label);
	close(pfd);
out:
	free(parent);
	free(copy);
	return fd;
}

int
private_file_openat(int dirfd, const char *dirpath, const char *name,
    int flags, const char *label)
{
	char *path = join(dirpath, name), *shown;
	struct stat st;
	int fd, fl, created = 0;

	/*
	 * O_EXCL tells a new file from an old one, so only a file made here
	 * gets its mode set; O_NONBLOCK keeps a FIFO from hanging the open.
	 */
	flags |= O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	fd = openat(dirfd, name, flags | O_CREAT | O_EXCL, 0600);
	if (fd >= 0)
		created = 1;
	else if (errno == EEXIST)
		fd = openat(dirfd, name, flags);
	if (fd < 0) {
		open_failed(dirfd, name, path, label, 0);
		free(path);
		return -1;
	}
	if ((created && fchmod(fd, 0600) < 0) || fstat(fd, &st) < 0 ||
	    (fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		shown = display_path(path);
		error_errno("cannot set up %s %s", label, shown);
		free(shown);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		shown = display_path(path);
		error("%s %s is not a regular file", label, shown);
		free(shown);
		goto fail;
	}
	if (check_owner_mode(&st, label, path) < 0)
		goto fail;
	free(path);
	return fd;
fail:
	close(fd);
	free(path);
	return -1;
}
