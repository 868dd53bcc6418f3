/*
 * dvm sh <vm> | <vm>/<project>: an interactive login shell, as DVM_USER
 * in the code dir, or bash -l in the project's container at its workdir.
 * dvm execs limactl, so the terminal, signals and exit status are the
 * shell's own. The host's TERM comes along (Lima's ssh brings it to the
 * VM; dvm hands it to podman exec), and where there is no terminfo for
 * it the shell gets xterm-256color instead (guest/term.sh), in the same
 * one limactl call.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "podman.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "util.h"
#include "validate.h"

/* The host's TERM for the container, when it is a plain name. */
static const char *
host_term(void)
{
	const char *t = getenv("TERM");

	if (t == NULL || *t == '\0' || strlen(t) > 64 ||
	    !valid_plain(t, "._+-"))
		return NULL;
	return t;
}

int
cmd_sh(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT, cmd = STRVEC_INIT, ex = STRVEC_INIT;
	struct strbuf script = STRBUF_INIT;
	struct vm_config *c = NULL;
	const struct project *p;
	char *vm = NULL, *proj = NULL;
	int ret = EXIT_FAIL;

	parse_args(argc, argv, NULL, 0, &ops);
	if (ops.nr != 1)
		usage_error(argv[0], ops.nr ? "too many arguments" :
		    "missing VM name");
	parse_target_operand(argv[0], ops.v[0], &vm, &proj);
	if (load_target(vm, proj, &c, &p) < 0)
		goto out;
	strbuf_addstr(&script, guest_term_sh);
	if (p == NULL) {
		strbuf_addstr(&script, guest_sh_login_sh);
		ret = session_vm(c, script.buf, NULL);
		goto out;
	}
	strbuf_addstr(&script, guest_term_exec_sh);
	strvec_pushl(&cmd, "sh", "-c", script.buf, "dvm-term", "bash", "-l",
	    NULL);
	/* -t only for a terminal: piped input stays plain input. */
	if (isatty(STDIN_FILENO))
		podman_exec_term_argv(&ex, c->name, p, host_term(), cmd.v);
	else
		podman_exec_argv(&ex, c->name, p, 0, cmd.v);
	ret = session_project(c, p, 1, ex.v);
out:
	config_free(c, 1);
	strvec_clear(&cmd);
	strvec_clear(&ex);
	strbuf_release(&script);
	strvec_clear(&ops);
	free(vm);
	free(proj);
	return ret;
}
