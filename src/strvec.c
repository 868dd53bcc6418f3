/* A NULL-terminated vector of owned strings. */
#include "compat.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "strvec.h"
#include "util.h"

char *strvec_empty[1];

void
strvec_init(struct strvec *sv)
{
	sv->v = strvec_empty;
	sv->nr = 0;
	sv->alloc = 0;
}

void
strvec_push_nodup(struct strvec *sv, char *s)
{
	if (sv->nr + 2 > sv->alloc) {
		size_t want = sv->alloc ? sv->alloc * 2 : 8;

		if (sv->alloc == 0) {
			sv->v = xreallocarray(NULL, want, sizeof(char *));
		} else {
			sv->v = xreallocarray(sv->v, want, sizeof(char *));
		}
		sv->alloc = want;
	}
	sv->v[sv->nr++] = s;
	sv->v[sv->nr] = NULL;
}

void
strvec_push(struct strvec *sv, const char *s)
{
	strvec_push_nodup(sv, xstrdup(s));
}

void
strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push_nodup(sv, strbuf_detach(&sb));
}

void
strvec_pushl(struct strvec *sv, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, sv);
	while ((s = va_arg(ap, const char *)) != NULL)
		strvec_push(sv, s);
	va_end(ap);
}

void
strvec_pushv(struct strvec *sv, char *const *argv)
{
	for (; *argv; argv++)
		strvec_push(sv, *argv);
}

void
strvec_clear(struct strvec *sv)
{
	size_t i;

	if (sv->alloc) {
		for (i = 0; i < sv->nr; i++)
			free(sv->v[i]);
		free(sv->v);
	}
	strvec_init(sv);
}

int
strvec_has(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->nr; i++) {
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
strvec_sort_uniq(struct strvec *sv)
{
	size_t i, j;

	if (sv->nr < 2)
		return;
	qsort(sv->v, sv->nr, sizeof(char *), cmp_str);
	for (i = j = 1; i < sv->nr; i++) {
		if (strcmp(sv->v[j - 1], sv->v[i]) == 0) {
			free(sv->v[i]);
			continue;
		}
		sv->v[j++] = sv->v[i];
	}
	sv->nr = j;
	sv->v[j] = NULL;
}
