/*
 * test_guest.c: unit tests of guest.c: step markers and results, the
 * nonce, and guest scripts as built and as run by a real bash.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "guest.h"
#include "scripts.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

static const char test_nonce[] = "0123456789abcdef0123456789abcdef";

static void
check_marker(const char *line, enum marker_kind want, const char *want_id,
    int want_status)
{
	const char *id = NULL;
	size_t idlen = 0;
	int status = -7;
	enum marker_kind k = guest_parse_marker(line, test_nonce, &id, &idlen,
	    &status);

	if (want == MARKER_NONE) {
		IS_INT(k, MARKER_NONE, "guest: marker \"%s\" is NONE", line);
		return;
	}
	IS_INT(k, want, "guest: marker \"%s\" is %s", line,
	    want == MARKER_BEGIN ? "BEGIN" : want == MARKER_END ? "END" :
	    "WARN");
	if (k != want)
		return;
	OK(id != NULL && id >= line && id < line + strlen(line) &&
	    idlen == strlen(want_id) && strncmp(id, want_id, idlen) == 0,
	    "guest: marker \"%s\" has id %s (pointing into the line)", line,
	    want_id);
	if (want == MARKER_END)
		IS_INT(status, want_status, "guest: marker \"%s\" has status %d",
		    line, want_status);
}

static void
test_guest_markers(void)
{
	char line[256];
	const char *id = NULL;
	size_t idlen = 0;
	int status = 0;
	enum marker_kind k;

#define M(s) "@dvm:0123456789abcdef0123456789abcdef:" s
	check_marker(M("begin:bootstrap"), MARKER_BEGIN, "bootstrap", 0);
	check_marker(M("begin:project:app"), MARKER_BEGIN, "project:app", 0);
	check_marker(M("end:bootstrap:0"), MARKER_END, "bootstrap", 0);
	check_marker(M("end:setup:3"), MARKER_END, "setup", 3);
	check_marker(M("end:project:app:17"), MARKER_END, "project:app", 17);
	check_marker(M("end:x:255"), MARKER_END, "x", 255);
	check_marker(M("end:x:256"), MARKER_NONE, NULL, 0);
	check_marker(M("end:x:1000009"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap:"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap:abc"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap:-1"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap:1x"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap:0 extra"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap:0:"), MARKER_NONE, NULL, 0);
	check_marker(M("end:bootstrap:99999999999999999999"), MARKER_NONE,
	    NULL, 0);
	check_marker(M("end::0"), MARKER_NONE, NULL, 0);
	check_marker(M("end:"), MARKER_NONE, NULL, 0);
	check_marker(M("begin:"), MARKER_NONE, NULL, 0);
	check_marker(M("middle:x"), MARKER_NONE, NULL, 0);
	check_marker(M("warn:DVM_USER=dev has root: a:b"), MARKER_WARN,
	    "DVM_USER=dev has root: a:b", 0);
	check_marker(M("warn: "), MARKER_WARN, " ", 0);
	check_marker(M("warn:"), MARKER_NONE, NULL, 0);
	check_marker(M("warning:x"), MARKER_NONE, NULL, 0);
	check_marker("@dvm:fedcba9876543210fedcba9876543210:warn:x",
	    MARKER_NONE, NULL, 0);
	check_marker(M(""), MARKER_NONE, NULL, 0);
	check_marker("@dvm:0123456789abcdef0123456789abcdef", MARKER_NONE,
	    NULL, 0);
	check_marker("@dvm:fedcba9876543210fedcba9876543210:begin:x",
	    MARKER_NONE, NULL, 0);
	check_marker("@dvm:0123456789abcdef0123456789abcde:begin:x",
	    MARKER_NONE, NULL, 0);
	check_marker("@dvm:0123456789abcdef0123456789abcdef0:begin:x",
	    MARKER_NONE, NULL, 0);
	check_marker("@dvm::begin:x", MARKER_NONE, NULL, 0);
	check_marker("x @dvm:0123456789abcdef0123456789abcdef:begin:x",
	    MARKER_NONE, NULL, 0);
	check_marker("output@dvm:0123456789abcdef0123456789abcdef:end:x:0",
	    MARKER_NONE, NULL, 0);
	check_marker(" @dvm:0123456789abcdef0123456789abcdef:begin:x",
	    MARKER_NONE, NULL, 0);
	check_marker("@DVM:0123456789abcdef0123456789abcdef:begin:x",
	    MARKER_NONE, NULL, 0);
	check_marker("", MARKER_NONE, NULL, 0);
	check_marker("@dvm:", MARKER_NONE, NULL, 0);

	/*
	 * A begin marker with text after the id must never be taken for
	 * the begin of step "x" itself.
	 */
	snprintf(line, sizeof(line), "%s", M("begin:x extra"));
	k = guest_parse_marker(line, test_nonce, &id, &idlen, &status);
	OK(k == MARKER_NONE || !(idlen == 1 && id[0] == 'x'),
	    "guest: \"begin:x extra\" is not a begin of step x");
