/* What DVM_USER may be in the VM: never Lima's login user, no root. */
#include "compat.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "devuser.h"
#include "paths.h"
#include "recipe.h"
#include "util.h"

const char *
devuser_lima_name(const char *host)
{
	const char *s = host;

	/* Lima's rule (pkg/osutil/user.go): a useradd name, not "admin". */
	if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
		return "lima";
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return "lima";
	}
	return strcmp(host, "admin") == 0 ? "lima" : host;
}

/*
 * The host user names Lima may have named its login user after. Lima
 * takes the passwd entry of its uid; $USER is checked too, since it is
 * what a user sees as their name (and refusing one name more costs
 * nothing). Returns the one whose Lima name is user, or NULL.
 */
static char *
colliding_host_name(const char *user)
{
	const char *env = getenv("USER");
	struct passwd *pw = getpwuid(getuid());

	if (pw != NULL && pw->pw_name != NULL && *pw->pw_name != '\0' &&
	    strcmp(devuser_lima_name(pw->pw_name), user) == 0)
		return xstrdup(pw->pw_name);
	if (env != NULL && *env != '\0' &&
	    strcmp(devuser_lima_name(env), user) == 0)
		return xstrdup(env);
	return NULL;
}

const char *
devuser_suggest(void)
{
	char *host = colliding_host_name("developer");
	int taken = host != NULL;

	free(host);
	return taken ? "dev" : "developer";
}

static char *
login_user_problem(const struct vm_config *c)
{
	char *host = colliding_host_name(c->user), *shown, *msg, *why;
	const char *instead = devuser_suggest();

	if (host == NULL)
		return NULL;
	if (strcmp(host, c->user) == 0)
		why = xasprintf("Lima names it after your host user %s",
		    host);
	else
		why = xasprintf("Lima does not take your host user name "
		    "'%s', so it names it %s", host, c->user);
	shown = display_path(c->user_file ? c->user_file : c->config_path);
	msg = xasprintf("%s: DVM_USER='%s' is Lima's login user in the VM "
	    "(%s, and it has passwordless root); set DVM_USER=%s, or "
	    "DVM_USER_SUDO=1 to accept a dev user with root", shown, c->user,
	    why, instead);
	free(shown);
	free(why);
	free(host);
	return msg;
}

/* The first `use`d recipe that says it gives DVM_USER root. */
static char *
recipe_problem(const struct vm_config *c)
{
	static const char need[] = "DVM_USER_SUDO=1";
	char *msg = NULL;
	size_t i;

	for (i = 0; i < c->recipes.nr && msg == NULL; i++) {
		char *text = recipe_peek(c->recipes.v[i]), *req = NULL;

		if (text != NULL)
			req = recipe_header(text, "Requires");
		if (req != NULL && has_prefix(req, need) &&
		    (req[strlen(need)] == '\0' || req[strlen(need)] == ' ')) {
			const char *why = req + strlen(need);
			char *shown = display_path(c->use_file ? c->use_file :
			    c->config_path);

			while (*why == ' ')
				why++;
			msg = xasprintf("%s: use %s requires DVM_USER_SUDO=1%s%s;"
			    " set DVM_USER_SUDO=1 to accept a dev user with "
			    "root, or remove use %s", shown, c->recipes.v[i],
			    *why ? " " : "", why, c->recipes.v[i]);
			free(shown);
		}
		free(req);
		free(text);
	}
	return msg;
}

char *
devuser_problem(const struct vm_config *c, enum devuser_scope scope)
{
	char *msg;

	if (c->user_sudo)
		return NULL;
	if ((msg = login_user_problem(c)) != NULL)
		return msg;
	if (scope == DEVUSER_RECIPES)
		return recipe_problem(c);
	return NULL;
}

int
devuser_check(const struct vm_config *c, enum devuser_scope scope)
{
	char *msg = devuser_problem(c, scope);

	if (msg == NULL)
		return 0;
	error("%s", msg);
	free(msg);
	return -1;
}
