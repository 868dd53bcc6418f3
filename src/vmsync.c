/* The plan of a VM sync and its execution under the VM lock. */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
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
#include "recipe.h"
#include "log.h"
#include "runner.h"
#include "secret.h"
#include "strvec.h"
#include "ui.h"
#include "util.h"
#include "vmsync.h"

/*
 * The dev-base step, when base/dev/Containerfile exists: its context
 * travels inside the script, so checking and building cost no extra
 * round trip.
 */
static int
devbase_step(struct guest_script *gs, const struct vm_config *c)
{
	char *dir = xasprintf("%s/base/dev", paths_config_dir());
	char *file = xasprintf("%s/Containerfile", dir);
	char *packages = xasprintf("%s/base/packages.txt", paths_config_dir());
	struct devbase db;
	int ret = -1;

	(void)c;
	if (!path_exists(file)) {
		ret = 0;
		goto out;
	}
	if (config_check_safe(dir, "dev-base directory", 0) < 0 ||
	    config_check_safe(file, "dev-base Containerfile", 0) < 0 ||
	    devbase_load(&db, dir, packages) < 0)
		goto out;
	guest_add_devbase(gs, db.hash, db.tar_b64.buf, opt.rebuild_dev_base);
	devbase_release(&db);
	ret = 0;
out:
	free(dir);
	free(file);
	free(packages);
	return ret;
}

/* A recipe step: the helpers and the recipe, fed like setup.sh. */
static int
recipe_step(struct guest_script *gs, const char *name)
{
	struct recipe r;
	char *id, *label, *summary, *text;

	if (recipe_load(name, &r) < 0)
		return -1;
	id = xasprintf("recipe:%s", name);
	label = xasprintf("recipe %s", name);
	{
		char *shown = display_path(r.origin);

		summary = xasprintf("recipe %s (%s)", name, shown);
		free(shown);
	}
	text = recipe_script(&r);
	guest_add_script(gs, id, label, LOG_SETUP, text, summary);
	free(id);
	free(label);
	free(summary);
	free(text);
	recipe_release(&r);
	return 0;
}

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

	if (recipe_secrets(&c->recipes, &names) < 0)
		return -1;
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

	guest_add_podman_prep(gs);
	if (only && op != PROJECT_SYNC)
		guest_add_project_removal(gs, c->name, only,
		    op == PROJECT_RESET_KEEP || op == PROJECT_REMOVE_KEEP);
	if (op == PROJECT_REMOVE || op == PROJECT_REMOVE_KEEP)
		return 0;
	if (devbase_step(gs, c) < 0)
		return -1;
	for (i = 0; i < c->nr_projects; i++) {
		if (only && strcmp(c->projects[i].name, only->name) != 0)
			continue;
		if (guest_add_project(gs, c->name, &c->projects[i]) < 0)
			return -1;
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
	if (exists) {
		lima_start_argv(&av, opt.limactl, opt.log_level, c->name);
		label = xasprintf("starting instance dvm-%s", c->name);
	} else {
		char *locator = baseimg_locator();

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

	guest_add_bootstrap(&gs, c);
	egress_add_step(&gs, c, &e);
	if (add_recipe_steps(&gs, c, &e) < 0)
		goto fail;
	if (c->setup_path && guest_add_user_script(&gs, "setup",
	    "running VM setup", LOG_SETUP, c->setup_path) < 0)
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
	label = xasprintf("starting instance dvm-%s", c->name);
	lima_start_argv(&av, opt.limactl, opt.log_level, c->name);
	plan_add_host(p, label, LOG_LIMA, &av);
	free(label);
	guest_add_bootstrap(&gs, c);
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

int
vmsync_execute(struct plan *p, const char *done, int truncate)
{
	if (opt.dry_run) {
		printf("# VM %s (Lima instance dvm-%s)\n", p->vm, p->vm);
		plan_print(p);
		return EXIT_OK;
	}
	if (plan_execute(p, truncate) != 0)
		return EXIT_FAIL;
	ui_ok("%s", done);
	return EXIT_OK;
}
