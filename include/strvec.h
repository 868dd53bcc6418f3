/*
 * strvec.h: a NULL-terminated vector of strings, usable as an argv.
 *
 * v.v is never NULL and v.v[v.nr] is always NULL, so even an empty vector
 * can be handed to execvp(). Pushed strings are copied; strvec_clear()
 * frees them all and leaves the vector empty.
 */
#ifndef DVM_STRVEC_H
#define DVM_STRVEC_H

#include <stddef.h>

struct strvec {
	char	**v;
	size_t	  nr;
	size_t	  alloc;
};

extern char *strvec_empty[];
#define STRVEC_INIT { strvec_empty, 0, 0 }

void strvec_init(struct strvec *sv);
void strvec_push(struct strvec *sv, const char *s);
/* Take ownership of a malloc'd string. */
void strvec_push_nodup(struct strvec *sv, char *s);
void strvec_pushf(struct strvec *sv, const char *fmt, ...) PRINTFLIKE(2, 3);
/* Push each string up to a NULL. */
void strvec_pushl(struct strvec *sv, ...) SENTINEL;
/* Push every element of a NULL-terminated array. */
void strvec_pushv(struct strvec *sv, char *const *argv);
void strvec_clear(struct strvec *sv);
/* 1 if s is one of sv's strings. */
int strvec_has(const struct strvec *sv, const char *s);
/* Sort the strings byte-wise and drop repeats. */
void strvec_sort_uniq(struct strvec *sv);

#endif
