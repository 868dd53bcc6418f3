/*
 * dvm key <vm> [--json] (alias ssh-key): the VM's SSH key for getting
 * code in. One `limactl shell --start` as DVM_USER makes an ed25519 key
 * in the VM when there is none (guest/key.sh) and prints its public half;
 * the private key never leaves the VM. What comes back is parsed strictly
 * (sshkey.c) and printed with its fingerprint, to add as a deploy key.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "proc.h"
#include "sanitize.h"
#include "scripts.h"
#include "session.h"
#include "sshkey.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "util.h"

static void
print_json(const char *vm, const struct sshkey *k)
{
	struct strbuf js = STRBUF_INIT;

	strbuf_addstr(&js, "{\"vm\": ");
	json_add_str(&js, vm, strlen(vm));
	strbuf_addstr(&js, ", \"project\": null, \"type\": \"ssh-ed25519\", "
	    "\"public_key\": ");
	json_add_str(&js, k->line, strlen(k->line));
	strbuf_addstr(&js, ", \"fingerprint\": ");
	json_add_str(&js, k->fingerprint, strlen(k->fingerprint));
	strbuf_addstr(&js, "}");
	puts(js.buf);
	strbuf_release(&js);
}

int
cmd_key(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT;
	struct vm_config *c = NULL;
	const struct project *p;
	struct proc pr = PROC_INIT;
	struct strbuf out = STRBUF_INIT;
	struct sshkey k = { NULL, NULL };
	const char *why;
	char *vm = NULL, *proj = NULL, *comment = NULL, *args[2];
	int json = 0, status, ret = EXIT_FAIL;
	const struct flag flags[] = {
		{ "--json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};

	parse_args(argc, argv, flags, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	parse_target_operand(argv[0], ops.v[0], &vm, &proj);
	if (proj)
		usage_error(argv[0], "a key of its own for %s/%s is not there "
		    "yet: use the VM's key (dvm key %s), or make one in the "
		    "container", vm, proj, vm);
	if (load_target(vm, NULL, &c, &p) < 0 ||
	    session_need_instance(vm) < 0)
		goto out;
	comment = xasprintf("dvm-%s", vm);
	args[0] = comment;
	args[1] = NULL;
	lima_user_argv(&pr.args, opt.limactl, vm, 1, c->user, guest_key_sh,
	    args);
	pr.in = PROC_NULL;
	pr.err = PROC_NULL;
	status = proc_capture(&pr, &out);
	if (status != 0) {
		error("cannot make or read the SSH key of DVM_USER in VM '%s' "
		    "(exit status %d; to look: dvm ssh %s -- ssh-keygen -l -f "
		    ".ssh/id_ed25519)", vm, status, vm);
		goto out;
	}
	if (sshkey_parse(out.buf, out.len, &k, &why) < 0) {
		error("VM '%s' sent back no usable public key: %s", vm, why);
		goto out;
	}
	if (json) {
		print_json(vm, &k);
	} else {
		/* Plain ASCII already; the sanitizer is the one way out. */
		char *shown = sanitize_str(k.line, SANITIZE_FIELD);

		printf("%s\n# %s; add it as a deploy key, or to your account\n",
		    shown, k.fingerprint);
		free(shown);
	}
	ret = EXIT_OK;
out:
	sshkey_release(&k);
	strbuf_release(&out);
	config_free(c, 1);
	strvec_clear(&ops);
	free(comment);
	free(vm);
	free(proj);
	return ret;
}
