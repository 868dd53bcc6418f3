/* Templates for dvm new: the user's first, then the bundled ones. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "paths.h"
#include "recipe.h"
#include "strbuf.h"
#include "strvec.h"
#include "template.h"
#include "util.h"
#include "validate.h"

static char *
user_template_dir(void)
{
	return xasprintf("%s/templates", paths_config_dir());
}

/* text without a first "# shellcheck " line, malloc'd. */
static char *
without_directive(const char *text)
{
	const char *nl;

	if (has_prefix(text, "# shellcheck ")) {
		nl = strchr(text, '\n');
		text = nl ? nl + 1 : "";
	}
	return xstrdup(text);
}

int
template_load(const char *name, char **text)
{
	char *dir = user_template_dir();
	char *path = xasprintf("%s/%s.sh", dir, name);
	char *raw = NULL;
	size_t i;
	int ret = 1;

	*text = NULL;
	if (!valid_name(name))
		goto out;
	if (path_exists(path)) {
		ret = -1;
		if (config_check_safe(dir, "templates directory", 0) < 0 ||
		    config_check_safe(path, "template", 0) < 0)
			goto out;
		if ((raw = read_file(path, NULL)) == NULL) {
			error_errno("cannot read template %s", path);
			goto out;
		}
		*text = without_directive(raw);
		ret = 0;
		goto out;
	}
	for (i = 0; bundled_templates[i].name; i++) {
		if (strcmp(bundled_templates[i].name, name) == 0) {
			*text = without_directive(bundled_templates[i].text);
			ret = 0;
			goto out;
		}
	}
	if (strcmp(name, TEMPLATE_DEFAULT) == 0)
		ret = 0;
out:
	free(raw);
	free(dir);
	free(path);
	return ret;
}

void
template_names(struct strvec *out)
{
	struct strvec found = STRVEC_INIT;
	const char *config = paths_config_dir_quiet();
	char *dir = config ? xasprintf("%s/templates", config) : NULL;
	size_t i;

	for (i = 0; bundled_templates[i].name; i++)
		strvec_push(&found, bundled_templates[i].name);
	sh_names_in(dir, &found);
	strvec_sort_uniq(&found);
	strvec_push(out, TEMPLATE_DEFAULT);
	for (i = 0; i < found.nr; i++) {
		/* A user's file of the default's name adds to it. */
		if (strcmp(found.v[i], TEMPLATE_DEFAULT) != 0)
			strvec_push(out, found.v[i]);
	}
	strvec_clear(&found);
	free(dir);
}

char *
template_list(const char *sep)
{
	struct strvec names = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	template_names(&names);
	for (i = 0; i < names.nr; i++) {
		if (i)
			strbuf_addstr(&sb, sep);
		strbuf_addstr(&sb, names.v[i]);
	}
	strvec_clear(&names);
	return strbuf_detach(&sb);
}

void
template_expand(struct strbuf *sb, const char *text,
    const char *const *vars)
{
	const char *p = text, *at;
	size_t i, n = 0;

	while ((at = strchr(p, '@')) != NULL) {
		strbuf_add(sb, p, (size_t)(at - p));
		for (i = 0; vars[i]; i += 2) {
			n = strlen(vars[i]);
			if (strncmp(at + 1, vars[i], n) == 0 &&
			    at[1 + n] == '@')
				break;
		}
		if (vars[i] == NULL) {
			strbuf_addch(sb, '@');
			p = at + 1;
			continue;
		}
		strbuf_addstr(sb, vars[i + 1]);
		p = at + n + 2;
	}
	strbuf_addstr(sb, p);
}
