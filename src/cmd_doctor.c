/*
 * dvm doctor: check the host: limactl present and at least 2.0, bash,
 * the config dir's safety, every VM config, each VM's DVM_USER as sync
 * would check it (devuser.h), dvm-* instances without a config, and the
 * per-VM locks. One line per check: ok, FAIL, or skip with the reason
 * when the check cannot be made (no Lima, no config yet); exit 1 if any
 * check failed.
 */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "config.h"
#include "devuser.h"
#include "lima.h"
#include "dvm.h"
#include "paths.h"
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "validate.h"

static int failures;
static int lima_missing;

static void
report(int ok, const char *what, const char *detail)
{
	printf("%-4s %-10s %s\n", ok ? "ok" : "FAIL", what, detail);
	if (!ok)
		failures++;
}

/* A check that cannot be made, and why. */
static void
skip(const char *what, const char *why)
{
	printf("%-4s %-10s %s\n", "skip", what, why);
}

static char *find_program(const char *name);

/* "limactl version 2.0.3" and the like: major and minor. */
static int
parse_version(const char *out, int *major, int *minor)
{
	const char *p = strstr(out, "version ");

	if (p == NULL)
		return 0;
	p += strlen("version ");
	if (*p == 'v')
		p++;
	return sscanf(p, "%d.%d", major, minor) == 2;
}

static void
check_limactl(void)
{
	struct proc p = PROC_INIT;
	struct strbuf out = STRBUF_INIT;
	char *detail;
	int status, major = 0, minor = 0;

	char *found = find_program(opt.limactl);

	if (found == NULL) {
		/* Not run at all: no "cannot run" error beside the row. */
		lima_missing = 1;
		detail = xasprintf("%s is not installed (not found%s); %s",
		    opt.limactl, strchr(opt.limactl, '/') ? "" : " on PATH",
		    LIMA_INSTALL_HINT);
		report(0, "limactl", detail);
		free(detail);
		return;
	}
	free(found);
	strvec_pushl(&p.args, opt.limactl, "--version", NULL);
	p.in = PROC_NULL;
	p.err = PROC_NULL;
	status = proc_capture(&p, &out);
	if (status != 0) {
		detail = xasprintf("%s --version failed; %s", opt.limactl,
		    LIMA_INSTALL_HINT);
		report(0, "limactl", detail);
	} else if (!parse_version(out.buf, &major, &minor)) {
		detail = xasprintf("%s --version printed no version",
		    opt.limactl);
		report(0, "limactl", detail);
	} else if (major < 2) {
		detail = xasprintf("%s is %d.%d; dvm needs Lima 2.0 or newer",
		    opt.limactl, major, minor);
		report(0, "limactl", detail);
	} else {
		detail = xasprintf("%s %d.%d", opt.limactl, major, minor);
		report(1, "limactl", detail);
	}
	free(detail);
	strbuf_release(&out);
}

/* The first executable name on PATH, or name itself when it has a '/'. */
static char *
find_program(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	for (p = path ? path : "/usr/bin:/bin"; *p; p = colon + 1) {
		char *cand;

		colon = strchr(p, ':');
		if (colon == NULL)
			colon = p + strlen(p);
		cand = xasprintf("%.*s/%s", (int)(colon - p), p, name);
		if (access(cand, X_OK) == 0)
			return cand;
		free(cand);
		if (*colon == '\0')
			break;
	}
	return NULL;
}

static void
check_bash(void)
{
	const char *b = getenv("DVM_BASH");
	char *found = find_program(b && *b ? b : "bash");

	if (found)
		report(1, "bash", found);
	else
		report(0, "bash", "bash not found on PATH (dvm reads its config "
		    "with it)");
	free(found);
}

/*
 * Every VM's DVM_USER, as sync would check it before setting the VM up:
 * one FAIL row per refused VM, with the same line sync prints.
 */
static void
check_dev_users(const struct vm_config *c, size_t n)
{
	size_t i, bad = 0, with_sudo = 0;
	char *detail;

	if (n == 0) {
		skip("dev user", "no VM is configured yet");
		return;
	}
	for (i = 0; i < n; i++) {
		char *why = devuser_problem(&c[i], DEVUSER_RECIPES);

		if (why != NULL) {
			detail = xasprintf("%s: %s", c[i].name, why);
			report(0, "dev user", detail);
			free(detail);
			free(why);
			bad++;
		}
		with_sudo += c[i].user_sudo != 0;
	}
	if (bad)
		return;
	if (with_sudo)
		detail = xasprintf("no VM's DVM_USER is Lima's login user; %zu "
		    "VM%s accept%s a dev user with root (DVM_USER_SUDO=1)",
		    with_sudo, with_sudo == 1 ? "" : "s",
		    with_sudo == 1 ? "s" : "");
	else
		detail = xstrdup("no VM's DVM_USER is Lima's login user or "
		    "needs root");
	report(1, "dev user", detail);
	free(detail);
}

