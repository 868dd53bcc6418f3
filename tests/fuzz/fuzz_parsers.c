/*
 * fuzz_parsers: dvm's checks of names, targets and values
 * (include/validate.h) and the split of `dvm cp` operands into
 * <vm>:<path> / <vm>/<project>:<path> / host path (parse_side() in
 * src/cmd_cp.c, static, so this file includes cmd_cp.c and the runner
 * leaves cmd_cp.o out of this target's link).
 *
 * Input: a selector byte, then the text (cut at its first NUL, as argv
 * and environment strings are). selector % NPARSERS picks the parser;
 * for valid_uint, selector / NPARSERS picks the maximum.
 *
 * Each parser is compared in both directions with a plain reference
 * written here from the rules stated in validate.h, and outputs are
 * checked to recombine into the input. Any disagreement aborts.
 */
#include "../../src/cmd_cp.c"

#include <limits.h>
#include <stdint.h>

#include "fuzz.h"

enum {
	P_NAME, P_ENV_NAME, P_UINT, P_COUNT, P_GIB, P_PORT_SPEC, P_VM_TYPE,
	P_TARGET, P_CP_SIDE, P_PATHS, NPARSERS
};

static int
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* ^[a-z][a-z0-9-]*$, 1 to NAME_MAX_LEN characters. */
static int
ref_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > NAME_MAX_LEN || !is_lower(s[0]))
		return 0;
	for (i = 1; i < len; i++) {
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return 0;
	}
	return 1;
}

/* ^[A-Z_][A-Z0-9_]*$, at most 64 characters. */
static int
ref_env_name(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 64 || !((s[0] >= 'A' && s[0] <= 'Z') ||
	    s[0] == '_'))
		return 0;
	for (i = 1; i < len; i++) {
		if (!((s[i] >= 'A' && s[i] <= 'Z') || is_digit(s[i]) ||
		    s[i] == '_'))
			return 0;
	}
	return 1;
}

/* Decimal in [1, max] without a leading zero; the value in *out. */
static int
ref_uint(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned long d = (unsigned long)(s[i] - '0');

		if (!is_digit(s[i]))
			return 0;
		if (v > (ULONG_MAX - d) / 10)
			return 0;	/* beyond any max */
		v = v * 10 + d;
	}
	if (v > max)
		return 0;
	*out = v;
	return 1;
}

/* (0|[1-9][0-9]{0,5})(\.[0-9]{1,3})? with some digit not 0. */
static int
ref_gib(const char *s)
{
	size_t i = 0, ilen, flen = 0;
	int nonzero = 0;

	while (is_digit(s[i]))
		nonzero |= s[i++] != '0';
	ilen = i;
	if (ilen == 0 || ilen > 6 || (ilen > 1 && s[0] == '0'))
		return 0;
	if (s[i] == '.') {
		for (i++; is_digit(s[i]); i++, flen++)
			nonzero |= s[i] != '0';
		if (flen == 0 || flen > 3)
			return 0;
	}
	return s[i] == '\0' && nonzero;
}

/* host:guest, both in [1, 65535]. */
static int
ref_port_spec(const char *s)
{
	const char *colon = strchr(s, ':');
	unsigned long a, b;

	if (colon == NULL)
		return 0;
	return ref_uint(s, (size_t)(colon - s), 65535, &a) &&
	    ref_uint(colon + 1, strlen(colon + 1), 65535, &b);
}

/* [a-z0-9]{0,16} */
static int
ref_vm_type(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (!is_lower(s[i]) && !is_digit(s[i]))
			return 0;
	}
	return i <= 16;
}

/* "<vm>" or "<vm>/<project>": one name, or two around one '/'. */
static int
ref_target(const char *s)
{
	const char *slash = strchr(s, '/');

	if (slash == NULL)
		return ref_name(s, strlen(s));
	return ref_name(s, (size_t)(slash - s)) &&
	    ref_name(slash + 1, strlen(slash + 1));
}

static void
fuzz_uint(const char *s, unsigned variant)
{
	static const unsigned long maxes[] = { 1, 9, 10, 255, 1024, 65535,
	    1000000, 1000000000, ULONG_MAX };
	unsigned long max = maxes[variant % nitems(maxes)];
	unsigned long got = 12345, want = 0;
	int ok = valid_uint(s, max, &got), ref;

	ref = ref_uint(s, strlen(s), max, &want);
	FUZZ_ASSERT(ok == ref);
	if (ok)
		FUZZ_ASSERT(got == want && got >= 1 && got <= max);
	else
		FUZZ_ASSERT(got == 12345);	/* untouched on failure */
	FUZZ_ASSERT(valid_uint(s, max, NULL) == ok);
	FUZZ_ASSERT(valid_count(s, max) ==
	    (ok || strcmp(s, "0") == 0));
}

