/*
 * devbase.h: the dev-base build context, a directory with a
 * Containerfile from which the base image of project containers is
 * built in the guest.
 *
 * The context travels inside a guest script, as a base64 ustar archive,
 * together with its hash, so the guest rebuilds the image only when the
 * context changed. The hash is defined so that a shell in the guest or
 * on the host can compute the same value:
 *
 *	cd CTX && find . -type f | LC_ALL=C sort |
 *	while IFS= read -r f; do printf '%s\0' "$f"; cat "$f"; done |
 *	sha256sum
 *
 * that is, SHA-256 over "./<relpath>", a NUL and the file's bytes, for
 * every file in byte-wise order of "./<relpath>". Modes and empty
 * directories are in the archive but not in the hash.
 */
#ifndef DVM_DEVBASE_H
#define DVM_DEVBASE_H

#include <stddef.h>

#include "strbuf.h"

/* The most file bytes a context may hold: it is shipped inside a script. */
#define DEVBASE_MAX_SIZE	(8UL * 1024 * 1024)

struct devbase {
	char		hash[65];	/* lowercase hex SHA-256 */
	struct strbuf	tar_b64;	/* base64 ustar, 76-column lines */
	size_t		nr_files;
};

/*
 * Read the context: every regular file under dev_dir, recursively, plus
 * packages_txt (when not NULL and it exists) stored at the root as
 * packages.txt in place of dev_dir's own. Symlinks and special files
 * inside dev_dir are refused, as a symlink could pull in any file of the
 * host; packages_txt itself may be a symlink to a regular file. Archive
 * modes are 0755 for files the owner may execute, else 0644, and 0755
 * for directories. db needs no initialisation. Returns 0, or -1
 * (reported) with db empty; devbase_release() is safe either way.
 */
int devbase_load(struct devbase *db, const char *dev_dir,
    const char *packages_txt);
void devbase_release(struct devbase *db);

#endif
