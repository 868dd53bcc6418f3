/*
 * fuzz_quote: sq_quote_buf() and sq_quote_argv() (include/quote.h).
 *
 * Property: bash reads a quoted word back as exactly the bytes quoted.
 * Running bash per input is too slow here, so this file has its own
 * decoder of the only shell word syntax the quoter may emit:
 *
 *   bare characters   [A-Za-z0-9_@%+:,./=-], taken literally
 *   '...'             any bytes but ', taken literally
 *   \'                a literal '
 *
 * concatenated into words, words separated by exactly one space. Anything
 * else (another backslash escape, an unquoted metacharacter or blank, an
 * unterminated quote, an empty word, a leading unquoted NAME= or NAME+=
 * that would make an assignment) aborts: the decoder does not trust the
 * quoter. tests/fuzz/quote-roundtrip-bash.sh checks the same property
 * with the real bash.
 *
 * Input: words separated by NUL bytes (at least one word, possibly
 * empty). Each word is quoted alone and decoded; then the whole list
 * goes through sq_quote_argv() and must decode to the same list.
 */
#include "compat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include "fuzz.h"

/* Never special to a shell outside quotes (a deliberately short list). */
static int
is_bare_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("_@%+:,./=-", c) != NULL);
}

/*
 * Would the shell take the start of this raw word as an assignment?
 * [A-Za-z_][A-Za-z0-9_]* then "=" or "+=", all unquoted.
 */
static int
looks_like_assignment(const char *raw)
{
	const char *p = raw;

	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	    *p == '_'))
		return 0;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	    (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return *p == '=' || (p[0] == '+' && p[1] == '=');
}

/*
 * Decode one word starting at p into out; returns where it ended (the
 * separating space or the NUL).
 */
static const char *
decode_word(const char *p, struct strbuf *out)
{
	const char *start = p;

	FUZZ_ASSERT(!looks_like_assignment(p));
	while (*p != '\0' && *p != ' ') {
		if (*p == '\'') {
			for (p++; *p != '\''; p++) {
				FUZZ_ASSERT(*p != '\0');	/* unterminated */
				strbuf_addch(out, *p);
			}
			p++;
		} else if (*p == '\\') {
			FUZZ_ASSERT(p[1] == '\'');	/* only \' is emitted */
			strbuf_addch(out, '\'');
			p += 2;
		} else {
			/* Unquoted: a metacharacter or blank here is a bug. */
			FUZZ_ASSERT(is_bare_char((unsigned char)*p));
			strbuf_addch(out, *p);
			p++;
		}
	}
	FUZZ_ASSERT(p > start);		/* an empty word must be '' */
	return p;
}

/* Split text into words as the shell would; aborts on anything odd. */
static void
decode_words(const char *text, struct strvec *words)
{
	const char *p = text;

	FUZZ_ASSERT(*p != '\0');
	for (;;) {
		struct strbuf w = STRBUF_INIT;

		p = decode_word(p, &w);
		strvec_push(words, w.buf);
		strbuf_release(&w);
		if (*p == '\0')
			break;
		p++;			/* exactly one space between words */
		FUZZ_ASSERT(*p != '\0' && *p != ' ');
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strvec in = STRVEC_INIT, back = STRVEC_INIT;
	struct strbuf q = STRBUF_INIT;
	size_t i, start = 0;

	/* NUL-separated words: "a\0b" is a, b; "" is one empty word. */
	for (i = 0; i <= size; i++) {
		if (i == size || data[i] == '\0') {
			char *w = xstrndup((const char *)data + start,
			    i - start);

			strvec_push_nodup(&in, w);
			start = i + 1;
		}
	}

	for (i = 0; i < in.nr; i++) {
		const char *w = in.v[i];

		strbuf_reset(&q);
		sq_quote_buf(&q, w);
		FUZZ_ASSERT(strlen(q.buf) == q.len);
		FUZZ_ASSERT(q.len <= 4 * strlen(w) + 2);
		decode_words(q.buf, &back);
		FUZZ_ASSERT(back.nr == 1);
		FUZZ_ASSERT(strcmp(back.v[0], w) == 0);
		strvec_clear(&back);
		/* Left bare only when it decodes to itself with no quoting. */
		if (strcmp(q.buf, w) == 0)
			FUZZ_ASSERT(strchr(w, '\'') == NULL &&
			    strchr(w, '\\') == NULL);
	}

	strbuf_reset(&q);
	sq_quote_argv(&q, in.v);
	decode_words(q.buf, &back);
	FUZZ_ASSERT(back.nr == in.nr);
	for (i = 0; i < in.nr; i++)
		FUZZ_ASSERT(strcmp(back.v[i], in.v[i]) == 0);

	strvec_clear(&back);
	strvec_clear(&in);
	strbuf_release(&q);
	return 0;
}
