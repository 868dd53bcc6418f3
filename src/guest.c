/*
 * Guest script fragments and the framing that turns a list of steps into
 * one script with step markers.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "guest.h"
#include "paths.h"
#include "podman.h"
#include "quote.h"
#include "strbuf.h"
#include "util.h"

/*
 * Groups that are as good as root on Fedora (and the Debian family's
 * names for the same), for the bootstrap's warning: wheel, sudo and
 * admin are sudo's admin groups; docker can start a privileged
 * container; disk and kmem read and write raw disks and memory; libvirt
 * and lxd run VMs and containers with host devices; root is gid 0. adm
 * and systemd-journal only read logs, so they are not here.
 */
#define ROOT_GROUPS "wheel|sudo|admin|root|docker|disk|kmem|libvirt|lxd"

/*
 * Bootstrap, run as Lima's default user (passwordless sudo). Reads only
 * the exported DVM_* variables; no value is spliced into this text.
 *
 * Its first act repeats the host's check (devuser.h) where the answer is
 * sure: DVM_USER must not be this login user, unless DVM_USER_SUDO=1,
 * and an existing DVM_USER must not be a system account (uid below
 * 1000; the login user itself, accepted with DVM_USER_SUDO=1, has the
 * host's uid, 501 on most Macs). Its last act looks for root the user
 * was given by hand and warns once (docs/security.md).
 */
static const char bootstrap[] =
	"u=$DVM_USER\n"
	"alt=developer\n"
	"[ \"$u\" != developer ] || alt=dev\n"
	"if [ \"$(id -un)\" = \"$u\" ]; then\n"
	"	if [ \"${DVM_USER_SUDO:-0}\" != 1 ]; then\n"
	"		echo \"dvm guest: DVM_USER=$u is Lima's login user in this VM,\" \\\n"
	"		    \"which has passwordless root; set DVM_USER=$alt, or\" \\\n"
	"		    \"DVM_USER_SUDO=1 to accept a dev user with root\" >&2\n"
	"		exit 1\n"
	"	fi\n"
	"elif uid=$(id -u \"$u\" 2>/dev/null) && [ \"$uid\" -lt 1000 ]; then\n"
	"	echo \"dvm guest: DVM_USER=$u is a system account in this VM\" \\\n"
	"	    \"(uid $uid, below 1000); set DVM_USER=$alt\" >&2\n"
	"	exit 1\n"
	"fi\n"
	"if ! id -u \"$u\" >/dev/null 2>&1; then\n"
	"	# useradd lives in sbin, which only root's PATH is sure to hold.\n"
	"	if ! sudo sh -c 'command -v useradd' >/dev/null 2>&1; then\n"
	"		echo \"dvm guest: useradd is missing, cannot create $u\" >&2\n"
	"		exit 1\n"
	"	fi\n"
	"	sudo useradd --create-home --shell /bin/bash \"$u\"\n"
	"fi\n"
	"# Subordinate ids for rootless podman: append a range after the\n"
	"# highest one in use, unless the user already has one.\n"
	"add_range() {\n"
	"	[ \"$3\" -gt 0 ] || return 0\n"
	"	if awk -F: -v u=\"$u\" '$1 == u { f = 1 } END { exit !f }' \\\n"
	"	    \"$1\" 2>/dev/null; then\n"
	"		return 0\n"
	"	fi\n"
	"	first=$(awk -F: 'BEGIN { top = 99999 }\n"
	"	    $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $2 + $3 - 1 > top {\n"
	"	    top = $2 + $3 - 1 } END { print top + 1 }' \"$1\" \\\n"
	"	    2>/dev/null || echo 100000)\n"
	"	sudo usermod \"$2\" \"$first-$((first + $3 - 1))\" \"$u\"\n"
	"}\n"
	"add_range /etc/subuid --add-subuids \"$DVM_SUBUID_COUNT\"\n"
	"add_range /etc/subgid --add-subgids \"$DVM_SUBGID_COUNT\"\n"
	"home=$(getent passwd \"$u\" | cut -d: -f6)\n"
	"if [ -z \"$home\" ]; then\n"
	"	echo \"dvm guest: user $u has no passwd entry\" >&2\n"
	"	exit 1\n"
	"fi\n"
	"group=$(id -gn \"$u\")\n"
	"# Only what is missing: install -d would reset the modes (and the\n"
	"# ACLs the agent sandbox adds) of directories that exist.\n"
	"for d in \"$home\" \"/home/$u/code\" \"$DVM_CODE_DIR\"; do\n"
	"	[ -d \"$d\" ] || sudo install -d -o \"$u\" -g \"$group\" \"$d\"\n"
	"done\n"
	"[ \"${DVM_USER_SUDO:-0}\" != 1 ] || exit 0\n"
	"# dvm gives DVM_USER no root: sudo rules other than the agent-user\n"
	"# recipe's (run the sandbox helper as dvm-agent) and root-equivalent\n"
	"# groups were given by hand.\n"
	"rules=$(LC_ALL=C sudo -n -l -U \"$u\" 2>/dev/null | awk '\n"
	"    /may run the following commands/ { f = 1; next }\n"
	"    f && /^    \\(/ && !/^    \\(dvm-agent\\) / {\n"
	"	sub(/^ +/, \"\"); printf \"%s%s\", n++ ? \"; \" : \"\", $0 }') ||\n"
	"    rules=\n"
	"groups=$(id -nG \"$u\" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++)\n"
	"    if ($i ~ /^(" ROOT_GROUPS ")$/)\n"
	"	printf \"%s%s\", n++ ? \" \" : \"\", $i }') || groups=\n"
	"if [ -n \"$rules$groups\" ]; then\n"
	"	what=${rules:+sudo: $rules}\n"
	"	[ -z \"$groups\" ] || what=\"$what${what:+; }groups: $groups\"\n"
	"	dvm_warn_host \"DVM_USER=$u has root that dvm did not give it\" \\\n"
	"	    \"($what); take it away in the VM, or set DVM_USER_SUDO=1\" \\\n"
	"	    \"to accept a dev user with root\"\n"
	"fi\n";