#undef M
}

static void
test_guest_nonce(void)
{
	char a[GUEST_NONCE_LEN + 1], b[GUEST_NONCE_LEN + 1];
	size_t i;
	int hex = 1;

	memset(a, 'Z', sizeof(a));
	memset(b, 'Z', sizeof(b));
	guest_nonce(a);
	guest_nonce(b);
	IS_INT(strlen(a), GUEST_NONCE_LEN, "guest: nonce has %d characters",
	    GUEST_NONCE_LEN);
	for (i = 0; i < GUEST_NONCE_LEN; i++) {
		if (!((a[i] >= '0' && a[i] <= '9') ||
		    (a[i] >= 'a' && a[i] <= 'f')))
			hex = 0;
	}
	OK(hex, "guest: nonce is lowercase hex (%s)", a);
	OK(strcmp(a, b) != 0, "guest: two nonces differ");
}

/*
 * Turn the output of a guest script into one line per event: "B:id",
 * "E:id:status" for markers, "  text" for other non-empty lines.
 */
static void
events_of(struct strbuf *ev, const char *output, const char *nonce)
{
	char *copy = xstrdup(output), *line = copy, *nl;

	while (*line) {
		const char *id;
		size_t idlen;
		int status;
		enum marker_kind k;

		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		k = guest_parse_marker(line, nonce, &id, &idlen, &status);
		if (k == MARKER_BEGIN)
			strbuf_addf(ev, "B:%.*s\n", (int)idlen, id);
		else if (k == MARKER_END)
			strbuf_addf(ev, "E:%.*s:%d\n", (int)idlen, id, status);
		else if (k == MARKER_WARN)
			strbuf_addf(ev, "W:%.*s\n", (int)idlen, id);
		else if (*line)
			strbuf_addf(ev, "  %s\n", line);
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	free(copy);
}

/* Build gs for c, write it to a file and run it with bash -s. */
static int
run_guest(const struct guest_script *gs, const struct vm_config *c,
    const char *nonce, struct strbuf *events, const char *file)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT;
	struct strvec av = STRVEC_INIT;
	char *path = tmp_path(file);
	int rc = -1;

	if (guest_build(&script, gs, c, nonce) < 0) {
		tap_diag("guest_build failed");
		goto out;
	}
	if (put_file(path, script.buf, 0600) < 0) {
		tap_diag("cannot write %s", path);
		goto out;
	}
	strvec_pushl(&av, BASH, "-s", NULL);
	rc = run_capture(av.v, path, NULL, &out);
	events_of(events, out.buf, nonce);
out:
	strvec_clear(&av);
	strbuf_release(&script);
	strbuf_release(&out);
	free(path);
	return rc;
}

/*
 * dvm_warn_host, which dvm's own steps call: one warning marker with the
 * text on one line; the scripts of recipes and users, which run in a
 * child bash (guest/run-script.sh), do not have it.
 */
static void
test_guest_warn(void)
{
	struct vm_config c;
	struct guest_script gs = GUEST_SCRIPT_INIT;
	struct strbuf ev = STRBUF_INIT;
	char nonce[GUEST_NONCE_LEN + 1];
	int rc;

	fill_config(&c);
	guest_nonce(nonce);
	guest_add_step(&gs, "one", "step one", LOG_LIMA,
	    "dvm_warn_host 'first line' \"$(printf 'second\\nline\\r')\"",
	    NULL, NULL, "warn");
	guest_add_step(&gs, "two", "step two", LOG_SETUP, guest_run_script_sh,
	    NULL, "dvm_warn_host x 2>/dev/null || echo no-function", "recipe");
	rc = run_guest(&gs, &c, nonce, &ev, "warn.sh");
	IS_INT(rc, 0, "guest: a script with dvm_warn_host succeeds");
	IS_STR(ev.buf, "B:one\nW:first line second line \nE:one:0\n"
	    "B:two\n  no-function\nE:two:0\n",
	    "guest: dvm_warn_host prints one warning marker, on one line; "
	    "a recipe has no dvm_warn_host");
	strbuf_release(&ev);
	guest_script_release(&gs);
	release_config(&c);
}

