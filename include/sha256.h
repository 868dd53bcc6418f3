/*
 * sha256.h: SHA-256 (FIPS 180-4), for content hashes that must match
 * sha256sum(1) byte for byte.
 *
 * Streaming: sha256_init(), any number of sha256_update() calls, then
 * sha256_final(), which leaves the context to be initialised again.
 * Byte order is handled explicitly, so the result does not depend on
 * the host's endianness.
 */
#ifndef DVM_SHA256_H
#define DVM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32
#define SHA256_HEXLEN	64

struct sha256 {
	uint32_t	 h[8];		/* intermediate hash value */
	uint64_t	 nbytes;	/* message length so far */
	unsigned char	 buf[64];	/* a partial block */
	size_t		 buflen;
};

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t len);
void sha256_final(struct sha256 *ctx, unsigned char out[32]);
/* Lowercase hex of a digest, NUL-terminated, as sha256sum prints it. */
void sha256_hex(const unsigned char in[32], char out[65]);

#endif