/*
 * Run the script that arrives on stdin with bash -Eeu -o pipefail, from
 * a private temp file, so that its own stdin is /dev/null and nothing it
 * runs can swallow the rest of the script. The file goes on any exit.
 */
static const char run_fed[] =
	"f=$(mktemp) || exit 1; trap 'rm -f \"$f\"' EXIT; "
	"cat >\"$f\" && bash -Eeu -o pipefail \"$f\" </dev/null";

/*
 * Podman for DVM_USER: linger and a runtime dir so rootless podman works
 * without a login session, podman-restart so --restart=always containers
 * come back after a reboot. The last two are best effort: a guest
 * without systemd has neither.
 */
static const char podman_prep[] =
	"if ! command -v podman >/dev/null 2>&1; then\n"
	"	sudo dnf5 install -y podman\n"
	"fi\n"
	"uid=$(id -u \"$DVM_USER\")\n"
	"sudo loginctl enable-linger \"$DVM_USER\" >/dev/null 2>&1 || true\n"
	"if [ ! -d \"/run/user/$uid\" ]; then\n"
	"	sudo install -d -m 0700 -o \"$DVM_USER\" \\\n"
	"	    -g \"$(id -gn \"$DVM_USER\")\" \"/run/user/$uid\"\n"
	"fi\n"
	"dvm_as_dev systemctl --user enable podman-restart.service \\\n"
	"    >/dev/null 2>&1 || true\n";