/* Offset of needle in hay at or after from, or -1. */
static long
find_from(const char *hay, const char *needle, long from)
{
	const char *p;

	if (from < 0)
		return -1;
	p = strstr(hay + from, needle);
	return p ? (long)(p - hay) : -1;
}

/* Count the occurrences of needle in hay. */
static size_t
count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

/* A step that runs text as a user's script, as vmsync.c adds them. */
static void
add_script(struct guest_script *gs, const char *id, const char *text)
{
	guest_add_step(gs, id, id, LOG_SETUP, guest_run_script_sh, NULL, text,
	    "script");
}

static void
test_guest_build(void)
{
	struct vm_config c;
	struct guest_script gs = GUEST_SCRIPT_INIT;
	struct strbuf sb = STRBUF_INIT, ev = STRBUF_INIT;
	struct strvec av = STRVEC_INIT, args = STRVEC_INIT;
	struct guest_step *st;
	char nonce[GUEST_NONCE_LEN + 1], *needle, *spath;
	const char *export_line;
	long pos;
	int rc, i;

	fill_config(&c);
	strvec_push(&c.ports, "3000:3000");
	strvec_push(&c.ports, "8080:80");
	strvec_push(&c.extra, "DVM_FOO=a b'c");
	strvec_push(&c.extra, "DVM_EMPTY=");
	guest_nonce(nonce);

	guest_add_step(&gs, "one", "step one", LOG_SETUP,
	    "echo hello\necho err-line >&2", NULL, NULL, "say hello");
	add_script(&gs, "two", "echo from-user; exit 3");
	strvec_pushl(&args, "x y", NULL);
	st = guest_add_step(&gs, "three", "step three", LOG_SETUP,
	    "echo never", &args, NULL, "never");
	st->keep_going = 1;
	IS_INT(gs.nr, 3, "guest: three steps added");
	OK(args.nr == 0 && args.v[0] == NULL, "guest: the args are moved "
	    "into the step");
	OK(gs.nr == 3 && gs.steps[1].body == guest_run_script_sh &&
	    gs.steps[1].feed && strcmp(gs.steps[1].feed,
	    "echo from-user; exit 3") == 0 && gs.steps[0].feed == NULL &&
	    gs.steps[0].args.nr == 0 && gs.steps[2].args.nr == 1 &&
	    strcmp(gs.steps[2].args.v[0], "x y") == 0 &&
	    strcmp(gs.steps[0].id, "one") == 0 &&
	    strcmp(gs.steps[1].label, "two") == 0 &&
	    gs.steps[1].log == LOG_SETUP && gs.steps[0].keep_going == 0 &&
	    gs.steps[2].keep_going == 1,
	    "guest: step fields are filled in; the body is not copied");

	/* The text. */
	rc = guest_build(&sb, &gs, &c, nonce);
	IS_INT(rc, 0, "guest: guest_build succeeds");
	OK(has_prefix(sb.buf, "exec 2>&1\n"), "guest: script starts with "
	    "exec 2>&1");
	export_line = strstr(sb.buf, "\nexport ");
	OK(export_line != NULL, "guest: script has an export line");
	if (export_line) {
		static const char *const parts[] = {
			" DVM_NAME=app", " DVM_VM=app", " DVM_LIMA_NAME=dvm-app",
			" DVM_USER=dev", " DVM_CODE_DIR=/home/dev/code/app",
			" DVM_PORTS=3000:3000,8080:80", " DVM_SUBUID_COUNT=65536",
			" DVM_SUBGID_COUNT=65536", " DVM_FOO='a b'\\''c'",
			" DVM_EMPTY=''",
		};
		const char *eol = strchr(export_line + 1, '\n');
		char *one = xstrndup(export_line + 1, eol ?
		    (size_t)(eol - export_line - 1) : strlen(export_line));
		size_t k;

		for (k = 0; k < nitems(parts); k++)
			OK(strstr(one, parts[k]) != NULL,
			    "guest: export line has%s",
			    parts[k] ? parts[k] : "(null)");
		free(one);
	}
	needle = xasprintf("\ndvm_nonce=%s\n", nonce);
	OK(strstr(sb.buf, needle) != NULL && strstr(sb.buf,
	    guest_prelude_sh) != NULL, "guest: the nonce line, then the "
	    "prelude verbatim");
	free(needle);
	IS_INT(count_of(sb.buf, "set -Eeuo pipefail"), 3,
	    "guest: every step runs under set -Eeuo pipefail");
	IS_INT(count_of(sb.buf, ") </dev/null\n"), 2,
	    "guest: a step without a feed reads /dev/null");
	needle = xasprintf(") <<'DVM_SCRIPT_%s'\n", nonce);
	IS_INT(count_of(sb.buf, needle), 1,
	    "guest: a step with a feed reads a quoted heredoc");
	free(needle);
	OK(strstr(sb.buf, "echo hello\necho err-line >&2") != NULL &&
	    strstr(sb.buf, "echo from-user; exit 3\n") != NULL &&
	    strstr(sb.buf, guest_run_script_sh) != NULL,
	    "guest: bodies and feeds appear verbatim");
	IS_INT(count_of(sb.buf, "\nset -- "), 1,
	    "guest: a set -- line only for the step with args");
	OK(strstr(sb.buf, "set -Eeuo pipefail\nset -- 'x y'\necho never\n") !=
	    NULL, "guest: its args are quoted, before its body");
	{
		/* The shape docs/lima.md shows, exactly. */
		char *wrapped = xasprintf(
		    "printf '\\n@dvm:%%s:%%s:%%s\\n' %s begin one\n"
		    "(\nset -Eeuo pipefail\necho hello\necho err-line >&2\n"
		    ") </dev/null\ndvm_rc=$?\n"
		    "printf '\\n@dvm:%%s:%%s:%%s:%%s\\n' %s end one "
		    "\"$dvm_rc\"\n[ \"$dvm_rc\" -eq 0 ] || exit \"$dvm_rc\"\n",
		    nonce, nonce);

		OK(strstr(sb.buf, wrapped) != NULL,
		    "guest: a step is wrapped exactly as docs/lima.md shows");
		free(wrapped);
	}
	OK(strstr(sb.buf, "[ \"$dvm_rc\" -eq 0 ] || dvm_failed=1\n") != NULL,
	    "guest: a keep_going step only marks the failure");
	needle = xasprintf("\nDVM_SCRIPT_%s\n", nonce);
	OK(strstr(sb.buf, needle) != NULL, "guest: a feed ends with the "
	    "delimiter line");
	free(needle);
	pos = 0;
	for (i = 0; i < 3; i++) {
		static const char *const ids[] = { "one", "two", "three" };
		char *b = xasprintf("%s begin %s\n", nonce, ids[i]);
		char *e = xasprintf("%s end %s ", nonce, ids[i]);

		pos = find_from(sb.buf, b, pos);
		OK(pos >= 0, "guest: begin marker of %s in order", ids[i]);
		pos = find_from(sb.buf, e, pos);
		OK(pos >= 0, "guest: end marker of %s after its begin", ids[i]);
		free(b);
		free(e);
	}
	{
		struct strbuf shown = STRBUF_INIT, same = STRBUF_INIT;

		guest_show(&shown, &gs, &c);
		guest_build(&same, &gs, &c, GUEST_SHOWN_NONCE);
		OK(strcmp(shown.buf, same.buf) == 0 && strstr(shown.buf,
		    nonce) == NULL, "guest: without secrets, guest_show is "
		    "guest_build with the placeholder nonce");
		strbuf_release(&shown);
		strbuf_release(&same);
	}
	strbuf_reset(&sb);

	/* Run it: the failing user script stops the script. */
	rc = run_guest(&gs, &c, nonce, &ev, "script1.sh");
	IS_STR(ev.buf, "B:one\n  hello\n  err-line\nE:one:0\n"
	    "B:two\n  from-user\nE:two:3\n",
	    "guest: run: markers, output, statuses; no step after a failure");
	IS_INT(rc, 3, "guest: run: the script exits with the failed status");
	strbuf_reset(&ev);

	/* keep_going, stdin, set -e/pipefail and the export line at work. */
	guest_script_release(&gs);
	OK(gs.steps == NULL && gs.nr == 0, "guest: release empties the script");
	add_script(&gs, "user", "cat\necho after-cat\nexit 3\n");
	guest_add_step(&gs, "frag", "f", LOG_SETUP,
	    "cat\nprintf '%s\\n' \"$DVM_FOO\"\nfalse | true\necho not-reached",
	    NULL, NULL, "f");
	add_script(&gs, "pf", "false | true\necho not-reached-2\n");
	guest_add_step(&gs, "fed", "fed", LOG_SETUP,
	    "while read -r l; do echo \"got $l\"; done", NULL,
	    "a\nb", "fed");
	strvec_pushl(&args, "a b'c", "$(echo no)", "", "*", NULL);
	guest_add_step(&gs, "args", "args", LOG_SETUP,
	    "printf '<%s>' \"$#\" \"$@\"; echo", &args, NULL, "args");
	guest_add_step(&gs, "env", "e", LOG_SETUP,
	    "printf '%s|%s|%s|%s\\n' \"$DVM_USER\" \"$DVM_PORTS\" "
	    "\"$DVM_LIMA_NAME\" \"$DVM_EMPTY\"", NULL, NULL, "e");
	for (i = 0; i < 3 && (size_t)i < gs.nr; i++)
		gs.steps[i].keep_going = 1;
	rc = run_guest(&gs, &c, nonce, &ev, "script2.sh");
	IS_STR(ev.buf, "B:user\n  after-cat\nE:user:3\n"
	    "B:frag\n  a b'c\nE:frag:1\n"
	    "B:pf\nE:pf:1\n"
	    "B:fed\n  got a\n  got b\nE:fed:0\n"
	    "B:args\n  <4><a b'c><$(echo no)><><*>\nE:args:0\n"
	    "B:env\n  dev|3000:3000,8080:80|dvm-app|\nE:env:0\n",
	    "guest: run: keep_going steps, stdin is /dev/null or the feed "
	    "alone, set -e and pipefail hold, args arrive exactly, exported "
	    "values");
	IS_INT(rc, 1, "guest: run: a failed keep_going step makes exit 1");
	strbuf_reset(&ev);
	guest_script_release(&gs);

	/* Secrets: staged as 0600 files for every step, never shown. */
	strvec_push(&gs.secrets, "MY_KEY=v a'l$(x)");
	strvec_push(&gs.secrets, "OTHER=second");
	guest_add_step(&gs, "sec", "sec", LOG_SETUP,
	    "cat \"$DVM_SECRET_FILE_MY_KEY\"; echo\n"
	    "stat -c %a \"$DVM_SECRET_FILE_OTHER\"\n"
	    "cat \"$DVM_SECRET_FILE_OTHER\"; echo\n"
	    "printf '%s\\n' \"$#\"", NULL, NULL, "sec");
	rc = run_guest(&gs, &c, nonce, &ev, "script4.sh");
	IS_STR(ev.buf, "B:sec\n  v a'l$(x)\n  600\n  second\n  0\nE:sec:0\n",
	    "guest: run: secrets are 0600 files, their paths exported; the "
	    "steps see no parameters of the staging");
	IS_INT(rc, 0, "guest: run: the script with secrets succeeds");
	strbuf_reset(&ev);
	guest_show(&sb, &gs, &c);
	OK(strstr(sb.buf, "v a") == NULL && strstr(sb.buf, "second") == NULL &&
	    strstr(sb.buf, "set -- MY_KEY '<secret MY_KEY>' OTHER "
	    "'<secret OTHER>'\n") != NULL,
	    "guest: guest_show puts placeholders for the secret values");
	strbuf_reset(&sb);
	guest_script_release(&gs);

	/* The heredoc delimiter inside a feed. */
	needle = xasprintf("echo hi\nDVM_SCRIPT_%s\necho bad\n", nonce);
	add_script(&gs, "d", needle);
	free(needle);
	IS_INT(guest_build(&sb, &gs, &c, nonce), -1,
	    "guest: a feed with the delimiter line is refused");
	strbuf_reset(&sb);
	guest_show(&sb, &gs, &c);
	OK(strstr(sb.buf, "echo bad") != NULL, "guest: guest_show shows it "
	    "all the same (a run picks another nonce)");
	strbuf_reset(&sb);
	guest_script_release(&gs);

	needle = xasprintf("echo hi\nDVM_SCRIPT_%s", nonce);
	add_script(&gs, "d", needle);
	free(needle);
	IS_INT(guest_build(&sb, &gs, &c, nonce), -1,
	    "guest: the delimiter as the last line (no newline) is refused");
	strbuf_reset(&sb);
	guest_script_release(&gs);

	needle = xasprintf("DVM_SCRIPT_%s\n", nonce);
	add_script(&gs, "d", needle);
	free(needle);
	IS_INT(guest_build(&sb, &gs, &c, nonce), -1,
	    "guest: the delimiter as the first line is refused");
	strbuf_reset(&sb);
	guest_script_release(&gs);

	needle = xasprintf("echo DVM_SCRIPT_%s\nDVM_SCRIPT_%s \n"
	    "xDVM_SCRIPT_%s\nDVM_SCRIPT_%s\n", nonce, nonce, nonce,
	    test_nonce);
	add_script(&gs, "d", needle);
	free(needle);
	IS_INT(guest_build(&sb, &gs, &c, nonce), 0,
	    "guest: the delimiter inside a longer line is fine");
	strbuf_reset(&sb);
	guest_script_release(&gs);

	/* Every shipped body, framed: the whole script parses. */
	{
		static const char *const bodies[] = {
			guest_bootstrap_sh, guest_podman_prep_sh,
			guest_devbase_sh, guest_project_up_sh,
			guest_project_remove_sh, guest_run_egress_sh,
			guest_run_script_sh, guest_base_provision_sh,
			guest_base_context_sh, guest_base_build_sh,
		};
		size_t k;

		strvec_push(&gs.secrets, "K=v");
		for (k = 0; k < nitems(bodies); k++) {
			char *id = xasprintf("b%zu", k);

			strvec_pushl(&args, "arg", NULL);
			guest_add_step(&gs, id, id, LOG_SETUP, bodies[k], &args,
			    k % 2 ? "feed\n" : NULL, "body");
			free(id);
		}
	}
	IS_INT(guest_build(&sb, &gs, &c, nonce), 0,
	    "guest: build with every body");
	spath = tmp_path("script3.sh");
	put_file(spath, sb.buf, 0600);
	strbuf_reset(&sb);
	strvec_pushl(&av, BASH, "-n", NULL);
	IS_INT(run_capture(av.v, spath, NULL, &sb), 0,
	    "guest: the whole script passes bash -n");
	strvec_clear(&av);
	free(spath);
	guest_script_release(&gs);

	strvec_clear(&args);
	strbuf_release(&sb);
	strbuf_release(&ev);
	release_config(&c);
}

