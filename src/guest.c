/*
 * The assembler of the guest script: steps (plain data, chosen by the
 * plan builders) framed with markers into one script, and the parsing
 * of those markers. The only shell text here is that framing.
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
#include "quote.h"
#include "scripts.h"
#include "strbuf.h"
#include "util.h"

struct guest_step *
guest_add_step(struct guest_script *gs, const char *id, const char *label,
    enum log_kind log, const char *body, struct strvec *args,
    const char *feed, const char *summary)
{
	struct guest_step *s;

	gs->steps = xreallocarray(gs->steps, gs->nr + 1, sizeof(*gs->steps));
	s = &gs->steps[gs->nr++];
	memset(s, 0, sizeof(*s));
	s->id = xstrdup(id);
	s->label = xstrdup(label);
	s->log = log;
	s->body = body;
	if (args) {
		s->args = *args;
		strvec_init(args);
	} else {
		strvec_init(&s->args);
	}
	s->feed = feed ? xstrdup(feed) : NULL;
	s->summary = xstrdup(summary);
	return s;
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
guest_script_release(struct guest_script *gs)
{
	size_t i;

	for (i = 0; i < gs->nr; i++) {
		free(gs->steps[i].id);
		free(gs->steps[i].label);
		strvec_clear(&gs->steps[i].args);
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

/* Append text, ending it with a newline when it has none. */
static void
add_text(struct strbuf *out, const char *text)
{
	strbuf_addstr(out, text);
	if (*text && text[strlen(text) - 1] != '\n')
		strbuf_addch(out, '\n');
}

/* "set -- arg...", every word through the quoting function. */
static void
add_set_line(struct strbuf *out, char *const *args)
{
	strbuf_addstr(out, "set -- ");
	sq_quote_argv(out, args);
	strbuf_addch(out, '\n');
}

/*
 * Secrets, staged at the top level so that the files and exports last
 * for every step; their values appear nowhere else in the script, and
 * not at all when it is only shown.
 */
static void
add_secrets(struct strbuf *out, const struct strvec *secrets, int shown)
{
	struct strvec args = STRVEC_INIT;
	size_t i;

	if (secrets->nr == 0)
		return;
	for (i = 0; i < secrets->nr; i++) {
		const char *eq = strchr(secrets->v[i], '=');
		char *name = xstrndup(secrets->v[i],
		    (size_t)(eq - secrets->v[i]));

		strvec_push(&args, name);
		if (shown)
			strvec_pushf(&args, "<secret %s>", name);
		else
			strvec_push(&args, eq + 1);
		free(name);
	}
	add_set_line(out, args.v);
	add_text(out, guest_secrets_sh);
	strvec_clear(&args);
}

/*
 * One step in its subshell. Its feed is a quoted heredoc whose delimiter
 * holds the nonce; a feed with that line is refused (-1), unless the
 * script is only shown.
 */
static int
add_step(struct strbuf *out, const struct guest_step *s, const char *nonce,
    const char *delim, int shown)
{
	if (s->feed && !shown && has_line(s->feed, delim))
		return -1;
	add_marker(out, nonce, "begin", s->id, 0);
	strbuf_addstr(out, "(\nset -Eeuo pipefail\n");
	if (s->args.nr)
		add_set_line(out, s->args.v);
	add_text(out, s->body);
	if (s->feed) {
		strbuf_addf(out, ") <<'%s'\n", delim);
		add_text(out, s->feed);
		strbuf_addf(out, "%s\n", delim);
	} else {
		strbuf_addstr(out, ") </dev/null\n");
	}
	strbuf_addstr(out, "dvm_rc=$?\n");
	add_marker(out, nonce, "end", s->id, 1);
	if (s->keep_going)
		strbuf_addstr(out, "[ \"$dvm_rc\" -eq 0 ] || dvm_failed=1\n");
	else
		strbuf_addstr(out, "[ \"$dvm_rc\" -eq 0 ] || "
		    "exit \"$dvm_rc\"\n");
	return 0;
}

static int
build(struct strbuf *out, const struct guest_script *gs,
    const struct vm_config *c, const char *nonce, int shown)
{
	char *delim = xasprintf("DVM_SCRIPT_%s", nonce);
	size_t i;
	int ret = -1;

	strbuf_addstr(out, "exec 2>&1\n");
	add_export_line(out, c);
	strbuf_addstr(out, "dvm_nonce=");
	sq_quote_buf(out, nonce);
	strbuf_addch(out, '\n');
	add_text(out, guest_prelude_sh);
	add_secrets(out, &gs->secrets, shown);
	strbuf_addstr(out, "dvm_failed=0\n");
	for (i = 0; i < gs->nr; i++) {
		if (add_step(out, &gs->steps[i], nonce, delim, shown) < 0)
			goto out;
	}
	strbuf_addstr(out, "exit \"$dvm_failed\"\n");
	ret = 0;
out:
	free(delim);
	return ret;
}

int
guest_build(struct strbuf *out, const struct guest_script *gs,
    const struct vm_config *c, const char *nonce)
{
	return build(out, gs, c, nonce, 0);
}

void
guest_show(struct strbuf *out, const struct guest_script *gs,
    const struct vm_config *c)
{
	build(out, gs, c, GUEST_SHOWN_NONCE, 1);
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
