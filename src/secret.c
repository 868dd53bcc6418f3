/* Host secrets, held in dvm's memory instead of its environment. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "util.h"

const struct recipe_secret recipe_secrets[] = {
	{ "cloudflared", "CLOUDFLARED_TOKEN" },
	{ "tailscale", "TAILSCALE_AUTH_KEY" },
};
const size_t nr_recipe_secrets = nitems(recipe_secrets);

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
secrets_take_bundled(void)
{
	size_t i;

	for (i = 0; i < nr_recipe_secrets; i++)
		secret_take(recipe_secrets[i].var);
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
