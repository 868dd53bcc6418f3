/*
 * tap.h: a very small TAP producer for the unit tests (tap.c).
 *
 * Every check is one test point: "ok N - name" or "not ok N - name"
 * followed by "#" lines giving the place, the expected and the actual
 * value. tap_done() prints the plan ("1..N") and returns the exit status.
 * The count runs across every test file.
 */
#ifndef UNIT_TAP_H
#define UNIT_TAP_H

#include <stddef.h>

#include "compat.h"

/* Print s (len bytes, or NUL-terminated when len is (size_t)-1) as a C string. */
void tap_escape(const char *s, size_t len);

int t_ok(int pass, const char *file, int line, const char *expr,
    const char *fmt, ...) PRINTFLIKE(5, 6);
int t_str(const char *act, const char *want, const char *file,
    int line, const char *fmt, ...) PRINTFLIKE(5, 6);
int t_mem(const void *act, size_t alen, const void *want, size_t elen,
    const char *file, int line, const char *fmt, ...) PRINTFLIKE(7, 8);
int t_int(long long act, long long want, const char *file, int line,
    const char *fmt, ...) PRINTFLIKE(5, 6);

/* A failure found by a test's own loop (property tests): diag first. */
void tap_diag(const char *fmt, ...) PRINTFLIKE(1, 2);

/* A test that cannot run here: "ok N - name # SKIP why". */
void tap_skip(const char *name, const char *why);

/* The plan; 0 when every point passed, else 1. */
int tap_done(void);

#define OK(cond, ...) \
	t_ok((cond) != 0, __FILE__, __LINE__, #cond, __VA_ARGS__)
#define IS_STR(act, want, ...) \
	t_str((act), (want), __FILE__, __LINE__, __VA_ARGS__)
#define IS_MEM(act, alen, want, elen, ...) \
	t_mem((act), (alen), (want), (elen), __FILE__, __LINE__, __VA_ARGS__)
#define IS_INT(act, want, ...) \
	t_int((long long)(act), (long long)(want), __FILE__, __LINE__, \
	    __VA_ARGS__)

#endif
