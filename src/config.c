/*
 * The config shim: one bash runs host/config.sh, which evaluates the
 * user's config files and hands every DVM_* variable back as
 * NUL-separated records (the format is in that file's header); they are
 * checked here before anything is started.
 */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseimg.h"
#include "config.h"
#include "egress.h"
#include "paths.h"
#include "proc.h"
#include "scripts.h"
#include "secret.h"
#include "strbuf.h"
#include "strvec.h"
#include "suggest.h"
#include "util.h"
#include "validate.h"

/* One variable read back from bash. */
struct var {
	char		*name;
	struct strvec	 values;
};

struct dump {
	struct var	*vars;
	size_t		 nr;
};

/* The token stream and where a failure should point. */
struct reader {
	char		**tok;
	size_t		  nr, pos;
	const char	 *file;		/* the file being read, for errors */
};

static const char *
next_tok(struct reader *r)
{
	if (r->pos >= r->nr)
		return NULL;
	return r->tok[r->pos++];
}

static void
dump_release(struct dump *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		free(d->vars[i].name);
		strvec_clear(&d->vars[i].values);
	}
	free(d->vars);
	d->vars = NULL;
	d->nr = 0;
}

static struct var *
dump_find(const struct dump *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		if (strcmp(d->vars[i].name, name) == 0)
			return &d->vars[i];
	}
	return NULL;
}

static int
stopped_early(const struct reader *r)
{
	char *shown = display_path(r->file ? r->file : "config");

	error("%s: evaluation stopped while reading it (does it call exit?)",
	    shown);
	free(shown);
	return -1;
}

static int
read_dump(struct reader *r, struct dump *d)
{
	const char *name, *count;

	while ((name = next_tok(r)) != NULL && strcmp(name, ".") != 0) {
		struct var *v;
		unsigned long n = 0, i;

		count = next_tok(r);
		if (count == NULL || (!valid_uint(count, 1000000, &n) &&
		    strcmp(count, "0") != 0))
			return stopped_early(r);
		d->vars = xreallocarray(d->vars, d->nr + 1, sizeof(*d->vars));
		v = &d->vars[d->nr++];
		v->name = xstrdup(name);
		strvec_init(&v->values);
		for (i = 0; i < n; i++) {
			const char *val = next_tok(r);

			if (val == NULL)
				return stopped_early(r);
			strvec_push(&v->values, val);
		}
	}
	if (name == NULL)
		return stopped_early(r);
	return 0;
}

/*
 * After "R path": either "F rc" (the file failed) or the expected tag
 * followed by a dump.
 */
static int
read_file_result(struct reader *r, const char *tag, struct dump *d)
{
	const char *t = next_tok(r);

	if (t == NULL)
		return stopped_early(r);
	if (strcmp(t, "F") == 0) {
		const char *rc = next_tok(r);
		char *shown = display_path(r->file);

		error("%s: failed with status %s while being read", shown,
		    rc ? rc : "?");
		free(shown);
		return -1;
	}
	if (strcmp(t, tag) != 0)
		return stopped_early(r);
	return read_dump(r, d);
}

static int
expect_path(struct reader *r)
{
	const char *t = next_tok(r), *p;

	if (t == NULL || strcmp(t, "R") != 0 || (p = next_tok(r)) == NULL)
		return stopped_early(r);
	r->file = p;
	return 0;
}

/* Where a value was set, for messages: the file that changed it. */
struct origin {
	const struct dump	*base;		/* NULL for the global scope */
	const char		*base_file;
	const char		*file;
};

/*
 * The file a variable's value came from: the base file when the value is
 * the one it left (or both left it unset), else this one.
 */
static const char *
origin_of(const struct origin *o, const struct dump *d, const char *name)
{
	struct var *v = dump_find(d, name), *b;
	size_t i;

	if (o->base == NULL)
		return o->file;
	b = dump_find(o->base, name);
	if (v == NULL || b == NULL)
		return v == NULL && b == NULL ? o->base_file : o->file;
	if (b->values.nr != v->values.nr)
		return o->file;
	for (i = 0; i < v->values.nr; i++) {
		if (strcmp(b->values.v[i], v->values.v[i]) != 0)
			return o->file;
	}
	return o->base_file;
}

