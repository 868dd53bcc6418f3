/* Builders of limactl argv vectors. Nothing here runs anything. */
#include "compat.h"

#include <stddef.h>
#include <string.h>

#include "config.h"
#include "lima.h"
#include "strvec.h"
#include "util.h"

static void
push_global(struct strvec *av, const char *limactl, const char *log_level)
{
	strvec_push(av, limactl);
	strvec_pushl(av, "--log-level", log_level, NULL);
}

void
lima_create_argv(struct strvec *av, const char *limactl,
    const char *log_level, const struct vm_config *c, const char *template)
{
	size_t i;

	push_global(av, limactl, log_level);
	/* --yes: no interactive "proceed / edit / exit" menu on create. */
	strvec_pushl(av, "start", "--yes", NULL);
	strvec_pushf(av, "--name=dvm-%s", c->name);
	strvec_pushf(av, "--cpus=%s", c->cpus);
	strvec_pushf(av, "--memory=%s", c->memory);
	strvec_pushf(av, "--disk=%s", c->disk);
	strvec_push(av, "--mount-none");
	if (c->vm_type && *c->vm_type)
		strvec_pushf(av, "--vm-type=%s", c->vm_type);
	if (c->network && strcmp(c->network, "user-v2") == 0)
		strvec_push(av, "--network=lima:user-v2");
	for (i = 0; i < c->ports.nr; i++)
		strvec_pushf(av, "--port-forward=%s", c->ports.v[i]);
	/* The locator comes last. */
	strvec_push(av, template);
}

void
lima_start_argv(struct strvec *av, const char *limactl,
    const char *log_level, const char *vm)
{
	push_global(av, limactl, log_level);
	strvec_push(av, "start");
	strvec_pushf(av, "dvm-%s", vm);
}

void
lima_stop_argv(struct strvec *av, const char *limactl,
    const char *log_level, const char *vm)
{
	push_global(av, limactl, log_level);
	strvec_push(av, "stop");
	strvec_pushf(av, "dvm-%s", vm);
}

void
lima_delete_argv(struct strvec *av, const char *limactl,
    const char *log_level, const char *vm)
{
	push_global(av, limactl, log_level);
	strvec_pushl(av, "delete", "--force", NULL);
	strvec_pushf(av, "dvm-%s", vm);
}

void
lima_list_argv(struct strvec *av, const char *limactl, const char *fmt,
    const char *vm)
{
	strvec_pushl(av, limactl, "list", NULL);
	strvec_pushf(av, "--format=%s", fmt);
	if (vm)
		strvec_pushf(av, "dvm-%s", vm);
}

void
lima_script_argv(struct strvec *av, const char *limactl, const char *vm)
{
	strvec_pushl(av, limactl, "shell", "--workdir=/", NULL);
	strvec_pushf(av, "dvm-%s", vm);
	strvec_pushl(av, "bash", "-s", NULL);
}

void
lima_user_argv(struct strvec *av, const char *limactl, const char *vm,
    int start, const char *user, const char *script, char *const *args)
{
	strvec_pushl(av, limactl, "shell", NULL);
	if (start)
		strvec_push(av, "--start");
	strvec_push(av, "--workdir=/");
	strvec_pushf(av, "dvm-%s", vm);
	strvec_pushl(av, "sudo", "-u", user, "-H", "bash", "-lc", script,
	    "bash", NULL);
	if (args)
		strvec_pushv(av, args);
}

void
lima_sudo_argv(struct strvec *av, const char *limactl, const char *vm,
    char *const *args)
{
	strvec_pushl(av, limactl, "shell", "--start", "--workdir=/", NULL);
	strvec_pushf(av, "dvm-%s", vm);
	strvec_push(av, "sudo");
	strvec_pushv(av, args);
}

void
lima_copy_argv(struct strvec *av, const char *limactl, int recursive,
    const char *src, const char *dst)
{
	strvec_pushl(av, limactl, "copy", NULL);
	if (recursive)
		strvec_push(av, "--recursive");
	strvec_pushl(av, src, dst, NULL);
}

char *
lima_remote(const char *vm, const char *path)
{
	return xasprintf("dvm-%s:%s", vm, path);
}