/* Helpers every script may use; the steps run in subshells of this. */
static const char prelude[] =
	"dvm_as_dev() {\n"
	"	sudo -u \"$DVM_USER\" -H env \\\n"
	"	    XDG_RUNTIME_DIR=\"/run/user/$(id -u \"$DVM_USER\")\" \"$@\"\n"
	"}\n"
	PODMAN_HAS_CONTAINER("dvm_as_dev ");

static void
add_step(struct guest_script *gs, const char *id, const char *label,
    enum log_kind log, char *fragment, char *feed, char *summary)
{
	struct guest_step *s;

	gs->steps = xreallocarray(gs->steps, gs->nr + 1, sizeof(*gs->steps));
	s = &gs->steps[gs->nr++];
	s->id = xstrdup(id);
	s->label = xstrdup(label);
	s->log = log;
	s->fragment = fragment;
	s->feed = feed;
	s->summary = summary;
	s->keep_going = 0;
	s->result_word = NULL;
	s->result_label = NULL;
	s->quiet = 0;
}

void
guest_step_result(struct guest_script *gs, const char *word,
    const char *label, int quiet)
{
	struct guest_step *s = &gs->steps[gs->nr - 1];

	free(s->result_word);
	free(s->result_label);
	s->result_word = xstrdup(word);
	s->result_label = xstrdup(label);
	s->quiet = quiet;
}

void
guest_add_fragment(struct guest_script *gs, const char *id,
    const char *label, enum log_kind log, const char *fragment,
    const char *summary)
{
	add_step(gs, id, label, log, xstrdup(fragment), NULL,
	    xstrdup(summary));
}

void
guest_add_fed(struct guest_script *gs, const char *id, const char *label,
    enum log_kind log, const char *fragment, const char *feed,
    const char *summary)
{
	add_step(gs, id, label, log, xstrdup(fragment), xstrdup(feed),
	    xstrdup(summary));
}

void
guest_add_script(struct guest_script *gs, const char *id, const char *label,
    enum log_kind log, const char *text, const char *summary)
{
	struct strbuf frag = STRBUF_INIT;

	strbuf_addstr(&frag, "bash -c ");
	sq_quote_buf(&frag, run_fed);
	strbuf_addstr(&frag, " dvm-script " FEED_MARK);
	add_step(gs, id, label, log, strbuf_detach(&frag), xstrdup(text),
	    xstrdup(summary));
}

int
guest_add_user_script(struct guest_script *gs, const char *id,
    const char *label, enum log_kind log, const char *path)
{
	char *text = read_file(path, NULL), *shown, *summary;

	shown = display_path(path);
	if (text == NULL) {
		error_errno("cannot read %s", shown);
		free(shown);
		return -1;
	}
	summary = xasprintf("run %s", shown);
	guest_add_script(gs, id, label, log, text, summary);
	free(summary);
	free(text);
	free(shown);
	return 0;
}

/* Append "dvm_as_dev <quoted argv>" to a fragment. */
static void
add_as_dev(struct strbuf *frag, struct strvec *av)
{
	strbuf_addstr(frag, "dvm_as_dev ");
	sq_quote_argv(frag, av->v);
	strvec_clear(av);
}

void
guest_add_podman_prep(struct guest_script *gs)
{
	add_step(gs, "podman", "preparing rootless podman", LOG_SETUP,
	    xstrdup(podman_prep), NULL, xstrdup("podman: installed, linger, "
	    "runtime dir, podman-restart.service for DVM_USER"));
}