static int
bad_value(const struct origin *o, const struct dump *d, const char *name,
    const char *value, const char *why)
{
	char *shown = display_path(origin_of(o, d, name));

	error("%s: %s='%s' %s", shown, name, value, why);
	free(shown);
	return -1;
}

/* The single value of a scalar variable; arrays are an error. */
static int
scalar(const struct origin *o, const struct dump *d, const char *name,
    char **out)
{
	struct var *v = dump_find(d, name);

	if (v == NULL) {
		*out = xstrdup("");
		return 0;
	}
	if (v->values.nr > 1)
		return bad_value(o, d, name, v->values.v[0],
		    "must be a single value, not an array");
	*out = xstrdup(v->values.nr ? v->values.v[0] : "");
	return 0;
}

/* Image references: registry/name:tag@digest characters only. */
static int
valid_image(const char *s)
{
	if (*s == '\0' || *s == '-')
		return 0;
	for (; *s; s++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._/:@-", *s))
			return 0;
	}
	return 1;
}

/* What a config file can set that dvm itself reads. */
static const char *const known_vars[] = {
	"DVM_CPUS", "DVM_MEMORY", "DVM_DISK", "DVM_USER",
	"DVM_SUBUID_COUNT", "DVM_SUBGID_COUNT", "DVM_PORTS",
	"DVM_VM_TYPE", "DVM_NETWORK", "DVM_DEV_BASE", "_dvm_use",
	"DVM_NO_BASELINE", "DVM_SECRETS", "DVM_EGRESS",
	"DVM_AGENT_EGRESS", "DVM_USER_SUDO"
};

static int
is_known_var(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(known_vars); i++) {
		if (strcmp(known_vars[i], name) == 0)
			return 1;
	}
	return 0;
}

/*
 * A setting dvm does not know is the user's, for a recipe: only a near
 * miss of dvm's own (DVM_MEMROY) gets a warning, once per file and name,
 * however many VMs read that file.
 */
static void
warn_if_typo(const char *file, const char *name)
{
	static struct strvec warned = STRVEC_INIT;
	const char *near = suggest(name, known_vars, nitems(known_vars));
	char *key, *shown;

	if (near == NULL)
		return;
	key = xasprintf("%s:%s", file, name);
	if (strvec_has(&warned, key)) {
		free(key);
		return;
	}
	strvec_push_nodup(&warned, key);
	shown = display_path(file);
	warning("%s: %s is not a dvm setting; did you mean %s?", shown, name,
	    near);
	free(shown);
}

/* One allowlist: every element a host name, none empty. */
static int
egress_list(const struct origin *o, const struct dump *d, const char *name,
    struct strvec *out)
{
	struct var *v = dump_find(d, name);
	const char *why;
	size_t i;

	for (i = 0; v && i < v->values.nr; i++) {
		if ((why = egress_host_problem(v->values.v[i])) != NULL)
			return bad_value(o, d, name, v->values.v[i], why);
		strvec_push(out, v->values.v[i]);
	}
	return 0;
}

/* 1 if the array or scalar name is set to something not empty. */
static int
set_nonempty(const struct dump *d, const char *name)
{
	struct var *v = dump_find(d, name);
	size_t i;

	for (i = 0; v != NULL && i < v->values.nr; i++) {
		if (*v->values.v[i] != '\0')
			return 1;
	}
	return 0;
}

/* DVM_EGRESS and DVM_AGENT_EGRESS; the agent's list narrows the other. */
static int
egress_from_dump(struct vm_config *c, const struct dump *d,
    const struct origin *o)
{
	if (egress_list(o, d, "DVM_EGRESS", &c->egress) < 0 ||
	    egress_list(o, d, "DVM_AGENT_EGRESS", &c->agent_egress) < 0)
		return -1;
	if (c->agent_egress.nr && c->egress.nr == 0)
		return bad_value(o, d, "DVM_AGENT_EGRESS", c->agent_egress.v[0],
		    "is set but DVM_EGRESS is empty: dvm-agent's list only "
		    "narrows DVM_EGRESS (set DVM_EGRESS too)");
	return 0;
}

/*
 * DVM_USER_SUDO: empty, 0 or 1. A dev user with root could flush the
 * egress rules, so it cannot be combined with an egress allowlist.
 */
