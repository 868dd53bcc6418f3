/* Errors, allocation and small helpers shared by every module. */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"

void (*die_hook)(void);
void (*message_hook)(void);

/*
 * Format one message and write it with a single write(2), so that lines
 * from parallel dvm processes do not interleave mid-line.
 */
static void report(const char *, const char *, va_list, int) PRINTFLIKE(2, 0);

static void
report(const char *prefix, const char *fmt, va_list ap, int errnum)
{
	char msg[4096];
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (i = 0; msg[i] != '\0'; i++) {
		unsigned char c = (unsigned char)msg[i];
		if (c < 0x20 || c == 0x7f)
			msg[i] = '?';
	}
	strbuf_addstr(&sb, "dvm: ");
	strbuf_addstr(&sb, prefix);
	strbuf_addstr(&sb, msg);
	if (errnum)
		strbuf_addf(&sb, ": %s", strerror(errnum));
	strbuf_addch(&sb, '\n');
	fflush(stdout);
	if (message_hook)
		message_hook();
	write_all(STDERR_FILENO, sb.buf, sb.len);
	strbuf_release(&sb);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	if (die_hook)
		die_hook();
	va_start(ap, fmt);
	report("error: ", fmt, ap, 0);
	va_end(ap);
	exit(EXIT_FAIL);
}

void
die_errno(const char *fmt, ...)
{
	va_list ap;
	int errnum = errno;

	if (die_hook)
		die_hook();
	va_start(ap, fmt);
	report("error: ", fmt, ap, errnum);
	va_end(ap);
	exit(EXIT_FAIL);
}

int
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("error: ", fmt, ap, 0);
	va_end(ap);
	return -1;
}

int
error_errno(const char *fmt, ...)
{
	va_list ap;
	int errnum = errno;

	va_start(ap, fmt);
	report("error: ", fmt, ap, errnum);
	va_end(ap);
	return -1;
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("warning: ", fmt, ap, 0);
	va_end(ap);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	p = calloc(nmemb, size);
	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		die("out of memory");
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		die("out of memory");
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = 0;

	while (len < n && s[len] != '\0')
		len++;
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

char *
read_file(const char *path, size_t *lenp)
{
	struct strbuf sb = STRBUF_INIT;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		strbuf_grow(&sb, 8192);
		n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			strbuf_release(&sb);
			errno = saved;
			return NULL;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		sb.buf[sb.len] = '\0';
	}
	close(fd);
	if (lenp)
		*lenp = sb.len;
	if (sb.alloc == 0)
		return xstrdup("");
	return strbuf_detach(&sb);
}

int
mkdir_p(const char *path, mode_t mode)
{
	char *copy, *p;
	int ret = 0;

	if (*path == '\0') {
		errno = ENOENT;
		return -1;
	}
	copy = xstrdup(path);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char saved = *p;

			*p = '\0';
			if (mkdir(copy, mode) < 0 && errno != EEXIST) {
				ret = -1;
				goto out;
			}
			*p = saved;
		}
		if (*p == '\0')
			break;
	}
	if (!is_dir(path)) {
		errno = ENOTDIR;
		ret = -1;
	}
out:
	free(copy);
	return ret;
}

int
remove_tree(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	int ret = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	/* A mode-000 directory (a guest can send one) must still go. */
	if ((st.st_mode & 0700) != 0700)
		(void)chmod(path, (st.st_mode & 07777) | 0700);
	if ((dir = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(dir)) != NULL) {
		char *child;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		if (remove_tree(child) < 0)
			ret = -1;
		free(child);
	}
	closedir(dir);
	if (ret == 0 && rmdir(path) < 0)
		ret = -1;
	return ret;
}

int
path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
write_new_file(const char *path, const char *data, size_t len, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path), *dir, *slash;
	int fd, saved, ret = -1;

	if ((fd = mkstemp(tmp)) < 0)
		goto out;
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto out;
	}
	if (close(fd) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto out;
	}
	/* link() fails with EEXIST instead of replacing, unlike rename(). */
	if (link(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto out;
	}
	unlink(tmp);
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(dir);
	ret = 0;
out:
	free(tmp);
	return ret;
}
