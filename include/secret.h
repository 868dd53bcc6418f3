/*
 * secret.h: the host secrets a sync hands to the guest.
 *
 * Secrets are read from dvm's environment and reach the guest only
 * inside the script on limactl's stdin. So that no program dvm starts
 * inherits them (limactl, the host agent `limactl start` leaves running,
 * ssh, the config bash), dvm moves each one into its own memory and
 * removes it from its environment before it starts any child after that
 * point: the names in the "# Secrets:" lines of every bundled and user
 * recipe first thing in main(), the names a config lists in DVM_SECRETS
 * as soon as that config is read.
 */
#ifndef DVM_SECRET_H
#define DVM_SECRET_H

/*
 * Take every name a recipe's "# Secrets:" line holds out of the
 * environment (recipe_declared_secrets()), bar those that cannot be
 * secrets: a sync refuses those, naming the recipe.
 */
void secrets_take_declared(void);
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
/*
 * What is wrong with name as a secret, to follow it in a message ("is
 * not the name of an environment variable"); NULL if it may be one.
 */
const char *secret_name_problem(const char *name);

#endif
