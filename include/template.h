/*
 * template.h: the text `dvm new` and `dvm add` write.
 *
 * Templates for `dvm new --template <name>` add lines to a new VM's
 * config.sh. The bundled ones are compiled in (tools/embed turns every
 * templates/new/NAME.sh into templates_gen.c); a user's
 * $DVM_CONFIG_DIR/templates/<name>.sh overrides the bundled one of that
 * name, or adds one. The scaffolds themselves are templates/scaffold/
 * files (scripts.h). Both say @VM@ and the like where a name goes.
 */
#ifndef DVM_TEMPLATE_H
#define DVM_TEMPLATE_H

struct strbuf;
struct strvec;

struct bundled_template {
	const char	*name;
	const char	*text;
};

/* Generated; the list ends with a { NULL, NULL } entry. */
extern const struct bundled_template bundled_templates[];

/* The default template: the VM scaffold alone. */
#define TEMPLATE_DEFAULT "app"

/*
 * The text template name adds to a new VM's config.sh, malloc'd in
 * *text: the user's file first (owner and mode checked, like a user
 * recipe), else the bundled one. The default has none (*text NULL)
 * unless the user wrote one. A first line "# shellcheck ..." is left
 * out, since the scaffold above it has its own. Returns 0; 1 when there
 * is no template of that name (no message); -1 after an error.
 */
int template_load(const char *name, char **text);
/*
 * Every template's name: the default first, then the bundled and the
 * user's, sorted, each once.
 */
void template_names(struct strvec *out);
/* The same names joined by sep ("|"), malloc'd. */
char *template_list(const char *sep);
/*
 * Append text to sb with each @KEY@ of vars (KEY and value pairs, then
 * NULL) replaced by its value; any other '@' stays. Values are names
 * dvm has validated (or, in a comment, the path of a file dvm writes),
 * so none changes how the shell reads the text.
 */
void template_expand(struct strbuf *sb, const char *text,
    const char *const *vars);

#endif
