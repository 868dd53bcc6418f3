/*
 * dvm base rm [--builder] [--image]: delete the builder VM, the cached
 * base image, or (with neither flag) both.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base.h"
#include "baseimg.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "runner.h"
#include "strvec.h"
#include "util.h"

/*
 * The image (DVM_BASE_IMAGE, or disk.qcow2 in the cache), a build's
 * leftover next to it, and the cache's template and metadata. Like new,
 * it prints its own dry run: no limactl is involved.
 */
static int
remove_image(int dry_run)
{
	char *cache = baseimg_cache(), *image = baseimg_image(), *shown;
	char *files[4];
	int ret = EXIT_OK;
	size_t i;

	files[0] = xstrdup(image);
	files[1] = xasprintf("%s.tmp", image);
	files[2] = xasprintf("%s/template.yaml", cache);
	files[3] = xasprintf("%s/metadata.json", cache);
	for (i = 0; i < nitems(files); i++) {
		if (!dry_run && unlink(files[i]) < 0 && errno != ENOENT) {
			error_errno("cannot remove %s", files[i]);
			ret = EXIT_FAIL;
		}
		free(files[i]);
	}
	shown = display_path(image);
	printf("%s base image %s\n", dry_run ? "would remove" : "removed",
	    shown);
	free(shown);
	free(cache);
	free(image);
	return ret;
}

int
base_rm(int builder, int image, int dry_run)
{
	const char *name = baseimg_builder();
	struct plan p = PLAN_INIT;
	struct strvec av = STRVEC_INIT;
	char *label;
	int ret = EXIT_OK;

	if (image)
		ret = remove_image(dry_run);
	if (!builder)
		return ret;
	if (!paths_instance_exists(name)) {
		printf("no builder instance\n");
		return ret;
	}
	plan_init(&p, "base", dry_run);
	lima_delete_argv(&av, opt.limactl, opt.log_level, name);
	label = xasprintf("removing builder dvm-%s", name);
	plan_add_host(&p, label, LOG_LIMA, &av);
	free(label);
	plan_add_ok(&p, "builder removed");
	if (plan_execute(&p, 0) != 0)
		ret = EXIT_FAIL;
	plan_release(&p);
	return ret;
}
