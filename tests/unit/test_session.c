/*
 * test_session.c: unit tests of session.c.
 */
#include "compat.h"

#include <string.h>

#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"

#include "tap.h"
#include "tests.h"

/*
 * The podman one-shot scripts: dev-env.sh and has-container.sh in front
 * of the body, each ending its last line (or the next file's first line
 * would join it), and the same argv as any script run as DVM_USER, with
 * values only as elements of their own.
 */
void
test_session(void)
{
	const char *const shared[] = {
		guest_dev_env_sh, guest_has_container_sh, guest_ls_containers_sh,
		guest_project_exec_sh, guest_stop_container_sh, NULL
	};
	struct strvec av = STRVEC_INIT, plain = STRVEC_INIT;
	struct strbuf script = STRBUF_INIT;
	struct vm_config c;
	const char *limactl = opt.limactl;
	char a0[] = "api; touch /tmp/x", *args[2];
	size_t i, len;

	for (i = 0; shared[i]; i++) {
		len = strlen(shared[i]);
		OK(len > 0 && shared[i][len - 1] == '\n',
		    "session: script %zu ends with a newline", i);
	}
	fill_config(&c);
	opt.limactl = "limactl";
	args[0] = a0;
	args[1] = NULL;
	session_podman_argv(&av, &c, 0, guest_stop_container_sh, args);
	strbuf_addstr(&script, guest_dev_env_sh);
	strbuf_addstr(&script, guest_has_container_sh);
	strbuf_addstr(&script, guest_stop_container_sh);
	lima_user_argv(&plain, "limactl", "app", 0, "dev", script.buf, args);
	check_argv(&av, (const char *const *)plain.v,
	    "podman script argv: the shared files, then the body");
	/* limactl shell --workdir=/ dvm-app sudo -u dev -H bash -lc SCRIPT */
	OK(av.nr > 10 && strcmp(av.v[9], "-lc") == 0 &&
	    strstr(av.v[10], "dvm_has_container()") != NULL &&
	    strstr(av.v[10], a0) == NULL,
	    "session: the argument is not in the script text");
	opt.limactl = limactl;
	strvec_clear(&av);
	strvec_clear(&plain);
	strbuf_release(&script);
	release_config(&c);
}
