/*
 * compat.h: included first by every source file. Feature macros and the
 * few compiler attributes we use, defined away where they do not exist.
 */
#ifndef DVM_COMPAT_H
#define DVM_COMPAT_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE	/* SIGWINCH and friends under _POSIX_C_SOURCE */
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NORETURN	__attribute__((__noreturn__))
#define PRINTFLIKE(f, a) __attribute__((__format__(__printf__, f, a)))
#define SENTINEL	__attribute__((__sentinel__))
#else
#define NORETURN
#define PRINTFLIKE(f, a)
#define SENTINEL
#endif

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#endif