void
guest_add_devbase(struct guest_script *gs, const char *hash,
    const char *tar_b64, int rebuild)
{
	struct strbuf frag = STRBUF_INIT;
	struct strvec av = STRVEC_INIT;

	strbuf_addstr(&frag, "want=");
	sq_quote_buf(&frag, hash);
	strbuf_addf(&frag, "\nrebuild=%d\nhave=$(", rebuild ? 1 : 0);
	strvec_pushl(&av, "podman", "image", "inspect", "--format",
	    "{{ index .Labels \"" DEVBASE_LABEL "\" }}", DEVBASE_IMAGE, NULL);
	add_as_dev(&frag, &av);
	strbuf_addstr(&frag, " 2>/dev/null || true)\n"
	    "if [ \"$have\" = \"$want\" ] && "
	    "[ \"$rebuild\" = 0 ]; then\n"
	    "	echo \"dev-base up to date ($want)\"\n"
	    "else\n"
	    "	echo \"building dev-base ($want)\"\n"
	    "	ctx=$(dvm_as_dev mktemp -d)\n"
	    "	trap 'dvm_as_dev rm -rf \"$ctx\"' EXIT\n"
	    "	dvm_as_dev sh -c 'base64 -d | tar -x -C \"$1\"' sh \"$ctx\" "
	    FEED_MARK "\n"
	    "	dvm_as_dev podman build --label \"" DEVBASE_LABEL "=$want\" "
	    "-t " DEVBASE_IMAGE " \\\n"
	    "	    -f \"$ctx/Containerfile\" \"$ctx\"\n"
	    "fi");
	add_step(gs, "devbase", "ensuring dev-base image", LOG_SETUP,
	    strbuf_detach(&frag), xstrdup(tar_b64),
	    xasprintf("dev-base: build " DEVBASE_IMAGE " unless its label "
	    "is %.12s…", hash));
}

int
guest_add_project(struct guest_script *gs, const char *vm,
    const struct project *p)
{
	struct strbuf frag = STRBUF_INIT;
	struct strvec av = STRVEC_INIT, cmd = STRVEC_INIT;
	char *text = NULL, *id, *label;

	if (p->setup_path && (text = read_file(p->setup_path, NULL)) == NULL) {
		char *shown = display_path(p->setup_path);

		error_errno("cannot read %s", shown);
		free(shown);
		return -1;
	}
	strbuf_addstr(&frag, "dvm_has_container ");
	sq_quote_buf(&frag, p->name);
	strbuf_addstr(&frag, " || ");
	podman_create_argv(&av, vm, p);
	add_as_dev(&frag, &av);
	strbuf_addstr(&frag, " >/dev/null\n");
	podman_start_argv(&av, p->name);
	add_as_dev(&frag, &av);
	strbuf_addstr(&frag, " >/dev/null\n");
	if (text) {
		strvec_pushl(&cmd, "bash", "-c", run_fed, "dvm-setup", NULL);
		podman_exec_argv(&av, vm, p, 0, cmd.v);
		strvec_clear(&cmd);
		add_as_dev(&frag, &av);
		strbuf_addstr(&frag, " " FEED_MARK);
	}
	id = xasprintf("project:%s", p->name);
	label = xasprintf("project %s (%s)", p->name, p->image);
	add_step(gs, id, label, LOG_SETUP, strbuf_detach(&frag), text,
	    xasprintf("project %s: container %s from %s, volume dvm-%s-%s at "
	    "%s%s", p->name, p->name, p->image, vm, p->name, p->workdir,
	    text ? ", then its setup.sh" : ""));
	gs->steps[gs->nr - 1].keep_going = 1;
	free(id);
	free(label);
	return 0;
}

void
guest_add_project_removal(struct guest_script *gs, const char *vm,
    const struct project *p, int keep_data)
{
	struct strbuf frag = STRBUF_INIT;
	struct strvec av = STRVEC_INIT;
	char *id = xasprintf("remove:%s", p->name);
	char *label = xasprintf("removing container %s%s", p->name,
	    keep_data ? " (keeping its volume)" : " and its volume");

	/* Only a container of exactly that name: never an ID prefix. */
	strbuf_addstr(&frag, "if dvm_has_container ");
	sq_quote_buf(&frag, p->name);
	strbuf_addstr(&frag, "; then\n\t");
	podman_rm_argv(&av, p->name);
	add_as_dev(&frag, &av);
	strbuf_addstr(&frag, " >/dev/null\nfi\n");
	if (!keep_data) {
		strbuf_addstr(&frag, "if ");
		podman_volume_exists_argv(&av, vm, p->name);
		add_as_dev(&frag, &av);
		strbuf_addstr(&frag, "; then\n\t");
		podman_volume_rm_argv(&av, vm, p->name);
		add_as_dev(&frag, &av);
		strbuf_addstr(&frag, " >/dev/null\nfi\n");
	}
	add_step(gs, id, label, LOG_SETUP, strbuf_detach(&frag), NULL,
	    xasprintf("remove container %s%s", p->name, keep_data ? "" :
	    " and volume"));
	free(id);
	free(label);
}

