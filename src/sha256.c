/* SHA-256 as specified in FIPS 180-4, sections 4.1.2, 4.2.2, 5 and 6.2. */
#include "compat.h"

#include <stdint.h>
#include <string.h>

#include "sha256.h"

/*
 * The first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (section 4.2.2).
 */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/* ROTR^n(x) for 0 < n < 32; the masks keep it exact on any width. */
#define ROTR(x, n)	((((x) >> (n)) | ((x) << (32 - (n)))) & 0xffffffffU)
#define CH(x, y, z)	(((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z)	(((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x)	(ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x)	(ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x)	(ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x)	(ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* Big-endian load: the standard's words are big-endian whatever the host. */
static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Section 6.2.2: one 512-bit block into the hash value. */
static void
sha256_block(struct sha256 *ctx, const unsigned char *block)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int t;

	for (t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (t = 16; t < 64; t++)
		w[t] = (SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) +
		    w[t - 16]) & 0xffffffffU;

	a = ctx->h[0];
	b = ctx->h[1];
	c = ctx->h[2];
	d = ctx->h[3];
	e = ctx->h[4];
	f = ctx->h[5];
	g = ctx->h[6];
	h = ctx->h[7];
	for (t = 0; t < 64; t++) {
		t1 = (h + BSIG1(e) + CH(e, f, g) + K[t] + w[t]) & 0xffffffffU;
		t2 = (BSIG0(a) + MAJ(a, b, c)) & 0xffffffffU;
		h = g;
		g = f;
		f = e;
		e = (d + t1) & 0xffffffffU;
		d = c;
		c = b;
		b = a;
		a = (t1 + t2) & 0xffffffffU;
	}
	ctx->h[0] = (ctx->h[0] + a) & 0xffffffffU;
	ctx->h[1] = (ctx->h[1] + b) & 0xffffffffU;
	ctx->h[2] = (ctx->h[2] + c) & 0xffffffffU;
	ctx->h[3] = (ctx->h[3] + d) & 0xffffffffU;
	ctx->h[4] = (ctx->h[4] + e) & 0xffffffffU;
	ctx->h[5] = (ctx->h[5] + f) & 0xffffffffU;
	ctx->h[6] = (ctx->h[6] + g) & 0xffffffffU;
	ctx->h[7] = (ctx->h[7] + h) & 0xffffffffU;
}

void
sha256_init(struct sha256 *ctx)
{
	/*
	 * Section 5.3.3: the first 32 bits of the fractional parts of the
	 * square roots of the first 8 primes.
	 */
	ctx->h[0] = 0x6a09e667;
	ctx->h[1] = 0xbb67ae85;
	ctx->h[2] = 0x3c6ef372;
	ctx->h[3] = 0xa54ff53a;
	ctx->h[4] = 0x510e527f;
	ctx->h[5] = 0x9b05688c;
	ctx->h[6] = 0x1f83d9ab;
	ctx->h[7] = 0x5be0cd19;
	ctx->nbytes = 0;
	ctx->buflen = 0;
}

void
sha256_update(struct sha256 *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t n;

	/* (NULL, 0) is a valid empty update, but not for memcpy(). */
	if (len == 0)
		return;
	ctx->nbytes += len;
	if (ctx->buflen > 0) {
		n = sizeof(ctx->buf) - ctx->buflen;
		if (n > len)
			n = len;
		memcpy(ctx->buf + ctx->buflen, p, n);
		ctx->buflen += n;
		p += n;
		len -= n;
		if (ctx->buflen < sizeof(ctx->buf))
			return;
		sha256_block(ctx, ctx->buf);
		ctx->buflen = 0;
	}
	/* Whole blocks straight from the caller's memory, without a copy. */
	for (; len >= sizeof(ctx->buf); p += 64, len -= 64)
		sha256_block(ctx, p);
	if (len > 0) {
		memcpy(ctx->buf, p, len);
		ctx->buflen = len;
	}
}

void
sha256_final(struct sha256 *ctx, unsigned char out[32])
{
	uint64_t bits = ctx->nbytes * 8;
	int i;

	/* Section 5.1.1: a 1 bit, zeros to 448 mod 512, the length in bits. */
	ctx->buf[ctx->buflen++] = 0x80;
	if (ctx->buflen > 56) {
		memset(ctx->buf + ctx->buflen, 0, 64 - ctx->buflen);
		sha256_block(ctx, ctx->buf);
		ctx->buflen = 0;
	}
	memset(ctx->buf + ctx->buflen, 0, 56 - ctx->buflen);
	store_be32(ctx->buf + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->buf + 60, (uint32_t)(bits & 0xffffffffU));
	sha256_block(ctx, ctx->buf);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->h[i]);
	/* Do not leave message bytes behind in the context. */
	memset(ctx, 0, sizeof(*ctx));
}

void
sha256_hex(const unsigned char in[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[64] = '\0';
}