static void
check_result(const char *line, const char *want)
{
	const char *w = NULL;
	size_t n = 0;
	int got = guest_parse_result(line, test_nonce, &w, &n);

	if (want == NULL) {
		IS_INT(got, 0, "guest: \"%s\" is no result", line);
		return;
	}
	OK(got == 1 && n == strlen(want) && strncmp(w, want, n) == 0 &&
	    w > line && w + n == line + strlen(line),
	    "guest: \"%s\" is result %s", line, want);
}

static void
test_guest_results(void)
{
#define R(s) "@dvm:0123456789abcdef0123456789abcdef:result:" s
	check_result(R("applied"), "applied");
	check_result(R("x"), "x");
	check_result(R("abcdefghijklmnop"), "abcdefghijklmnop");
	check_result(R("abcdefghijklmnopq"), NULL);
	check_result(R(""), NULL);
	check_result(R("Applied"), NULL);
	check_result(R("applied "), NULL);
	check_result(R("app:lied"), NULL);
	check_result(R("\x1b[2J"), NULL);
	check_result("@dvm:fedcba9876543210fedcba9876543210:result:applied",
	    NULL);
	check_result("x" R("applied"), NULL);
	check_result("@dvm:0123456789abcdef0123456789abcdef:begin:x", NULL);
	check_result("", NULL);
#undef R
}

void
test_guest(void)
{
	test_guest_markers();
	test_guest_nonce();
	test_guest_build();
	test_guest_warn();
	test_guest_results();
}
