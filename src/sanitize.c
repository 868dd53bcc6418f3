/* The one sanitizer for guest text, and JSON strings that are UTF-8. */
#include "compat.h"

#include <stdint.h>
#include <string.h>

#include "sanitize.h"
#include "strbuf.h"
#include "util.h"

/* U+FFFD, for bytes that are not UTF-8. */
static const char replacement[] = "\xef\xbf\xbd";

size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;	/* a continuation byte, 0xc0/0xc1 or > 0xf4 */
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* Characters that can redraw a terminal or reorder what it shows. */
static int
is_bidi_control(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

void
sanitize_add(struct strbuf *sb, const char *s, size_t len, int how)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t c;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &c);
		if (n == 0) {
			strbuf_addstr(sb, replacement);
			i++;
			continue;
		}
		if ((c == '\n' || c == '\t') && how == SANITIZE_LINES)
			strbuf_addch(sb, (char)c);
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\x%02x", (unsigned)c);
		else if ((c >= 0x80 && c <= 0x9f) || is_bidi_control(c))
			strbuf_addf(sb, "\\u%04x", (unsigned)c);
		else
			strbuf_add(sb, p + i, n);
		i += n;
	}
}

char *
sanitize_str(const char *s, int how)
{
	struct strbuf sb = STRBUF_INIT;

	sanitize_add(&sb, s, strlen(s), how);
	return strbuf_detach(&sb);
}

void
json_add_str(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t c;

	strbuf_addch(sb, '"');
	while (i < len) {
		n = utf8_decode(p + i, len - i, &c);
		if (n == 0) {
			strbuf_addstr(sb, replacement);
			i++;
			continue;
		}
		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", (int)c);
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
		    is_bidi_control(c))
			/* Same value, but no raw control reaches a terminal. */
			strbuf_addf(sb, "\\u%04x", (unsigned)c);
		else
			strbuf_add(sb, p + i, n);
		i += n;
	}
	strbuf_addch(sb, '"');
}
