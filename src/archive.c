/* A POSIX ustar writer (pax "ustar Interchange Format"), files and dirs. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "strbuf.h"
#include "util.h"

#define BLOCK		512
#define NAME_MAX_LEN	100
#define PREFIX_MAX_LEN	155
/* The largest value 11 octal digits hold. */
#define SIZE_LIMIT	077777777777ULL

/* Field offsets in a ustar header block. */
enum {
	OFF_NAME = 0,
	OFF_MODE = 100,
	OFF_UID = 108,
	OFF_GID = 116,
	OFF_SIZE = 124,
	OFF_MTIME = 136,
	OFF_CHKSUM = 148,
	OFF_TYPEFLAG = 156,
	OFF_LINKNAME = 157,
	OFF_MAGIC = 257,
	OFF_VERSION = 263,
	OFF_UNAME = 265,
	OFF_GNAME = 297,
	OFF_DEVMAJOR = 329,
	OFF_DEVMINOR = 337,
	OFF_PREFIX = 345
};

/*
 * A numeric field of width bytes: zero-padded octal in width - 1 digits
 * and a NUL, the form every tar reader accepts. The caller has checked
 * that v fits.
 */
static void
put_octal(unsigned char *field, size_t width, unsigned long long v)
{
	size_t i = width - 1;

	field[i] = '\0';
	while (i > 0) {
		field[--i] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
}

/*
 * Split name between the name and prefix fields: fits as is, or at the
 * first '/' that leaves at most 100 bytes after it. That split gives
 * the shortest prefix, so if its prefix is too long, every split's is.
 * *prefix_len gets the length of the prefix (0: none). Returns 0, or -1
 * if the name cannot fit.
 */
static int
split_name(const char *name, size_t len, size_t *prefix_len)
{
	size_t i;

	*prefix_len = 0;
	if (len <= NAME_MAX_LEN)
		return 0;
	for (i = len - NAME_MAX_LEN - 1; i < len - 1; i++) {
		if (name[i] != '/')
			continue;
		/* Neither half may be empty, or the slash would be lost. */
		if (i == 0)
			continue;
		if (i > PREFIX_MAX_LEN)
			return -1;
		*prefix_len = i;
		return 0;
	}
	return -1;
}

static int
add_entry(struct strbuf *tar, const char *name, char type, const void *data,
    size_t len, unsigned mode)
{
	unsigned char h[BLOCK];
	size_t nlen = strlen(name), plen, i, pad;
	unsigned long sum = 0;

	if (nlen == 0)
		return error("tar: empty file name");
	if (split_name(name, nlen, &plen) < 0)
		return error("tar: name too long for a ustar archive: %s",
		    name);
	if ((unsigned long long)len > SIZE_LIMIT)
		return error("tar: %s is too large for a ustar archive", name);

	memset(h, 0, sizeof(h));
	if (plen > 0) {
		memcpy(h + OFF_PREFIX, name, plen);
		/* The name field need not be NUL-terminated when full. */
		memcpy(h + OFF_NAME, name + plen + 1, nlen - plen - 1);
	} else {
		memcpy(h + OFF_NAME, name, nlen);
	}
	put_octal(h + OFF_MODE, 8, mode & 07777);
	put_octal(h + OFF_UID, 8, 0);
	put_octal(h + OFF_GID, 8, 0);
	put_octal(h + OFF_SIZE, 12, len);
	put_octal(h + OFF_MTIME, 12, 0);
	h[OFF_TYPEFLAG] = (unsigned char)type;
	memcpy(h + OFF_MAGIC, "ustar", 6);	/* with its NUL */
	memcpy(h + OFF_VERSION, "00", 2);
	/* uname and gname stay empty: readers fall back to uid and gid. */
	put_octal(h + OFF_DEVMAJOR, 8, 0);
	put_octal(h + OFF_DEVMINOR, 8, 0);

	/* The checksum is taken with its own field as eight spaces. */
	memset(h + OFF_CHKSUM, ' ', 8);
	for (i = 0; i < BLOCK; i++)
		sum += h[i];
	put_octal(h + OFF_CHKSUM, 7, sum);
	h[OFF_CHKSUM + 7] = ' ';

	strbuf_add(tar, h, sizeof(h));
	if (len > 0) {
		strbuf_add(tar, data, len);
		pad = (BLOCK - len % BLOCK) % BLOCK;
		strbuf_grow(tar, pad);
		memset(tar->buf + tar->len, 0, pad);
		tar->len += pad;
		tar->buf[tar->len] = '\0';
	}
	return 0;
}

int
tar_add_file(struct strbuf *tar, const char *name, const void *data,
    size_t len, unsigned mode)
{
	return add_entry(tar, name, '0', data, len, mode);
}

int
tar_add_dir(struct strbuf *tar, const char *name, unsigned mode)
{
	char *dir;
	int ret;

	if (*name == '\0')
		return error("tar: empty directory name");
	if (has_suffix(name, "/"))
		return add_entry(tar, name, '5', NULL, 0, mode);
	dir = xasprintf("%s/", name);
	ret = add_entry(tar, dir, '5', NULL, 0, mode);
	free(dir);
	return ret;
}

void
tar_finish(struct strbuf *tar)
{
	strbuf_grow(tar, 2 * BLOCK);
	memset(tar->buf + tar->len, 0, 2 * BLOCK);
	tar->len += 2 * BLOCK;
	tar->buf[tar->len] = '\0';
}
