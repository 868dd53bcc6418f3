/* Looking up recipes: the user's override first, then the bundled one. */
#include "compat.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "paths.h"
#include "recipe.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "validate.h"

static char *
user_recipe_dir(void)
{
	return xasprintf("%s/recipes", paths_config_dir());
}

int
recipe_load(const char *name, struct recipe *r)
{
	char *dir = user_recipe_dir();
	char *path = xasprintf("%s/%s.sh", dir, name);
	size_t i;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!valid_name(name)) {
		error("invalid recipe name '%s'", name);
		goto out;
	}
	if (path_exists(path)) {
		if (config_check_safe(dir, "recipes directory", 0) < 0 ||
		    config_check_safe(path, "recipe", 0) < 0)
			goto out;
		if ((r->text = read_file(path, NULL)) == NULL) {
			error_errno("cannot read recipe %s", path);
			goto out;
		}
		r->origin = xstrdup(path);
	} else {
		for (i = 0; bundled_recipes[i].name; i++) {
			if (strcmp(bundled_recipes[i].name, name) == 0)
				break;
		}
		if (bundled_recipes[i].name == NULL) {
			char *shown = display_path(path);

			error("no recipe '%s' (see: dvm recipes; or write %s)",
			    name, shown);
			free(shown);
			goto out;
		}
		r->text = xstrdup(bundled_recipes[i].text);
		r->origin = xstrdup("bundled");
	}
	r->name = xstrdup(name);
	ret = 0;
out:
	free(dir);
	free(path);
	return ret;
}

void
recipe_release(struct recipe *r)
{
	free(r->name);
	free(r->text);
	free(r->origin);
	memset(r, 0, sizeof(*r));
}

char *
recipe_header(const char *text, const char *key)
{
	const char *p = text;
	size_t n = strlen(key);

	while (p && *p) {
		if (has_prefix(p, "# ") && strncmp(p + 2, key, n) == 0 &&
		    p[2 + n] == ':') {
			const char *s = p + 3 + n, *e;

			while (*s == ' ' || *s == '\t')
				s++;
			e = strchr(s, '\n');
			return xstrndup(s, e ? (size_t)(e - s) : strlen(s));
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

char *
recipe_description(const char *text)
{
	char *d = recipe_header(text, "Description");

	return d ? d : xstrdup("");
}

char *
recipe_peek(const char *name)
{
	char *path = xasprintf("%s/recipes/%s.sh", paths_config_dir(), name);
	char *text = NULL;
	size_t i;

	if (path_exists(path)) {
		text = read_file(path, NULL);
	} else {
		for (i = 0; bundled_recipes[i].name; i++) {
			if (strcmp(bundled_recipes[i].name, name) == 0) {
				text = xstrdup(bundled_recipes[i].text);
				break;
			}
		}
	}
	free(path);
	return text;
}

void
recipe_header_words(const char *text, const char *key, struct strvec *out)
{
	const char *p = text, *e;
	size_t klen = strlen(key);

	while (*p == '#') {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) >= klen && strncmp(p, key, klen) == 0) {
			const char *w = p + klen;

			for (;;) {
				const char *we;

				while (w < e && (*w == ' ' || *w == '\t'))
					w++;
				if (w == e)
					break;
				for (we = w; we < e && *we != ' ' &&
				    *we != '\t'; we++)
					;
				strvec_push_nodup(out, xstrndup(w,
				    (size_t)(we - w)));
				w = we;
			}
		}
		p = *e ? e + 1 : e;
	}
}

int
recipe_needs_agent(const char *text)
{
	static const char key[] = "dvm_need_agent";
	const char *p = text, *s;

	for (; *p; p = s + 1) {
		s = p + strspn(p, " \t");
		if (*s != '#' && *s != '\n' && *s != '\0')
			return has_prefix(s, key) &&
			    strchr(" \t\n", s[sizeof(key) - 1]) != NULL;
		if ((s = strchr(s, '\n')) == NULL)
			break;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
recipe_names(struct strvec *out)
{
	char *dir = user_recipe_dir();
	DIR *d;
	struct dirent *de;
	size_t i, j;

	for (i = 0; bundled_recipes[i].name; i++)
		strvec_push(out, bundled_recipes[i].name);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			char *name;

			if (!has_suffix(de->d_name, ".sh"))
				continue;
			name = xstrndup(de->d_name, strlen(de->d_name) - 3);
			if (valid_name(name))
				strvec_push_nodup(out, name);
			else
				free(name);
		}
		closedir(d);
	}
	free(dir);
	if (out->nr > 1)
		qsort(out->v, out->nr, sizeof(char *), cmp_str);
	/* Drop the duplicates a user override leaves. */
	for (i = j = 0; i < out->nr; i++) {
		if (j && strcmp(out->v[j - 1], out->v[i]) == 0) {
			free(out->v[i]);
			continue;
		}
		out->v[j++] = out->v[i];
	}
	out->nr = j;
	if (out->alloc)
		out->v[j] = NULL;
}

char *
recipe_script(const struct recipe *r)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, bundled_helpers);
	if (sb.len && sb.buf[sb.len - 1] != '\n')
		strbuf_addch(&sb, '\n');
	strbuf_addf(&sb, "# --- recipe %s (%s) ---\n", r->name, r->origin);
	strbuf_addstr(&sb, r->text);
	return strbuf_detach(&sb);
}
