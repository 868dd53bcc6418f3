/*
 * test_sshkey.c: unit tests of sshkey.c, the public key dvm key reads back,
 * (base64_decode() under it: test_base64.c).
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "sshkey.h"
#include "strbuf.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

static void
check_bad(const char *out, const char *want_why)
{
	struct sshkey k;
	const char *why = NULL;

	OK(sshkey_parse(out, strlen(out), &k, &why) < 0, "sshkey: refuses %s",
	    want_why);
	IS_STR(why, want_why, "sshkey: why for %s", want_why);
	sshkey_release(&k);
}

void
test_sshkey(void)
{
	/* ssh-keygen -l -E sha256 of this key prints this fingerprint. */
	static const char key[] = "ssh-ed25519 "
	    "AAAAC3NzaC1lZDI1NTE5AAAAIH5kl0XbVOWa0NX7ACUnGNlP3kmQ9BLlpI7Ihs1RZ3Xq";
	struct sshkey k;
	const char *why;
	char *line;

	line = xasprintf("%s dvm-app\n", key);
	OK(sshkey_parse(line, strlen(line), &k, &why) == 0,
	    "sshkey: a key line with a comment");
	IS_STR(k.line, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH5kl0XbVOWa0NX7"
	    "ACUnGNlP3kmQ9BLlpI7Ihs1RZ3Xq dvm-app",
	    "sshkey: the line without its newline");
	OK(strncmp(k.fingerprint, "SHA256:", 7) == 0 &&
	    strlen(k.fingerprint) == 7 + 43, "sshkey: SHA256: and 43 "
	    "characters, no padding");
	sshkey_release(&k);
	free(line);
	OK(sshkey_parse(key, strlen(key), &k, &why) == 0,
	    "sshkey: a key line without a comment");
	sshkey_release(&k);

	check_bad("", "the VM sent nothing");
	check_bad("ssh-ed25519 AAAA\nssh-ed25519 AAAA\n",
	    "the VM sent more than one line of key");
	check_bad("ssh-ed25519 AAAAC3Nz \033[2J\n",
	    "the key line holds a control character");
	check_bad("ssh-rsa AAAAB3NzaC1yc2E= x", "not an ed25519 public key line");
	check_bad("ssh-ed25519", "not an ed25519 public key line");
	check_bad("ssh-ed25519 !!!!", "the key's base64 is not valid");
	check_bad("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAQA=",
	    "the key is not one ed25519 key");
}
