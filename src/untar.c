/*
 * The strict tar reader for guest→host copies (see untar.h for what it
 * accepts). Everything is written relative to a directory fd opened on
 * the root, one path component at a time with O_NOFOLLOW, and symlinks
 * are only created at the very end, after every one of them has been
 * followed through the unpacked tree on paper: so no write can pass
 * through a link, whatever order the entries come in.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sanitize.h"
#include "strbuf.h"
#include "untar.h"
#include "util.h"

#define BLOCK		512
/* Longest name or link target we take (GNU long names, pax paths). */
#define LONG_NAME_MAX	4096
/* Largest pax extended header we read. */
#define PAX_MAX		(1024 * 1024)
/* Zero padding after the end marker that we drain (tar pads records). */
#define TRAILER_MAX	(1024 * 1024)
/* How often a long file's write looks at the free space again. */
#define RESERVE_EVERY	(8ULL * 1024 * 1024)
/* Links followed through other links before giving up (like ELOOP). */
#define LINK_DEPTH	40

/* Header field offsets (ustar; GNU uses the same for what we read). */
enum {
	OFF_NAME = 0, OFF_MODE = 100, OFF_SIZE = 124, OFF_MTIME = 136,
	OFF_CHKSUM = 148, OFF_TYPE = 156, OFF_LINKNAME = 157,
	OFF_MAGIC = 257, OFF_VERSION = 263, OFF_PREFIX = 345,
	OFF_GNU_ISEXTENDED = 482
};

enum kind { K_NONE, K_DIR, K_FILE, K_LINK };

struct node {
	char		*name;	/* NULL: empty slot */
	enum kind	 kind;
	size_t		 link;	/* K_LINK: index in links */
};

/* What we know of every name the copy holds, for lookups by path. */
struct map {
	struct node	*slot;
	size_t		 cap, used;
};

enum link_state { L_NEW, L_BUSY, L_OK, L_BAD };

struct link {
	char		*name, *target;
	enum link_state	 state;
	const char	*why;		/* L_BAD */
	char		*resolved;	/* L_OK */
};

struct dirmode {
	char		*name;
	mode_t		 mode;
	long long	 mtime;		/* -1: leave it */
};

/* One pending entry: the header plus what pax or GNU headers said. */
struct entry {
	char		 type;
	char		*raw;		/* name as sent */
	char		*linkname;
	unsigned long long size;
	mode_t		 mode;
	long long	 mtime;
	int		 sparse;	/* pax GNU.sparse.* keys */
	int		 nul;		/* a pax name or link with a NUL */
};

struct untar_state {
	const struct untar_opts	*o;
	struct untar_result	*res;
	untar_read_fn		 readfn;
	void			*ctx;
	int			 rootfd;
	mode_t			 umask;
	unsigned long long	 offset;	/* stream bytes consumed */
	unsigned long long	 since_check;	/* bytes since the last statvfs */
	struct map		 names, vcs_seen;
	struct link		*links;
	size_t			 nlinks, alinks;
	struct dirmode		*dirs;
	size_t			 ndirs, adirs;
	int			 vcs_arrived;
	/* Set by pax 'x' or GNU 'L'/'K' headers for the next entry. */
	char			*next_name, *next_link;
	int			 has_next_size, next_sparse, next_nul;
	unsigned long long	 next_size;
	long long		 next_mtime;
};

static int fail(struct untar_state *u, const char *fmt, ...) PRINTFLIKE(2, 3);

static int
fail(struct untar_state *u, const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb = STRBUF_INIT;

	if (u->res->why == NULL) {
		va_start(ap, fmt);
		strbuf_vaddf(&sb, fmt, ap);
		va_end(ap);
		u->res->why = strbuf_detach(&sb);
	}
	return -1;
}

/* ---------------------------------------------------------------- names */

static uint32_t
hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct node *
map_find(const struct map *m, const char *name)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = hash_name(name) & (m->cap - 1); m->slot[i].name;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->slot[i].name, name) == 0)
			return &m->slot[i];
	return NULL;
}

static enum kind
map_kind(const struct map *m, const char *name)
{
	const struct node *n = map_find(m, name);

	return n ? n->kind : K_NONE;
}

static struct node *
map_add(struct map *m, const char *name, enum kind kind)
{
	struct node *n;
	size_t i;

	if ((m->used + 1) * 10 >= m->cap * 7) {
		struct map bigger;

		bigger.cap = m->cap ? m->cap * 2 : 256;
		bigger.used = 0;
		bigger.slot = xcalloc(bigger.cap, sizeof(*bigger.slot));
		for (i = 0; i < m->cap; i++) {
			if (m->slot[i].name == NULL)
				continue;
			n = &bigger.slot[hash_name(m->slot[i].name) &
			    (bigger.cap - 1)];
			while (n->name)
				n = n + 1 == bigger.slot + bigger.cap ?
				    bigger.slot : n + 1;
			*n = m->slot[i];
			bigger.used++;
		}
		free(m->slot);
		*m = bigger;
	}
	for (i = hash_name(name) & (m->cap - 1); m->slot[i].name;
	    i = (i + 1) & (m->cap - 1))
		;
	n = &m->slot[i];
	n->name = xstrdup(name);
	n->kind = kind;
	n->link = 0;
	m->used++;
	return n;
}

