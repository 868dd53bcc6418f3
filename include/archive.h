/*
 * archive.h: a minimal POSIX ustar writer into a strbuf.
 *
 * Only regular files and directories. Every entry has mtime 0, uid and
 * gid 0 and empty user and group names, so the same input always gives
 * the same bytes. A name longer than 100 bytes is split at a '/' into
 * the 155-byte prefix field and the name field; the tar_add_*()
 * functions return -1 (reported) when a name cannot be stored that way,
 * or a file is too large for the 11 octal digits of the size field,
 * and append nothing then.
 */
#ifndef DVM_ARCHIVE_H
#define DVM_ARCHIVE_H

#include <stddef.h>

struct strbuf;

/* A file; mode is masked with 07777. */
int tar_add_file(struct strbuf *tar, const char *name, const void *data,
    size_t len, unsigned mode);
/* A directory; a trailing '/' is added to name when missing. */
int tar_add_dir(struct strbuf *tar, const char *name, unsigned mode);
/* End the archive: two zero blocks. */
void tar_finish(struct strbuf *tar);

#endif