static int
user_sudo_from_dump(struct vm_config *c, const struct dump *d,
    const struct origin *o)
{
	char *us = NULL;
	int ret = -1;

	if (scalar(o, d, "DVM_USER_SUDO", &us) < 0)
		return -1;
	if (strcmp(us, "") != 0 && strcmp(us, "0") != 0 &&
	    strcmp(us, "1") != 0) {
		bad_value(o, d, "DVM_USER_SUDO", us, "must be 0 or 1");
		goto out;
	}
	c->user_sudo = strcmp(us, "1") == 0;
	if (c->user_sudo && set_nonempty(d, "DVM_EGRESS")) {
		bad_value(o, d, "DVM_USER_SUDO", us, "cannot be combined with "
		    "DVM_EGRESS: a dev user with root could remove the egress "
		    "rules (drop one of the two)");
		goto out;
	}
	ret = 0;
out:
	free(us);
	return ret;
}

static int
vm_from_dump(struct vm_config *c, const struct dump *d,
    const struct origin *o)
{
	struct var *v;
	size_t i;

	if (scalar(o, d, "DVM_CPUS", &c->cpus) < 0 ||
	    scalar(o, d, "DVM_MEMORY", &c->memory) < 0 ||
	    scalar(o, d, "DVM_DISK", &c->disk) < 0 ||
	    scalar(o, d, "DVM_USER", &c->user) < 0 ||
	    scalar(o, d, "DVM_SUBUID_COUNT", &c->subuid_count) < 0 ||
	    scalar(o, d, "DVM_SUBGID_COUNT", &c->subgid_count) < 0 ||
	    scalar(o, d, "DVM_VM_TYPE", &c->vm_type) < 0 ||
	    scalar(o, d, "DVM_NETWORK", &c->network) < 0 ||
	    scalar(o, d, "DVM_DEV_BASE", &c->dev_base) < 0)
		return -1;

#define CHECK(name, field, ok, why) do {				\
		if (!(ok))						\
			return bad_value(o, d, name, field, why); \
	} while (0)
	CHECK("DVM_CPUS", c->cpus, valid_uint(c->cpus, 1024, NULL),
	    "is not a whole number of CPUs from 1 to 1024");
	CHECK("DVM_MEMORY", c->memory, valid_gib(c->memory),
	    "is not a positive number of GiB (such as 4 or 1.5)");
	CHECK("DVM_DISK", c->disk, valid_gib(c->disk),
	    "is not a positive number of GiB (such as 30)");
	CHECK("DVM_USER", c->user, valid_name(c->user),
	    "is not a valid user name (lowercase letter, then a-z, 0-9, -)");
	/* Other system accounts are found by their uid, in the guest. */
	CHECK("DVM_USER", c->user, strcmp(c->user, "root") != 0,
	    "is the VM's superuser; the dev user must be an ordinary one "
	    "(such as developer)");
	CHECK("DVM_SUBUID_COUNT", c->subuid_count,
	    valid_count(c->subuid_count, 1000000000),
	    "is not a whole number from 0 to 1000000000");
	CHECK("DVM_SUBGID_COUNT", c->subgid_count,
	    valid_count(c->subgid_count, 1000000000),
	    "is not a whole number from 0 to 1000000000");
	CHECK("DVM_VM_TYPE", c->vm_type, valid_vm_type(c->vm_type),
	    "is not a Lima VM type (such as vz or qemu)");
	CHECK("DVM_NETWORK", c->network, strcmp(c->network, "") == 0 ||
	    strcmp(c->network, "user-v2") == 0,
	    "is not supported (leave it empty or use user-v2)");
	CHECK("DVM_DEV_BASE", c->dev_base, valid_image(c->dev_base),
	    "is not a container image reference");
