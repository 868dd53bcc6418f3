/* Host paths: config, state, cache and Lima's instance directory. */
#include "compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

static char *home, *config_dir, *state_dir, *cache_dir, *lima_home;

const char *
paths_home(void)
{
	const char *h;

	if (home == NULL) {
		h = getenv("HOME");
		if (h == NULL || *h != '/')
			die("HOME is not set to an absolute path");
		home = xstrdup(h);
	}
	return home;
}

/* $env if set, else ${xdg:-$HOME/fallback}/dvm. */
static char *
xdg_dir(const char *env, const char *xdg, const char *fallback)
{
	const char *v = getenv(env);

	if (v && *v) {
		if (*v != '/')
			die("%s must be an absolute path: %s", env, v);
		return xstrdup(v);
	}
	v = getenv(xdg);
	if (v && *v == '/')
		return xasprintf("%s/dvm", v);
	return xasprintf("%s/%s/dvm", paths_home(), fallback);
}

const char *
paths_config_dir(void)
{
	if (config_dir == NULL)
		config_dir = xdg_dir("DVM_CONFIG_DIR", "XDG_CONFIG_HOME",
		    ".config");
	return config_dir;
}

const char *
paths_state_dir(void)
{
	if (state_dir == NULL)
		state_dir = xdg_dir("DVM_STATE_DIR", "XDG_STATE_HOME",
		    ".local/state");
	return state_dir;
}

const char *
paths_cache_dir(void)
{
	if (cache_dir == NULL)
		cache_dir = xdg_dir("DVM_CACHE_DIR", "XDG_CACHE_HOME",
		    ".cache");
	return cache_dir;
}

const char *
paths_lima_home(void)
{
	const char *v;

	if (lima_home == NULL) {
		v = getenv("LIMA_HOME");
		if (v && *v == '/')
			lima_home = xstrdup(v);
		else
			lima_home = xasprintf("%s/.lima", paths_home());
	}
	return lima_home;
}

char *
paths_global_config(void)
{
	return xasprintf("%s/config.sh", paths_config_dir());
}

char *
paths_vms_dir(void)
{
	return xasprintf("%s/vms", paths_config_dir());
}

char *
paths_vm_dir(const char *vm)
{
	return xasprintf("%s/vms/%s", paths_config_dir(), vm);
}

char *
paths_vm_config(const char *vm)
{
	return xasprintf("%s/vms/%s/config.sh", paths_config_dir(), vm);
}

char *
paths_vm_setup(const char *vm)
{
	return xasprintf("%s/vms/%s/setup.sh", paths_config_dir(), vm);
}

char *
paths_projects_dir(const char *vm)
{
	return xasprintf("%s/vms/%s/projects", paths_config_dir(), vm);
}

char *
paths_project_dir(const char *vm, const char *proj)
{
	return xasprintf("%s/vms/%s/projects/%s", paths_config_dir(), vm,
	    proj);
}

char *
paths_log_dir(const char *vm)
{
	return xasprintf("%s/%s", paths_state_dir(), vm);
}

char *
paths_lock(const char *vm)
{
	return xasprintf("%s/locks/%s.lock", paths_cache_dir(), vm);
}

int
paths_instance_exists(const char *vm)
{
	char *yaml = xasprintf("%s/dvm-%s/lima.yaml", paths_lima_home(), vm);
	int ret = path_exists(yaml);

	free(yaml);
	return ret;
}

char *
display_path(const char *path)
{
	const char *h = getenv("HOME");
	size_t n;

	if (h && *h == '/' && strcmp(h, "/") != 0) {
		n = strlen(h);
		if (strncmp(path, h, n) == 0 && (path[n] == '/' ||
		    path[n] == '\0'))
			return xasprintf("~%s", path + n);
	}
	return xstrdup(path);
}

void
unwrite_scaffold(const char *dir, const char *const *files)
{
	for (; *files; files++)
		unlink(*files);
	rmdir(dir);
}

int
write_scaffold(const char *path, const char *text, size_t len)
{
	char *shown = display_path(path);
	int ret = 0;

	if (write_new_file(path, text, len, 0600) < 0) {
		if (errno == EEXIST)
			ret = error("%s already exists; dvm never overwrites "
			    "it", shown);
		else
			ret = error_errno("cannot write %s", shown);
	}
	free(shown);
	return ret;
}
