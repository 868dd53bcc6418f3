/*
 * base64.h: base64 (RFC 4648, standard alphabet, '=' padding) into a
 * strbuf, for files shipped to the guest inside a script and unpacked
 * there with `base64 -d`.
 */
#ifndef DVM_BASE64_H
#define DVM_BASE64_H

#include <stddef.h>

struct strbuf;

/*
 * Append the encoding of data to out. With line_len > 0 a newline
 * follows every line_len output characters and ends a non-empty
 * output, as coreutils `base64 -w line_len` prints it (76 is the usual
 * width); with 0 there are no newlines at all.
 */
void base64_encode(struct strbuf *out, const void *data, size_t len,
    size_t line_len);
/*
 * Append the bytes of text[0..len), strict base64 with '=' padding and
 * nothing else (no newlines, no set bits under the padding), to out. 0,
 * or -1 for anything that is not exactly that, with out as it was.
 */
int base64_decode(struct strbuf *out, const char *text, size_t len);

#endif
