/* The one shape of public key dvm accepts from a guest: ed25519. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "sha256.h"
#include "sshkey.h"
#include "strbuf.h"
#include "util.h"

#define KEY_TYPE "ssh-ed25519"
#define MAX_LINE 1024

/* The blob: uint32 length and "ssh-ed25519", uint32 length and 32 bytes. */
static int
blob_ok(const unsigned char *b, size_t n)
{
	static const unsigned char head[] = { 0, 0, 0, 11, 's', 's', 'h', '-',
	    'e', 'd', '2', '5', '5', '1', '9', 0, 0, 0, 32 };

	return n == sizeof(head) + 32 && memcmp(b, head, sizeof(head)) == 0;
}

int
sshkey_parse(const char *out, size_t len, struct sshkey *k, const char **why)
{
	struct strbuf blob = STRBUF_INIT, fp = STRBUF_INIT;
	const char *b64, *end, *sp;
	unsigned char digest[32];
	struct sha256 ctx;
	size_t i;

	memset(k, 0, sizeof(*k));
	if (len && out[len - 1] == '\n')
		len--;
	*why = "the VM sent nothing";
	if (len == 0)
		return -1;
	*why = "the VM sent more than one line of key";
	if (len > MAX_LINE)
		return -1;
	for (i = 0; i < len; i++) {
		if (out[i] == '\n' || out[i] == '\0')
			return -1;
		*why = "the key line holds a control character";
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			return -1;
		*why = "the VM sent more than one line of key";
	}
	*why = "not an ed25519 public key line";
	if (len < sizeof(KEY_TYPE) || memcmp(out, KEY_TYPE " ",
	    sizeof(KEY_TYPE)) != 0)
		return -1;
	b64 = out + sizeof(KEY_TYPE);
	end = out + len;
	sp = memchr(b64, ' ', (size_t)(end - b64));
	*why = "the key's base64 is not valid";
	if (base64_decode(&blob, b64, (size_t)((sp ? sp : end) - b64)) < 0)
		goto fail;
	*why = "the key is not one ed25519 key";
	if (!blob_ok((const unsigned char *)blob.buf, blob.len))
		goto fail;
	sha256_init(&ctx);
	sha256_update(&ctx, blob.buf, blob.len);
	sha256_final(&ctx, digest);
	strbuf_addstr(&fp, "SHA256:");
	base64_encode(&fp, digest, sizeof(digest), 0);
	while (fp.len && fp.buf[fp.len - 1] == '=')
		fp.buf[--fp.len] = '\0';
	k->line = xstrndup(out, len);
	k->fingerprint = strbuf_detach(&fp);
	strbuf_release(&blob);
	return 0;
fail:
	strbuf_release(&blob);
	strbuf_release(&fp);
	return -1;
}

void
sshkey_release(struct sshkey *k)
{
	free(k->line);
	free(k->fingerprint);
	k->line = k->fingerprint = NULL;
}
