/*
 * tap.c: the TAP producer behind tap.h. One counter for the whole run,
 * whichever test file a point comes from.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tap_count, tap_failed;

/* Print s (len bytes, or NUL-terminated when len is (size_t)-1) as a C string. */
void
tap_escape(const char *s, size_t len)
{
	size_t i;

	if (s == NULL) {
		fputs("(null)", stdout);
		return;
	}
	if (len == (size_t)-1)
		len = strlen(s);
	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int tap_point(int pass, const char *file, int line, const char *fmt,
    va_list ap) PRINTFLIKE(4, 0);

static int
tap_point(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	char name[1024];
	size_t i;

	tap_count++;
	vsnprintf(name, sizeof(name), fmt, ap);
	printf("%s %d - ", pass ? "ok" : "not ok", tap_count);
	/* One line, and no '#' that a TAP reader could take for a directive. */
	for (i = 0; name[i] != '\0'; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '#')
			fputs("\\#", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   at %s:%d\n", file, line);
	}
	return pass;
}

int
t_ok(int pass, const char *file, int line, const char *expr,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_point(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   expected: true\n#   actual:   false (%s)\n", expr);
	return pass;
}

int
t_str(const char *act, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	int pass;

	if (act == NULL || want == NULL)
		pass = act == want;
	else
		pass = strcmp(act, want) == 0;
	va_start(ap, fmt);
	tap_point(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		fputs("#   expected: ", stdout);
		tap_escape(want, (size_t)-1);
		fputs("\n#   actual:   ", stdout);
		tap_escape(act, (size_t)-1);
		putchar('\n');
	}
	return pass;
}

int
t_mem(const void *act, size_t alen, const void *want, size_t elen,
    const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int pass = act != NULL && alen == elen &&
	    (elen == 0 || memcmp(act, want, elen) == 0);

	va_start(ap, fmt);
	tap_point(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		printf("#   expected: (%zu bytes) ", elen);
		tap_escape(want, elen);
		printf("\n#   actual:   (%zu bytes) ", alen);
		tap_escape(act, act ? alen : 0);
		putchar('\n');
	}
	return pass;
}

int
t_int(long long act, long long want, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	int pass = act == want;

	va_start(ap, fmt);
	tap_point(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   expected: %lld\n#   actual:   %lld\n", want, act);
	return pass;
}

/* A failure found by a test's own loop (property tests): diag first. */
void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A test that cannot run here: "ok N - name # SKIP why". */
void
tap_skip(const char *name, const char *why)
{
	tap_count++;
	printf("ok %d - %s # SKIP %s\n", tap_count, name, why);
}

int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# %d of %d tests failed\n", tap_failed, tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}