static void
check_config(struct strvec *vms)
{
	struct vm_config *c = NULL;
	char *shown = display_path(paths_config_dir()), *detail;

	if (!path_exists(paths_config_dir())) {
		detail = xasprintf("no config directory %s yet (dvm new <vm> "
		    "makes one)", shown);
		skip("config", detail);
		skip("dev user", "no VM is configured yet");
		free(detail);
		free(shown);
		return;
	}
	if (config_check_safe(paths_config_dir(), "config directory", 1) < 0) {
		report(0, "config", "the config directory is not safe (above)");
		free(shown);
		return;
	}
	config_list_vms(vms);
	if (config_load(vms->v, vms->nr, CONFIG_PROJECTS, &c) < 0) {
		report(0, "config", "a config file is refused (above)");
	} else {
		detail = xasprintf("%s: %zu VM%s, every file owned by you and "
		    "valid", shown, vms->nr, vms->nr == 1 ? "" : "s");
		report(1, "config", detail);
		free(detail);
		check_dev_users(c, vms->nr);
	}
	config_free(c, vms->nr);
	free(shown);
}

static void
check_instances(const struct strvec *vms)
{
	DIR *d = opendir(paths_lima_home());
	struct dirent *de;
	size_t i, orphans = 0;

	if (lima_missing) {
		if (d)
			closedir(d);
		skip("instances", "Lima is not installed");
		return;
	}
	if (d == NULL) {
		report(1, "instances", "no Lima instances yet");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *vm = de->d_name + 4;
		char *yaml, *detail;
		int known = 0;

		if (!has_prefix(de->d_name, "dvm-") || !valid_name(vm) ||
		    reserved_vm_name(vm))
			continue;
		yaml = xasprintf("%s/%s/lima.yaml", paths_lima_home(),
		    de->d_name);
		if (!path_exists(yaml)) {
			free(yaml);
			continue;
		}
		free(yaml);
		for (i = 0; i < vms->nr; i++)
			known |= strcmp(vms->v[i], vm) == 0;
		if (known)
			continue;
		detail = xasprintf("%s has no config (dvm new %s, or dvm rm %s "
		    "--yes)", de->d_name, vm, vm);
		report(0, "instances", detail);
		free(detail);
		orphans++;
	}
	closedir(d);
	if (orphans == 0)
		report(1, "instances", "every dvm-* instance has a config");
}

static void
check_locks(void)
{
	char *dir = xasprintf("%s/locks", paths_cache_dir()), *detail;
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t held = 0;

	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			char *path;
			struct flock fl;
			int fd;

			if (!has_suffix(de->d_name, ".lock"))
				continue;
			path = xasprintf("%s/%s", dir, de->d_name);
			/* Not a symlink's target, and never hang on a FIFO. */
			if ((fd = open(path, O_RDONLY | O_NOFOLLOW |
			    O_NONBLOCK | O_CLOEXEC)) >= 0) {
				memset(&fl, 0, sizeof(fl));
				fl.l_type = F_WRLCK;
				fl.l_whence = SEEK_SET;
				if (fcntl(fd, F_GETLK, &fl) == 0 &&
				    fl.l_type != F_UNLCK)
					held++;
				close(fd);
			}
			free(path);
		}
		closedir(d);
	}
	/* fcntl locks die with their process: a lock is never stale. */
	detail = xasprintf("%zu VM%s busy with another dvm command now", held,
	    held == 1 ? "" : "s");
	report(1, "locks", detail);
	free(detail);
	free(dir);
}

int
cmd_doctor(int argc, char **argv)
{
	struct strvec ops = STRVEC_INIT, vms = STRVEC_INIT;

	parse_args(argc, argv, NULL, 0, &ops);
	if (ops.nr)
		usage_error(argv[0], "too many arguments");
	check_limactl();
	check_bash();
	check_config(&vms);
	check_instances(&vms);
	check_locks();
	strvec_clear(&vms);
	strvec_clear(&ops);
	return failures ? EXIT_FAIL : EXIT_OK;
}
