/*
 * devuser.h: what DVM_USER may be in the VM (SPEC §10). It is never
 * Lima's login user, which Lima names after the host user and gives
 * passwordless sudo, and it gets no root, unless the config says
 * DVM_USER_SUDO=1 ("I accept a dev user with root"). These checks run on
 * the host before a command that sets the user up in the VM (the
 * bootstrap) makes any limactl call; the bootstrap repeats them in the
 * guest, where the login user and the uids are known for sure.
 */
#ifndef DVM_DEVUSER_H
#define DVM_DEVUSER_H

struct vm_config;

/*
 * The user name Lima gives the login user of a VM made by the host user
 * host: host itself when Lima accepts it (^[a-z_][a-z0-9_-]*$ and not
 * "admin"), else "lima".
 */
const char *devuser_lima_name(const char *host);

/*
 * The DVM_USER to suggest (and scaffold): "developer", or "dev" when
 * Lima's login user would be named developer.
 */
const char *devuser_suggest(void);

/* What devuser_problem() looks at. */
enum devuser_scope {
	DEVUSER_BOOTSTRAP,	/* the user itself: every plan with a bootstrap */
	DEVUSER_RECIPES		/* and the `use`d recipes: a VM sync */
};

/*
 * Why c's DVM_USER may not be set up: one line (malloc'd) naming the
 * config file, the variable and the value and saying what to change, or
 * NULL when there is nothing to refuse. Refused unless DVM_USER_SUDO=1:
 * DVM_USER equal to Lima's login user for the host user (the name from
 * the passwd entry of our uid, and $USER), and, for DEVUSER_RECIPES, a
 * `use`d recipe with the header "# Requires: DVM_USER_SUDO=1".
 */
char *devuser_problem(const struct vm_config *c, enum devuser_scope scope);

/* Report devuser_problem() as an error. Returns 0, or -1 (reported). */
int devuser_check(const struct vm_config *c, enum devuser_scope scope);

#endif