#undef CHECK

	if ((v = dump_find(d, "DVM_PORTS")) != NULL) {
		for (i = 0; i < v->values.nr; i++) {
			const char *p = v->values.v[i];

			if (*p == '\0')
				continue;
			if (!valid_port_spec(p))
				return bad_value(o, d, "DVM_PORTS", p,
				    "is not a host:guest port pair with ports "
				    "from 1 to 65535");
			strvec_push(&c->ports, p);
		}
	}
	{
		char *nb = NULL;

		if (scalar(o, d, "DVM_NO_BASELINE", &nb) < 0)
			return -1;
		if (strcmp(nb, "") != 0 && strcmp(nb, "0") != 0 &&
		    strcmp(nb, "1") != 0) {
			bad_value(o, d, "DVM_NO_BASELINE", nb,
			    "must be 0 or 1");
			free(nb);
			return -1;
		}
		c->no_baseline = strcmp(nb, "1") == 0;
		free(nb);
	}
	if (user_sudo_from_dump(c, d, o) < 0)
		return -1;
	if ((v = dump_find(d, "DVM_SECRETS")) != NULL) {
		for (i = 0; i < v->values.nr; i++) {
			if (!valid_env_name(v->values.v[i]))
				return bad_value(o, d, "DVM_SECRETS", v->values.v[i],
				    "is not the name of an environment variable");
			if (!secret_name_allowed(v->values.v[i]))
				return bad_value(o, d, "DVM_SECRETS", v->values.v[i],
				    "is needed in the environment of dvm and "
				    "limactl, so it cannot be a secret");
			strvec_push(&c->secrets, v->values.v[i]);
			/* Out of the environment before any other child. */
			secret_take(v->values.v[i]);
		}
	}
	if (egress_from_dump(c, d, o) < 0)
		return -1;
	if ((v = dump_find(d, "_dvm_use")) != NULL) {
		for (i = 0; i < v->values.nr; i++) {
			if (!valid_name(v->values.v[i])) {
				char *shown = display_path(origin_of(o, d, "_dvm_use"));

				error("%s: use '%s': invalid recipe name",
				    shown, v->values.v[i]);
				free(shown);
				return -1;
			}
			strvec_push(&c->recipes, v->values.v[i]);
		}
	}
	/* Other settings reach the guest as strings; arrays space-joined. */
	for (i = 0; i < d->nr; i++) {
		struct strbuf joined = STRBUF_INIT;
		size_t j;

		v = &d->vars[i];
		if (is_known_var(v->name))
			continue;
		warn_if_typo(origin_of(o, d, v->name), v->name);
		for (j = 0; j < v->values.nr; j++) {
			if (j)
				strbuf_addch(&joined, ' ');
			strbuf_addstr(&joined, v->values.v[j]);
		}
		strvec_pushf(&c->extra, "%s=%s", v->name, joined.buf);
		strbuf_release(&joined);
	}
	c->code_dir = xasprintf("/home/%s/code/%s", c->user, c->name);
	c->user_file = xstrdup(origin_of(o, d, "DVM_USER"));
	c->cpus_file = xstrdup(origin_of(o, d, "DVM_CPUS"));
	c->disk_file = xstrdup(origin_of(o, d, "DVM_DISK"));
	c->use_file = xstrdup(origin_of(o, d, "_dvm_use"));
	return 0;
}

static int
valid_workdir(const char *s)
{
	if (*s != '/')
		return 0;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f || ch == ':' || ch == ',')
			return 0;
	}
	return 1;
}

static int
project_from_dump(struct project *p, const struct vm_config *c,
    const struct dump *d, const char *file)
{
	struct origin o = { NULL, NULL, file };
	char *nested = NULL;
	struct var *v;
	size_t i;
	int ret = -1;

	if (scalar(&o, d, "IMAGE", &p->image) < 0 ||
	    scalar(&o, d, "NESTED", &nested) < 0 ||
	    scalar(&o, d, "PROJ_WORKDIR", &p->workdir) < 0)
		goto out;
	if (*p->image == '\0') {
		free(p->image);
		p->image = xstrdup(c->dev_base);
	} else if (!valid_image(p->image)) {
		bad_value(&o, d, "IMAGE", p->image,
		    "is not a container image reference");
		goto out;
	}
	if (strcmp(nested, "") != 0 && strcmp(nested, "0") != 0 &&
	    strcmp(nested, "1") != 0) {
		bad_value(&o, d, "NESTED", nested,
		    "must be 0 or 1");
		goto out;
	}
	p->nested = strcmp(nested, "1") == 0;
	if (!valid_workdir(p->workdir)) {
		bad_value(&o, d, "PROJ_WORKDIR", p->workdir,
		    "must be an absolute path without ':' or ','");
		goto out;
	}
	if ((v = dump_find(d, "PROJ_PORTS")) != NULL) {
		for (i = 0; i < v->values.nr; i++) {
			if (*v->values.v[i] == '\0')
				continue;
			if (!valid_port_spec(v->values.v[i])) {
				bad_value(&o, d, "PROJ_PORTS", v->values.v[i],
				    "is not a host:guest port pair with ports "
				    "from 1 to 65535");
				goto out;
			}
			strvec_push(&p->ports, v->values.v[i]);
		}
	}
	ret = 0;
out:
	free(nested);
	return ret;
}

