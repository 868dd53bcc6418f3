/*
 * untar.h: a strict tar reader for what comes back out of a guest.
 *
 * A guest→host copy arrives as a tar stream that the guest wrote, so it
 * is attacker data. This reader, not the host's tar, unpacks it into a
 * directory dvm just made (the "root"), and accepts only:
 *   - regular files and directories under the one requested top-level
 *     name, modes masked to 0777 and the umask;
 *   - hard links to an earlier regular file of the same copy;
 *   - relative symlinks that, followed through the unpacked tree after
 *     the last entry (chains included), end inside the copy.
 * Everything else (absolute or '..' names, other links, devices, FIFOs,
 * sparse and other special entries, duplicates, and VCS metadata unless
 * asked for) is skipped with one warning each. Compressed streams, bad
 * headers, sizes the data does not match, an archive without its end
 * marker, and going past the size limit or the free-space reserve stop
 * the whole copy. It reads ustar, pax (path, linkpath, size) and GNU
 * long names and long links. It never follows a symlink while writing
 * and never writes outside the root.
 */
#ifndef DVM_UNTAR_H
#define DVM_UNTAR_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Where the bytes come from: like read(2); 0 at the end, -1 with errno
 * set on error (EINTR when the copy was interrupted).
 */
typedef ssize_t (*untar_read_fn)(void *ctx, void *buf, size_t len);

struct untar_opts {
	const char		*top;		/* the one top-level name */
	int			 with_vcs;	/* keep .git, .hg, .svn */
	unsigned long long	 max_size;	/* bytes of stream; 0: none */
	const char		*max_size_arg;	/* as the user wrote it */
	unsigned long long	 reserve;	/* free bytes to keep */
	const char		*reserve_arg;
	const char		*where;		/* the root's dir, for messages */
};

struct untar_result {
	unsigned long	 skipped;	/* entries skipped with a warning */
	unsigned long	 accepted;	/* entries written */
	int		 top_arrived;	/* the top-level entry itself */
	int		 vcs_arrived;	/* --with-vcs and there was some */
	char		*why;		/* on failure: what went wrong */
};

/*
 * Unpack the stream into the directory root (empty, made by the caller).
 * Skips are reported with warning() as they happen. Returns 0, or -1
 * with res->why set (malloc'd; untar_result_release() frees it); the
 * root then holds a partial tree for the caller to remove.
 */
int untar(const char *root, untar_read_fn readfn, void *ctx,
    const struct untar_opts *opts, struct untar_result *res);
void untar_result_release(struct untar_result *res);

#endif
