/*
 * The egress allowlist on the host: checking names, the hosts dvm's own
 * steps need, and the guest step that runs guest/egress.sh as root.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "baseimg.h"
#include "config.h"
#include "egress.h"
#include "guest.h"
#include "paths.h"
#include "recipe.h"
#include "scripts.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "validate.h"

const char *
egress_host_problem(const char *host)
{
	const char *p, *name = *host == '.' ? host + 1 : host;
	int dots = 0, digits_and_dots = 1;

	if (valid_egress_host(host))
		return NULL;
	if (*host == '\0')
		return "is empty (for no limit, leave the list out or "
		    "write it as ())";
	for (p = name; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			return "has upper-case letters (write host names in "
			    "lower case)";
		if (*p == '.')
			dots++;
		else if (*p < '0' || *p > '9')
			digits_and_dots = 0;
	}
	p = strchr(host, ':');
	if (p && strchr(p + 1, ':') && strspn(host, "0123456789abcdefABCDEF:.")
	    == strlen(host))
		return "is an address: the allowlist takes host names only";
	if (strchr(host, ':') || strchr(host, '/') || strchr(host, '@'))
		return "is not a host name: no scheme, user, port or path "
		    "(an allowed host is open on every port)";
	if (digits_and_dots && *name)
		return "is an address: the allowlist takes host names only";
	if (dots == 0 && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-") == strlen(name) && *name)
		return "is a single label: give the full name, such as "
		    "github.com";
	return "is not a host name (lower-case letters, digits, '-' and "
	    "'.', such as github.com or .example.com, at most 253 "
	    "characters)";
}

/* ------------------------------------------------------------------ */
/* Images and registries                                              */

char *
egress_image_registry(const char *image)
{
	const char *slash = strchr(image, '/');
	char *reg, *p;

	if (slash == NULL)
		return xstrdup("docker.io");
	reg = xstrndup(image, (size_t)(slash - image));
	if (strchr(reg, '.') == NULL && strchr(reg, ':') == NULL &&
	    strcmp(reg, "localhost") != 0) {
		free(reg);
		return xstrdup("docker.io");
	}
	if ((p = strchr(reg, ':')) != NULL)
		*p = '\0';
	for (p = reg; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return reg;
}

/* Registries whose pulls also reach other hosts. */
static const struct {
	const char	*registry;
	const char	*hosts;		/* space-separated */
} registry_hosts[] = {
	/* Docker Hub: the registry, its token service, its blob CDN. */
	{ "docker.io", "registry-1.docker.io auth.docker.io "
	    "production.cloudflare.docker.com" },
	{ "index.docker.io", "registry-1.docker.io auth.docker.io "
	    "production.cloudflare.docker.com" },
	{ "registry-1.docker.io", "registry-1.docker.io auth.docker.io "
	    "production.cloudflare.docker.com" },
	/* GitHub's registry sends blobs from another domain. */
	{ "ghcr.io", "ghcr.io pkg-containers.githubusercontent.com" },
};

int
egress_registry_hosts(const char *registry, struct strvec *out)
{
	const char *p, *e;
	size_t i;

	if (strcmp(registry, "localhost") == 0 ||
	    (has_prefix(registry, "127.") &&
	    strspn(registry, "0123456789.") == strlen(registry)))
		return 0;	/* loopback stays open */
	for (i = 0; i < nitems(registry_hosts); i++) {
		if (strcmp(registry, registry_hosts[i].registry) != 0)
			continue;
		for (p = registry_hosts[i].hosts; *p; p = *e ? e + 1 : e) {
			e = strchr(p, ' ');
			if (e == NULL)
				e = p + strlen(p);
			strvec_push_nodup(out, xstrndup(p, (size_t)(e - p)));
		}
		return 0;
	}
	if (!valid_egress_host(registry) || *registry == '.')
		return -1;
	strvec_push(out, registry);
	return 0;
}

/* Image reference characters (config.c's rule for IMAGE). */
static int
image_chars(const char *s)
{
	return *s && *s != '-' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@-") == strlen(s);
}

static int
in_vec(const struct strvec *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->nr; i++) {
		if (strcmp(v->v[i], s) == 0)
			return 1;
	}
	return 0;
}

