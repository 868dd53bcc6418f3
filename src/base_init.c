/*
 * dvm base init | dev-init: write the starter Containerfile of the VM
 * base image (or of the dev-base) and packages.txt, from templates/base/.
 * Never overwrites; --dry-run says what it would write.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "baseimg.h"
#include "config.h"
#include "dvm.h"
#include "paths.h"
#include "scripts.h"
#include "util.h"

/* Write a starter file (or with --dry-run, say which one). */
static int
scaffold(const char *path, const char *text, int dry_run)
{
	char *shown = display_path(path);

	if (dry_run) {
		printf("would write %s\n", shown);
	} else if (write_scaffold(path, text, strlen(text)) < 0) {
		free(shown);
		return -1;
	} else {
		printf("wrote %s\n", shown);
	}
	free(shown);
	return 0;
}

int
base_init(int dev, int dry_run)
{
	char *dir = baseimg_dir();
	char *sub = dev ? xasprintf("%s/dev", dir) : xstrdup(dir);
	char *file = xasprintf("%s/Containerfile", sub);
	char *packages = xasprintf("%s/packages.txt", dir);
	int ret = EXIT_FAIL;

	if (config_check_safe(paths_config_dir(), "config directory", 1) < 0)
		goto out;
	if (path_exists(file)) {
		char *shown = display_path(file);

		error("%s already exists; dvm never overwrites it", shown);
		free(shown);
		goto out;
	}
	if (!dry_run && mkdir_p(sub, 0700) < 0) {
		error_errno("cannot create %s", sub);
		goto out;
	}
	if (!path_exists(packages) && scaffold(packages, base_packages_txt,
	    dry_run) < 0)
		goto out;
	if (scaffold(file, dev ? base_dev_containerfile : base_containerfile,
	    dry_run) < 0)
		goto out;
	ret = EXIT_OK;
	if (dry_run)
		goto out;
	if (dev)
		printf("edit it, then run: dvm sync <vm> (builds it in the "
		    "VM)\n");
	else
		printf("edit it (and packages.txt), then run: dvm base "
		    "build\n");
out:
	free(dir);
	free(sub);
	free(file);
	free(packages);
	return ret;
}
