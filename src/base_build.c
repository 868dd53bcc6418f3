/*
 * dvm base build [--clean] [--no-cache]: bake the VM base image.
 *
 * It runs in a persistent builder VM (dvm-builder, or DVM_BUILDER_LIMA):
 * podman builds the user's Containerfile on top of a bootc Fedora
 * (templates/base/plumbing-containerfile under it), bootc-image-builder
 * turns it into a qcow2, and limactl copy brings that to the host cache,
 * where the next `dvm sync` of a new VM picks it up. One plan: the
 * runner prints it for --dry-run.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "baseimg.h"
#include "config.h"
#include "devbase.h"
#include "dvm.h"
#include "guest.h"
#include "lima.h"
#include "paths.h"
#include "pins.h"
#include "runner.h"
#include "scripts.h"
#include "strbuf.h"
#include "strvec.h"
#include "template.h"
#include "util.h"
#include "validate.h"

/* A vm_config for the builder VM: only what the argv and script use. */
static int
builder_config(struct vm_config *c)
{
	const char *mem = getenv("DVM_BUILDER_MEMORY");
	const char *disk = getenv("DVM_BUILDER_DISK");

	memset(c, 0, sizeof(*c));
	if (mem == NULL || *mem == '\0')
		mem = "4";
	if (disk == NULL || *disk == '\0')
		disk = "50";
	if (!valid_gib(mem))
		return error("DVM_BUILDER_MEMORY='%s' is not a positive number "
		    "of GiB", mem);
	if (!valid_gib(disk))
		return error("DVM_BUILDER_DISK='%s' is not a positive number "
		    "of GiB", disk);
	c->name = xstrdup(baseimg_builder());
	c->cpus = xasprintf("%lu", config_default_cpus());
	c->memory = xstrdup(mem);
	c->disk = xstrdup(disk);
	c->user = xstrdup("developer");
	c->subuid_count = xstrdup("0");
	c->subgid_count = xstrdup("0");
	c->vm_type = xstrdup("");
	c->network = xstrdup("");
	c->code_dir = xasprintf("/home/developer/code/%s", c->name);
	strvec_init(&c->ports);
	strvec_init(&c->recipes);
	strvec_init(&c->extra);
	strvec_init(&c->secrets);
	return 0;
}

/* An image reference from the environment, or the pinned default. */
static const char *
image_env(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	const char *p;

	if (v == NULL || *v == '\0')
		return fallback;
	for (p = v; *p; p++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
		    "XYZ0123456789._/:@-", *p)) {
			error("%s='%s' is not an image reference", name, v);
			exit(EXIT_FAIL);
		}
	}
	return v;
}

/*
 * The build's guest steps: ready the builder, unpack the context (the
 * base/ directory, a base64 tar on the step's stdin) into BASE_BUILD_DIR,
 * build, with the generated plumbing Containerfile on the last step's
 * stdin.
 */
static void
build_steps(struct guest_script *gs, const char *tar_b64, int no_cache,
    const char *bootc, const char *bisc)
{
	struct strbuf plumb = STRBUF_INIT;
	struct strvec args = STRVEC_INIT;
	const char *vars[] = { "BOOTC", bootc, NULL };

	strvec_push(&args, bisc);
	guest_add_step(gs, "provision", "provisioning builder (podman, "
	    "bootc-image-builder)", LOG_SETUP, guest_base_provision_sh, &args,
	    NULL, "install podman, pull bootc-image-builder");
	strvec_push(&args, BASE_BUILD_DIR);
	guest_add_step(gs, "context", "uploading build context", LOG_SETUP,
	    guest_base_context_sh, &args, tar_b64, "unpack base/ into "
	    BASE_BUILD_DIR);
	template_expand(&plumb, base_plumbing_containerfile, vars);
	strvec_pushl(&args, BASE_BUILD_DIR, bisc, NULL);
	if (no_cache)
		strvec_push(&args, "--no-cache");
	guest_add_step(gs, "build", "building base image", LOG_SETUP,
	    guest_base_build_sh, &args, plumb.buf, "podman build dvm-base and "
	    "the Containerfile, then bootc-image-builder --type qcow2");
	strbuf_release(&plumb);
}

static int
write_metadata(const char *cache, const char *bootc)
{
	char *path = xasprintf("%s/metadata.json", cache);
	char *tmp = xasprintf("%s.new", path);
	char stamp[32] = "";
	struct strbuf sb = STRBUF_INIT;
	time_t now = time(NULL);
	struct tm tm;
	int ret = 0;

	if (gmtime_r(&now, &tm) != NULL)
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addf(&sb, "{\"built\":\"%s\",\"bootc_base\":\"%s\"}\n", stamp,
	    bootc);
	unlink(tmp);
	if (write_new_file(tmp, sb.buf, sb.len, 0600) < 0 ||
	    rename(tmp, path) < 0) {
		ret = error_errno("cannot write %s", path);
		unlink(tmp);
	}
	strbuf_release(&sb);
	free(path);
	free(tmp);
	return ret;
}

