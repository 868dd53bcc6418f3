/* The dev-base build context: its files, their hash and a ustar of them. */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "base64.h"
#include "devbase.h"
#include "sha256.h"
#include "strbuf.h"
#include "util.h"

/* A file or directory of the context. */
struct entry {
	char	*rel;		/* "./<relpath>", the hashed and sorted name */
	char	*path;		/* where it is on the host */
	int	 is_dir;
	int	 follow;	/* packages_txt: a symlink to a file is fine */
};

struct walk {
	const char		*top;		/* dev_dir, for messages */
	int			 skip_packages;	/* replaced by packages_txt */
	unsigned long long	 total;		/* file bytes, as lstat saw */
	struct entry		*v;
	size_t			 nr, alloc;
};

static int
too_large(const char *top)
{
	return error("dev-base context %s is larger than %lu MiB (it is "
	    "shipped inside a script)", top, DEVBASE_MAX_SIZE / 1024 / 1024);
}

static int
not_regular(const char *path)
{
	return error("dev-base context: %s is not a regular file", path);
}

/* Takes ownership of rel and path. */
static void
push_entry(struct walk *w, char *rel, char *path, int is_dir, int follow)
{
	struct entry *e;

	if (w->nr == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 16;
		w->v = xreallocarray(w->v, w->alloc, sizeof(*w->v));
	}
	e = &w->v[w->nr++];
	e->rel = rel;
	e->path = path;
	e->is_dir = is_dir;
	e->follow = follow;
}

static int walk_dir(struct walk *, const char *, const char *);

static int
walk_entry(struct walk *w, const char *dir, const char *rel, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *sub = xasprintf("%s/%s", rel, name);
	struct stat st;

	if (lstat(path, &st) < 0) {
		error_errno("cannot stat %s", path);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		/* The entry owns the strings now; they stay valid. */
		push_entry(w, sub, path, 1, 0);
		return walk_dir(w, path, sub);
	}
	if (!S_ISREG(st.st_mode)) {
		not_regular(path);
		goto fail;
	}
	/* Stop early on a huge tree; the reads check again exactly. */
	w->total += (unsigned long long)st.st_size;
	if (w->total > DEVBASE_MAX_SIZE) {
		too_large(w->top);
		goto fail;
	}
	push_entry(w, sub, path, 0, 0);
	return 0;
fail:
	free(path);
	free(sub);
	return -1;
}

static int
walk_dir(struct walk *w, const char *dir, const char *rel)
{
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if ((d = opendir(dir)) == NULL)
		return error_errno("cannot open %s", dir);
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0)
				ret = error_errno("cannot read %s", dir);
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (w->skip_packages && strcmp(rel, ".") == 0 &&
		    strcmp(de->d_name, "packages.txt") == 0)
			continue;
		if (walk_entry(w, dir, rel, de->d_name) < 0) {
			ret = -1;
			break;
		}
	}
	closedir(d);
	return ret;
}

/*
 * Read a context file into data, refusing more than room bytes. The
 * file is checked again on the open descriptor, so a file swapped for a
 * symlink or a FIFO after the walk is still refused (O_NONBLOCK keeps a
 * FIFO from hanging the open).
 */
static int
read_entry(const char *top, const struct entry *e, size_t room,
    struct strbuf *data, unsigned *mode)
{
	struct stat st;
	int fd, flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK, ret = -1;

	if (!e->follow)
		flags |= O_NOFOLLOW;
	if ((fd = open(e->path, flags)) < 0) {
		if (errno == ELOOP && !e->follow)
			return not_regular(e->path);
		return error_errno("cannot open %s", e->path);
	}
	if (fstat(fd, &st) < 0) {
		error_errno("cannot stat %s", e->path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		not_regular(e->path);
		goto out;
	}
	*mode = (st.st_mode & S_IXUSR) ? 0755 : 0644;
	for (;;) {
		ssize_t n;

		strbuf_grow(data, 65536);
		n = read(fd, data->buf + data->len,
		    data->alloc - data->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_errno("cannot read %s", e->path);
			goto out;
		}
		if (n == 0)
			break;
		data->len += (size_t)n;
		data->buf[data->len] = '\0';
		if (data->len > room) {
			too_large(top);
			goto out;
		}
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *ea = a, *eb = b;

	/* strcmp() orders bytes as unsigned char: LC_ALL=C sort. */
	return strcmp(ea->rel, eb->rel);
}

int
devbase_load(struct devbase *db, const char *dev_dir,
    const char *packages_txt)
{
	struct walk w;
	struct strbuf tar = STRBUF_INIT, data = STRBUF_INIT;
	struct sha256 ctx;
	struct stat st;
	unsigned char digest[SHA256_LEN];
	char *top, *cf;
	size_t i, len, total = 0;
	unsigned mode = 0644;
	int have_packages = 0, ret = -1;

	db->hash[0] = '\0';
	strbuf_init(&db->tar_b64);
	db->nr_files = 0;
	memset(&w, 0, sizeof(w));

	/* "dir/" and "dir" name the same context; messages show "dir". */
	top = xstrdup(dev_dir);
	len = strlen(top);
	while (len > 1 && top[len - 1] == '/')
		top[--len] = '\0';
	cf = xasprintf("%s/Containerfile", top);
	if (lstat(cf, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			error("%s not found", cf);
		else
			error_errno("cannot stat %s", cf);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		not_regular(cf);
		goto out;
	}
	/* A dangling symlink exists: it fails below instead of vanishing. */
	if (packages_txt != NULL) {
		if (lstat(packages_txt, &st) == 0)
			have_packages = 1;
		else if (errno != ENOENT) {
			error_errno("cannot stat %s", packages_txt);
			goto out;
		}
	}

	w.top = top;
	w.skip_packages = have_packages;
	if (walk_dir(&w, top, ".") < 0)
		goto out;
	if (have_packages)
		push_entry(&w, xstrdup("./packages.txt"),
		    xstrdup(packages_txt), 0, 1);
	qsort(w.v, w.nr, sizeof(*w.v), cmp_entry);

	sha256_init(&ctx);
	for (i = 0; i < w.nr; i++) {
		const struct entry *e = &w.v[i];

		/* A directory sorts before its files: its name is a prefix. */
		if (e->is_dir) {
			if (tar_add_dir(&tar, e->rel + 2, 0755) < 0)
				goto out;
			continue;
		}
		strbuf_reset(&data);
		if (read_entry(top, e, DEVBASE_MAX_SIZE - total, &data,
		    &mode) < 0)
			goto out;
		total += data.len;
		sha256_update(&ctx, e->rel, strlen(e->rel) + 1);
		sha256_update(&ctx, data.buf, data.len);
		if (tar_add_file(&tar, e->rel + 2, data.buf, data.len,
		    mode) < 0)
			goto out;
		db->nr_files++;
	}
	tar_finish(&tar);
	base64_encode(&db->tar_b64, tar.buf, tar.len, 76);
	sha256_final(&ctx, digest);
	sha256_hex(digest, db->hash);
	ret = 0;
out:
	if (ret < 0)
		devbase_release(db);
	for (i = 0; i < w.nr; i++) {
		free(w.v[i].rel);
		free(w.v[i].path);
	}
	free(w.v);
	strbuf_release(&tar);
	strbuf_release(&data);
	free(top);
	free(cf);
	return ret;
}

void
devbase_release(struct devbase *db)
{
	strbuf_release(&db->tar_b64);
	db->hash[0] = '\0';
	db->nr_files = 0;
}