static char *
lower(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return l;
}

/* An image a stage or COPY --from= names, unless it is a stage. */
static void
add_image(const char *ref, const struct strvec *stages, struct strvec *out)
{
	char *l = lower(ref);

	if (strspn(ref, "0123456789") != strlen(ref) && !in_vec(stages, l) &&
	    strcmp(l, "scratch") != 0 && image_chars(ref) && !in_vec(out, ref))
		strvec_push(out, ref);
	free(l);
}

/* The words of the line from p to e (blanks: space, tab, CR). */
static void
line_words(const char *p, const char *e, struct strvec *out)
{
	const char *we;

	for (;;) {
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == e)
			return;
		for (we = p; we < e && *we != ' ' && *we != '\t' &&
		    *we != '\r'; we++)
			;
		strvec_push_nodup(out, xstrndup(p, (size_t)(we - p)));
		p = we;
	}
}

/* A Containerfile keyword, in any case. */
static int
keyword(const char *word, const char *kw)
{
	char *l = lower(word);
	int same = strcmp(l, kw) == 0;

	free(l);
	return same;
}

void
egress_containerfile_images(const char *text, struct strvec *out)
{
	struct strvec stages = STRVEC_INIT, w = STRVEC_INIT;
	const char *p = text, *e;
	size_t i;

	for (; *p; p = *e ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		strvec_clear(&w);
		line_words(p, e, &w);
		if (w.nr < 2)
			continue;
		if (keyword(w.v[0], "from")) {
			/* FROM [--platform=...] image [AS name] */
			for (i = 1; i < w.nr && has_prefix(w.v[i], "--"); i++)
				;
			if (i < w.nr)
				add_image(w.v[i], &stages, out);
			if (i + 2 < w.nr && keyword(w.v[i + 1], "as"))
				strvec_push_nodup(&stages, lower(w.v[i + 2]));
		} else if (keyword(w.v[0], "copy")) {
			/* COPY [--chown=...] --from=image src... dest */
			for (i = 1; i < w.nr && has_prefix(w.v[i], "--"); i++) {
				if (has_prefix(w.v[i], "--from="))
					add_image(w.v[i] + 7, &stages, out);
			}
		}
	}
	strvec_clear(&w);
	strvec_clear(&stages);
}

/* ------------------------------------------------------------------ */
/* The lists                                                          */

void
egress_list_add(struct egress_list *l, const char *name, const char *from)
{
	const char *key = *name == '.' ? name + 1 : name;
	size_t i;

	for (i = 0; i < l->nr; i++) {
		struct egress_host *h = &l->v[i];
		const char *hk = *h->name == '.' ? h->name + 1 : h->name;
		char *joined;
		size_t n = strlen(from);
		const char *p;

		if (strcmp(hk, key) != 0)
			continue;
		/* Already listed: name the source once. */
		for (p = h->from; (p = strstr(p, from)) != NULL; p += n) {
			if ((p == h->from || p[-1] == ' ') &&
			    (p[n] == '\0' || p[n] == ','))
				return;
		}
		joined = xasprintf("%s, %s", h->from, from);
		free(h->from);
		h->from = joined;
		return;
	}
	l->v = xreallocarray(l->v, l->nr + 1, sizeof(*l->v));
	l->v[l->nr].name = xstrdup(name);
	l->v[l->nr].from = xstrdup(from);
	l->nr++;
}

static void
list_release(struct egress_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		free(l->v[i].name);
		free(l->v[i].from);
	}
	free(l->v);
	l->v = NULL;
	l->nr = 0;
}

void
egress_release(struct egress *e)
{
	list_release(&e->dev);
	list_release(&e->agent);
}

/* The hosts a pull of image needs, into the dev list. */
static int
add_image_hosts(struct egress *e, const char *image, const char *from,
    const char *file, const char *var)
{
	struct strvec hosts = STRVEC_INIT;
	char *reg = egress_image_registry(image);
	size_t i;
	int ret = 0;

	if (egress_registry_hosts(reg, &hosts) < 0) {
		char *shown = display_path(file);

		ret = error("%s: %s='%s' pulls from %s, which is not a host "
		    "name DVM_EGRESS can allow (use a registry by its name)",
		    shown, var, image, reg);
		free(shown);
	}
	for (i = 0; i < hosts.nr; i++)
		egress_list_add(&e->dev, hosts.v[i], from);
	strvec_clear(&hosts);
	free(reg);
	return ret;
}

