/*
 * recipe.h: recipes, the guest scripts a VM's config picks with
 * `use <name>`. The bundled ones are compiled in (tools/embed turns
 * every recipes/NAME.sh into recipes_gen.c); a user's
 * $DVM_CONFIG_DIR/recipes/<name>.sh overrides the bundled one of that
 * name. Every recipe runs with the helper library (_helpers.sh) in
 * front of it.
 */
#ifndef DVM_RECIPE_H
#define DVM_RECIPE_H

struct strvec;

struct bundled_recipe {
	const char	*name;
	const char	*text;
};

/* Generated; the list ends with a { NULL, NULL } entry. */
extern const struct bundled_recipe bundled_recipes[];
extern const char bundled_helpers[];

struct recipe {
	char	*name;
	char	*text;		/* the recipe's own text */
	char	*origin;	/* "bundled" or the user file's path */
};

/*
 * Find recipe name: the user's file first (owner and mode checked), else
 * the bundled one. Returns 0, or -1 after an error naming the recipe.
 */
int recipe_load(const char *name, struct recipe *r);
void recipe_release(struct recipe *r);
/*
 * The value of the first header line "# <key>: value" of a recipe's
 * text, malloc'd; NULL if there is none.
 */
char *recipe_header(const char *text, const char *key);
/* The "# Description:" of a recipe's text, malloc'd ("" if none). */
char *recipe_description(const char *text);
/*
 * The words of every header line "<key> word..." (key such as
 * "# Egress:") in the recipe's leading comment block, appended to out in
 * order. Lines further down do not count. Returns how many such lines
 * there are, so an empty one still counts as said.
 */
int recipe_header_words(const char *text, const char *key,
    struct strvec *out);
/*
 * Facts a recipe states in its header beside "# Description:":
 * "# Secrets: NAME ..." (host variables a sync stages for it when set
 * and not empty, see secret.h) and "# Unit: name.service" (the unit
 * `dvm logs <vm>` shows). A user recipe with no such line keeps the
 * bundled recipe's of the same name; one with the line, even empty,
 * states its own.
 *
 * recipe_secrets() appends the secrets of every recipe in names to out,
 * each name once; recipe_unit() sets *unit to name's unit, malloc'd, or
 * NULL. A name with no recipe adds nothing (recipe_load() reports it).
 * Both return 0, or -1 after a one-line error naming the recipe's file
 * and the bad value.
 */
int recipe_secrets(const struct strvec *names, struct strvec *out);
int recipe_unit(const char *name, char **unit);
/*
 * Every name in a "# Secrets:" line of a bundled or user recipe,
 * unchecked and without a message: what main() takes out of the
 * environment before anything else runs (secret.h).
 */
void recipe_declared_secrets(struct strvec *out);
/*
 * 1 if the recipe's first command is dvm_need_agent: an AI recipe, whose
 * downloads run as dvm-agent.
 */
int recipe_needs_agent(const char *text);
/*
 * The text recipe name would run (the user's file, else the bundled
 * one), for a look at its headers: no checks, no message; NULL when
 * there is none or it cannot be read (recipe_load() says why later).
 */
char *recipe_peek(const char *name);
/*
 * The names of the valid <name>.sh files in dir (NULL or missing: none),
 * appended to out: the user's recipes, and the user's templates.
 */
void sh_names_in(const char *dir, struct strvec *out);
/* Names of every recipe, bundled and user, sorted and unique. */
void recipe_names(struct strvec *out);
/* The text a step runs: the helpers, then the recipe. Caller frees. */
char *recipe_script(const struct recipe *r);

#endif
