/*
 * util.h: errors, allocation and small string and file helpers.
 *
 * Every message dvm prints about itself goes through die(), error() or
 * warning(), so there is one format: "dvm: error: <what>". Control
 * characters inside a message are shown as '?' so that a hostile value
 * cannot redraw the terminal or fake a second line.
 */
#ifndef DVM_UTIL_H
#define DVM_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Exit statuses shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_INTERRUPTED = 130
};

/* Print "dvm: error: ..." and exit 1. */
void die(const char *fmt, ...) PRINTFLIKE(1, 2) NORETURN;
/* Like die(), with ": <strerror(errno)>" appended. */
void die_errno(const char *fmt, ...) PRINTFLIKE(1, 2) NORETURN;
/* Print "dvm: error: ..." and return -1, for "return error(...)". */
int error(const char *fmt, ...) PRINTFLIKE(1, 2);
int error_errno(const char *fmt, ...) PRINTFLIKE(1, 2);
/* Print "dvm: warning: ...". */
void warning(const char *fmt, ...) PRINTFLIKE(1, 2);

/*
 * Called by die() before it prints, so that a running spinner can clear
 * its line and show the cursor again. NULL by default.
 */
extern void (*die_hook)(void);
/*
 * Called before any error or warning is printed, so that a running
 * spinner clears its line first and the message starts a line of its
 * own. NULL by default.
 */
extern void (*message_hook)(void);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size bytes; dies on overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Allocate and format; the caller frees. */
char *xasprintf(const char *fmt, ...) PRINTFLIKE(1, 2);

int has_prefix(const char *s, const char *prefix);
int has_suffix(const char *s, const char *suffix);

/* Write all of buf, retrying on EINTR and short writes. -1 on error. */
int write_all(int fd, const void *buf, size_t len);
/*
 * Read a whole file into a NUL-terminated malloc'd buffer; *lenp gets the
 * length without the NUL. NULL with errno set on error.
 */
char *read_file(const char *path, size_t *lenp);
/* mkdir -p with the given mode for every directory it creates. */
int mkdir_p(const char *path, mode_t mode);
/*
 * Remove a file or a directory tree, giving directories u+rwx first so
 * that unreadable ones go too. 0 if it is gone (or was absent).
 */
int remove_tree(const char *path);
/* 1 if path exists (lstat succeeds), else 0. */
int path_exists(const char *path);
/* 1 if path is a directory. */
int is_dir(const char *path);
/*
 * Create path with the given contents and mode, atomically and without
 * ever replacing an existing file: the data goes to a temp file in the
 * same directory, is fsync()ed, then link()ed into place. Returns 0, or
 * -1 with errno set (EEXIST when path already exists).
 */
int write_new_file(const char *path, const char *data, size_t len,
    mode_t mode);

#endif
