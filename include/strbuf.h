/*
 * strbuf.h: a growable byte buffer that is always NUL-terminated.
 *
 * sb.buf is never NULL: an empty strbuf points at a static "" until the
 * first append, so it can always be printed. strbuf_release() frees the
 * memory and leaves the buffer empty and reusable.
 */
#ifndef DVM_STRBUF_H
#define DVM_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) PRINTFLIKE(2, 3);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    PRINTFLIKE(2, 0);
void strbuf_reset(struct strbuf *sb);
/* Hand the buffer to the caller (who frees it) and reset sb. */
char *strbuf_detach(struct strbuf *sb);

#endif