int
config_check_safe(const char *path, const char *label, int may_be_missing)
{
	struct stat st;
	char *shown;
	int ret;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT && may_be_missing)
			return 0;
		shown = display_path(path);
		ret = error_errno("cannot inspect %s %s", label, shown);
		free(shown);
		return ret;
	}
	return check_owner_mode(&st, label, path);
}

unsigned long
config_default_cpus(void)
{
	long n = -1;

#ifdef _SC_NPROCESSORS_ONLN
	n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
	if (n <= 0)
		return 2;
	n -= n <= 4 ? 1 : 2;
	return n < 2 ? 2 : (unsigned long)n;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Subdirectories of dir that contain file, sorted. */
static size_t
list_dirs_with(const char *dir, const char *file, struct strvec *out)
{
	DIR *d;
	struct dirent *de;

	strvec_init(out);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s/%s", dir, de->d_name, file);
		if (path_exists(p))
			strvec_push(out, de->d_name);
		free(p);
	}
	closedir(d);
	if (out->nr > 1)
		qsort(out->v, out->nr, sizeof(char *), cmp_str);
	return out->nr;
}

size_t
config_list_vms(struct strvec *out)
{
	char *dir = paths_vms_dir();
	size_t n = list_dirs_with(dir, "config.sh", out);

	free(dir);
	return n;
}

size_t
config_list_projects(const char *vm, struct strvec *out)
{
	char *dir = paths_projects_dir(vm);
	size_t n = list_dirs_with(dir, "project.sh", out);

	free(dir);
	return n;
}

/* Optional file: its path when it exists, else NULL. */
static char *
existing(char *path)
{
	if (path_exists(path))
		return path;
	free(path);
	return NULL;
}

/* Owner and mode checks for everything one VM will read. */
static int
check_vm_files(struct vm_config *c, unsigned flags, struct strvec *projs)
{
	char *vms = paths_vms_dir(), *dir = paths_vm_dir(c->name);
	char *pdir = paths_projects_dir(c->name), *shown = NULL;
	size_t i;
	int ret = -1;

	if (!path_exists(c->config_path)) {
		shown = display_path(c->config_path);
		error("no config for VM '%s' at %s (run: dvm new %s)",
		    c->name, shown, c->name);
		goto out;
	}
	if (config_check_safe(vms, "VM config directory", 0) < 0 ||
	    config_check_safe(dir, "VM directory", 0) < 0 ||
	    config_check_safe(c->config_path, "VM config", 0) < 0 ||
	    (c->setup_path &&
	    config_check_safe(c->setup_path, "VM setup script", 0) < 0))
		goto out;
	if (flags & CONFIG_PROJECTS) {
		if (config_check_safe(pdir, "projects directory", 1) < 0)
			goto out;
		config_list_projects(c->name, projs);
		for (i = 0; i < projs->nr; i++) {
			char *pd = paths_project_dir(c->name, projs->v[i]);
			char *pf = xasprintf("%s/project.sh", pd);
			char *ps = xasprintf("%s/setup.sh", pd);
			int bad;

			if (!valid_name(projs->v[i])) {
				shown = display_path(pd);
				bad = error("%s: invalid project name '%s' "
				    "(lowercase letter, then a-z, 0-9, -)",
				    shown, projs->v[i]);
			} else {
				bad = config_check_safe(pd,
				    "project directory", 0) < 0 ||
				    config_check_safe(pf, "project config",
				    0) < 0 || config_check_safe(ps,
				    "project setup script", 1) < 0;
			}
			free(pd);
			free(pf);
			free(ps);
			if (bad)
				goto out;
		}
	}
	ret = 0;
out:
	free(shown);
	free(vms);
	free(dir);
	free(pdir);
	return ret;
}

