/*
 * The plan of a VM sync: which limactl calls, and which steps the one
 * guest script runs, read top-down from the config to the script. The
 * steps are data (guest.h); guest_build() frames them.
 */
#include "compat.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "baseimg.h"
#include "config.h"
#include "devbase.h"
#include "devuser.h"
#include "dvm.h"
#include "egress.h"
#include "guest.h"
#include "lima.h"
#include "paths.h"
#include "podman.h"
#include "recipe.h"
#include "log.h"
#include "runner.h"
#include "scripts.h"
#include "secret.h"
#include "strvec.h"
#include "util.h"
#include "vmsync.h"

/* ------------------------------------------------------------------ */
/* Steps: what each guest step runs, with which parameters and stdin   */

/*
 * Bootstrap: DVM_USER, its subuid/subgid ranges, the code dir. It reads
 * the exported DVM_* values only, so it has no parameters.
 */
static void
bootstrap_step(struct guest_script *gs, const struct vm_config *c)
{
	char *label = xasprintf("ensuring user \"%s\" and %s", c->user,
	    c->code_dir);
	char *summary = xasprintf("bootstrap: user %s with subuid/subgid "
	    "ranges (%s/%s), code dir %s", c->user, c->subuid_count,
	    c->subgid_count, c->code_dir);

	guest_add_step(gs, "bootstrap", label, LOG_LIMA, guest_bootstrap_sh,
	    NULL, NULL, summary);
	free(label);
	free(summary);
}

/*
 * A script run with bash -Eeu -o pipefail from a temp file, stdin
 * /dev/null: a recipe, the VM's setup.sh. The text is its step's feed.
 */
static void
script_step(struct guest_script *gs, const char *id, const char *label,
    const char *text, const char *summary)
{
	guest_add_step(gs, id, label, LOG_SETUP, guest_run_script_sh, NULL,
	    text, summary);
}

/* The VM's setup.sh, read now. -1 if it cannot be read (reported). */
static int
setup_step(struct guest_script *gs, const char *path)
{
	char *text = read_file(path, NULL), *shown, *summary;

	shown = display_path(path);
	if (text == NULL) {
		error_errno("cannot read %s", shown);
		free(shown);
		return -1;
	}
	summary = xasprintf("run %s", shown);
	script_step(gs, "setup", "running VM setup", text, summary);
	free(summary);
	free(text);
	free(shown);
	return 0;
}

/* A recipe step: the helpers and the recipe, fed like setup.sh. */
static int
recipe_step(struct guest_script *gs, const char *name)
{
	struct recipe r;
	char *id, *label, *summary, *text, *shown;

	if (recipe_load(name, &r) < 0)
		return -1;
	id = xasprintf("recipe:%s", name);
	label = xasprintf("recipe %s", name);
	shown = display_path(r.origin);
	summary = xasprintf("recipe %s (%s)", name, shown);
	text = recipe_script(&r);
	script_step(gs, id, label, text, summary);
	free(id);
	free(label);
	free(shown);
	free(summary);
	free(text);
	recipe_release(&r);
	return 0;
}

/*
 * Podman for DVM_USER before any project: installed, linger, runtime
 * dir, podman-restart.
 */
static void
podman_step(struct guest_script *gs)
{
	guest_add_step(gs, "podman", "preparing rootless podman", LOG_SETUP,
	    guest_podman_prep_sh, NULL, NULL, "podman: installed, linger, "
	    "runtime dir, podman-restart.service for DVM_USER");
}

/*
 * The dev-base step, when base/dev/Containerfile exists: its context
 * travels inside the script (the step's feed, a base64 tar), so checking
 * and building cost no extra round trip. The image is built unless its
 * label holds the context's hash; always with DVM_REBUILD_DEV_BASE=1.
 */
