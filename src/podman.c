/* Builders of podman argv vectors. Nothing here runs anything. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "podman.h"
#include "strvec.h"
#include "util.h"

void
podman_create_argv(struct strvec *av, const char *vm, const struct project *p)
{
	size_t i;

	strvec_pushl(av, "podman", "create", "--name", p->name,
	    "--restart=always", "--init", NULL);
	strvec_pushf(av, "--label=dvm.vm=%s", vm);
	strvec_pushf(av, "--label=dvm.project=%s", p->name);
	if (p->nested)
		strvec_pushl(av, "--device", "/dev/fuse", "--security-opt",
		    "label=disable", NULL);
	for (i = 0; i < p->ports.nr; i++)
		strvec_pushf(av, "--publish=127.0.0.1:%s", p->ports.v[i]);
	strvec_pushf(av, "--volume=dvm-%s-%s:%s", vm, p->name, p->workdir);
	strvec_pushf(av, "--workdir=%s", p->workdir);
	/* The image and the command come last. */
	strvec_pushl(av, p->image, "sleep", "infinity", NULL);
}

void
podman_start_argv(struct strvec *av, const char *name)
{
	strvec_pushl(av, "podman", "start", name, NULL);
}

void
podman_rm_argv(struct strvec *av, const char *name)
{
	strvec_pushl(av, "podman", "rm", "-f", "-t", "0", name, NULL);
}

void
podman_volume_exists_argv(struct strvec *av, const char *vm, const char *proj)
{
	strvec_pushl(av, "podman", "volume", "exists", NULL);
	strvec_pushf(av, "dvm-%s-%s", vm, proj);
}

void
podman_volume_rm_argv(struct strvec *av, const char *vm, const char *proj)
{
	strvec_pushl(av, "podman", "volume", "rm", NULL);
	strvec_pushf(av, "dvm-%s-%s", vm, proj);
}

char *
podman_key_dir(const struct project *p)
{
	/* PROJ_WORKDIR=/ must not make "//.dvm-ssh". */
	return xasprintf("%s/" PROJECT_KEY_DIR,
	    strcmp(p->workdir, "/") == 0 ? "" : p->workdir);
}

static void
exec_argv(struct strvec *av, const char *vm, const struct project *p,
    int tty, const char *term, char *const *cmd)
{
	char *dir;

	strvec_pushl(av, "podman", "exec", tty ? "-it" : "-i", NULL);
	if (term)
		strvec_pushf(av, "--env=TERM=%s", term);
	strvec_pushf(av, "--workdir=%s", p->workdir);
	strvec_pushf(av, "--env=DVM_VM=%s", vm);
	strvec_pushf(av, "--env=DVM_PROJECT=%s", p->name);
	strvec_pushf(av, "--env=PROJ_WORKDIR=%s", p->workdir);
	strvec_pushl(av, "--env=GIT_CONFIG_COUNT=1",
	    "--env=GIT_CONFIG_KEY_0=include.path", NULL);
	dir = podman_key_dir(p);
	strvec_pushf(av, "--env=GIT_CONFIG_VALUE_0=%s/gitconfig", dir);
	free(dir);
	strvec_push(av, p->name);
	if (cmd)
		strvec_pushv(av, cmd);
}

void
podman_exec_argv(struct strvec *av, const char *vm, const struct project *p,
    int tty, char *const *cmd)
{
	exec_argv(av, vm, p, tty, NULL, cmd);
}

void
podman_exec_term_argv(struct strvec *av, const char *vm,
    const struct project *p, const char *term, char *const *cmd)
{
	exec_argv(av, vm, p, 1, term, cmd);
}