static void
push_defaults(struct strvec *args)
{
	const char *vm_type = getenv("DVM_VM_TYPE");
	const char *dev_base = getenv("DVM_DEV_BASE");
	char *base = baseimg_dir();
	char *devfile = xasprintf("%s/dev/Containerfile", base);

	if (vm_type == NULL) {
#if defined(__APPLE__) && defined(__aarch64__)
		vm_type = "vz";
#else
		vm_type = "";
#endif
	}
	if (dev_base == NULL || *dev_base == '\0')
		dev_base = path_exists(devfile) ?
		    "localhost/dvm-dev-base:latest" :
		    "registry.fedoraproject.org/fedora:latest";
	strvec_push(args, "10");
	strvec_pushf(args, "DVM_CPUS=%lu", config_default_cpus());
	strvec_push(args, "DVM_MEMORY=2");
	strvec_push(args, "DVM_DISK=30");
	strvec_push(args, "DVM_USER=developer");
	strvec_push(args, "DVM_SUBUID_COUNT=65536");
	strvec_push(args, "DVM_SUBGID_COUNT=65536");
	strvec_pushf(args, "DVM_VM_TYPE=%s", vm_type);
	strvec_push(args, "DVM_NETWORK=");
	strvec_pushf(args, "DVM_DEV_BASE=%s", dev_base);
	strvec_push(args, "DVM_NO_BASELINE=0");
	free(devfile);
	free(base);
}

static void
split_nul(struct strbuf *out, struct strvec *tok)
{
	size_t i, start = 0;

	for (i = 0; i < out->len; i++) {
		if (out->buf[i] == '\0') {
			strvec_push(tok, out->buf + start);
			start = i + 1;
		}
	}
}

static int
read_project(struct reader *r, struct vm_config *c)
{
	const char *name = next_tok(r);
	struct dump d = { NULL, 0 };
	struct project *p;
	int ret = -1;

	if (name == NULL || expect_path(r) < 0)
		return name ? -1 : stopped_early(r);
	if (read_file_result(r, "D", &d) < 0)
		goto out;
	c->projects = xreallocarray(c->projects, c->nr_projects + 1,
	    sizeof(*c->projects));
	p = &c->projects[c->nr_projects++];
	memset(p, 0, sizeof(*p));
	strvec_init(&p->ports);
	p->name = xstrdup(name);
	p->dir = paths_project_dir(c->name, name);
	p->setup_path = existing(xasprintf("%s/setup.sh", p->dir));
	ret = project_from_dump(p, c, &d, r->file);
out:
	dump_release(&d);
	return ret;
}

static int
parse_output(struct reader *r, struct vm_config *vms, size_t n,
    const char *global_path)
{
	struct dump global = { NULL, 0 }, d = { NULL, 0 };
	const char *t, *gfile = NULL;
	size_t i = 0;
	int ret = -1;

	if (global_path) {
		if (expect_path(r) < 0)
			goto out;
		gfile = r->file;
	}
	if (read_file_result(r, "G", &global) < 0)
		goto out;

	while ((t = next_tok(r)) != NULL && strcmp(t, "V") == 0) {
		struct origin o;

		if (i >= n || next_tok(r) == NULL || expect_path(r) < 0) {
			stopped_early(r);
			goto out;
		}
		if (read_file_result(r, "D", &d) < 0)
			goto out;
		o.base = &global;
		o.base_file = gfile ? gfile : "the environment";
		o.file = r->file;
		if (vm_from_dump(&vms[i], &d, &o) < 0)
			goto out;
		dump_release(&d);
		while (r->pos < r->nr && strcmp(r->tok[r->pos], "P") == 0) {
			r->pos++;
			if (read_project(r, &vms[i]) < 0)
				goto out;
		}
		i++;
	}
	if (t == NULL || strcmp(t, "Z") != 0 || i != n) {
		stopped_early(r);
		goto out;
	}
	ret = 0;
out:
	dump_release(&global);
	dump_release(&d);
	return ret;
}

int
config_load(char *const *names, size_t n, unsigned flags,
    struct vm_config **out)
{
	struct proc p = PROC_INIT;
	struct strbuf output = STRBUF_INIT;
	struct strvec tok = STRVEC_INIT, *projs = NULL;
	struct vm_config *vms = xcalloc(n ? n : 1, sizeof(*vms));
	struct reader r;
	char *global = paths_global_config();
	const char *bash = getenv("DVM_BASH");
	size_t i, j;
	int status, ret = -1;

