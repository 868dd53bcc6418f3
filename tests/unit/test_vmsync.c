/*
 * test_vmsync.c: unit tests of vmsync.c: the plan of a sync.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dvm.h"
#include "guest.h"
#include "runner.h"
#include "scripts.h"
#include "strvec.h"
#include "vmsync.h"

#include "tap.h"
#include "tests.h"

/* Is av, from index i, the count n and then the words of want? */
static int
counted_is(const struct strvec *av, size_t i, const char *const *want)
{
	size_t n = 0, k;

	while (want[n])
		n++;
	if (i + 1 + n > av->nr || strtoul(av->v[i], NULL, 10) != n)
		return 0;
	for (k = 0; k < n; k++)
		if (strcmp(av->v[i + 1 + k], want[k]) != 0)
			return 0;
	return 1;
}

/*
 * The plan side: which steps a VM's sync has, with which bodies, args
 * and feeds. Files are read when the plan is made.
 */
void
test_vmsync(void)
{
	struct vm_config c;
	struct project proj;
	struct plan p;
	const struct guest_script *gs;
	const struct guest_step *st;
	char *cfg = tmp_path("vmsync-config"), *setup = tmp_path("setup.sh");
	char *psetup = tmp_path("api-setup.sh");
	static const char *const start[] = { "podman", "start", "api", NULL };
	static const char *const rm[] = { "podman", "rm", "-f", "-t", "0",
	    "api", NULL };
	int rc;

	setenv("DVM_CONFIG_DIR", cfg, 1);
	opt.limactl = "limactl";
	opt.log_level = "warn";
	fill_config(&c);
	strvec_init(&c.secrets);
	c.no_baseline = 1;
	c.setup_path = setup;
	memset(&proj, 0, sizeof(proj));
	proj.name = (char *)"api";
	proj.image = (char *)"node:22";
	proj.workdir = (char *)"/work";
	proj.setup_path = psetup;
	strvec_init(&proj.ports);
	c.projects = &proj;
	c.nr_projects = 1;
	put_file(setup, "echo vm setup\n", 0600);
	put_file(psetup, "echo api setup\n", 0600);

	plan_init(&p, c.name, 0);
	rc = vmsync_plan(&p, &c, 1);
	IS_INT(rc, 0, "vmsync: the plan of a sync is made");
	put_file(setup, "echo changed later\n", 0600);
	OK(rc == 0 && p.nr == 2 && p.items[0].argv.nr && p.items[1].steps.nr
	    == 5 && p.heading && strcmp(p.heading,
	    "# VM app (Lima instance dvm-app)") == 0,
	    "vmsync: start the instance, then one guest script of 5 steps");
	gs = p.nr == 2 ? &p.items[1].steps : NULL;
	if (gs && gs->nr == 5) {
		static const char *const ids[] = { "bootstrap", "egress",
		    "setup", "podman", "project:api" };
		size_t k;

		for (k = 0; k < nitems(ids); k++)
			IS_STR(gs->steps[k].id, ids[k], "vmsync: step %zu is %s",
			    k + 1, ids[k]);
		st = &gs->steps[0];
		OK(st->body == guest_bootstrap_sh && st->args.nr == 0 &&
		    st->feed == NULL && st->log == LOG_LIMA,
		    "vmsync: the bootstrap is guest/bootstrap.sh alone: it "
		    "reads the export line");
		st = &gs->steps[1];
		OK(st->body == guest_run_egress_sh && st->feed &&
		    strcmp(st->feed, guest_egress_sh) == 0 && st->args.nr == 1 &&
		    strcmp(st->args.v[0], "off") == 0,
		    "vmsync: the egress step feeds egress.sh, args off");
		st = &gs->steps[2];
		OK(st->body == guest_run_script_sh && st->feed &&
		    strcmp(st->feed, "echo vm setup\n") == 0,
		    "vmsync: setup.sh is read when the plan is made, and fed "
		    "to guest/run-script.sh");
		st = &gs->steps[4];
		OK(st->body == guest_project_up_sh && st->keep_going &&
		    st->feed && strcmp(st->feed, "echo api setup\n") == 0 &&
		    st->args.nr > 2 && strcmp(st->args.v[0], "api") == 0,
		    "vmsync: a project step feeds its setup.sh, keeps going");
		if (st->args.nr > 2) {
			size_t i = 1, n = strtoul(st->args.v[1], NULL, 10);
			const char *const *v = (const char *const *)st->args.v;

			OK(n > 2 && strcmp(v[2], "podman") == 0 &&
			    strcmp(v[3], "create") == 0 &&
			    strcmp(v[1 + n], "infinity") == 0,
			    "vmsync: project args: the counted create argv");
			i += 1 + n;
			OK(counted_is(&st->args, i, start),
			    "vmsync: project args: then podman start api");
			i += 4;
			n = i < st->args.nr ? strtoul(v[i], NULL, 10) : 0;
			OK(n > 4 && i + 1 + n == st->args.nr &&
			    strcmp(v[i + 1], "podman") == 0 &&
			    strcmp(v[i + 2], "exec") == 0 &&
			    strcmp(v[i + n - 3], "bash") == 0 &&
			    strcmp(v[i + n - 2], "-c") == 0 &&
			    strcmp(v[i + n - 1], guest_run_script_sh) == 0 &&
			    strcmp(v[i + n], "dvm-setup") == 0,
			    "vmsync: project args: then podman exec ... bash "
			    "-c <guest/run-script.sh> dvm-setup, last");
		}
	}
	plan_release(&p);

	unlink(setup);
	plan_init(&p, c.name, 0);
	IS_INT(vmsync_plan(&p, &c, 1), -1,
	    "vmsync: a setup.sh that cannot be read fails the plan");
	plan_release(&p);
	c.setup_path = NULL;

	plan_init(&p, c.name, 0);
	rc = vmsync_project_plan(&p, &c, &proj, PROJECT_REMOVE);
	gs = rc == 0 && p.nr == 2 ? &p.items[1].steps : NULL;
	OK(gs && gs->nr == 3 && strcmp(gs->steps[2].id, "remove:api") == 0 &&
	    gs->steps[2].body == guest_project_remove_sh &&
	    gs->steps[2].feed == NULL &&
	    strcmp(gs->steps[2].args.v[0], "api") == 0 &&
	    counted_is(&gs->steps[2].args, 1, rm) &&
	    gs->steps[2].args.nr == 1 + 7 + 5 + 5,
	    "vmsync: removing a project: name, podman rm, volume exists, "
	    "volume rm");
	plan_release(&p);
	plan_init(&p, c.name, 0);
	rc = vmsync_project_plan(&p, &c, &proj, PROJECT_REMOVE_KEEP);
	gs = rc == 0 && p.nr == 2 ? &p.items[1].steps : NULL;
	OK(gs && gs->nr == 3 && gs->steps[2].args.nr == 1 + 7,
	    "vmsync: keeping the volume: name and podman rm only");
	plan_release(&p);

	unsetenv("DVM_CONFIG_DIR");
	strvec_clear(&proj.ports);
	strvec_clear(&c.secrets);
	release_config(&c);
	free(cfg);
	free(setup);
	free(psetup);
}