/* The images the dev-base's Containerfile starts from. */
static int
add_devbase_hosts(struct egress *e)
{
	char *base = baseimg_dir(), *dir = xasprintf("%s/dev", base);
	char *file = xasprintf("%s/Containerfile", dir);
	struct strvec images = STRVEC_INIT;
	char *text = NULL;
	size_t i;
	int ret = -1;

	if (!path_exists(file)) {
		ret = 0;
		goto out;
	}
	if (config_check_safe(dir, "dev-base directory", 0) < 0 ||
	    config_check_safe(file, "dev-base Containerfile", 0) < 0)
		goto out;
	if ((text = read_file(file, NULL)) == NULL) {
		char *shown = display_path(file);

		error_errno("cannot read %s", shown);
		free(shown);
		goto out;
	}
	egress_containerfile_images(text, &images);
	for (i = 0; i < images.nr; i++) {
		if (add_image_hosts(e, images.v[i], "dev-base", file,
		    "FROM") < 0)
			goto out;
	}
	ret = 0;
out:
	strvec_clear(&images);
	free(text);
	free(dir);
	free(base);
	free(file);
	return ret;
}

/* One recipe's "# Egress:" hosts: dvm-agent's list for an AI recipe. */
static int
add_recipe_hosts(struct egress *e, const char *name)
{
	struct recipe r;
	struct strvec hosts = STRVEC_INIT;
	struct egress_list *to = &e->dev;
	char *from = xasprintf("recipe %s", name);
	const char *why;
	size_t i;
	int ret = -1;

	if (recipe_load(name, &r) < 0) {
		free(from);
		return -1;
	}
	recipe_header_words(r.text, "# Egress:", &hosts);
	if (e->agent.nr && recipe_needs_agent(r.text))
		to = &e->agent;
	for (i = 0; i < hosts.nr; i++) {
		if ((why = egress_host_problem(hosts.v[i])) != NULL) {
			char *shown = display_path(r.origin);

			error("recipe %s (%s): # Egress: '%s' %s", name, shown,
			    hosts.v[i], why);
			free(shown);
			goto out;
		}
		egress_list_add(to, hosts.v[i], from);
	}
	ret = 0;
out:
	strvec_clear(&hosts);
	recipe_release(&r);
	free(from);
	return ret;
}

int
egress_plan(struct egress *e, const struct vm_config *c)
{
	size_t i;

	if (c->egress.nr == 0)
		return 0;
	for (i = 0; i < c->recipes.nr; i++) {
		if (strcmp(c->recipes.v[i], "docker") == 0)
			return error("VM '%s': use docker cannot go with "
			    "DVM_EGRESS: the docker group gives %s root, which "
			    "could remove the allowlist (use one or the other)",
			    c->name, c->user);
	}
	for (i = 0; i < c->egress.nr; i++)
		egress_list_add(&e->dev, c->egress.v[i], "DVM_EGRESS");
	for (i = 0; i < c->agent_egress.nr; i++)
		egress_list_add(&e->agent, c->agent_egress.v[i],
		    "DVM_AGENT_EGRESS");
	for (i = 0; i < c->nr_projects; i++) {
		const struct project *p = &c->projects[i];
		char *from = xasprintf("project %s", p->name);
		char *file = xasprintf("%s/project.sh", p->dir);
		int bad = add_image_hosts(e, p->image, from, file, "IMAGE");

		free(from);
		free(file);
		if (bad < 0)
			goto fail;
	}
	if (c->nr_projects && add_devbase_hosts(e) < 0)
		goto fail;
	if (!c->no_baseline && add_recipe_hosts(e, "baseline") < 0)
		goto fail;
	for (i = 0; i < c->recipes.nr; i++) {
		if (add_recipe_hosts(e, c->recipes.v[i]) < 0)
			goto fail;
	}
	return 0;
fail:
	egress_release(e);
	return -1;
}

