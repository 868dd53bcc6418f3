/*
 * fuzz.h: what the libFuzzer targets of tests/fuzz/ share.
 */
#ifndef DVM_FUZZ_H
#define DVM_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <sanitizer/common_interface_defs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A broken invariant: name it and abort, so that libFuzzer keeps the
 * input. The line goes out through the sanitizers' report channel, which
 * stays open under -close_fd_mask=2.
 */
#define FUZZ_ASSERT(cond) do {						\
		if (!(cond))						\
			fuzz_fail(__FILE__, __LINE__, #cond);		\
	} while (0)

static void fuzz_fail(const char *, int, const char *) NORETURN;

static void
fuzz_fail(const char *file, int line, const char *what)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s:%d: invariant failed: %s", file,
	    line, what);
	__sanitizer_report_error_summary(msg);
	abort();
}

#endif
