/*
 * test_base64.c: unit tests of base64.c, against coreutils base64.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

/* The strict decoder: what a guest sends is refused unless exact. */
static void
test_base64_decode(void)
{
	struct strbuf sb = STRBUF_INIT;

	OK(base64_decode(&sb, "aGk=", 4) == 0 && sb.len == 2 &&
	    memcmp(sb.buf, "hi", 2) == 0, "base64: decodes with one '='");
	strbuf_reset(&sb);
	OK(base64_decode(&sb, "aA==", 4) == 0 && sb.len == 1,
	    "base64: decodes with two '='");
	strbuf_reset(&sb);
	OK(base64_decode(&sb, "aGk", 3) < 0, "base64: a short group is refused");
	OK(base64_decode(&sb, "a=k=", 4) < 0, "base64: '=' inside is refused");
	OK(base64_decode(&sb, "aG\nk", 4) < 0, "base64: a newline is refused");
	OK(base64_decode(&sb, "aGl=", 4) < 0,
	    "base64: set bits under one '=' are refused");
	OK(base64_decode(&sb, "aB==", 4) < 0,
	    "base64: set bits under two '=' are refused");
	OK(sb.len == 0, "base64: refused texts left nothing behind");
	strbuf_addstr(&sb, "kept");
	OK(base64_decode(&sb, "Zm9vYmFyaG!=", 12) < 0 && sb.len == 4 &&
	    strcmp(sb.buf, "kept") == 0,
	    "base64: a text refused at its end leaves out as it was");
	strbuf_release(&sb);
}

static void
test_base64_fixed(void)
{
	/* RFC 4648 section 10. */
	static const char *const in[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar"
	};
	static const char *const want[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	struct strbuf sb = STRBUF_INIT;
	unsigned char all[256];
	size_t i;

	for (i = 0; i < nitems(in); i++) {
		strbuf_reset(&sb);
		base64_encode(&sb, in[i], strlen(in[i]), 0);
		IS_STR(sb.buf, want[i], "base64: RFC 4648 \"%s\", no newlines",
		    in[i]);
	}
	strbuf_reset(&sb);
	base64_encode(&sb, "foobar", 6, 76);
	IS_STR(sb.buf, "Zm9vYmFy\n",
	    "base64: a short line ends with a newline");
	strbuf_reset(&sb);
	base64_encode(&sb, "foobar", 6, 4);
	IS_STR(sb.buf, "Zm9v\nYmFy\n",
	    "base64: a full last line gets one newline, not two");
	strbuf_reset(&sb);
	base64_encode(&sb, "fooba", 5, 3);
	IS_STR(sb.buf, "Zm9\nvYm\nE=\n",
	    "base64: lines split inside a quantum");
	strbuf_release(&sb);
	base64_encode(&sb, "", 0, 76);
	OK(sb.len == 0 && sb.alloc == 0,
	    "base64: empty input appends nothing, not even a newline");
	strbuf_addstr(&sb, "x=");
	base64_encode(&sb, "f", 1, 0);
	IS_STR(sb.buf, "x=Zg==", "base64: appends to what is there");
	strbuf_release(&sb);

	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)i;
	base64_encode(&sb, all, sizeof(all), 0);
	OK(sb.len == 344 && strspn(sb.buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/") == 342 &&
	    strcmp(sb.buf + 342, "==") == 0,
	    "base64: every byte value, standard alphabet");
	strbuf_release(&sb);
}

/* At most 120 bytes of s, around where two outputs differ. */
static void
diag_part(const char *label, const char *s)
{
	size_t len = strlen(s);

	diag_bytes(label, s, len > 120 ? 120 : len);
}

/*
 * Lengths 0..100 against coreutils at its default width 76, and a few at
 * widths 0 and 4. One bash for them all: every exec costs.
 */
static void
test_base64_coreutils(void)
{
	static const char script[] =
	    "for i in $(seq 0 100); do base64 < \"$1.$i\"; printf '#'; done; "
	    "for i in 0 1 2 3 4 5 6 57 100; do base64 -w 0 < \"$1.$i\"; "
	    "printf '#'; base64 -w 4 < \"$1.$i\"; printf '#'; done";
	static const size_t few[] = { 0, 1, 2, 3, 4, 5, 6, 57, 100 };
	unsigned char buf[101][100];
	struct strbuf out = STRBUF_INIT, ours = STRBUF_INIT;
	struct strvec av = STRVEC_INIT;
	char *f = tmp_path("b64-in"), *p;
	size_t len, k, off;
	int rc;

	for (len = 0; len <= 100; len++) {
		random_bytes(buf[len], len);
		p = xasprintf("%s.%zu", f, len);
		put_bytes(p, buf[len], len, 0600);
		free(p);
		base64_encode(&ours, buf[len], len, 76);
		strbuf_addch(&ours, '#');
	}
	for (k = 0; k < nitems(few); k++) {
		base64_encode(&ours, buf[few[k]], few[k], 0);
		strbuf_addch(&ours, '#');
		base64_encode(&ours, buf[few[k]], few[k], 4);
		strbuf_addch(&ours, '#');
	}
	strvec_pushl(&av, BASH, "-c", script, "dbt", f, (char *)NULL);
	rc = run_capture(av.v, NULL, NULL, &out);
	IS_INT(rc, 0, "base64: coreutils base64 runs");
	OK(strcmp(out.buf, ours.buf) == 0, "base64: same output as coreutils "
	    "base64 for lengths 0..100 (-w 76), and at -w 0 and -w 4");
	if (strcmp(out.buf, ours.buf) != 0) {
		for (off = 0; out.buf[off] == ours.buf[off]; off++)
			;
		off = off > 40 ? off - 40 : 0;
		diag_part("coreutils: ", out.buf + off);
		diag_part("ours:      ", ours.buf + off);
	}
	strvec_clear(&av);
	strbuf_release(&out);
	strbuf_release(&ours);
	free(f);
}

static void
test_base64_roundtrip(void)
{
	static const size_t lens[] = { 0, 1, 2, 3, 57, 58, 1000, 65537 };
	char *f = tmp_path("b64-text"), *qf = quoted(f);
	char *cmd = xasprintf("base64 -d < %s", qf);
	size_t k;

	for (k = 0; k < nitems(lens); k++) {
		struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
		unsigned char *buf = xmalloc(lens[k] + 1);
		int rc;

		random_bytes(buf, lens[k]);
		base64_encode(&text, buf, lens[k], 76);
		put_bytes(f, text.buf, text.len, 0600);
		rc = run_bash_c(cmd, NULL, &out);
		IS_INT(rc, 0, "base64: base64 -d accepts %zu bytes encoded",
		    lens[k]);
		IS_MEM(out.buf, out.len, buf, lens[k],
		    "base64: base64 -d gives back the %zu bytes", lens[k]);
		free(buf);
		strbuf_release(&text);
		strbuf_release(&out);
	}
	free(cmd);
	free(qf);
	free(f);
}

void
test_base64(void)
{
	test_base64_decode();
	test_base64_fixed();
	test_base64_coreutils();
	test_base64_roundtrip();
}