/* The image a build writes to tmp, and moves into place when done. */
struct image_swap {
	const char	*tmp, *image, *cache, *bootc;
};

/* Before the build: the cache dir is there and no half file is left. */
static int
prepare_cache(void *arg)
{
	struct image_swap *sw = arg;
	int fd = baseimg_cache_open();

	if (fd < 0)
		return -1;
	close(fd);
	unlink(sw->tmp);
	return 0;
}

/* After it: swap the new image in whole, so a VM never boots a part. */
static int
install_image(void *arg)
{
	struct image_swap *sw = arg;

	if (rename(sw->tmp, sw->image) < 0)
		return error_errno("cannot move %s into place", sw->tmp);
	return write_metadata(sw->cache, sw->bootc);
}

int
base_build(int clean, int no_cache, int dry_run)
{
	const char *bootc = image_env("DVM_BOOTC_BASE", BOOTC_BASE);
	const char *bisc = image_env("DVM_BISC_IMAGE", BISC_IMAGE);
	struct vm_config c;
	struct plan p = PLAN_INIT;
	struct strvec av = STRVEC_INIT;
	struct guest_script gs = GUEST_SCRIPT_INIT;
	struct devbase ctx;
	struct image_swap sw;
	char *dir = baseimg_dir(), *cache = baseimg_cache();
	char *image = baseimg_image(), *tmp = NULL, *file, *remote = NULL;
	char *shown = display_path(image), *text;
	const char *builder = baseimg_builder();
	int exists = paths_instance_exists(builder), ret = EXIT_FAIL;

	memset(&ctx, 0, sizeof(ctx));
	memset(&c, 0, sizeof(c));
	file = xasprintf("%s/Containerfile", dir);
	if (builder_config(&c) < 0)
		goto out;
	if (!path_exists(file)) {
		char *sf = display_path(file);

		error("no base Containerfile at %s (run: dvm base init)", sf);
		free(sf);
		goto out;
	}
	if (config_check_safe(dir, "base directory", 0) < 0 ||
	    config_check_safe(file, "base Containerfile", 0) < 0 ||
	    devbase_load(&ctx, dir, NULL) < 0)
		goto out;

	tmp = xasprintf("%s.tmp", image);
	sw.tmp = tmp;
	sw.image = image;
	sw.cache = cache;
	sw.bootc = bootc;
	plan_init(&p, "base", dry_run);
	plan_add_call(&p, prepare_cache, &sw, NULL, NULL);
	if (clean && exists) {
		lima_delete_argv(&av, opt.limactl, opt.log_level, builder);
		text = xasprintf("removing builder dvm-%s", builder);
		plan_add_host(&p, text, LOG_LIMA, &av);
		free(text);
		exists = 0;
	}
	if (exists) {
		lima_start_argv(&av, opt.limactl, opt.log_level, builder);
		text = xasprintf("starting builder dvm-%s", builder);
		plan_add_host(&p, text, LOG_LIMA, &av);
		free(text);
	} else {
		lima_create_argv(&av, opt.limactl, opt.log_level, &c,
		    LIMA_TEMPLATE);
		text = xasprintf("creating builder dvm-%s", builder);
		plan_add_host(&p, text, LOG_LIMA, &av);
		free(text);
	}
	build_steps(&gs, ctx.tar_b64.buf, no_cache, bootc, bisc);
	lima_script_argv(&av, opt.limactl, builder);
	plan_add_guest(&p, &av, &gs, &c);
	remote = lima_remote(builder, BASE_BUILD_DIR "/out/qcow2/disk.qcow2");
	lima_copy_argv(&av, opt.limactl, 0, remote, tmp);
	text = xasprintf("extracting qcow2 to %s", shown);
	plan_add_host(&p, text, LOG_LIMA, &av);
	free(text);
	text = xasprintf("base image ready (%s)", shown);
	plan_add_call(&p, install_image, &sw, text, NULL);
	free(text);
	if (plan_execute(&p, 1) != 0) {
		unlink(tmp);
		goto out;
	}
	ret = EXIT_OK;
out:
	plan_release(&p);
	guest_script_release(&gs);
	devbase_release(&ctx);
	vm_config_release(&c);
	free(dir);
	free(cache);
	free(image);
	free(shown);
	free(tmp);
	free(file);
	free(remote);
	return ret;
}