static void
map_clear(struct map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slot[i].name);
	free(m->slot);
	m->slot = NULL;
	m->cap = m->used = 0;
}

enum name_check { NAME_OK, NAME_EMPTY, NAME_ABSOLUTE, NAME_DOTDOT };

/*
 * The clean form of a name from the archive: no "./", "." or empty
 * components and no trailing '/'. Absolute names and '..' components
 * are refused outright, not resolved: "v1..2" is an ordinary name.
 */
static enum name_check
clean_name(const char *raw, struct strbuf *out)
{
	const char *p = raw, *end;
	size_t len;

	strbuf_reset(out);
	if (*raw == '/')
		return NAME_ABSOLUTE;
	while (*p) {
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return NAME_DOTDOT;
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (out->len)
				strbuf_addch(out, '/');
			strbuf_add(out, p, len);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return out->len ? NAME_OK : NAME_EMPTY;
}

/* How a name appears in messages: as sent, without "./", made safe. */
static char *
shown_name(const char *raw)
{
	while (raw[0] == '.' && raw[1] == '/')
		raw += 2;
	return sanitize_str(raw, SANITIZE_FIELD);
}

static void skip_entry(struct untar_state *, const char *, const char *,
    ...) PRINTFLIKE(3, 4);

static void
skip_entry(struct untar_state *u, const char *raw, const char *fmt, ...)
{
	struct strbuf why = STRBUF_INIT;
	char *name = shown_name(raw);
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&why, fmt, ap);
	va_end(ap);
	warning("skipped %s: %s", name, why.buf);
	u->res->skipped++;
	free(name);
	strbuf_release(&why);
}

static int
is_vcs_dir(const char *s, size_t len)
{
	return (len == 4 && (memcmp(s, ".git", 4) == 0 ||
	    memcmp(s, ".svn", 4) == 0)) || (len == 3 && memcmp(s, ".hg", 3) == 0);
}

