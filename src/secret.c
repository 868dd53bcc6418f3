/* Host secrets, held in dvm's memory instead of its environment. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "recipe.h"
#include "secret.h"
#include "strvec.h"
#include "util.h"
#include "validate.h"

static struct taken {
	char	*name;
	char	*value;		/* NULL: not set when taken */
} *taken;
static size_t nr_taken;

static struct taken *
find(const char *name)
{
	size_t i;

	for (i = 0; i < nr_taken; i++) {
		if (strcmp(taken[i].name, name) == 0)
			return &taken[i];
	}
	return NULL;
}

void
secret_take(const char *name)
{
	const char *v;

	if (find(name) != NULL)
		return;
	v = getenv(name);
	taken = xreallocarray(taken, nr_taken + 1, sizeof(*taken));
	taken[nr_taken].name = xstrdup(name);
	taken[nr_taken].value = v ? xstrdup(v) : NULL;
	nr_taken++;
	/* unsetenv() drops every copy of the name, should there be two. */
	if (v && (unsetenv(name) < 0 || getenv(name) != NULL))
		die("cannot remove %s from the environment", name);
}

const char *
secret_value(const char *name)
{
	secret_take(name);
	return find(name)->value;
}

void
secrets_take_declared(void)
{
	struct strvec names = STRVEC_INIT;
	size_t i;

	recipe_declared_secrets(&names);
	for (i = 0; i < names.nr; i++) {
		if (secret_name_problem(names.v[i]) == NULL)
			secret_take(names.v[i]);
	}
	strvec_clear(&names);
}

int
secret_name_allowed(const char *name)
{
	static const char *const exact[] = { "PATH", "HOME", "TMPDIR",
	    "TERM" };
	static const char *const prefix[] = { "DVM_", "LIMA_", "XDG_" };
	size_t i;

	for (i = 0; i < nitems(exact); i++) {
		if (strcmp(name, exact[i]) == 0)
			return 0;
	}
	for (i = 0; i < nitems(prefix); i++) {
		if (has_prefix(name, prefix[i]))
			return 0;
	}
	return 1;
}

const char *
secret_name_problem(const char *name)
{
	if (!valid_env_name(name))
		return "is not the name of an environment variable";
	if (!secret_name_allowed(name))
		return "is needed in the environment of dvm and limactl, so it "
		    "cannot be a secret";
	return NULL;
}
