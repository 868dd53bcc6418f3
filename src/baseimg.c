/* Paths of the base image and the Lima template that boots from it. */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "baseimg.h"
#include "lima.h"
#include "paths.h"
#include "strbuf.h"
#include "util.h"
#include "validate.h"

/* $env when set (it must be absolute), else NULL. */
static const char *
env_path(const char *env)
{
	const char *v = getenv(env);

	if (v == NULL || *v == '\0')
		return NULL;
	if (*v != '/')
		die("%s must be an absolute path: %s", env, v);
	return v;
}

const char *
baseimg_builder(void)
{
	const char *v = getenv("DVM_BUILDER_LIMA");

	if (v == NULL || *v == '\0')
		return "builder";
	if (!has_prefix(v, "dvm-") || !valid_name(v + 4) ||
	    strcmp(v + 4, "base") == 0)
		die("DVM_BUILDER_LIMA='%s' is not a Lima instance name dvm "
		    "can use (dvm-<name>: a lowercase letter, then a-z, 0-9 "
		    "or '-')", v);
	return v + 4;
}

char *
baseimg_dir(void)
{
	const char *v = env_path("DVM_BASE_DIR");

	return v ? xstrdup(v) : xasprintf("%s/base", paths_config_dir());
}

char *
baseimg_cache(void)
{
	const char *v = env_path("DVM_BASE_CACHE");

	return v ? xstrdup(v) : xasprintf("%s/base", paths_cache_dir());
}

int
baseimg_cache_open(void)
{
	const char *root = paths_cache_dir(), *v;
	int rfd, fd;

	/* A cache of the user's choosing is checked like the default one. */
	if ((v = env_path("DVM_BASE_CACHE")) != NULL)
		return private_dir_open(v, "base image cache");
	if ((rfd = private_dir_open(root, "cache directory")) < 0)
		return -1;
	fd = private_dir_openat(rfd, root, "base", "base image cache");
	close(rfd);
	return fd;
}

char *
baseimg_image(void)
{
	const char *v = env_path("DVM_BASE_IMAGE");
	char *cache, *image;

	if (v)
		return xstrdup(v);
	cache = baseimg_cache();
	image = xasprintf("%s/disk.qcow2", cache);
	free(cache);
	return image;
}

/* Lima's names for the host architecture. */
static const char *
lima_arch(void)
{
	static struct utsname u;

	if (uname(&u) < 0)
		return "x86_64";
	if (strcmp(u.machine, "arm64") == 0 ||
	    strcmp(u.machine, "aarch64") == 0)
		return "aarch64";
	if (strcmp(u.machine, "amd64") == 0 ||
	    strcmp(u.machine, "x86_64") == 0)
		return "x86_64";
	return u.machine;
}

char *
baseimg_locator(void)
{
	char *image = baseimg_image(), *cache = baseimg_cache();
	char *tmpl = NULL, *ret = NULL;
	struct strbuf yaml = STRBUF_INIT;
	const char *p;
	int fd;

	if (!path_exists(image)) {
		ret = xstrdup(LIMA_TEMPLATE);
		goto out;
	}
	/* The path goes into a double-quoted YAML string. */
	for (p = image; *p; p++) {
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) {
			error("cannot use the base image at %s: its path has "
			    "a quote, backslash or control character", image);
			goto out;
		}
	}
	if ((fd = baseimg_cache_open()) < 0)
		goto out;
	close(fd);
	tmpl = xasprintf("%s/template.yaml", cache);
	strbuf_addf(&yaml, "# Written by dvm: boot new VMs from the base "
	    "image.\nimages:\n- location: \"%s\"\n  arch: \"%s\"\n", image,
	    lima_arch());
	/* Ours to replace: a fresh file renamed over the old one. */
	{
		char *tmp = xasprintf("%s.new", tmpl);

		unlink(tmp);
		if (write_new_file(tmp, yaml.buf, yaml.len, 0600) < 0 ||
		    rename(tmp, tmpl) < 0) {
			error_errno("cannot write %s", tmpl);
			unlink(tmp);
			free(tmp);
			goto out;
		}
		free(tmp);
	}
	ret = xstrdup(tmpl);
out:
	strbuf_release(&yaml);
	free(image);
	free(cache);
	free(tmpl);
	return ret;
}