static int
devbase_step(struct guest_script *gs)
{
	char *base = baseimg_dir(), *dir = xasprintf("%s/dev", base);
	char *file = xasprintf("%s/Containerfile", dir);
	char *packages = xasprintf("%s/packages.txt", base);
	struct strvec args = STRVEC_INIT;
	struct devbase db;
	char *summary;
	int ret = -1;

	if (!path_exists(file)) {
		ret = 0;
		goto out;
	}
	if (config_check_safe(dir, "dev-base directory", 0) < 0 ||
	    config_check_safe(file, "dev-base Containerfile", 0) < 0 ||
	    devbase_load(&db, dir, packages) < 0)
		goto out;
	strvec_pushl(&args, db.hash, opt.rebuild_dev_base ? "1" : "0",
	    DEVBASE_IMAGE, DEVBASE_LABEL, NULL);
	summary = xasprintf("dev-base: build " DEVBASE_IMAGE " unless its "
	    "label is %.12s…", db.hash);
	guest_add_step(gs, "devbase", "ensuring dev-base image", LOG_SETUP,
	    guest_devbase_sh, &args, db.tar_b64.buf, summary);
	free(summary);
	devbase_release(&db);
	ret = 0;
out:
	free(dir);
	free(base);
	free(file);
	free(packages);
	return ret;
}

/* Append av to args as a count and its words (project-*.sh read them). */
static void
push_counted(struct strvec *args, struct strvec *av)
{
	strvec_pushf(args, "%zu", av->nr);
	strvec_pushv(args, av->v);
	strvec_clear(av);
}

/*
 * Bring one project container up: create it once, start it, run its
 * setup.sh (read now, the step's feed) inside it with the runner of
 * guest/run-script.sh. The step keeps going on failure, so sibling
 * projects still run. -1 if the setup script cannot be read.
 */
static int
project_step(struct guest_script *gs, const char *vm, const struct project *p)
{
	struct strvec args = STRVEC_INIT, av = STRVEC_INIT, cmd = STRVEC_INIT;
	char *text = NULL, *id, *label, *summary;

	if (p->setup_path && (text = read_file(p->setup_path, NULL)) == NULL) {
		char *shown = display_path(p->setup_path);

		error_errno("cannot read %s", shown);
		free(shown);
		return -1;
	}
	strvec_push(&args, p->name);
	podman_create_argv(&av, vm, p);
	push_counted(&args, &av);
	podman_start_argv(&av, p->name);
	push_counted(&args, &av);
	if (text) {
		strvec_pushl(&cmd, "bash", "-c", guest_run_script_sh,
		    "dvm-setup", NULL);
		podman_exec_argv(&av, vm, p, 0, cmd.v);
		strvec_clear(&cmd);
		push_counted(&args, &av);
	}
	id = xasprintf("project:%s", p->name);
	label = xasprintf("project %s (%s)", p->name, p->image);
	summary = xasprintf("project %s: container %s from %s, volume "
	    "dvm-%s-%s at %s%s", p->name, p->name, p->image, vm, p->name,
	    p->workdir, text ? ", then its setup.sh" : "");
	guest_add_step(gs, id, label, LOG_SETUP, guest_project_up_sh, &args,
	    text, summary)->keep_going = 1;
	free(id);
	free(label);
	free(summary);
	free(text);
	return 0;
}

/* Remove a project's container, and its volume unless keep_data. */
static void
project_removal_step(struct guest_script *gs, const char *vm,
    const struct project *p, int keep_data)
{
	struct strvec args = STRVEC_INIT, av = STRVEC_INIT;
	char *id = xasprintf("remove:%s", p->name);
	char *label = xasprintf("removing container %s%s", p->name,
	    keep_data ? " (keeping its volume)" : " and its volume");
	char *summary = xasprintf("remove container %s%s", p->name,
	    keep_data ? "" : " and volume");

	strvec_push(&args, p->name);
	podman_rm_argv(&av, p->name);
	push_counted(&args, &av);
	if (!keep_data) {
		podman_volume_exists_argv(&av, vm, p->name);
		push_counted(&args, &av);
		podman_volume_rm_argv(&av, vm, p->name);
		push_counted(&args, &av);
	}
	guest_add_step(gs, id, label, LOG_SETUP, guest_project_remove_sh,
	    &args, NULL, summary);
	free(id);
	free(label);
	free(summary);
}

