/* Looking up recipes: the user's override first, then the bundled one. */
#include "compat.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "paths.h"
#include "recipe.h"
#include "secret.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "validate.h"

static char *
user_recipe_dir(void)
{
	return xasprintf("%s/recipes", paths_config_dir());
}

static const char *
bundled_text(const char *name)
{
	size_t i;

	for (i = 0; bundled_recipes[i].name; i++) {
		if (strcmp(bundled_recipes[i].name, name) == 0)
			return bundled_recipes[i].text;
	}
	return NULL;
}

int
recipe_load(const char *name, struct recipe *r)
{
	char *dir = user_recipe_dir();
	char *path = xasprintf("%s/%s.sh", dir, name);
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
		const char *bundled = bundled_text(name);

		if (bundled == NULL) {
			char *shown = display_path(path);

			error("no recipe '%s' (see: dvm recipes; or write %s)",
			    name, shown);
			free(shown);
			goto out;
		}
		r->text = xstrdup(bundled);
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
	const char *bundled;

	if (path_exists(path))
		text = read_file(path, NULL);
	else if ((bundled = bundled_text(name)) != NULL)
		text = xstrdup(bundled);
	free(path);
	return text;
}

int
recipe_header_words(const char *text, const char *key, struct strvec *out)
{
	const char *p = text, *e;
	size_t klen = strlen(key);
	int lines = 0;

	while (*p == '#') {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) >= klen && strncmp(p, key, klen) == 0) {
			const char *w = p + klen;

			lines++;
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
	return lines;
}

/*
 * The words of name's key lines (such as "# Unit:") and in *origin
 * where they were said: the recipe that runs (the user's file, checked
 * as recipe_load() does), else the bundled one of that name. 1 when a
 * recipe says key, 0 when none does or there is no recipe name, -1
 * after recipe_load()'s error.
 */
static int
declared(const char *name, const char *key, struct strvec *words,
    char **origin)
{
	char *path = xasprintf("%s/recipes/%s.sh", paths_config_dir(), name);
	const char *bundled = bundled_text(name);
	struct recipe r;
	int ret = 0;

	*origin = NULL;
	if (!valid_name(name) || (bundled == NULL && !path_exists(path)))
		goto out;
	if (recipe_load(name, &r) < 0) {
		ret = -1;
		goto out;
	}
	if (recipe_header_words(r.text, key, words) > 0) {
		*origin = xstrdup(r.origin);
		ret = 1;
	} else if (bundled && recipe_header_words(bundled, key, words) > 0) {
		*origin = xstrdup("bundled");
		ret = 1;
	}
	recipe_release(&r);
out:
	free(path);
	return ret;
}

static int
has_word(const struct strvec *sv, const char *word)
{
	size_t i;

	for (i = 0; i < sv->nr; i++) {
		if (strcmp(sv->v[i], word) == 0)
			return 1;
	}
	return 0;
}

static int
bad_header(const char *name, const char *origin, const char *key,
    const char *word, const char *why)
{
	char *shown = display_path(origin);

	error("recipe %s (%s): %s '%s' %s", name, shown, key, word, why);
	free(shown);
	return -1;
}

int
recipe_secrets(const struct strvec *names, struct strvec *out)
{
	struct strvec words = STRVEC_INIT;
	char *origin = NULL;
	const char *why;
	size_t i, j;
	int ret = 0;

	for (i = 0; i < names->nr && ret == 0; i++) {
		if (declared(names->v[i], "# Secrets:", &words, &origin) < 0)
			ret = -1;
		for (j = 0; j < words.nr && ret == 0; j++) {
			if ((why = secret_name_problem(words.v[j])) != NULL)
				ret = bad_header(names->v[i], origin,
				    "# Secrets:", words.v[j], why);
			else if (!has_word(out, words.v[j]))
				strvec_push(out, words.v[j]);
		}
		strvec_clear(&words);
		free(origin);
		origin = NULL;
	}
	return ret;
}

int
recipe_unit(const char *name, char **unit)
{
	struct strvec words = STRVEC_INIT;
	char *origin = NULL;
	int ret;

	*unit = NULL;
	if ((ret = declared(name, "# Unit:", &words, &origin)) <= 0)
		goto out;
	ret = 0;
	if (words.nr > 1)
		ret = bad_header(name, origin, "# Unit:", words.v[1],
		    "is a second unit; a recipe has at most one");
	else if (words.nr == 1 && !valid_unit(words.v[0]))
		ret = bad_header(name, origin, "# Unit:", words.v[0],
		    "is not a systemd unit name");
	else if (words.nr == 1)
		*unit = xstrdup(words.v[0]);
out:
	strvec_clear(&words);
	free(origin);
	return ret;
}

void
recipe_declared_secrets(struct strvec *out)
{
	const char *config = paths_config_dir_quiet();
	char *dir = config ? xasprintf("%s/recipes", config) : NULL;
	struct strvec names = STRVEC_INIT;
	struct stat st;
	size_t i;

	for (i = 0; bundled_recipes[i].name; i++)
		recipe_header_words(bundled_recipes[i].text, "# Secrets:", out);
	sh_names_in(dir, &names);
	for (i = 0; i < names.nr; i++) {
		char *path = xasprintf("%s/%s.sh", dir, names.v[i]), *text;

		/* A regular file only: a FIFO would hang. */
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (text = read_file(path, NULL)) != NULL) {
			recipe_header_words(text, "# Secrets:", out);
			free(text);
		}
		free(path);
	}
	strvec_clear(&names);
	free(dir);
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

void
sh_names_in(const char *dir, struct strvec *out)
{
	struct dirent *de;
	DIR *d;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		return;
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

void
recipe_names(struct strvec *out)
{
	char *dir = user_recipe_dir();
	size_t i;

	for (i = 0; bundled_recipes[i].name; i++)
		strvec_push(out, bundled_recipes[i].name);
	sh_names_in(dir, out);
	free(dir);
	strvec_sort_uniq(out);
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
