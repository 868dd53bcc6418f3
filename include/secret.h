/*
 * secret.h: the host secrets a sync hands to the guest.
 *
 * Secrets are read from dvm's environment and reach the guest only
 * inside the script on limactl's stdin. So that no program dvm starts
 * inherits them (limactl, the host agent `limactl start` leaves running,
 * ssh, the config bash), dvm moves each one into its own memory and
 * removes it from its environment before it starts any child after that
 * point: the bundled names (recipe_secrets) first thing in main(), the
 * names a config lists in DVM_SECRETS as soon as that config is read.
 */
#ifndef DVM_SECRET_H
#define DVM_SECRET_H

#include <stddef.h>

/* A bundled recipe that needs a secret, and the host variable holding it. */
struct recipe_secret {
	const char	*recipe, *var;
};
extern const struct recipe_secret recipe_secrets[];
extern const size_t nr_recipe_secrets;

/* Take every bundled name out of the environment. */
void secrets_take_bundled(void);
/*
 * Move name's value out of the environment into dvm's memory. Taking a
 * name twice keeps the first value; an unset name is remembered unset.
 */
void secret_take(const char *name);
/* The value of name, taking it first if need be; NULL if it was unset. */
const char *secret_value(const char *name);
/*
 * 1 if name may be a secret: not PATH, HOME, TMPDIR or TERM, nor one of
 * the DVM_*, LIMA_* or XDG_* settings, which dvm and limactl need in
 * their environment.
 */
int secret_name_allowed(const char *name);

#endif