/* ------------------------------------------------------------------ */
/* Which steps, in which order                                        */

/*
 * Secrets come from the host's environment (held by secret.c, which
 * took them out of it) and go only into the script's stdin. A name in
 * DVM_SECRETS must be set; those of recipes' "# Secrets:" lines are
 * optional (the recipe says what to do).
 */
static int
add_secrets(struct guest_script *gs, const struct vm_config *c)
{
	struct strvec names = STRVEC_INIT;
	const char *v;
	size_t i;

	if (recipe_secrets(&c->recipes, &names) < 0) {
		strvec_clear(&names);
		return -1;
	}
	for (i = 0; i < names.nr; i++) {
		if ((v = secret_value(names.v[i])) != NULL && *v)
			strvec_pushf(&gs->secrets, "%s=%s", names.v[i], v);
	}
	strvec_clear(&names);
	for (i = 0; i < c->secrets.nr; i++) {
		if ((v = secret_value(c->secrets.v[i])) == NULL)
			return error("DVM_SECRETS names %s, but %s is not set "
			    "in the environment of this dvm", c->secrets.v[i],
			    c->secrets.v[i]);
		strvec_pushf(&gs->secrets, "%s=%s", c->secrets.v[i], v);
	}
	return 0;
}

/*
 * baseline (unless DVM_NO_BASELINE=1), then each `use`, in order. The
 * egress allowlist is applied again right after the first agent-user,
 * which is when dvm-agent appears.
 */
static int
add_recipe_steps(struct guest_script *gs, const struct vm_config *c,
    const struct egress *e)
{
	size_t i;
	int agent_done = 0;

	if (add_secrets(gs, c) < 0)
		return -1;
	if (!c->no_baseline && recipe_step(gs, "baseline") < 0)
		return -1;
	for (i = 0; i < c->recipes.nr; i++) {
		if (recipe_step(gs, c->recipes.v[i]) < 0)
			return -1;
		if (!agent_done && strcmp(c->recipes.v[i], "agent-user") == 0) {
			egress_add_agent_step(gs, c, e);
			agent_done = 1;
		}
	}
	return 0;
}

/* Podman, the dev-base and the projects, after the VM's own steps. */
static int
add_project_steps(struct guest_script *gs, const struct vm_config *c,
    const struct project *only, enum project_op op)
{
	size_t i;

	podman_step(gs);
	if (only && op != PROJECT_SYNC)
		project_removal_step(gs, c->name, only,
		    op == PROJECT_RESET_KEEP || op == PROJECT_REMOVE_KEEP);
	if (op == PROJECT_REMOVE || op == PROJECT_REMOVE_KEEP)
		return 0;
	if (devbase_step(gs) < 0)
		return -1;
	for (i = 0; i < c->nr_projects; i++) {
		if (only && strcmp(c->projects[i].name, only->name) != 0)
			continue;
		if (project_step(gs, c->name, &c->projects[i]) < 0)
			return -1;
	}
	return 0;
}

/* The first line of a dry run: which VM the plan is for. */
static void
set_heading(struct plan *p, const struct vm_config *c)
{
	if (p->heading == NULL)
		p->heading = xasprintf("# VM %s (Lima instance dvm-%s)",
		    c->name, c->name);
}

/*
 * What only matters when the VM is created: a disk too small for Fedora
 * and its updates is refused, more vCPUs than the host has is only odd.
 */