/* ------------------------------------------------------------------ */
/* The guest step                                                     */

static void
apply_args(struct strvec *av, const struct vm_config *c,
    const struct egress *e)
{
	size_t i;

	strvec_pushl(av, "apply", "--user", c->user, "--agent",
	    EGRESS_AGENT_USER, NULL);
	for (i = 0; i < e->dev.nr; i++)
		strvec_pushl(av, "--allow", e->dev.v[i].name, NULL);
	for (i = 0; i < e->agent.nr; i++)
		strvec_pushl(av, "--agent-allow", e->agent.v[i].name, NULL);
}

/* "7 hosts" or "7 hosts, dvm-agent 3" */
static char *
counts(const struct egress *e)
{
	if (e->agent.nr)
		return xasprintf("%zu host%s, " EGRESS_AGENT_USER " %zu",
		    e->dev.nr, e->dev.nr == 1 ? "" : "s", e->agent.nr);
	return xasprintf("%zu host%s", e->dev.nr, e->dev.nr == 1 ? "" : "s");
}

static void
summary_list(struct strbuf *sb, const struct egress_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		strbuf_addf(sb, "\n      %s (%s)", l->v[i].name, l->v[i].from);
}

static char *
apply_summary(const struct vm_config *c, const struct egress *e)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "egress allowlist: guest/egress.sh apply, as root; "
	    "limits %s, its containers and " EGRESS_AGENT_USER, c->user);
	strbuf_addf(&sb, "\n    DVM_EGRESS (%s%s), %zu host%s:", c->user,
	    e->agent.nr ? " and its containers" : ", its containers and "
	    EGRESS_AGENT_USER, e->dev.nr, e->dev.nr == 1 ? "" : "s");
	summary_list(&sb, &e->dev);
	if (e->agent.nr) {
		strbuf_addf(&sb, "\n    DVM_AGENT_EGRESS (" EGRESS_AGENT_USER
		    "), %zu host%s:", e->agent.nr, e->agent.nr == 1 ? "" : "s");
		summary_list(&sb, &e->agent);
	}
	return strbuf_detach(&sb);
}

/*
 * The step runs guest/run-egress.sh with egress.sh's arguments as its
 * parameters and egress.sh itself as its stdin: run-egress.sh runs it as
 * root and reports its one word with dvm_result.
 */
void
egress_add_step(struct guest_script *gs, const struct vm_config *c,
    const struct egress *e)
{
	struct strvec av = STRVEC_INIT;
	char *n, *label, *done, *summary;

	if (e->dev.nr == 0) {
		strvec_push(&av, "off");
		guest_add_step(gs, "egress", "egress allowlist", LOG_SETUP,
		    guest_run_egress_sh, &av, guest_egress_sh, "egress: no "
		    "limit (guest/egress.sh off, as root: removes an allowlist "
		    "an earlier sync applied)");
		guest_step_result(gs, "removed", "egress allowlist removed", 1);
		return;
	}
	apply_args(&av, c, e);
	n = counts(e);
	label = xasprintf("egress allowlist (%s)", n);
	done = xasprintf("egress allowlist applied (%s)", n);
	summary = apply_summary(c, e);
	guest_add_step(gs, "egress", label, LOG_SETUP, guest_run_egress_sh,
	    &av, guest_egress_sh, summary);
	guest_step_result(gs, "applied", done, 0);
	free(n);
	free(label);
	free(done);
	free(summary);
}

void
egress_add_agent_step(struct guest_script *gs, const struct vm_config *c,
    const struct egress *e)
{
	struct strvec av = STRVEC_INIT;
	char *n, *done;

	if (e->dev.nr == 0)
		return;
	apply_args(&av, c, e);
	n = counts(e);
	done = xasprintf("egress allowlist applied to " EGRESS_AGENT_USER
	    " (%s)", n);
	guest_add_step(gs, "egress:agent", "egress allowlist for "
	    EGRESS_AGENT_USER, LOG_SETUP, guest_run_egress_sh, &av,
	    guest_egress_sh, "egress allowlist again (the same lists), now "
	    "that the agent-user recipe made " EGRESS_AGENT_USER);
	guest_step_result(gs, "applied", done, 1);
	free(n);
	free(done);
}