	*out = NULL;
	projs = xcalloc(n ? n : 1, sizeof(*projs));
	for (i = 0; i < n; i++) {
		strvec_init(&projs[i]);
		strvec_init(&vms[i].ports);
		strvec_init(&vms[i].recipes);
		strvec_init(&vms[i].extra);
		strvec_init(&vms[i].secrets);
		strvec_init(&vms[i].egress);
		strvec_init(&vms[i].agent_egress);
		vms[i].name = xstrdup(names[i]);
		vms[i].config_path = paths_vm_config(names[i]);
		vms[i].setup_path = existing(paths_vm_setup(names[i]));
	}
	if (config_check_safe(paths_config_dir(), "config directory", 1) < 0 ||
	    config_check_safe(global, "global config", 1) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (check_vm_files(&vms[i], flags, &projs[i]) < 0)
			goto out;
	}

	strvec_pushl(&p.args, bash && *bash ? bash : "bash", "--noprofile",
	    "--norc", "-c", host_config_sh, "dvm-config", NULL);
	push_defaults(&p.args);
	strvec_push(&p.args, path_exists(global) ? global : "");
	for (i = 0; i < n; i++) {
		strvec_push(&p.args, vms[i].name);
		strvec_push(&p.args, vms[i].config_path);
		strvec_pushf(&p.args, "%lu", (unsigned long)projs[i].nr);
		for (j = 0; j < projs[i].nr; j++) {
			char *pd = paths_project_dir(vms[i].name,
			    projs[i].v[j]);

			strvec_push(&p.args, projs[i].v[j]);
			strvec_pushf(&p.args, "%s/project.sh", pd);
			free(pd);
		}
	}
	p.in = PROC_NULL;
	status = proc_capture(&p, &output);
	if (status < 0)
		goto out;
	split_nul(&output, &tok);
	r.tok = tok.v;
	r.nr = tok.nr;
	r.pos = 0;
	r.file = NULL;
	if (parse_output(&r, vms, n, path_exists(global) ? global : NULL) < 0)
		goto out;
	if (status != 0) {
		error("bash exited with status %d while reading the config",
		    status);
		goto out;
	}
	*out = vms;
	vms = NULL;
	ret = 0;
out:
	if (vms)
		config_free(vms, n);
	for (i = 0; i < n; i++)
		strvec_clear(&projs[i]);
	free(projs);
	strvec_clear(&tok);
	strbuf_release(&output);
	free(global);
	return ret;
}

void
vm_config_release(struct vm_config *c)
{
	size_t j;

	free(c->name);
	free(c->config_path);
	free(c->setup_path);
	free(c->cpus);
	free(c->memory);
	free(c->disk);
	free(c->user);
	free(c->user_file);
	free(c->cpus_file);
	free(c->disk_file);
	free(c->use_file);
	free(c->subuid_count);
	free(c->subgid_count);
	free(c->vm_type);
	free(c->network);
	free(c->dev_base);
	free(c->code_dir);
	strvec_clear(&c->ports);
	strvec_clear(&c->recipes);
	strvec_clear(&c->extra);
	strvec_clear(&c->secrets);
	strvec_clear(&c->egress);
	strvec_clear(&c->agent_egress);
	for (j = 0; j < c->nr_projects; j++) {
		struct project *p = &c->projects[j];

		free(p->name);
		free(p->dir);
		free(p->setup_path);
		free(p->image);
		free(p->workdir);
		strvec_clear(&p->ports);
	}
	free(c->projects);
	memset(c, 0, sizeof(*c));
}

void
config_free(struct vm_config *vms, size_t n)
{
	size_t i;

	if (vms == NULL)
		return;
	for (i = 0; i < n; i++)
		vm_config_release(&vms[i]);
	free(vms);
}

void
config_warn_legacy(void)
{
	char *path = xasprintf("%s/setup.sh", paths_config_dir()), *shown;

	if (path_exists(path)) {
		shown = display_path(path);
		warning("%s is no longer run (DVM 2's global setup script): "
		    "put shared tools in the base image (dvm base init) or a "
		    "recipe, and each VM's own steps in its setup.sh", shown);
		free(shown);
	}
	free(path);
}