static int
check_create(const struct vm_config *c)
{
	long cores = -1;
	char *shown;

	if (strtod(c->disk, NULL) < MIN_DISK_GIB) {
		shown = display_path(c->disk_file ? c->disk_file : "config");
		error("%s: DVM_DISK='%s' is below %d GiB, too small for Fedora "
		    "and its updates", shown, c->disk, MIN_DISK_GIB);
		free(shown);
		return -1;
	}
#ifdef _SC_NPROCESSORS_ONLN
	cores = sysconf(_SC_NPROCESSORS_ONLN);
#endif
	if (cores > 0 && strtoul(c->cpus, NULL, 10) > (unsigned long)cores) {
		shown = display_path(c->cpus_file ? c->cpus_file : "config");
		warning("%s: DVM_CPUS=%s is more than the %ld cores of this "
		    "host; the VM gets them as threads that take turns", shown,
		    c->cpus, cores);
		free(shown);
	}
	return 0;
}

int
vmsync_plan(struct plan *p, const struct vm_config *c, int exists)
{
	struct strvec av = STRVEC_INIT;
	struct guest_script gs = GUEST_SCRIPT_INIT;
	struct egress e = EGRESS_INIT;
	char *label;

	/* The commands check first; this is for any new caller. */
	if (devuser_check(c, DEVUSER_RECIPES) < 0)
		return -1;
	/* Everything is checked before the plan has a first item. */
	if (egress_plan(&e, c) < 0)
		return -1;
	set_heading(p, c);
	if (exists) {
		lima_start_argv(&av, opt.limactl, opt.log_level, c->name);
		label = xasprintf("starting instance dvm-%s", c->name);
	} else {
		char *locator;

		if (check_create(c) < 0) {
			egress_release(&e);
			return -1;
		}
		locator = baseimg_locator();
		if (locator == NULL) {
			egress_release(&e);
			return -1;
		}
		lima_create_argv(&av, opt.limactl, opt.log_level, c, locator);
		label = xasprintf("creating instance dvm-%s%s", c->name,
		    strcmp(locator, LIMA_TEMPLATE) == 0 ? "" :
		    " from the base image");
		free(locator);
	}
	plan_add_host(p, label, LOG_LIMA, &av);
	free(label);

	bootstrap_step(&gs, c);
	egress_add_step(&gs, c, &e);
	if (add_recipe_steps(&gs, c, &e) < 0)
		goto fail;
	if (c->setup_path && setup_step(&gs, c->setup_path) < 0)
		goto fail;
	if (c->nr_projects && add_project_steps(&gs, c, NULL,
	    PROJECT_SYNC) < 0)
		goto fail;
	lima_script_argv(&av, opt.limactl, c->name);
	plan_add_guest(p, &av, &gs, c);
	egress_release(&e);
	return 0;
fail:
	guest_script_release(&gs);
	egress_release(&e);
	return -1;
}

int
vmsync_project_plan(struct plan *p, const struct vm_config *c,
    const struct project *proj, enum project_op op)
{
	struct strvec av = STRVEC_INIT;
	struct guest_script gs = GUEST_SCRIPT_INIT;
	struct egress e = EGRESS_INIT;
	int pulls = op == PROJECT_SYNC || op == PROJECT_RESET ||
	    op == PROJECT_RESET_KEEP;
	char *label;

	if (devuser_check(c, DEVUSER_BOOTSTRAP) < 0)
		return -1;
	/* The VM's whole lists, so that this sync changes nothing else. */
	if (pulls && egress_plan(&e, c) < 0)
		return -1;
	set_heading(p, c);
	label = xasprintf("starting instance dvm-%s", c->name);
	lima_start_argv(&av, opt.limactl, opt.log_level, c->name);
	plan_add_host(p, label, LOG_LIMA, &av);
	free(label);
	bootstrap_step(&gs, c);
	if (pulls)
		egress_add_step(&gs, c, &e);
	egress_release(&e);
	if (add_project_steps(&gs, c, proj, op) < 0) {
		guest_script_release(&gs);
		return -1;
	}
	lima_script_argv(&av, opt.limactl, c->name);
	plan_add_guest(p, &av, &gs, c);
	return 0;
}