static void
fuzz_target(const char *s)
{
	char *vm = (char *)1, *proj = (char *)1;
	const char *why = NULL;
	int ok = parse_target(s, &vm, &proj, &why);

	FUZZ_ASSERT(ok == ref_target(s));
	if (!ok) {
		FUZZ_ASSERT(vm == NULL && proj == NULL);
		FUZZ_ASSERT(why != NULL && *why != '\0');
		return;
	}
	FUZZ_ASSERT(vm != NULL && valid_name(vm));
	FUZZ_ASSERT(proj == NULL || valid_name(proj));
	/* The parts recombine to the operand. */
	{
		char *back = proj ? xasprintf("%s/%s", vm, proj) :
		    xstrdup(vm);

		FUZZ_ASSERT(strcmp(back, s) == 0);
		free(back);
	}
	free(vm);
	free(proj);
}

/* basename as dvm cp names the copy: no '/' unless it is just "/". */
static void
check_base_name(const char *path)
{
	char *b = base_name(path);
	size_t blen = strlen(b), plen = strlen(path), end = plen;

	if (strchr(b, '/') != NULL) {
		/* Only a path of nothing but slashes gives "/". */
		FUZZ_ASSERT(strcmp(b, "/") == 0);
		FUZZ_ASSERT(strspn(path, "/") == plen && plen > 0);
	} else {
		/* b is the last component: what precedes trailing slashes. */
		while (end > 1 && path[end - 1] == '/')
			end--;
		FUZZ_ASSERT(blen <= end);
		FUZZ_ASSERT(memcmp(path + end - blen, b, blen) == 0);
		FUZZ_ASSERT(end == blen || path[end - blen - 1] == '/');
	}
	free(b);
}

static void
check_guest_path(const char *path)
{
	static const char base[] = "/home/developer/code/app";
	char *g = guest_path(path, base);

	FUZZ_ASSERT(g[0] == '/');
	if (path[0] == '/')
		FUZZ_ASSERT(strcmp(g, path) == 0);
	else
		FUZZ_ASSERT(strncmp(g, base, strlen(base)) == 0);
	free(g);
}

static void
fuzz_cp_side(const char *s)
{
	const char *colon = strchr(s, ':');
	struct side sd;
	int want_vm = 0;

	/* Reference: text before the first ':' is <vm> or <vm>/<project>. */
	if (colon && colon != s) {
		size_t len = (size_t)(colon - s);
		const char *slash = memchr(s, '/', len);

		if (slash == NULL)
			want_vm = ref_name(s, len);
		else
			want_vm = ref_name(s, (size_t)(slash - s)) &&
			    ref_name(slash + 1, (size_t)(colon - slash - 1));
	}
	parse_side(s, &sd);
	FUZZ_ASSERT(sd.path != NULL);
	FUZZ_ASSERT((sd.vm != NULL) == want_vm);
	if (sd.vm == NULL) {
		/* A host path, taken as given. */
		FUZZ_ASSERT(sd.proj == NULL);
		FUZZ_ASSERT(strcmp(sd.path, s) == 0);
	} else {
		char *back = sd.proj ? xasprintf("%s/%s:%s", sd.vm, sd.proj,
		    sd.path) : xasprintf("%s:%s", sd.vm, sd.path);

		FUZZ_ASSERT(valid_name(sd.vm));
		FUZZ_ASSERT(sd.proj == NULL || valid_name(sd.proj));
		FUZZ_ASSERT(strcmp(back, s) == 0);
		free(back);
		check_guest_path(sd.path);
	}
	check_base_name(sd.path);
	side_release(&sd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	s = xmalloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	switch (sel % NPARSERS) {
	case P_NAME:
		FUZZ_ASSERT(valid_name(s) == ref_name(s, strlen(s)));
		FUZZ_ASSERT(reserved_vm_name(s) == (strcmp(s, "base") == 0 ||
		    strcmp(s, "builder") == 0));
		break;
	case P_ENV_NAME:
		FUZZ_ASSERT(valid_env_name(s) == ref_env_name(s));
		break;
	case P_UINT:
	case P_COUNT:
		fuzz_uint(s, sel / NPARSERS);
		break;
	case P_GIB:
		FUZZ_ASSERT(valid_gib(s) == ref_gib(s));
		if (valid_gib(s)) {
			double v = strtod(s, NULL);

			FUZZ_ASSERT(v > 0 && v < 1000000);
		}
		break;
	case P_PORT_SPEC:
		FUZZ_ASSERT(valid_port_spec(s) == ref_port_spec(s));
		break;
	case P_VM_TYPE:
		FUZZ_ASSERT(valid_vm_type(s) == ref_vm_type(s));
		break;
	case P_TARGET:
		fuzz_target(s);
		break;
	case P_CP_SIDE:
		fuzz_cp_side(s);
		break;
	case P_PATHS:
		check_guest_path(s);
		check_base_name(s);
		break;
	}
	free(s);
	return 0;
}
