/*
 * fuzz_instances: instances_parse(), instances_find() and
 * instances_release() (include/instances.h) on `limactl list` output in
 * INSTANCES_FORMAT: per line Name, Status, CPUs, Memory, Disk separated
 * by tabs (memory and disk in bytes; fields after the fifth ignored),
 * "\r\n" accepted.
 *
 * Input: the output text (cut at its first NUL, as a C string is). A
 * reference parser written here from the format must agree on every
 * kept instance; names are valid dvm names; find returns the first
 * instance of a name; a second parse appends; format_gib() shows the
 * sizes rounded to a tenth of a GiB; release empties and frees all.
 */
#include "compat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instances.h"
#include "util.h"
#include "validate.h"

#include "fuzz.h"

/* A field of bytes: digits only (empty is 0), else or when too big 0. */
static unsigned long long
ref_bytes(const char *s, size_t len)
{
	char buf[64];
	unsigned long long v;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	while (len > 1 && *s == '0') {
		s++;
		len--;
	}
	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoull(buf, NULL, 10);
	/* dvm gives up a digit early: nothing above 2^64 - 7 is taken. */
	if (errno == ERANGE || v > 18446744073709551609ULL)
		return 0;
	return v;
}

/* The next kept instance of text at or after *pos, or 0 at the end. */
static int
ref_next(const char *text, size_t *pos, struct instance *out)
{
	size_t len = strlen(text);

	while (*pos < len) {
		const char *line = text + *pos, *nl = strchr(line, '\n');
		size_t llen = nl ? (size_t)(nl - line) : strlen(line);
		const char *f[5];
		size_t flen[5], n = 0, i, start = 0;

		*pos += llen + (nl ? 1 : 0);
		if (nl && llen > 0 && line[llen - 1] == '\r')
			llen--;
		/* Five tab-separated fields; any after them are ignored. */
		for (i = 0; i <= llen && n < 5; i++) {
			if (i == llen || line[i] == '\t') {
				f[n] = line + start;
				flen[n++] = i - start;
				start = i + 1;
			}
		}
		if (n != 5)
			continue;
		if (flen[0] < 4 || memcmp(f[0], "dvm-", 4) != 0)
			continue;
		{
			char *vm = xstrndup(f[0] + 4, flen[0] - 4);

			/* The base-image builder is not listed either. */
			if (!valid_name(vm) || reserved_vm_name(vm)) {
				free(vm);
				continue;
			}
			out->vm = vm;
		}
		out->status = xstrndup(f[1], flen[1]);
		out->cpus = xstrndup(f[2], flen[2]);
		out->memory = ref_bytes(f[3], flen[3]);
		out->disk = ref_bytes(f[4], flen[4]);
		return 1;
	}
	return 0;
}

/* format_gib(): "-" for 0, else bytes / 2^30 rounded to a tenth. */
static void
check_gib(unsigned long long bytes)
{
	char *s = format_gib(bytes), want[64];
	unsigned long long q = bytes >> 30, r = bytes & ((1ULL << 30) - 1);
	unsigned long long tenths = (r * 10 + (1ULL << 29)) >> 30;

	if (bytes == 0) {
		FUZZ_ASSERT(strcmp(s, "-") == 0);
	} else if (bytes < (1ULL << 60)) {
		/* Exact below an EiB (see the report on the top range). */
		q += tenths / 10;
		tenths %= 10;
		if (tenths)
			snprintf(want, sizeof(want), "%llu.%lluGiB", q, tenths);
		else
			snprintf(want, sizeof(want), "%lluGiB", q);
		FUZZ_ASSERT(strcmp(s, want) == 0);
	} else {
		FUZZ_ASSERT(strlen(s) > 3 &&
		    strcmp(s + strlen(s) - 3, "GiB") == 0);
	}
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct instances is = INSTANCES_INIT;
	struct instance want;
	char *text = xmalloc(size + 1);
	size_t i, pos = 0, nr;

	memcpy(text, data, size);
	text[size] = '\0';

	instances_parse(&is, text);
	for (i = 0; ref_next(text, &pos, &want); i++) {
		const struct instance *in = &is.list[i];

		FUZZ_ASSERT(i < is.nr);
		FUZZ_ASSERT(strcmp(in->vm, want.vm) == 0);
		FUZZ_ASSERT(strcmp(in->status, want.status) == 0);
		FUZZ_ASSERT(strcmp(in->cpus, want.cpus) == 0);
		FUZZ_ASSERT(in->memory == want.memory);
		FUZZ_ASSERT(in->disk == want.disk);
		free(want.vm);
		free(want.status);
		free(want.cpus);
	}
	FUZZ_ASSERT(i == is.nr);
	nr = is.nr;

	for (i = 0; i < nr; i++) {
		const struct instance *in = &is.list[i], *f, *g;

		FUZZ_ASSERT(valid_name(in->vm));
		FUZZ_ASSERT(strchr(in->status, '\n') == NULL &&
		    strchr(in->status, '\t') == NULL);
		FUZZ_ASSERT(strchr(in->cpus, '\n') == NULL &&
		    strchr(in->cpus, '\t') == NULL);
		/* find gives the first instance of that name. */
		f = instances_find(&is, in->vm);
		FUZZ_ASSERT(f != NULL && f <= in && strcmp(f->vm, in->vm) == 0);
		for (g = is.list; g < f; g++)
			FUZZ_ASSERT(strcmp(g->vm, in->vm) != 0);
		check_gib(in->memory);
		check_gib(in->disk);
	}
	/* Names dvm could not have made are never found. */
	FUZZ_ASSERT(instances_find(&is, "") == NULL);
	FUZZ_ASSERT(instances_find(&is, "Bad") == NULL);

	/* A second parse appends the same instances. */
	instances_parse(&is, text);
	FUZZ_ASSERT(is.nr == 2 * nr);
	for (i = 0; i < nr; i++) {
		FUZZ_ASSERT(strcmp(is.list[i].vm, is.list[nr + i].vm) == 0);
		FUZZ_ASSERT(is.list[i].memory == is.list[nr + i].memory);
	}

	instances_release(&is);
	FUZZ_ASSERT(is.list == NULL && is.nr == 0);
	free(text);
	return 0;
}
