/*
 * sshkey.h: the public key `dvm key` reads back from a VM. Guest output is
 * attacker data: only one line of exactly an ed25519 public key passes.
 * Pure, so the unit tests check it alone.
 */
#ifndef DVM_SSHKEY_H
#define DVM_SSHKEY_H

#include <stddef.h>

struct sshkey {
	char	*line;		/* "ssh-ed25519 <base64>[ comment]" */
	char	*fingerprint;	/* "SHA256:<base64 without padding>" */
};

/*
 * Parse out (len bytes, one line and at most one newline after it):
 * "ssh-ed25519", one space, base64 of the key blob (the string
 * "ssh-ed25519" and 32 key bytes, each with its length), then optionally
 * one space and a comment of printable ASCII. 0 with k filled (free with
 * sshkey_release()), or -1 with *why set to what is wrong.
 */
int sshkey_parse(const char *out, size_t len, struct sshkey *k,
    const char **why);
void sshkey_release(struct sshkey *k);

#endif