/* The length of name up to and including its first VCS component, or 0. */
static size_t
vcs_prefix(const char *name)
{
	const char *p = name, *end;
	size_t len;

	for (;;) {
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (is_vcs_dir(p, len))
			return (size_t)(p - name) + len;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

/* ---------------------------------------------------------------- input */

static int
read_exact(struct untar_state *u, void *buf, size_t len, size_t *got)
{
	size_t have = 0;
	ssize_t n;

	while (have < len) {
		n = u->readfn(u->ctx, (char *)buf + have, len - have);
		if (n < 0) {
			if (errno == EINTR)
				return fail(u, "interrupted");
			return fail(u, "cannot read the stream: %s",
			    strerror(errno));
		}
		if (n == 0)
			break;
		have += (size_t)n;
		u->offset += (unsigned long long)n;
		if (u->o->max_size && u->offset > u->o->max_size)
			return fail(u, "more than --max-size %s arrived",
			    u->o->max_size_arg);
	}
	*got = have;
	return 0;
}

/* Read the data of an entry (and its padding) to throw it away. */
static int
discard(struct untar_state *u, unsigned long long size, const char *raw)
{
	char buf[16 * BLOCK];
	unsigned long long left = size + (BLOCK - size % BLOCK) % BLOCK;
	size_t got, want;

	while (left > 0) {
		want = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		if (read_exact(u, buf, want, &got) < 0)
			return -1;
		if (got < want) {
			char *name = shown_name(raw);

			fail(u, "the archive ends inside %s", name);
			free(name);
			return -1;
		}
		left -= got;
	}
	return 0;
}

/* The zero padding that follows size bytes of data to the next block. */
static int
read_padding(struct untar_state *u, unsigned long long size)
{
	char pad[BLOCK];
	size_t want = (BLOCK - (size_t)(size % BLOCK)) % BLOCK, got;

	if (want == 0)
		return 0;
	if (read_exact(u, pad, want, &got) < 0)
		return -1;
	if (got < want)
		return fail(u, "the archive ends without its end marker");
	return 0;
}

/* Free space (and inodes) under the root stay above the reserve. */
static int
check_reserve(struct untar_state *u, unsigned long long more)
{
	struct statvfs vfs;
	unsigned long long avail;

	u->since_check = 0;
	if (fstatvfs(u->rootfd, &vfs) < 0)
		return fail(u, "cannot read the free space: %s",
		    strerror(errno));
	avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
	if (avail < u->o->reserve || avail - u->o->reserve < more ||
	    (u->o->reserve && vfs.f_files > 0 && vfs.f_favail < 64))
		return fail(u, "stopped at the free-space reserve of %s "
		    "(DVM_CP_RESERVE=%s)", u->o->where,
		    u->o->reserve_arg);
	return 0;
}

/* ---------------------------------------------------------------- header */

/* An octal number field, or GNU base-256 when the high bit is set. */
static int
parse_number(const unsigned char *f, size_t width, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i = 0;

	if (f[0] & 0x80) {
		if (f[0] != 0x80)
			return -1;	/* negative */
		for (i = 1; i < width; i++) {
			if (v >> 56)
				return -1;
			v = (v << 8) | f[i];
		}
		*out = v;
		return 0;
	}
	while (i < width && f[i] == ' ')
		i++;
	for (; i < width && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return -1;
		v = (v << 3) | (unsigned)(f[i] - '0');
	}
	for (; i < width; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

static int
valid_header(const unsigned char *h)
{
	unsigned long long want;
	unsigned long usum = 0;
	long ssum = 0;
	size_t i;

	if (memcmp(h + OFF_MAGIC, "ustar", 5) != 0 ||
	    (h[OFF_MAGIC + 5] != '\0' && h[OFF_MAGIC + 5] != ' '))
		return 0;
	if (parse_number(h + OFF_CHKSUM, 8, &want) < 0)
		return 0;
	for (i = 0; i < BLOCK; i++) {
		unsigned char c = i >= OFF_CHKSUM && i < OFF_CHKSUM + 8 ?
		    ' ' : h[i];

		usum += c;
		ssum += (signed char)c;
	}
	return want == usum || (long long)want == (long long)ssum;
}

/* What a stream that starts with these len bytes is compressed with. */
static const char *
compressed_kind(const unsigned char *h, size_t len)
{
	static const struct {
		const char	*magic;
		size_t		 len;
		const char	*name;
	} kinds[] = {
		{ "\x1f\x8b", 2, "gzip" },
		{ "\xfd" "7zXZ", 6, "xz" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd" },
		{ "BZh", 3, "bzip2" }
	};
	size_t i;

	for (i = 0; i < nitems(kinds); i++)
		if (len >= kinds[i].len &&
		    memcmp(h, kinds[i].magic, kinds[i].len) == 0)
			return kinds[i].name;
	return NULL;
}

/* The data of a GNU 'L'/'K' entry: a name, NUL-padded. */
static int
read_long_name(struct untar_state *u, unsigned long long size, char **out)
{
	char *buf;
	size_t got;

	if (size == 0 || size > LONG_NAME_MAX)
		return fail(u, "a long name of %llu bytes at byte %llu",
		    size, u->offset);
	buf = xmalloc((size_t)size + 1);
	if (read_exact(u, buf, (size_t)size, &got) < 0 ||
	    (got < size && fail(u, "the archive ends inside a long name") <
	    0) || read_padding(u, size) < 0) {
		free(buf);
		return -1;
	}
	buf[size] = '\0';
	if (strlen(buf) == 0) {
		free(buf);
		return fail(u, "an empty long name at byte %llu", u->offset);
	}
	free(*out);
	*out = buf;
	return 0;
}

/* A pax value that must be a decimal number (a fraction is dropped). */
static int
pax_number(const char *v, size_t len, unsigned long long *out)
{
	unsigned long long n = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len && v[i] != '.'; i++) {
		if (v[i] < '0' || v[i] > '9' || n > (~0ULL - 9) / 10)
			return -1;
		n = n * 10 + (unsigned)(v[i] - '0');
	}
	*out = n;
	return 0;
}

/*
 * The head of the pax record at p (before end): LEN, digits only, then a
 * space inside the record, which ends in '\n'. Sets *len and *sp (the
 * space); -1 for anything else.
 */
static int
pax_record(char *p, const char *end, unsigned long long *len, char **sp)
{
	char *s = memchr(p, ' ', (size_t)(end - p));
	size_t digits;

	if (s == NULL)
		return -1;
	digits = (size_t)(s - p);
	/* pax_number() would drop a fraction: a length has none. */
	if (memchr(p, '.', digits) != NULL ||
	    pax_number(p, digits, len) < 0 ||
	    *len <= (unsigned long long)digits + 1 ||
	    *len > (unsigned long long)(end - p) || p[*len - 1] != '\n')
		return -1;
	*sp = s;
	return 0;
}

/* Records "LEN key=value\n" of a pax 'x' header, for the next entry. */
static int
read_pax(struct untar_state *u, unsigned long long size)
{
	char *buf, *p, *end, *eq, *sp;
	unsigned long long len, n;
	size_t got, vlen;
	int ret = -1;

	if (size > PAX_MAX)
		return fail(u, "a pax header of %llu bytes", size);
	buf = xmalloc((size_t)size + 1);
	if (read_exact(u, buf, (size_t)size, &got) < 0)
		goto out;
	if (got < size) {
		fail(u, "the archive ends inside a pax header");
		goto out;
	}
	if (read_padding(u, size) < 0)
		goto out;
	buf[size] = '\0';
	for (p = buf, end = buf + size; p < end; p += len) {
		if (pax_record(p, end, &len, &sp) < 0) {
			fail(u, "a malformed pax header at byte %llu",
			    u->offset);
			goto out;
		}
		eq = memchr(sp, '=', (size_t)(p + len - sp));
		if (eq == NULL) {
			fail(u, "a malformed pax header at byte %llu",
			    u->offset);
			goto out;
		}
		sp++;
		vlen = (size_t)(p + len - 1 - (eq + 1));
		if ((size_t)(eq - sp) == 4 && memcmp(sp, "path", 4) == 0) {
			free(u->next_name);
			u->next_name = xstrndup(eq + 1, vlen);
			u->next_nul |= memchr(eq + 1, '\0', vlen) != NULL;
		} else if ((size_t)(eq - sp) == 8 &&
		    memcmp(sp, "linkpath", 8) == 0) {
			free(u->next_link);
			u->next_link = xstrndup(eq + 1, vlen);
			u->next_nul |= memchr(eq + 1, '\0', vlen) != NULL;
		} else if ((size_t)(eq - sp) == 4 &&
		    memcmp(sp, "size", 4) == 0) {
			if (pax_number(eq + 1, vlen, &n) < 0) {
				fail(u, "a bad pax size at byte %llu",
				    u->offset);
				goto out;
			}
			u->next_size = n;
			u->has_next_size = 1;
		} else if ((size_t)(eq - sp) == 5 &&
		    memcmp(sp, "mtime", 5) == 0) {
			if (pax_number(eq + 1, vlen, &n) == 0 && n < (1ULL << 62))
				u->next_mtime = (long long)n;
		} else if ((size_t)(eq - sp) > 11 &&
		    memcmp(sp, "GNU.sparse.", 11) == 0) {
			u->next_sparse = 1;
		}
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

/* ---------------------------------------------------------------- writing */

/* Remember a directory of the copy, for its mode and time at the end. */
static void
add_dir(struct untar_state *u, const char *name, mode_t mode,
    long long mtime)
{
	struct dirmode *d;

	map_add(&u->names, name, K_DIR);
	if (u->ndirs == u->adirs) {
		u->adirs = 2 * u->adirs + 16;
		u->dirs = xreallocarray(u->dirs, u->adirs, sizeof(*u->dirs));
	}
	d = &u->dirs[u->ndirs++];
	d->name = xstrdup(name);
	d->mode = mode;
	d->mtime = mtime;
}

/* A write that failed stops the copy: name the entry and errnum. */
static int
fail_write(struct untar_state *u, const char *raw, int errnum)
{
	char *shown = shown_name(raw);

	fail(u, "cannot write %s: %s", shown, strerror(errnum));
	free(shown);
	return -1;
}

/*
 * An fd on the directory that holds name's last component, walking from
 * the root with O_NOFOLLOW and creating missing directories (0700 until
 * the end, so a mode-000 directory never blocks its own entries). *leaf
 * points into name. -1 with errno set on failure.
 */
static int
open_parent(struct untar_state *u, const char *name, int create,
    const char **leaf)
{
	struct strbuf path = STRBUF_INIT;
	const char *p = name, *slash;
	int fd = dup(u->rootfd), next;

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		char *comp = xstrndup(p, (size_t)(slash - p));

		if (path.len)
			strbuf_addch(&path, '/');
		strbuf_addstr(&path, comp);
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create &&
		    mkdirat(fd, comp, 0700) == 0) {
			add_dir(u, path.buf, 0777, -1);
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		}
		free(comp);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	strbuf_release(&path);
	*leaf = p;
	return fd;
}

static void
set_mtime(int fd, long long mtime)
{
	struct timespec ts[2];

	if (mtime < 0)
		return;
	ts[0].tv_sec = ts[1].tv_sec = (time_t)mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	(void)futimens(fd, ts);
}

static int
write_file(struct untar_state *u, const struct entry *e, const char *name)
{
	char buf[64 * 1024];
	unsigned long long left = e->size;
	const char *leaf;
	size_t got, want;
	int pfd, fd, err;

	/* A header that promises too much is stopped before any write. */
	if (u->o->max_size && e->size > u->o->max_size - u->offset)
		return fail(u, "more than --max-size %s arrived",
		    u->o->max_size_arg);
	if (check_reserve(u, e->size) < 0)
		return -1;
	if ((pfd = open_parent(u, name, 1, &leaf)) < 0)
		goto write_error;
	fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	close(pfd);
	if (fd < 0) {
		if (errno == EEXIST) {
			skip_entry(u, e->raw, "already in the copy");
			return discard(u, e->size, e->raw);
		}
		goto write_error;
	}
	while (left > 0) {
		want = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		if (read_exact(u, buf, want, &got) < 0)
			goto out;
		if (got < want) {
			char *shown = shown_name(e->raw);

			fail(u, "the archive ends inside %s", shown);
			free(shown);
			goto out;
		}
		if (write_all(fd, buf, got) < 0)
			goto write_error_fd;
		left -= got;
		u->since_check += got;
		if (u->since_check >= RESERVE_EVERY &&
		    check_reserve(u, left) < 0)
			goto out;
	}
	if (fchmod(fd, (e->mode & 0777) & ~u->umask) < 0)
		goto write_error_fd;
	set_mtime(fd, e->mtime);
	if (close(fd) < 0) {
		fd = -1;
		goto write_error_fd;
	}
	fd = -1;
	map_add(&u->names, name, K_FILE);
	return read_padding(u, e->size);
write_error_fd:
	err = errno;
	if (fd >= 0)
		close(fd);
	errno = err;
write_error:
	return fail_write(u, e->raw, errno);
out:
	close(fd);
	return -1;
}

static int
make_dir(struct untar_state *u, const struct entry *e, const char *name)
{
	const char *leaf;
	struct dirmode *d;
	struct stat st;
	int pfd, ok;

	if ((pfd = open_parent(u, name, 1, &leaf)) < 0)
		goto write_error;
	if (mkdirat(pfd, leaf, 0700) < 0) {
		int exists = errno == EEXIST;

		ok = exists && fstatat(pfd, leaf, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
		    map_kind(&u->names, name) == K_DIR;
		close(pfd);
		if (exists && !ok) {
			skip_entry(u, e->raw, "already in the copy");
			return 0;
		}
		if (!ok)
			goto write_error;
		/* Met before as a parent: now it has its own mode. */
		for (d = u->dirs + u->ndirs; d > u->dirs; d--) {
			if (strcmp(d[-1].name, name) == 0) {
				d[-1].mode = e->mode;
				d[-1].mtime = e->mtime;
				break;
			}
		}
		return 0;
	}
	close(pfd);
	add_dir(u, name, e->mode, e->mtime);
	return 0;
write_error:
	return fail_write(u, e->raw, errno);
}

static int
make_hard_link(struct untar_state *u, const struct entry *e,
    const char *name)
{
	struct strbuf target = STRBUF_INIT;
	const char *leaf, *tleaf;
	int pfd = -1, tfd = -1, ret = 0;

	if (clean_name(e->linkname, &target) != NAME_OK ||
	    map_kind(&u->names, target.buf) != K_FILE) {
		skip_entry(u, e->raw, "hard link to something that is not "
		    "an earlier file of the copy");
		goto out;
	}
	if ((tfd = open_parent(u, target.buf, 0, &tleaf)) < 0 ||
	    (pfd = open_parent(u, name, 1, &leaf)) < 0 ||
	    linkat(tfd, tleaf, pfd, leaf, 0) < 0) {
		if (errno == EEXIST)
			skip_entry(u, e->raw, "already in the copy");
		else
			ret = fail_write(u, e->raw, errno);
		goto out;
	}
	map_add(&u->names, name, K_FILE);
out:
	if (pfd >= 0)
		close(pfd);
	if (tfd >= 0)
		close(tfd);
	strbuf_release(&target);
	return ret;
}

static const char outside[] = "symlink that leads outside the copy";
static const char nothing[] = "symlink to nothing in the copy";
static const char through_link[] = "path goes through a symlink";

static void
note_symlink(struct untar_state *u, const struct entry *e, const char *name)
{
	struct link *l;
	struct node *n;

	if (u->nlinks == u->alinks) {
		u->alinks = u->alinks * 2 + 16;
		u->links = xreallocarray(u->links, u->alinks,
		    sizeof(*u->links));
	}
	l = &u->links[u->nlinks];
	l->name = xstrdup(name);
	l->target = xstrdup(e->linkname);
	/*
	 * A bad link is still kept as a link: what comes under its name
	 * later must not make a directory there.
	 */
	l->state = L_NEW;
	l->why = NULL;
	l->resolved = NULL;
	if (e->linkname[0] == '/') {
		l->state = L_BAD;
		l->why = "symlink to an absolute path";
	} else if (e->linkname[0] == '\0') {
		l->state = L_BAD;
		l->why = nothing;
	}
	n = map_add(&u->names, name, K_LINK);
	n->link = u->nlinks++;
}

/* ---------------------------------------------------------------- links */


/*
 * Follow link l through the tree as the kernel would, using what the
 * archive put there. On success l->resolved is the path it ends at.
 */
static const char *
resolve_link(struct untar_state *u, struct link *l, int depth)
{
	struct strbuf at = STRBUF_INIT;
	const char *p = l->target, *end, *slash;
	size_t len;
	struct node *n;

	if (l->state == L_OK)
		return NULL;
	if (l->state == L_BAD)
		return l->why;
	if (l->state == L_BUSY || depth > LINK_DEPTH)
		return nothing;	/* a loop */
	l->state = L_BUSY;
	/* A link entry that came before the link it sits under. */
	for (end = strchr(l->name, '/'); end; end = strchr(end + 1, '/')) {
		char *prefix = xstrndup(l->name, (size_t)(end - l->name));
		enum kind k = map_kind(&u->names, prefix);

		free(prefix);
		if (k == K_LINK || k == K_FILE) {
			l->why = through_link;
			goto done;
		}
	}
	slash = strrchr(l->name, '/');
	if (slash)
		strbuf_add(&at, l->name, (size_t)(slash - l->name));
	while (*p) {
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			/* Going above the top directory leaves the copy. */
			slash = strrchr(at.buf, '/');
			if (slash == NULL) {
				l->why = outside;
				goto done;
			}
			at.len = (size_t)(slash - at.buf);
			at.buf[at.len] = '\0';
		} else if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (at.len)
				strbuf_addch(&at, '/');
			strbuf_add(&at, p, len);
			n = map_find(&u->names, at.buf);
			if (n == NULL) {
				l->why = at.len && strchr(at.buf, '/') == NULL ?
				    outside : nothing;
				goto done;
			}
			if (n->kind == K_LINK) {
				struct link *next = &u->links[n->link];
				const char *why = resolve_link(u, next,
				    depth + 1);

				if (why) {
					l->why = why;
					goto done;
				}
				strbuf_reset(&at);
				strbuf_addstr(&at, next->resolved);
			} else if (n->kind == K_FILE && end && end[1]) {
				l->why = nothing;
				goto done;
			}
		}
		p += len;
		if (*p == '/')
			p++;
	}
	if (at.len == 0)
		l->why = outside;
done:
	if (l->why) {
		l->state = L_BAD;
	} else {
		l->state = L_OK;
		l->resolved = strbuf_detach(&at);
	}
	strbuf_release(&at);
	return l->why;
}

static int
make_symlinks(struct untar_state *u)
{
	const char *why, *leaf;
	size_t i;
	int pfd, err;

	for (i = 0; i < u->nlinks; i++) {
		struct link *l = &u->links[i];

		if ((why = resolve_link(u, l, 0)) != NULL) {
			skip_entry(u, l->name, "%s", why);
			continue;
		}
		pfd = open_parent(u, l->name, 1, &leaf);
		if (pfd >= 0 && symlinkat(l->target, pfd, leaf) == 0) {
			close(pfd);
			u->res->accepted++;
			if (strcmp(l->name, u->o->top) == 0)
				u->res->top_arrived = 1;
			continue;
		}
		err = errno;
		if (pfd >= 0)
			close(pfd);
		if (err == EEXIST) {
			skip_entry(u, l->name, "already in the copy");
		} else if (pfd < 0 && (err == ELOOP || err == ENOTDIR)) {
			skip_entry(u, l->name, "%s", through_link);
		} else {
			return fail_write(u, l->name, err);
		}
	}
	return 0;
}

static int
by_depth(const void *a, const void *b)
{
	const struct dirmode *x = a, *y = b;
	size_t dx = 0, dy = 0;
	const char *p;

	for (p = x->name; *p; p++)
		dx += *p == '/';
	for (p = y->name; *p; p++)
		dy += *p == '/';
	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

/* Directory modes last, deepest first: a 000 dir must not block its own. */
static int
set_dir_modes(struct untar_state *u)
{
	const char *leaf;
	size_t i;
	int pfd, fd;

	if (u->ndirs > 1)
		qsort(u->dirs, u->ndirs, sizeof(*u->dirs), by_depth);
	for (i = 0; i < u->ndirs; i++) {
		struct dirmode *d = &u->dirs[i];

		if ((pfd = open_parent(u, d->name, 0, &leaf)) < 0)
			goto error;
		fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		close(pfd);
		if (fd < 0)
			goto error;
		set_mtime(fd, d->mtime);
		if (fchmod(fd, (d->mode & 0777) & ~u->umask) < 0) {
			close(fd);
			goto error;
		}
		close(fd);
	}
	return 0;
error:
	{
		char *shown = shown_name(u->dirs[i].name);

		fail(u, "cannot set the mode of %s: %s", shown,
		    strerror(errno));
		free(shown);
	}
	return -1;
}

/* ---------------------------------------------------------------- entries */

static int
handle_entry(struct untar_state *u, struct entry *e)
{
	struct strbuf name = STRBUF_INIT;
	size_t toplen = strlen(u->o->top), vcs, i;
	int ret = 0;
	char *shown;

	if (e->nul) {
		skip_entry(u, e->raw, "NUL in the name");
		goto skip_data;
	}
	switch (clean_name(e->raw, &name)) {
	case NAME_ABSOLUTE:
		skip_entry(u, e->raw, "absolute path");
		goto skip_data;
	case NAME_DOTDOT:
		skip_entry(u, e->raw, "'..' in the path");
		goto skip_data;
	case NAME_EMPTY:
		goto skip_data;		/* "." itself */
	case NAME_OK:
		break;
	}
	if (strncmp(name.buf, u->o->top, toplen) != 0 ||
	    (name.buf[toplen] != '\0' && name.buf[toplen] != '/')) {
		skip_entry(u, e->raw, "not part of %s", u->o->top);
		goto skip_data;
	}
	if ((vcs = vcs_prefix(name.buf)) != 0) {
		if (!u->o->with_vcs) {
			char *root = xstrndup(name.buf, vcs);

			if (map_find(&u->vcs_seen, root) == NULL) {
				map_add(&u->vcs_seen, root, K_DIR);
				skip_entry(u, root, "version-control metadata "
				    "stays in the VM; move code with git "
				    "push/pull through a remote or git bundle "
				    "(--with-vcs copies it)");
			}
			/* What is inside counts with its root, as one. */
			free(root);
			goto skip_data;
		}
		u->vcs_arrived = 1;
	}
	/* Every parent must be a directory of the copy, never a link. */
	for (i = 0; i < name.len; i++) {
		enum kind k;

		if (name.buf[i] != '/')
			continue;
		name.buf[i] = '\0';
		k = map_kind(&u->names, name.buf);
		name.buf[i] = '/';
		if (k == K_LINK) {
			skip_entry(u, e->raw, "path goes through a symlink");
			goto skip_data;
		}
		if (k == K_FILE) {
			skip_entry(u, e->raw, "inside a file");
			goto skip_data;
		}
	}
	if (map_find(&u->names, name.buf) &&
	    !(e->type == '5' && map_kind(&u->names, name.buf) == K_DIR)) {
		skip_entry(u, e->raw, "already in the copy");
		goto skip_data;
	}
	if (e->sparse) {
		skip_entry(u, e->raw, "unsupported entry type 'S'");
		goto skip_data;
	}
	switch (e->type) {
	case '0': case '\0': case '7':
		ret = write_file(u, e, name.buf);
		goto accepted;
	case '5':
		if ((ret = make_dir(u, e, name.buf)) < 0)
			goto out;
		break;
	case '1': {
		unsigned long before = u->res->skipped;

		if ((ret = make_hard_link(u, e, name.buf)) < 0)
			goto out;
		if (u->res->skipped != before)
			goto skip_data;
		break;
	}
	case '2':
		/* Judged after the last entry, when the tree is complete. */
		note_symlink(u, e, name.buf);
		goto skip_data_only;
	case '3':
		skip_entry(u, e->raw, "character device");
		goto skip_data;
	case '4':
		skip_entry(u, e->raw, "block device");
		goto skip_data;
	case '6':
		skip_entry(u, e->raw, "FIFO");
		goto skip_data;
	default:
		shown = sanitize_str((char[]){ e->type, '\0' }, SANITIZE_FIELD);
		skip_entry(u, e->raw, "unsupported entry type '%s'", shown);
		free(shown);
		goto skip_data;
	}
	ret = discard(u, e->size, e->raw);
accepted:
	if (ret == 0 && map_kind(&u->names, name.buf) != K_NONE) {
		u->res->accepted++;
		if (strcmp(name.buf, u->o->top) == 0)
			u->res->top_arrived = 1;
	}
	goto out;
skip_data_only:
skip_data:
	ret = discard(u, e->size, e->raw);
out:
	strbuf_release(&name);
	return ret;
}

/* The next header, with what 'x', 'L' and 'K' entries said before it. */
static int
next_entry(struct untar_state *u, struct entry *e, int *end)
{
	unsigned char h[BLOCK];
	unsigned long long size, mode, mtime;
	const char *kind;
	size_t got, i;

	for (;;) {
		unsigned long long at = u->offset;

		if (read_exact(u, h, BLOCK, &got) < 0)
			return -1;
		if (got == 0 && at == 0)
			return fail(u, "the guest sent nothing");
		if (at == 0 && (kind = compressed_kind(h, got)) != NULL)
			return fail(u, "the guest sent a%s %s stream, not a "
			    "tar archive", kind[0] == 'x' ? "n" : "", kind);
		if (got < BLOCK)
			return fail(u, "the archive ends without its end "
			    "marker");
		for (i = 0; i < BLOCK && h[i] == 0; i++)
			;
		if (i == BLOCK) {
			*end = 1;
			return 0;
		}
		if (!valid_header(h))
			return fail(u, "not a tar archive (bad header at byte "
			    "%llu)", at);
		if (parse_number(h + OFF_SIZE, 12, &size) < 0 ||
		    parse_number(h + OFF_MODE, 8, &mode) < 0)
			return fail(u, "not a tar archive (bad header at byte "
			    "%llu)", at);
		if (parse_number(h + OFF_MTIME, 12, &mtime) < 0 ||
		    mtime >= (1ULL << 62))
			mtime = 0;
		switch (h[OFF_TYPE]) {
		case 'L':
			if (read_long_name(u, size, &u->next_name) < 0)
				return -1;
			continue;
		case 'K':
			if (read_long_name(u, size, &u->next_link) < 0)
				return -1;
			continue;
		case 'x':
			if (read_pax(u, size) < 0)
				return -1;
			continue;
		case 'g':
			if (discard(u, size, "a pax global header") < 0)
				return -1;
			continue;
		}
		break;
	}
	e->type = (char)h[OFF_TYPE];
	if (u->next_name) {
		e->raw = u->next_name;
		u->next_name = NULL;
	} else {
		struct strbuf sb = STRBUF_INIT;
		size_t plen = strnlen((char *)h + OFF_PREFIX, 155);

		/* Only POSIX ustar has a prefix; GNU keeps times there. */
		if (memcmp(h + OFF_MAGIC, "ustar\0", 6) == 0 && plen) {
			strbuf_add(&sb, h + OFF_PREFIX, plen);
			strbuf_addch(&sb, '/');
		}
		strbuf_add(&sb, h + OFF_NAME, strnlen((char *)h + OFF_NAME,
		    100));
		e->raw = strbuf_detach(&sb);
	}
	if (u->next_link) {
		e->linkname = u->next_link;
		u->next_link = NULL;
	} else {
		e->linkname = xstrndup((char *)h + OFF_LINKNAME,
		    strnlen((char *)h + OFF_LINKNAME, 100));
	}
	e->size = u->has_next_size ? u->next_size : size;
	e->mode = (mode_t)(mode & 07777);
	e->mtime = u->next_mtime >= 0 ? u->next_mtime : (long long)mtime;
	e->sparse = u->next_sparse;
	e->nul = u->next_nul;
	u->has_next_size = u->next_sparse = u->next_nul = 0;
	u->next_mtime = -1;
	/* Old GNU sparse files carry extension headers before the data. */
	if (e->type == 'S' && h[OFF_GNU_ISEXTENDED]) {
		do {
			if (read_exact(u, h, BLOCK, &got) < 0)
				return -1;
			if (got < BLOCK)
				return fail(u, "the archive ends without its "
				    "end marker");
		} while (h[504]);
	}
	/* Old archives mark directories with a trailing slash only. */
	if ((e->type == '0' || e->type == '\0') && *e->raw &&
	    e->raw[strlen(e->raw) - 1] == '/')
		e->type = '5';
	/* No data follows a directory header, whatever its size says. */
	if (e->type == '5')
		e->size = 0;
	return 0;
}

/* After the end marker: the zero padding up to the record size. */
static int
drain(struct untar_state *u)
{
	char buf[BLOCK * 20];
	unsigned long long seen = 0;
	size_t got, i;

	for (;;) {
		if (read_exact(u, buf, sizeof(buf), &got) < 0)
			return -1;
		if (got == 0)
			return 0;
		for (i = 0; i < got; i++)
			if (buf[i] != 0)
				return fail(u, "data after the end of the "
				    "archive at byte %llu", u->offset - got + i);
		seen += got;
		if (seen > TRAILER_MAX)
			return fail(u, "data after the end of the archive");
	}
}

int
untar(const char *root, untar_read_fn readfn, void *ctx,
    const struct untar_opts *opts, struct untar_result *res)
{
	struct untar_state u;
	struct entry e;
	size_t i;
	int end = 0, ret = -1;

	memset(&u, 0, sizeof(u));
	memset(res, 0, sizeof(*res));
	u.o = opts;
	u.res = res;
	u.readfn = readfn;
	u.ctx = ctx;
	u.next_mtime = -1;
	u.umask = umask(0);
	umask(u.umask);
	u.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (u.rootfd < 0) {
		fail(&u, "cannot open %s: %s", root, strerror(errno));
		return -1;
	}
	if (check_reserve(&u, 0) < 0)
		goto out;
	while (!end) {
		memset(&e, 0, sizeof(e));
		if (next_entry(&u, &e, &end) < 0)
			goto out;
		if (end)
			break;
		ret = handle_entry(&u, &e);
		free(e.raw);
		free(e.linkname);
		if (ret < 0)
			goto out;
		ret = -1;
	}
	if (drain(&u) < 0 || make_symlinks(&u) < 0 || set_dir_modes(&u) < 0)
		goto out;
	res->vcs_arrived = u.vcs_arrived;
	ret = 0;
out:
	close(u.rootfd);
	map_clear(&u.names);
	map_clear(&u.vcs_seen);
	for (i = 0; i < u.nlinks; i++) {
		free(u.links[i].name);
		free(u.links[i].target);
		free(u.links[i].resolved);
	}
	free(u.links);
	for (i = 0; i < u.ndirs; i++)
		free(u.dirs[i].name);
	free(u.dirs);
	free(u.next_name);
	free(u.next_link);
	return ret;
}

void
untar_result_release(struct untar_result *res)
{
	free(res->why);
	res->why = NULL;
}
