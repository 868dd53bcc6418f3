/* base64 encoding (RFC 4648 section 4) with optional line wrapping. */
#include "compat.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base64.h"
#include "strbuf.h"
#include "util.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
base64_encode(struct strbuf *out, const void *data, size_t len,
    size_t line_len)
{
	const unsigned char *p = data;
	size_t groups, chars, need, col = 0;
	char q[4], *dst;
	int i;

	if (len == 0)
		return;
	groups = len / 3 + (len % 3 != 0);
	if (groups > (SIZE_MAX - 1) / 8)
		die("out of memory");
	chars = groups * 4;
	/* Grow once: a newline per full line, one for a partial last line. */
	need = chars + (line_len > 0 ? chars / line_len + 1 : 0);
	strbuf_grow(out, need);
	dst = out->buf + out->len;

	while (len > 0) {
		uint32_t v = (uint32_t)p[0] << 16;

		if (len > 1)
			v |= (uint32_t)p[1] << 8;
		if (len > 2)
			v |= p[2];
		q[0] = alphabet[v >> 18 & 0x3f];
		q[1] = alphabet[v >> 12 & 0x3f];
		q[2] = len > 1 ? alphabet[v >> 6 & 0x3f] : '=';
		q[3] = len > 2 ? alphabet[v & 0x3f] : '=';
		for (i = 0; i < 4; i++) {
			*dst++ = q[i];
			if (line_len > 0 && ++col == line_len) {
				*dst++ = '\n';
				col = 0;
			}
		}
		if (len <= 3)
			break;
		p += 3;
		len -= 3;
	}
	/* A last partial line is ended too; a full one already was. */
	if (col > 0)
		*dst++ = '\n';
	out->len = (size_t)(dst - out->buf);
	out->buf[out->len] = '\0';
}

static int
value_of(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

int
base64_decode(struct strbuf *out, const char *text, size_t len)
{
	size_t i, pad = 0, start = out->len;

	if (len % 4 != 0)
		return -1;
	if (len && text[len - 1] == '=')
		pad = len > 1 && text[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		int v[4], k, last = i + 4 == len;
		unsigned long n = 0;

		for (k = 0; k < 4; k++) {
			if (last && k >= 4 - (int)pad && text[i + k] == '=')
				v[k] = 0;
			else if ((v[k] = value_of(text[i + k])) < 0)
				goto fail;
			n = n << 6 | (unsigned long)v[k];
		}
		/* The bits padding leaves over must be zero: one spelling each. */
		if (last && ((pad == 1 && (n & 0xff) != 0) ||
		    (pad == 2 && (n & 0xffff) != 0)))
			goto fail;
		strbuf_addch(out, (char)(n >> 16 & 0xff));
		if (!last || pad < 2)
			strbuf_addch(out, (char)(n >> 8 & 0xff));
		if (!last || pad < 1)
			strbuf_addch(out, (char)(n & 0xff));
	}
	return 0;
fail:
	/* Nothing of a refused text is left in out. */
	out->len = start;
	if (out->alloc)
		out->buf[start] = '\0';
	return -1;
}
