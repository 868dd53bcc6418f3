/* The one place that turns data into shell words. */
#include "compat.h"

#include <string.h>

#include "quote.h"
#include "strbuf.h"

/*
 * Characters no shell treats specially anywhere in a word. '=' only
 * matters in NAME=value, which a shell would take as an assignment when
 * it comes first, so such words are quoted.
 */
static int
is_bare(const char *s)
{
	const char *p = s, *eq = strchr(s, '=');

	if (*s == '\0')
		return 0;
	for (; *p; p++) {
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_@%+:,./=-", *p) == NULL)
			return 0;
	}
	if (eq == NULL || eq == s)
		return 1;
	/* NAME= and NAME+= are assignments; anything else before '=' is not. */
	if (eq[-1] == '+')
		eq--;
	for (p = s; p < eq; p++) {
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || (p > s && *p >= '0' &&
		    *p <= '9')))
			return 1;
	}
	return eq == s;
}

void
sq_quote_buf(struct strbuf *dst, const char *s)
{
	if (is_bare(s)) {
		strbuf_addstr(dst, s);
		return;
	}
	strbuf_addch(dst, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_addstr(dst, "'\\''");
		else
			strbuf_addch(dst, *s);
	}
	strbuf_addch(dst, '\'');
}

void
sq_quote_argv(struct strbuf *dst, char *const *argv)
{
	for (; *argv; argv++) {
		sq_quote_buf(dst, *argv);
		if (argv[1])
			strbuf_addch(dst, ' ');
	}
}
