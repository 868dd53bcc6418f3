/*
 * fuzz_marker: guest_parse_marker() (include/guest.h), which picks the
 * step markers out of a sync script's output:
 *
 *	@dvm:<nonce>:begin:<id>
 *	@dvm:<nonce>:end:<id>:<status>
 *	@dvm:<nonce>:warn:<text>
 *
 * Input: one output line (cut at its first NUL), parsed with a fixed
 * nonce of GUEST_NONCE_LEN hex digits as guest_nonce() makes them.
 * Invariants: the id lies inside the line, is not empty and is exactly
 * what follows the begin/end/warn prefix (up to the last ':' for an end); a
 * status is the decimal after that ':'; lines not starting with the
 * prefix are never markers. A plain reference parser written here must
 * agree on every field.
 */
#include "compat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "util.h"

#include "fuzz.h"

#define NONCE "3f9a0c7e5b21d4869e0f1a2b3c4d5e6f"
#define BEGIN_PREFIX "@dvm:" NONCE ":begin:"

/* The nonce has the length guest_nonce() gives. */
typedef char nonce_len_ok[sizeof(NONCE) - 1 == GUEST_NONCE_LEN ? 1 : -1];

/* The largest status the parser takes: a shell's $? is 0 to 255. */
#define STATUS_MAX 255L

struct marker {
	enum marker_kind	 kind;
	const char		*id;
	size_t			 idlen;
	long			 status;
};

/* The reference: the format of guest.h, spelled out the long way. */
static struct marker
ref_parse(const char *line)
{
	static const char prefix[] = "@dvm:" NONCE ":";
	struct marker m = { MARKER_NONE, NULL, 0, 0 };
	const char *rest, *last_colon = NULL, *q;
	size_t plen = strlen(prefix), len = strlen(line), i;

	if (len < plen || memcmp(line, prefix, plen) != 0)
		return m;
	rest = line + plen;
	if (strncmp(rest, "begin:", 6) == 0) {
		if (rest[6] == '\0')
			return m;
		m.kind = MARKER_BEGIN;
		m.id = rest + 6;
		m.idlen = strlen(rest + 6);
		return m;
	}
	if (strncmp(rest, "warn:", 5) == 0) {
		if (rest[5] == '\0')
			return m;
		m.kind = MARKER_WARN;
		m.id = rest + 5;
		m.idlen = strlen(rest + 5);
		return m;
	}
	if (strncmp(rest, "end:", 4) != 0)
		return m;
	rest += 4;
	for (q = rest; *q; q++) {
		if (*q == ':')
			last_colon = q;
	}
	if (last_colon == NULL || last_colon == rest || last_colon[1] == '\0')
		return m;
	for (i = 1; last_colon[i]; i++) {
		if (last_colon[i] < '0' || last_colon[i] > '9')
			return m;
		m.status = m.status * 10 + (last_colon[i] - '0');
		if (m.status > STATUS_MAX)
			return m;
	}
	m.kind = MARKER_END;
	m.id = rest;
	m.idlen = (size_t)(last_colon - rest);
	return m;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = xmalloc(size + 1);
	const char *id = NULL;
	size_t idlen = 0, len;
	int status = -1;
	enum marker_kind k;
	struct marker want;

	memcpy(line, data, size);
	line[size] = '\0';
	len = strlen(line);

	k = guest_parse_marker(line, NONCE, &id, &idlen, &status);
	want = ref_parse(line);
	FUZZ_ASSERT(k == MARKER_NONE || k == MARKER_BEGIN || k == MARKER_END ||
	    k == MARKER_WARN);
	FUZZ_ASSERT(k == want.kind);
	if (k == MARKER_NONE) {
		/* A begin prefix with anything after it is a marker. */
		FUZZ_ASSERT(strncmp(line, BEGIN_PREFIX,
		    sizeof(BEGIN_PREFIX) - 1) != 0 ||
		    len == sizeof(BEGIN_PREFIX) - 1);
		goto out;
	}
	/* The id is a non-empty span of the line itself. */
	FUZZ_ASSERT(id != NULL && id >= line && idlen > 0);
	FUZZ_ASSERT((size_t)(id - line) + idlen <= len);
	FUZZ_ASSERT(id == want.id && idlen == want.idlen);
	FUZZ_ASSERT(memchr(id, '\0', idlen) == NULL);
	if (k == MARKER_BEGIN || k == MARKER_WARN) {
		FUZZ_ASSERT(id[idlen] == '\0');
		FUZZ_ASSERT(status == -1);	/* left alone */
		goto out;
	}
	FUZZ_ASSERT(id[idlen] == ':');
	FUZZ_ASSERT(strchr(id + idlen + 1, ':') == NULL);
	FUZZ_ASSERT(status >= 0 && status <= STATUS_MAX);
	FUZZ_ASSERT(status == want.status);
out:
	free(line);
	return 0;
}