void
guest_add_bootstrap(struct guest_script *gs, const struct vm_config *c)
{
	char *label = xasprintf("ensuring user \"%s\" and %s", c->user,
	    c->code_dir);
	char *summary = xasprintf("bootstrap: user %s with subuid/subgid "
	    "ranges (%s/%s), code dir %s", c->user, c->subuid_count,
	    c->subgid_count, c->code_dir);

	add_step(gs, "bootstrap", label, LOG_LIMA, xstrdup(bootstrap), NULL,
	    summary);
	free(label);
}

void
guest_script_release(struct guest_script *gs)
{
	size_t i;

	for (i = 0; i < gs->nr; i++) {
		free(gs->steps[i].id);
		free(gs->steps[i].label);
		free(gs->steps[i].fragment);
		free(gs->steps[i].feed);
		free(gs->steps[i].summary);
		free(gs->steps[i].result_word);
		free(gs->steps[i].result_label);
	}
	free(gs->steps);
	gs->steps = NULL;
	gs->nr = 0;
	strvec_clear(&gs->secrets);
}

void
guest_nonce(char *nonce)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[GUEST_NONCE_LEN / 2];
	size_t i, got = 0;
	int fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		while (got < sizeof(raw)) {
			ssize_t n = read(fd, raw + got, sizeof(raw) - got);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fd);
	}
	if (got < sizeof(raw)) {
		/* No /dev/urandom: weaker, but still unlikely to collide. */
		unsigned long seed = (unsigned long)time(NULL) ^
		    ((unsigned long)getpid() << 16);

		for (i = 0; i < sizeof(raw); i++) {
			seed = seed * 1103515245UL + 12345UL;
			raw[i] = (unsigned char)(seed >> 16);
		}
	}
	for (i = 0; i < sizeof(raw); i++) {
		nonce[2 * i] = hex[raw[i] >> 4];
		nonce[2 * i + 1] = hex[raw[i] & 15];
	}
	nonce[GUEST_NONCE_LEN] = '\0';
}

static void
add_export(struct strbuf *out, const char *name, const char *value)
{
	strbuf_addf(out, " %s=", name);
	sq_quote_buf(out, value);
}

static void
add_export_line(struct strbuf *out, const struct vm_config *c)
{
	struct strbuf ports = STRBUF_INIT;
	char *inst = xasprintf("dvm-%s", c->name);
	size_t i;

	for (i = 0; i < c->ports.nr; i++) {
		if (i)
			strbuf_addch(&ports, ',');
		strbuf_addstr(&ports, c->ports.v[i]);
	}
	strbuf_addstr(out, "export");
	add_export(out, "DVM_NAME", c->name);
	add_export(out, "DVM_VM", c->name);
	add_export(out, "DVM_LIMA_NAME", inst);
	add_export(out, "DVM_USER", c->user);
	add_export(out, "DVM_CODE_DIR", c->code_dir);
	add_export(out, "DVM_PORTS", ports.buf);
	add_export(out, "DVM_SUBUID_COUNT", c->subuid_count);
	add_export(out, "DVM_SUBGID_COUNT", c->subgid_count);
	add_export(out, "DVM_USER_SUDO", c->user_sudo ? "1" : "0");
	for (i = 0; i < c->extra.nr; i++) {
		const char *eq = strchr(c->extra.v[i], '=');
		char *name = xstrndup(c->extra.v[i],
		    (size_t)(eq - c->extra.v[i]));

		add_export(out, name, eq + 1);
		free(name);
	}
	strbuf_addch(out, '\n');
	strbuf_release(&ports);
	free(inst);
}

