/*
 * dvm key <vm>[/<project>] [--json] (alias ssh-key): an SSH key for
 * getting code in, to add as a deploy key. For a VM, one `limactl shell
 * --start` as DVM_USER makes an ed25519 key in the VM when there is none
 * (guest/key.sh). For a project, the same call runs guest/project-key.sh
 * in its container: a key of its own in the workspace volume (deploy keys
 * are one per repository), and the git config dvm's podman exec includes,
 * so git there uses it. Either way only the public half comes back; it is
 * parsed strictly (sshkey.c) and printed with its fingerprint.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "guesttext.h"
#include "lima.h"
#include "podman.h"
#include "proc.h"
#include "sanitize.h"
#include "scripts.h"
#include "session.h"
#include "sshkey.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "util.h"
#include "validate.h"

/* Exit status of guest/project-key.sh: the container has no ssh-keygen. */
#define KEY_NO_SSH_KEYGEN 3

static void
print_json(const char *vm, const char *proj, const struct sshkey *k)
{
	struct strbuf js = STRBUF_INIT;

	strbuf_addstr(&js, "{\"vm\": ");
	json_add_str(&js, vm, strlen(vm));
	strbuf_addstr(&js, ", \"project\": ");
	if (proj)
		json_add_str(&js, proj, strlen(proj));
	else
		strbuf_addstr(&js, "null");
	strbuf_addstr(&js, ", \"type\": \"ssh-ed25519\", \"public_key\": ");
	json_add_str(&js, k->line, strlen(k->line));
	strbuf_addstr(&js, ", \"fingerprint\": ");
	json_add_str(&js, k->fingerprint, strlen(k->fingerprint));
	strbuf_addstr(&js, "}");
	puts(js.buf);
	strbuf_release(&js);
}

/*
 * The argv that makes or reads p's key in its container (started on the
 * way), or -1 when its PROJ_WORKDIR cannot carry one (reported).
 */
static int
project_key_argv(struct strvec *av, const struct vm_config *c,
    const struct project *p)
{
	struct strvec cmd = STRVEC_INIT, ex = STRVEC_INIT;
	char *comment;

	/*
	 * The key's path goes into git's core.sshCommand, which git runs
	 * with the shell: only a workdir that needs no quoting there, or in
	 * git's config file, is taken.
	 */
	if (!valid_plain(p->workdir, "/._-"))
		return error("PROJ_WORKDIR '%s' of %s/%s cannot hold a key "
		    "git uses: only letters, digits and / . _ - are taken "
		    "there", p->workdir, c->name, p->name);
	comment = xasprintf("dvm-%s/%s", c->name, p->name);
	/* podman exec starts it in the workdir, where the key dir is. */
	strvec_pushl(&cmd, "sh", "-c", guest_project_key_sh, "sh",
	    PROJECT_KEY_DIR, comment, NULL);
	podman_exec_argv(&ex, c->name, p, 0, cmd.v);
	session_project_argv(av, c, p, 1, ex.v);
	strvec_clear(&cmd);
	strvec_clear(&ex);
	free(comment);
	return 0;
}

int
cmd_key(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT;
	struct vm_config *c = NULL;
	const struct project *p = NULL;
	struct proc pr = PROC_INIT;
	struct strbuf out = STRBUF_INIT;
	struct sshkey k = { NULL, NULL };
	const char *why;
	char *vm = NULL, *proj = NULL, *comment = NULL, *what = NULL;
	char *args[2];
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
	if (load_target(vm, proj, &c, &p) < 0 ||
	    session_need_instance(vm) < 0)
		goto out;
	if (p) {
		what = xasprintf("project '%s/%s'", vm, proj);
		if (project_key_argv(&pr.args, c, p) < 0)
			goto out;
	} else {
		what = xasprintf("VM '%s'", vm);
		comment = xasprintf("dvm-%s", vm);
		args[0] = comment;
		args[1] = NULL;
		lima_user_argv(&pr.args, opt.limactl, vm, 1, c->user,
		    guest_key_sh, args);
	}
	/* limactl booting the VM and the guest's complaints are shown. */
	status = guest_capture(&pr, &out);
	if (status < 0)
		goto out;
	if (p && status == KEY_NO_SSH_KEYGEN) {
		error("the container of %s/%s has no ssh-keygen: install "
		    "openssh-clients in it (its setup.sh, or its image: "
		    "base/dev/packages.txt for the dev-base), then dvm sync "
		    "%s/%s", vm, proj, vm, proj);
		goto out;
	}
	if (status != 0 && p) {
		error("cannot make or read the SSH key of %s (exit status %d; "
		    "to look: dvm ssh %s/%s ls -la %s)", what, status, vm, proj,
		    p->workdir);
		goto out;
	}
	if (status != 0) {
		error("cannot make or read the SSH key of DVM_USER in VM '%s' "
		    "(exit status %d; to look: dvm ssh %s -- ssh-keygen -l -f "
		    ".ssh/id_ed25519)", vm, status, vm);
		goto out;
	}
	if (sshkey_parse(out.buf, out.len, &k, &why) < 0) {
		error("%s sent back no usable public key: %s", what, why);
		goto out;
	}
	if (json) {
		print_json(vm, proj, &k);
	} else {
		/* Plain ASCII already; the sanitizer is the one way out. */
		char *shown = sanitize_str(k.line, SANITIZE_FIELD);

		printf("%s\n# %s; add it as a deploy key%s\n", shown,
		    k.fingerprint, p ? " of the project's repository: git in "
		    "its container uses it" : ", or to your account");
		free(shown);
	}
	ret = EXIT_OK;
out:
	sshkey_release(&k);
	strbuf_release(&out);
	strvec_clear(&pr.args);
	config_free(c, 1);
	strvec_clear(&ops);
	free(comment);
	free(what);
	free(vm);
	free(proj);
	return ret;
}
