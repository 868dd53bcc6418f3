/*
 * test_sha256.c: unit tests of sha256.c, against the FIPS 180-4 examples
 * and sha256sum.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "strbuf.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

static void
sha_hex(const void *data, size_t len, char hex[65])
{
	struct sha256 ctx;
	unsigned char d[32];

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
}

static void
test_sha256_vectors(void)
{
	/* FIPS 180-4 examples (the NIST "SHA256.pdf" and "SHA2_Additional"). */
	static const char m448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	static const char million_a[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct sha256 ctx;
	unsigned char d[32];
	char hex[65], *a;
	size_t i;

	sha_hex("", 0, hex);
	IS_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855", "sha256: empty message");
	sha_hex("abc", 3, hex);
	IS_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad", "sha256: \"abc\"");
	IS_INT(strlen(m448) * 8, 448, "sha256: the 448-bit message is right");
	sha_hex(m448, strlen(m448), hex);
	IS_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd4"
	    "19db06c1", "sha256: 448-bit message (two-block padding)");
	IS_INT(strlen(m896) * 8, 896, "sha256: the 896-bit message is right");
	sha_hex(m896, strlen(m896), hex);
	IS_STR(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac4503"
	    "7afee9d1", "sha256: 896-bit message");

	a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	sha_hex(a, 1000000, hex);
	IS_STR(hex, million_a, "sha256: one million 'a' in one update");
	sha256_init(&ctx);
	for (i = 0; i < 1000000; i++)
		sha256_update(&ctx, a + i, 1);
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
	IS_STR(hex, million_a, "sha256: one million 'a', one byte at a time");
	free(a);

	sha256_init(&ctx);
	sha256_update(&ctx, "ab", 2);
	sha256_update(&ctx, NULL, 0);
	sha256_update(&ctx, "c", 1);
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
	IS_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad", "sha256: a zero-length update changes nothing");
}

/* Random data against sha256sum, fed in odd-sized pieces. */
static void
test_sha256_sha256sum(void)
{
	static const size_t lens[] = {
		1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000,
		4099, 100003
	};
	char *f = tmp_path("sha-random");
	size_t k;

	for (k = 0; k < nitems(lens); k++) {
		struct strbuf out = STRBUF_INIT;
		struct sha256 ctx;
		unsigned char *buf = xmalloc(lens[k]), d[32];
		char hex[65], *cmd, *qf = quoted(f);
		size_t off = 0;
		int rc;

		random_bytes(buf, lens[k]);
		sha256_init(&ctx);
		while (off < lens[k]) {
			/* 1, 3, ..., 199 bytes: straddles every block edge. */
			size_t n = (rng() % 100) * 2 + 1;

			if (n > lens[k] - off)
				n = lens[k] - off;
			sha256_update(&ctx, buf + off, n);
			off += n;
		}
		sha256_final(&ctx, d);
		sha256_hex(d, hex);
		put_bytes(f, buf, lens[k], 0600);
		cmd = xasprintf("sha256sum < %s", qf);
		rc = run_bash_c(cmd, NULL, &out);
		OK(rc == 0 && out.len >= 64 &&
		    strncmp(out.buf, hex, 64) == 0 && hex[64] == '\0',
		    "sha256: %zu random bytes in odd pieces match sha256sum",
		    lens[k]);
		if (rc != 0 || strncmp(out.buf, hex, 64) != 0)
			tap_diag("sha256sum: %s ours: %s", out.buf, hex);
		free(cmd);
		free(qf);
		free(buf);
		strbuf_release(&out);
	}
	free(f);
}

void
test_sha256(void)
{
	test_sha256_vectors();
	test_sha256_sha256sum();
}