/* 1 if text has a line that is exactly delim. */
static int
has_line(const char *text, const char *delim)
{
	size_t n = strlen(delim);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, delim, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static void
add_marker(struct strbuf *out, const char *nonce, const char *what,
    const char *id, int with_status)
{
	strbuf_addstr(out, "printf '\\n@dvm:%s:%s:%s");
	strbuf_addstr(out, with_status ? ":%s\\n' " : "\\n' ");
	sq_quote_buf(out, nonce);
	strbuf_addch(out, ' ');
	sq_quote_buf(out, what);
	strbuf_addch(out, ' ');
	sq_quote_buf(out, id);
	if (with_status)
		strbuf_addstr(out, " \"$dvm_rc\"");
	strbuf_addch(out, '\n');
}

/* Stage secrets as files; their values appear nowhere but here. */
static void
add_secrets(struct strbuf *out, const struct strvec *secrets)
{
	size_t i;

	if (secrets->nr == 0)
		return;
	strbuf_addstr(out, "dvm_secret_dir=$(mktemp -d) || exit 1\n"
	    "trap 'rm -rf \"$dvm_secret_dir\"' EXIT\n");
	for (i = 0; i < secrets->nr; i++) {
		const char *eq = strchr(secrets->v[i], '=');
		char *name = xstrndup(secrets->v[i],
		    (size_t)(eq - secrets->v[i]));

		strbuf_addstr(out, "(umask 077 && printf '%s' ");
		sq_quote_buf(out, eq + 1);
		strbuf_addf(out, " >\"$dvm_secret_dir/%s\") || exit 1\n"
		    "export DVM_SECRET_FILE_%s=\"$dvm_secret_dir/%s\"\n", name,
		    name, name);
		free(name);
	}
}

/*
 * A fragment whose FEED_MARK line takes the feed as a quoted heredoc.
 * The delimiter holds the nonce, and a feed containing it is refused.
 */
static int
add_fed(struct strbuf *out, const struct guest_step *s, const char *delim)
{
	const char *mark = strstr(s->fragment, FEED_MARK);
	const char *rest;

	if (mark == NULL || has_line(s->feed, delim))
		return -1;
	rest = mark + strlen(FEED_MARK);
	strbuf_add(out, s->fragment, (size_t)(mark - s->fragment));
	strbuf_addf(out, "<<'%s'", delim);
	while (*rest && *rest != '\n')
		strbuf_addch(out, *rest++);
	strbuf_addch(out, '\n');
	strbuf_addstr(out, s->feed);
	if (s->feed[0] && s->feed[strlen(s->feed) - 1] != '\n')
		strbuf_addch(out, '\n');
	strbuf_addf(out, "%s\n", delim);
	if (*rest == '\n')
		rest++;
	strbuf_addstr(out, rest);
	if (*rest && rest[strlen(rest) - 1] != '\n')
		strbuf_addch(out, '\n');
	return 0;
}

int
guest_build(struct strbuf *out, const struct guest_script *gs,
    const struct vm_config *c, const char *nonce)
{
	char *delim = xasprintf("DVM_SCRIPT_%s", nonce);
	size_t i;
	int ret = -1;

	strbuf_addstr(out, "exec 2>&1\n");
	add_export_line(out, c);
	strbuf_addstr(out, prelude);
	/* For dvm's own fragments: the children of a step do not see it. */
	strbuf_addstr(out, "dvm_result() { printf '\\n@dvm:%s:result:%s\\n' ");
	sq_quote_buf(out, nonce);
	strbuf_addstr(out, " \"$1\"; }\n");
	/* A warning for the terminal, on one line (guest.h). */
	strbuf_addstr(out, "dvm_warn_host() {\n"
	    "\tprintf '\\n@dvm:%s:warn:%s\\n' ");
	sq_quote_buf(out, nonce);
	strbuf_addstr(out, " \"$(printf '%s' \"$*\" | tr '\\r\\n' '  ')\"\n}\n");
	add_secrets(out, &gs->secrets);
	strbuf_addstr(out, "dvm_failed=0\n");
	for (i = 0; i < gs->nr; i++) {
		const struct guest_step *s = &gs->steps[i];

		add_marker(out, nonce, "begin", s->id, 0);
		strbuf_addstr(out, "(\nset -Eeuo pipefail\n");
		if (s->feed) {
			if (add_fed(out, s, delim) < 0)
				goto out;
		} else {
			strbuf_addstr(out, s->fragment);
			strbuf_addch(out, '\n');
		}
		strbuf_addstr(out, ") </dev/null\n");
		strbuf_addstr(out, "dvm_rc=$?\n");
		add_marker(out, nonce, "end", s->id, 1);
		if (s->keep_going)
			strbuf_addstr(out, "[ \"$dvm_rc\" -eq 0 ] || "
			    "dvm_failed=1\n");
		else
			strbuf_addstr(out, "[ \"$dvm_rc\" -eq 0 ] || "
			    "exit \"$dvm_rc\"\n");
	}
	strbuf_addstr(out, "exit \"$dvm_failed\"\n");
	ret = 0;
out:
	free(delim);
	return ret;
}

int
guest_parse_result(const char *line, const char *nonce, const char **word,
    size_t *len)
{
	size_t n = strlen(nonce), i;
	const char *p;

	if (strncmp(line, "@dvm:", 5) != 0 || strncmp(line + 5, nonce, n) != 0
	    || strncmp(line + 5 + n, ":result:", 8) != 0)
		return 0;
	p = line + 13 + n;
	for (i = 0; p[i]; i++) {
		if (p[i] < 'a' || p[i] > 'z' || i == GUEST_RESULT_MAX)
			return 0;
	}
	if (i == 0)
		return 0;
	*word = p;
	*len = i;
	return 1;
}

enum marker_kind
guest_parse_marker(const char *line, const char *nonce, const char **id,
    size_t *idlen, int *status)
{
	size_t n = strlen(nonce);
	const char *p, *colon;
	enum marker_kind kind;
	int st = 0;

	if (strncmp(line, "@dvm:", 5) != 0 || strncmp(line + 5, nonce, n) != 0
	    || line[5 + n] != ':')
		return MARKER_NONE;
	p = line + 6 + n;
	if (strncmp(p, "begin:", 6) == 0) {
		kind = MARKER_BEGIN;
		p += 6;
	} else if (strncmp(p, "end:", 4) == 0) {
		kind = MARKER_END;
		p += 4;
	} else if (strncmp(p, "warn:", 5) == 0) {
		kind = MARKER_WARN;
		p += 5;
	} else {
		return MARKER_NONE;
	}
	if (*p == '\0')
		return MARKER_NONE;
	if (kind == MARKER_BEGIN || kind == MARKER_WARN) {
		*id = p;
		*idlen = strlen(p);
		return kind;
	}
	if ((colon = strrchr(p, ':')) == NULL || colon == p ||
	    colon[1] == '\0')
		return MARKER_NONE;
	/* A shell's $? is 0 to 255: anything else is not our marker. */
	for (const char *q = colon + 1; *q; q++) {
		if (*q < '0' || *q > '9')
			return MARKER_NONE;
		st = st * 10 + (*q - '0');
		if (st > 255)
			return MARKER_NONE;
	}
	*id = p;
	*idlen = (size_t)(colon - p);
	*status = st;
	return kind;
}
