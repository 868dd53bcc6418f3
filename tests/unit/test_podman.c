/*
 * test_podman.c: unit tests of podman.c, the podman argv builders.
 */
#include "compat.h"

#include <stdlib.h>

#include "config.h"
#include "podman.h"
#include "strvec.h"

#include "tap.h"
#include "tests.h"

/* A project as config.c would leave it, for the builders. */
static void
fill_project(struct project *p, char *workdir)
{
	static char name[] = "api", image[] = "localhost/dvm-dev-base:latest";

	p->name = name;
	p->dir = NULL;
	p->setup_path = NULL;
	p->image = image;
	p->nested = 0;
	p->workdir = workdir;
	strvec_init(&p->ports);
}

/*
 * Every podman exec dvm makes points git at the project key's config
 * (dvm key <vm>/<project>); PROJ_WORKDIR=/ makes no "//".
 */
static void
test_exec(void)
{
	static const char *const want[] = { "podman", "exec", "-i",
		"--workdir=/srv/app", "--env=DVM_VM=work", "--env=DVM_PROJECT=api",
		"--env=PROJ_WORKDIR=/srv/app", "--env=GIT_CONFIG_COUNT=1",
		"--env=GIT_CONFIG_KEY_0=include.path",
		"--env=GIT_CONFIG_VALUE_0=/srv/app/.dvm-ssh/gitconfig", "api",
		"git", "status", NULL };
	static const char *const want_term[] = { "podman", "exec", "-it",
		"--env=TERM=xterm-256color", "--workdir=/", "--env=DVM_VM=work",
		"--env=DVM_PROJECT=api", "--env=PROJ_WORKDIR=/",
		"--env=GIT_CONFIG_COUNT=1", "--env=GIT_CONFIG_KEY_0=include.path",
		"--env=GIT_CONFIG_VALUE_0=/.dvm-ssh/gitconfig", "api", "bash",
		"-l", NULL };
	char srv[] = "/srv/app", root[] = "/", git[] = "git", st[] = "status";
	char bash[] = "bash", l[] = "-l";
	char *cmd[] = { git, st, NULL }, *sh[] = { bash, l, NULL };
	struct strvec av = STRVEC_INIT;
	struct project p;
	char *dir;

	fill_project(&p, srv);
	podman_exec_argv(&av, "work", &p, 0, cmd);
	check_argv(&av, want, "podman exec: the env, git's include, then cmd");
	strvec_clear(&av);
	dir = podman_key_dir(&p);
	IS_STR(dir, "/srv/app/.dvm-ssh", "podman: the key dir is in the workdir");
	free(dir);
	fill_project(&p, root);
	podman_exec_term_argv(&av, "work", &p, "xterm-256color", sh);
	check_argv(&av, want_term, "podman exec -it: TERM first; workdir /");
	strvec_clear(&av);
	dir = podman_key_dir(&p);
	IS_STR(dir, "/.dvm-ssh", "podman: the key dir of workdir / has one slash");
	free(dir);
}

/* create: fixed flags, labels, ports, the volume at the workdir, last the image. */
static void
test_create(void)
{
	static const char *const want[] = { "podman", "create", "--name",
		"api", "--restart=always", "--init", "--label=dvm.vm=work",
		"--label=dvm.project=api", "--device", "/dev/fuse",
		"--security-opt", "label=disable",
		"--publish=127.0.0.1:3000:3000", "--volume=dvm-work-api:/work",
		"--workdir=/work", "localhost/dvm-dev-base:latest", "sleep",
		"infinity", NULL };
	char work[] = "/work";
	struct strvec av = STRVEC_INIT;
	struct project p;

	fill_project(&p, work);
	p.nested = 1;
	strvec_push(&p.ports, "3000:3000");
	podman_create_argv(&av, "work", &p);
	check_argv(&av, want, "podman create: the whole argv");
	strvec_clear(&av);
	strvec_clear(&p.ports);
}

void
test_podman(void)
{
	test_exec();
	test_create();
}
