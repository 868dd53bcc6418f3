/*
 * Unit tests of dvm's pure modules, printed as TAP.
 *
 * Linked with every object of src/ except main.o. The quoting and guest
 * script tests run /bin/bash: a test may fork and exec (the "only proc.c
 * forks" rule is for the product). Everything a test allocates is freed,
 * so the binary stays clean under -fsanitize=address,undefined.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "devuser.h"
#include "dvm.h"
#include "guest.h"
#include "instances.h"
#include "lima.h"
#include "quote.h"
#include "runner.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "validate.h"
#include "vmsync.h"

#include "tap.h"

#define BASH "/bin/bash"

/* ------------------------------------------------------------------ */
/* Helpers: a scratch directory, files, and running bash.             */

static char *tmp_root;

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmp_root, name);
}

/* Create (or replace) path with data and exactly the given mode. */
static int
put_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write_all(fd, data, strlen(data)) < 0 || fchmod(fd, mode) < 0)
		ret = -1;
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return (mode_t)-1;
	return st.st_mode & 07777;
}

/* Number of directory entries of dir whose name contains part. */
static int
count_entries(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strstr(de->d_name, part) != NULL)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * Run argv (argv[0] a path) with stdin from stdin_path (/dev/null when
 * NULL) and stdout captured into out; stderr is inherited. lc_all, when
 * set, becomes LC_ALL in the child. BASH_ENV and ENV are removed so no
 * startup file can interfere. An alarm kills a child that hangs.
 * Returns the exit status, 128 + signal if killed, -1 if not started.
 */
static int
run_capture(char *const *argv, const char *stdin_path, const char *lc_all,
    struct strbuf *out)
{
	int fds[2], status;
	pid_t pid;
	char buf[8192];

	if (pipe(fds) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);

		if (in < 0 || dup2(in, 0) < 0 || dup2(fds[1], 1) < 0)
			_exit(126);
		close(in);
		close(fds[0]);
		close(fds[1]);
		unsetenv("BASH_ENV");
		unsetenv("ENV");
		if (lc_all)
			setenv("LC_ALL", lc_all, 1);
		alarm(20);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(out, buf, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* bash -c text, stdout into out. */
static int
run_bash_c(const char *text, const char *lc_all, struct strbuf *out)
{
	struct strvec av = STRVEC_INIT;
	int rc;

	strvec_pushl(&av, BASH, "-c", text, NULL);
	rc = run_capture(av.v, NULL, lc_all, out);
	strvec_clear(&av);
	return rc;
}

static char *
quoted(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	sq_quote_buf(&sb, s);
	return strbuf_detach(&sb);
}

/* Print a "#" line: label, then s escaped. */
static void
diag_bytes(const char *label, const char *s, size_t len)
{
	printf("#   %s", label);
	tap_escape(s, len);
	putchar('\n');
}

/* ------------------------------------------------------------------ */
/* strbuf                                                             */

static void
test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT, other;
	char *p;
	size_t i;
	int good;

	OK(sb.buf != NULL && sb.buf[0] == '\0' && sb.len == 0 &&
	    sb.alloc == 0, "strbuf: STRBUF_INIT is empty with a printable buf");
	memset(&other, 0x5a, sizeof(other));
	strbuf_init(&other);
	OK(other.buf != NULL && other.buf[0] == '\0' && other.len == 0 &&
	    other.alloc == 0, "strbuf: strbuf_init empties a garbage struct");

	strbuf_reset(&sb);
	OK(sb.buf[0] == '\0' && sb.len == 0 && strbuf_empty[0] == '\0',
	    "strbuf: reset of a never-allocated buffer");
	strbuf_add(&sb, "", 0);
	OK(sb.buf != NULL && sb.buf[0] == '\0' && sb.len == 0,
	    "strbuf: adding 0 bytes keeps it empty");

	strbuf_addstr(&sb, "hello");
	strbuf_addch(&sb, ' ');
	strbuf_addf(&sb, "%s-%d", "world", 42);
	IS_STR(sb.buf, "hello world-42", "strbuf: addstr, addch, addf");
	IS_INT(sb.len, 14, "strbuf: len follows the appends");
	strbuf_add(&sb, "a\0b", 3);
	IS_MEM(sb.buf, sb.len, "hello world-42a\0b", 17,
	    "strbuf: add keeps embedded NUL bytes");
	OK(sb.buf[sb.len] == '\0' && sb.alloc > sb.len,
	    "strbuf: NUL-terminated, alloc beyond len");

	strbuf_reset(&sb);
	OK(sb.len == 0 && sb.buf[0] == '\0' && sb.alloc > 0,
	    "strbuf: reset empties but keeps the allocation");

	for (i = 0; i < 10000; i++)
		strbuf_addch(&sb, 'a' + (int)(i % 26));
	good = sb.len == 10000 && sb.alloc > 10000 && sb.buf[10000] == '\0';
	for (i = 0; good && i < 10000; i++)
		good = sb.buf[i] == 'a' + (int)(i % 26);
	OK(good, "strbuf: 10000 addch grow the buffer and keep every byte");

	strbuf_reset(&sb);
	strbuf_addf(&sb, "%0500d|%s", 7, "end");
	IS_INT(sb.len, 504, "strbuf: addf longer than the first allocation");
	OK(sb.len == 504 && strcmp(sb.buf + 497, "007|end") == 0 &&
	    sb.buf[0] == '0', "strbuf: addf output is complete");

	p = strbuf_detach(&sb);
	IS_INT(strlen(p), 504, "strbuf: detach hands over the string");
	OK(sb.buf != NULL && sb.buf != p && sb.len == 0 && sb.alloc == 0 &&
	    sb.buf[0] == '\0', "strbuf: detach leaves the buffer empty");
	free(p);

	p = strbuf_detach(&sb);
	IS_STR(p, "", "strbuf: detach of an empty buffer gives a malloc'd \"\"");
	OK(p != strbuf_empty, "strbuf: detach never hands out the static buffer");
	free(p);

	strbuf_addstr(&sb, "x");
	strbuf_release(&sb);
	OK(sb.buf != NULL && sb.buf[0] == '\0' && sb.len == 0 &&
	    sb.alloc == 0, "strbuf: release leaves an empty buffer");
	strbuf_addstr(&sb, "again");
	IS_STR(sb.buf, "again", "strbuf: reusable after release");
	strbuf_release(&sb);
	strbuf_release(&sb);
	OK(sb.buf != NULL && sb.len == 0, "strbuf: release twice is harmless");

	strbuf_grow(&sb, 100);
	OK(sb.alloc >= 101 && sb.len == 0 && sb.buf[0] == '\0',
	    "strbuf: grow on an empty buffer allocates a valid empty string");
	strbuf_release(&sb);
	OK(strbuf_empty[0] == '\0', "strbuf: the shared empty string is "
	    "never written");
}

/* ------------------------------------------------------------------ */
/* strvec                                                             */

static void
test_strvec(void)
{
	struct strvec sv = STRVEC_INIT, other;
	char src[] = "one";
	char x[] = "x", y[] = "y";
	char *arr[3];
	char *none[1] = { NULL };
	size_t i;
	int good;

	OK(sv.v != NULL && sv.v[0] == NULL && sv.nr == 0,
	    "strvec: STRVEC_INIT is an empty argv");
	memset(&other, 0x5a, sizeof(other));
	strvec_init(&other);
	OK(other.v != NULL && other.v[0] == NULL && other.nr == 0 &&
	    other.alloc == 0, "strvec: strvec_init empties a garbage struct");

	strvec_push(&sv, src);
	src[0] = 'X';
	IS_STR(sv.v[0], "one", "strvec: push copies the string");
	strvec_pushf(&sv, "--cpus=%d", 4);
	strvec_pushl(&sv, "a", "b c", "", NULL);
	arr[0] = x;
	arr[1] = y;
	arr[2] = NULL;
	strvec_pushv(&sv, arr);
	strvec_push_nodup(&sv, xstrdup("owned"));
	strvec_pushl(&sv, NULL);
	strvec_pushv(&sv, none);
	IS_INT(sv.nr, 8, "strvec: push, pushf, pushl, pushv, push_nodup count");
	IS_STR(sv.v[1], "--cpus=4", "strvec: pushf formats");
	IS_STR(sv.v[2], "a", "strvec: pushl first");
	IS_STR(sv.v[3], "b c", "strvec: pushl keeps spaces in one element");
	IS_STR(sv.v[4], "", "strvec: pushl keeps an empty string");
	IS_STR(sv.v[5], "x", "strvec: pushv first");
	IS_STR(sv.v[6], "y", "strvec: pushv second");
	OK(sv.v[5] != x && sv.v[6] != y, "strvec: pushv copies");
	IS_STR(sv.v[7], "owned", "strvec: push_nodup");
	OK(sv.v[8] == NULL, "strvec: v[nr] is NULL");

	strvec_clear(&sv);
	OK(sv.v != NULL && sv.v[0] == NULL && sv.nr == 0 && sv.alloc == 0,
	    "strvec: clear leaves an empty argv");
	strvec_push(&sv, "z");
	OK(sv.nr == 1 && strcmp(sv.v[0], "z") == 0 && sv.v[1] == NULL,
	    "strvec: reusable after clear");
	strvec_clear(&sv);
	strvec_clear(&sv);
	OK(sv.v != NULL && sv.v[0] == NULL, "strvec: clear twice is harmless");

	good = 1;
	for (i = 0; i < 1000; i++) {
		strvec_pushf(&sv, "e%zu", i);
		if (sv.nr != i + 1 || sv.v[sv.nr] != NULL)
			good = 0;
	}
	for (i = 0; good && i < 1000; i++) {
		char want[32];

		snprintf(want, sizeof(want), "e%zu", i);
		good = strcmp(sv.v[i], want) == 0;
	}
	OK(good, "strvec: 1000 pushes keep order and v[nr] == NULL");
	strvec_clear(&sv);
	OK(strvec_empty[0] == NULL, "strvec: the shared empty argv is never "
	    "written");
}

/* ------------------------------------------------------------------ */
/* quote                                                              */

static void
check_quote(const char *in, const char *want)
{
	char *got = quoted(in);

	IS_STR(got, want, "quote: sq_quote_buf(%s)", want);
	free(got);
}

static void
test_quote_fixed(void)
{
	struct strbuf sb = STRBUF_INIT;
	char a0[] = "ls", a1[] = "-l", a2[] = "a b", a3[] = "", a4[] = "it's";
	char *argv[6];
	char *empty[1] = { NULL };

	check_quote("abc", "abc");
	check_quote("/home/dev/code/app", "/home/dev/code/app");
	check_quote("a-b_c.d:e,f@g%h+i", "a-b_c.d:e,f@g%h+i");
	check_quote("", "''");
	check_quote("a b", "'a b'");
	check_quote("it's", "'it'\\''s'");
	check_quote("'", "''\\'''");
	check_quote("''", "''\\'''\\'''");
	check_quote("$HOME", "'$HOME'");
	check_quote("`id`", "'`id`'");
	check_quote("$(id)", "'$(id)'");
	check_quote("a\nb", "'a\nb'");
	check_quote("\t", "'\t'");
	check_quote("*", "'*'");
	check_quote("~", "'~'");
	check_quote("a;b", "'a;b'");
	check_quote("!", "'!'");
	check_quote("\\", "'\\'");
	check_quote("\"", "'\"'");
	check_quote("{a,b}", "'{a,b}'");
	check_quote("#x", "'#x'");
	check_quote("\xc3\xa9", "'\xc3\xa9'");
	/* '=' only matters in NAME=value. */
	check_quote("--name=x", "--name=x");
	check_quote("=x", "=x");
	check_quote("=", "=");
	check_quote("FOO=bar", "'FOO=bar'");
	check_quote("_x1=y", "'_x1=y'");
	check_quote("a=", "'a='");
	check_quote("a=b=c", "'a=b=c'");
	check_quote("1a=b", "1a=b");
	check_quote("a.b=c", "a.b=c");
	check_quote("x/y=z", "x/y=z");

	strbuf_addstr(&sb, "cmd ");
	sq_quote_buf(&sb, "a b");
	IS_STR(sb.buf, "cmd 'a b'", "quote: sq_quote_buf appends");
	strbuf_reset(&sb);

	argv[0] = a0;
	argv[1] = a1;
	argv[2] = a2;
	argv[3] = a3;
	argv[4] = a4;
	argv[5] = NULL;
	sq_quote_argv(&sb, argv);
	IS_STR(sb.buf, "ls -l 'a b' '' 'it'\\''s'",
	    "quote: sq_quote_argv separates words with single spaces");
	strbuf_reset(&sb);
	sq_quote_argv(&sb, empty);
	IS_STR(sb.buf, "", "quote: sq_quote_argv of an empty argv adds nothing");
	argv[1] = NULL;
	strbuf_addstr(&sb, "x ");
	sq_quote_argv(&sb, argv);
	IS_STR(sb.buf, "x ls", "quote: sq_quote_argv of one word, appended");
	strbuf_release(&sb);
}

/*
 * Words that bash must see as a command name, not an assignment, when
 * they come first. With PATH pointing nowhere, a command word fails with
 * 127 ("not found") while an assignment succeeds with 0. (Exit statuses
 * rather than command_not_found_handle, which bash 3.2 lacks.)
 */
static void
test_quote_command_position(void)
{
	static const char *const words[] = {
		"FOO=bar", "_=x", "a1=b", "--name=x", "=x", "1a=b", "a.b=c",
		"a-b=c", "x", "a+=x", "a[0]=x", "FOO+=bar"
	};
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	size_t i, n = nitems(words), off = 0;
	int rc;

	strbuf_addstr(&text, "PATH=/nonexistent/dvm-unit\n");
	for (i = 0; i < n; i++) {
		sq_quote_buf(&text, words[i]);
		strbuf_addstr(&text, " 2>/dev/null\nprintf '%s\\0' \"$?\"\n");
	}
	rc = run_bash_c(text.buf, NULL, &out);
	IS_INT(rc, 0, "quote: command-position script runs");
	for (i = 0; i < n; i++) {
		const char *got = off < out.len ? out.buf + off : NULL;

		IS_STR(got, "127", "quote: %s first on a line is a command "
		    "word, not an assignment", words[i]);
		if (got)
			off += strlen(got) + 1;
	}
	strbuf_release(&text);
	strbuf_release(&out);
}

static uint32_t rng_state = 0x9e3779b9u;

static uint32_t
rng(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rng_state = x;
	return x;
}

/*
 * Quote every word, have bash print them back NUL-separated, and compare
 * the bytes. Batches keep each bash -c text well under ARG_MAX.
 */
static void
roundtrip(const struct strvec *words, const char *lc_all, const char *name)
{
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	struct strvec batch = STRVEC_INIT;
	size_t i = 0, bad = 0, batches = 0;
	int failed_run = 0;

	while (i < words->nr) {
		size_t first = i, off = 0, k, room = 0;
		int rc;

		strbuf_reset(&text);
		strbuf_reset(&out);
		strvec_clear(&batch);
		/* A quoted word is at most 4 bytes per byte, plus 3. */
		while (i < words->nr && room < 8000) {
			room += 4 * strlen(words->v[i]) + 3;
			strvec_push(&batch, words->v[i++]);
		}
		strbuf_addstr(&text, "printf '%s\\0' ");
		sq_quote_argv(&text, batch.v);
		rc = run_bash_c(text.buf, lc_all, &out);
		batches++;
		if (rc != 0) {
			tap_diag("bash exited %d on batch starting at word %zu",
			    rc, first);
			failed_run = 1;
		}
		for (k = 0; k < batch.nr; k++) {
			const char *got = off < out.len ? out.buf + off : "";
			size_t glen = off < out.len ? strlen(got) : 0;

			if (off >= out.len || strcmp(got, batch.v[k]) != 0) {
				if (bad < 3) {
					char *q = quoted(batch.v[k]);

					tap_diag("word %zu differs:", first + k);
					diag_bytes("word:   ", batch.v[k],
					    (size_t)-1);
					diag_bytes("quoted: ", q, (size_t)-1);
					diag_bytes("bash:   ", got, glen);
					free(q);
				}
				bad++;
			}
			off += glen + 1;
		}
		if (off != out.len) {
			tap_diag("batch at %zu: %zu bytes of output, expected %zu",
			    first, out.len, off);
			bad++;
		}
	}
	OK(!failed_run && bad == 0 && batches > 0, "quote: %zu words round-trip "
	    "through bash (%s, %zu batches)", words->nr, name, batches);
	strbuf_release(&text);
	strbuf_release(&out);
	strvec_clear(&batch);
}

static void
test_quote_property(void)
{
	static const char *const nasty[] = {
		"", "'", "''", "'\\''", "a'b", "\"", "\\", "\\\\'", "$", "$HOME",
		"${x}", "$(id)", "`id`", "$'\\n'", "\n", "a\nb", "\n\n", "\r\n",
		"!", "!!", "!$", "*", "?", "[a]", "~", "~root", "#", "a #b",
		"a b", " ", "\t", "-n", "-e", "--", "-", "%s", "%b\\0", "%",
		"FOO=bar", "=x", "--name=x", "a=b=c", "a+=b", "{a,b}", "{}",
		";", "&", "&&", "|", "||", "<", ">", ">>", "(", ")", "^", "a,b",
		"\x01", "\x7f", "\x01\x7f", "x\x01y\x7fz", "\xff\xfe", "\xc3\xa9",
		"\xe2\x80\xae", "\xc3", "\x80", "'\x01'", "\x1b[2J", "if", "then",
		"done", "time", "}", "{", "[[", "((", "a\\", "\\\n", "'\n'",
	};
	struct strvec words = STRVEC_INIT;
	char buf[64];
	size_t i, j;

	for (i = 0; i < nitems(nasty); i++)
		strvec_push(&words, nasty[i]);
	for (i = 0; i < 400; i++) {
		size_t len = rng() % 41;

		for (j = 0; j < len; j++)
			buf[j] = (char)(1 + rng() % 255);
		buf[len] = '\0';
		strvec_push(&words, buf);
	}
	/* Every single byte on its own. */
	for (i = 1; i < 256; i++) {
		buf[0] = (char)i;
		buf[1] = '\0';
		strvec_push(&words, buf);
	}
	roundtrip(&words, NULL, "inherited locale");
	roundtrip(&words, "C", "LC_ALL=C");
	roundtrip(&words, "C.UTF-8", "LC_ALL=C.UTF-8");
	strvec_clear(&words);
}

/* ------------------------------------------------------------------ */
/* validate                                                           */

static void
test_valid_name(void)
{
	static const struct {
		const char	*s;
		int		 want;
	} cases[] = {
		{ "a", 1 }, { "app", 1 }, { "my-vm-2", 1 }, { "a-", 1 },
		{ "a--b", 1 }, { "x9", 1 },
		{ "", 0 }, { "1app", 0 }, { "-app", 0 }, { "App", 0 },
		{ "aPp", 0 }, { "a;b", 0 }, { "a b", 0 }, { "a_b", 0 },
		{ "a.b", 0 }, { "a/b", 0 }, { "\xc3\xa9", 0 }, { "a\n", 0 },
		{ "app ", 0 }, { "$x", 0 },
	};
	char name[64];
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		IS_INT(valid_name(cases[i].s), cases[i].want,
		    "validate: valid_name(\"%s\") == %d", cases[i].s,
		    cases[i].want);
	memset(name, 'a', 40);
	name[40] = '\0';
	IS_INT(valid_name(name), 1, "validate: valid_name of 40 chars");
	name[39] = '9';
	IS_INT(valid_name(name), 1, "validate: valid_name of 40 chars ending "
	    "in a digit");
	name[40] = 'b';
	name[41] = '\0';
	IS_INT(valid_name(name), 0, "validate: valid_name of 41 chars");
	IS_INT(NAME_MAX_LEN, 40, "validate: NAME_MAX_LEN is 40");

	IS_INT(reserved_vm_name("base"), 1, "validate: base is reserved");
	IS_INT(reserved_vm_name("builder"), 1, "validate: builder is reserved");
	IS_INT(reserved_vm_name("base2"), 0, "validate: base2 is not reserved");
	IS_INT(reserved_vm_name("bas"), 0, "validate: bas is not reserved");
	IS_INT(reserved_vm_name("Base"), 0, "validate: Base is not reserved");
	IS_INT(reserved_vm_name("app"), 0, "validate: app is not reserved");
	IS_INT(reserved_vm_name(""), 0, "validate: \"\" is not reserved");
}

static void
check_uint(const char *s, unsigned long max, int want, unsigned long wantv)
{
	unsigned long v = 12345;
	int got = valid_uint(s, max, &v);

	if (want) {
		OK(got == 1 && v == wantv, "validate: valid_uint(\"%s\", %lu) "
		    "accepts, value %lu", s, max, wantv);
		if (got != 1 || v != wantv)
			tap_diag("got %d, value %lu", got, v);
	} else {
		IS_INT(got, 0, "validate: valid_uint(\"%s\", %lu) rejects", s,
		    max);
	}
}

static void
test_valid_numbers(void)
{
	static const struct {
		const char	*s;
		int		 want;
	} gib[] = {
		{ "2", 1 }, { "1.5", 1 }, { "0.5", 1 }, { "1.25", 1 },
		{ "999999", 1 }, { "999999.5", 1 }, { "16", 1 },
		{ "0", 0 }, { "0.0", 0 }, { "abc", 0 }, { "1e3", 0 },
		{ "-1", 0 }, { "1000000", 0 }, { "1.", 0 }, { ".5", 0 },
		{ "01", 0 }, { "", 0 }, { "1.2.3", 0 }, { " 2", 0 },
		{ "2 ", 0 }, { "+2", 0 }, { "2GiB", 0 }, { ".", 0 },
	}, ports[] = {
		{ "3000:3000", 1 }, { "65535:65535", 1 }, { "1:1", 1 },
		{ "8080:80", 1 },
		{ "3000:99999", 0 }, { "0:1", 0 }, { "1:0", 0 }, { "a:1", 0 },
		{ "1:2:3", 0 }, { ":1", 0 }, { "1:", 0 }, { ":", 0 }, { "", 0 },
		{ "3000", 0 }, { "65536:1", 0 }, { "03000:3000", 0 },
		{ " 1:1", 0 }, { "1:1 ", 0 }, { "-1:1", 0 },
		{ "99999999999999999999:1", 0 }, { "1:1,2:2", 0 },
	}, types[] = {
		{ "", 1 }, { "vz", 1 }, { "qemu", 1 }, { "krunkit", 1 },
		{ "VZ", 0 }, { "q-emu", 0 }, { "a b", 0 }, { "vz;", 0 },
		{ "vz\n", 0 },
	};
	char max_s[32], over_s[40];
	size_t i;

	check_uint("1", 10, 1, 1);
	check_uint("10", 10, 1, 10);
	check_uint("7", 10, 1, 7);
	check_uint("11", 10, 0, 0);
	check_uint("0", 10, 0, 0);
	check_uint("00", 10, 0, 0);
	check_uint("01", 10, 0, 0);
	check_uint("", 10, 0, 0);
	check_uint("-1", 10, 0, 0);
	check_uint("+1", 10, 0, 0);
	check_uint(" 1", 10, 0, 0);
	check_uint("1 ", 10, 0, 0);
	check_uint("1a", 10, 0, 0);
	check_uint("1.0", 10, 0, 0);
	check_uint("1024", 1024, 1, 1024);
	check_uint("1025", 1024, 0, 0);
	check_uint("65535", 65535, 1, 65535);
	check_uint("65536", 65535, 0, 0);
	check_uint("655350", 65535, 0, 0);
	check_uint("5", 5, 1, 5);
	/* max below 9: the digit itself may exceed max. */
	check_uint("6", 5, 0, 0);
	check_uint("9", 1, 0, 0);
	snprintf(max_s, sizeof(max_s), "%lu", ULONG_MAX);
	check_uint(max_s, ULONG_MAX, 1, ULONG_MAX);
	snprintf(over_s, sizeof(over_s), "%s", max_s);
	over_s[strlen(over_s) - 1]++;		/* ULONG_MAX ends in 5 */
	check_uint(over_s, ULONG_MAX, 0, 0);
	snprintf(over_s, sizeof(over_s), "%s0", max_s);
	check_uint(over_s, ULONG_MAX, 0, 0);
	check_uint("99999999999999999999999999", ULONG_MAX, 0, 0);
	check_uint(max_s, ULONG_MAX - 1, 0, 0);
	OK(valid_uint("3", 10, NULL) == 1, "validate: valid_uint with out NULL");

	IS_INT(valid_count("0", 10), 1, "validate: valid_count(0)");
	IS_INT(valid_count("10", 10), 1, "validate: valid_count(10, max 10)");
	IS_INT(valid_count("65536", 1000000000), 1,
	    "validate: valid_count(65536)");
	IS_INT(valid_count("11", 10), 0, "validate: valid_count(11, max 10)");
	IS_INT(valid_count("00", 10), 0, "validate: valid_count(00)");
	IS_INT(valid_count("01", 10), 0, "validate: valid_count(01)");
	IS_INT(valid_count("", 10), 0, "validate: valid_count(\"\")");
	IS_INT(valid_count("-0", 10), 0, "validate: valid_count(-0)");
	IS_INT(valid_count("x", 10), 0, "validate: valid_count(x)");

	for (i = 0; i < nitems(gib); i++)
		IS_INT(valid_gib(gib[i].s), gib[i].want,
		    "validate: valid_gib(\"%s\") == %d", gib[i].s, gib[i].want);
	for (i = 0; i < nitems(ports); i++)
		IS_INT(valid_port_spec(ports[i].s), ports[i].want,
		    "validate: valid_port_spec(\"%s\") == %d", ports[i].s,
		    ports[i].want);
	for (i = 0; i < nitems(types); i++)
		IS_INT(valid_vm_type(types[i].s), types[i].want,
		    "validate: valid_vm_type(\"%s\") == %d", types[i].s,
		    types[i].want);
}

static void
check_target(const char *arg, const char *want_vm, const char *want_proj,
    const char *want_why)
{
	char *vm = (char *)"unset", *proj = (char *)"unset";
	const char *why = NULL;
	int ok = parse_target(arg, &vm, &proj, &why);

	if (want_vm) {
		OK(ok == 1 && vm && strcmp(vm, want_vm) == 0 &&
		    ((want_proj == NULL && proj == NULL) ||
		    (want_proj && proj && strcmp(proj, want_proj) == 0)),
		    "validate: parse_target(\"%s\") = %s, %s", arg, want_vm,
		    want_proj ? want_proj : "(no project)");
		if (ok != 1)
			tap_diag("returned %d, why %s", ok, why ? why : "-");
	} else {
		OK(ok == 0 && vm == NULL && proj == NULL && why != NULL,
		    "validate: parse_target(\"%s\") fails, nothing allocated",
		    arg);
		IS_STR(why, want_why, "validate: parse_target(\"%s\") says why",
		    arg);
	}
	if (ok == 1) {
		free(vm);
		free(proj);
	}
}

static void
test_parse_target(void)
{
	check_target("vm", "vm", NULL, NULL);
	check_target("my-vm", "my-vm", NULL, NULL);
	check_target("vm/proj", "vm", "proj", NULL);
	check_target("a1/b-2", "a1", "b-2", NULL);
	check_target("a/b/c", NULL, NULL, "expected <vm>/<project> with one '/'");
	check_target("Bad/x", NULL, NULL, "invalid VM name");
	check_target("x/Bad", NULL, NULL, "invalid project name");
	check_target("vm/", NULL, NULL, "invalid project name");
	check_target("/proj", NULL, NULL, "invalid VM name");
	check_target("Bad", NULL, NULL, "invalid VM name");
	check_target("", NULL, NULL, "invalid VM name");
	check_target("/", NULL, NULL, "invalid VM name");
}

/* ------------------------------------------------------------------ */
/* guest                                                              */

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

/* A config filled by hand, as config_load() would leave it. */
static void
fill_config(struct vm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->name = (char *)"app";
	c->user = (char *)"dev";
	c->code_dir = (char *)"/home/dev/code/app";
	c->subuid_count = (char *)"65536";
	c->subgid_count = (char *)"65536";
	c->cpus = (char *)"4";
	c->memory = (char *)"8";
	c->disk = (char *)"100";
	c->vm_type = (char *)"";
	c->network = (char *)"";
	strvec_init(&c->ports);
	strvec_init(&c->recipes);
	strvec_init(&c->extra);
}

static void
release_config(struct vm_config *c)
{
	strvec_clear(&c->ports);
	strvec_clear(&c->recipes);
	strvec_clear(&c->extra);
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

/* Lima's name for its login user, from the host user's name. */
static void
test_devuser(void)
{
	static const struct {
		const char *host, *want;
	} cases[] = {
		{ "alice", "alice" }, { "_svc", "_svc" }, { "a-b_c9", "a-b_c9" },
		{ "Alice", "lima" }, { "alice.smith", "lima" }, { "1st", "lima" },
		{ "j doe", "lima" }, { "", "lima" }, { "admin", "lima" },
		{ "admins", "admins" }, { "-x", "lima" }, { "al$", "lima" },
	};
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		IS_STR(devuser_lima_name(cases[i].host), cases[i].want,
		    "devuser: Lima names the login user of host user '%s' %s",
		    cases[i].host, cases[i].want);
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

/* Is av, from index i, the count n and then the words of want? */
static int
counted_is(const struct strvec *av, size_t i, const char *const *want)
{
	size_t n = 0, k;

	while (want[n])
		n++;
	if (i + 1 + n > av->nr || strtoul(av->v[i], NULL, 10) != n)
		return 0;
	for (k = 0; k < n; k++)
		if (strcmp(av->v[i + 1 + k], want[k]) != 0)
			return 0;
	return 1;
}

/*
 * The plan side: which steps a VM's sync has, with which bodies, args
 * and feeds. Files are read when the plan is made.
 */
static void
test_vmsync_plan(void)
{
	struct vm_config c;
	struct project proj;
	struct plan p;
	const struct guest_script *gs;
	const struct guest_step *st;
	char *cfg = tmp_path("vmsync-config"), *setup = tmp_path("setup.sh");
	char *psetup = tmp_path("api-setup.sh");
	static const char *const start[] = { "podman", "start", "api", NULL };
	static const char *const rm[] = { "podman", "rm", "-f", "-t", "0",
	    "api", NULL };
	int rc;

	setenv("DVM_CONFIG_DIR", cfg, 1);
	opt.limactl = "limactl";
	opt.log_level = "warn";
	fill_config(&c);
	strvec_init(&c.secrets);
	c.no_baseline = 1;
	c.setup_path = setup;
	memset(&proj, 0, sizeof(proj));
	proj.name = (char *)"api";
	proj.image = (char *)"node:22";
	proj.workdir = (char *)"/work";
	proj.setup_path = psetup;
	strvec_init(&proj.ports);
	c.projects = &proj;
	c.nr_projects = 1;
	put_file(setup, "echo vm setup\n", 0600);
	put_file(psetup, "echo api setup\n", 0600);

	plan_init(&p, c.name, 0);
	rc = vmsync_plan(&p, &c, 1);
	IS_INT(rc, 0, "vmsync: the plan of a sync is made");
	put_file(setup, "echo changed later\n", 0600);
	OK(rc == 0 && p.nr == 2 && p.items[0].argv.nr && p.items[1].steps.nr
	    == 5 && p.heading && strcmp(p.heading,
	    "# VM app (Lima instance dvm-app)") == 0,
	    "vmsync: start the instance, then one guest script of 5 steps");
	gs = p.nr == 2 ? &p.items[1].steps : NULL;
	if (gs && gs->nr == 5) {
		static const char *const ids[] = { "bootstrap", "egress",
		    "setup", "podman", "project:api" };
		size_t k;

		for (k = 0; k < nitems(ids); k++)
			IS_STR(gs->steps[k].id, ids[k], "vmsync: step %zu is %s",
			    k + 1, ids[k]);
		st = &gs->steps[0];
		OK(st->body == guest_bootstrap_sh && st->args.nr == 0 &&
		    st->feed == NULL && st->log == LOG_LIMA,
		    "vmsync: the bootstrap is guest/bootstrap.sh alone: it "
		    "reads the export line");
		st = &gs->steps[1];
		OK(st->body == guest_run_egress_sh && st->feed &&
		    strcmp(st->feed, guest_egress_sh) == 0 && st->args.nr == 1 &&
		    strcmp(st->args.v[0], "off") == 0,
		    "vmsync: the egress step feeds egress.sh, args off");
		st = &gs->steps[2];
		OK(st->body == guest_run_script_sh && st->feed &&
		    strcmp(st->feed, "echo vm setup\n") == 0,
		    "vmsync: setup.sh is read when the plan is made, and fed "
		    "to guest/run-script.sh");
		st = &gs->steps[4];
		OK(st->body == guest_project_up_sh && st->keep_going &&
		    st->feed && strcmp(st->feed, "echo api setup\n") == 0 &&
		    st->args.nr > 2 && strcmp(st->args.v[0], "api") == 0,
		    "vmsync: a project step feeds its setup.sh, keeps going");
		if (st->args.nr > 2) {
			size_t i = 1, n = strtoul(st->args.v[1], NULL, 10);
			const char *const *v = (const char *const *)st->args.v;

			OK(n > 2 && strcmp(v[2], "podman") == 0 &&
			    strcmp(v[3], "create") == 0 &&
			    strcmp(v[1 + n], "infinity") == 0,
			    "vmsync: project args: the counted create argv");
			i += 1 + n;
			OK(counted_is(&st->args, i, start),
			    "vmsync: project args: then podman start api");
			i += 4;
			n = i < st->args.nr ? strtoul(v[i], NULL, 10) : 0;
			OK(n > 4 && i + 1 + n == st->args.nr &&
			    strcmp(v[i + 1], "podman") == 0 &&
			    strcmp(v[i + 2], "exec") == 0 &&
			    strcmp(v[i + n - 3], "bash") == 0 &&
			    strcmp(v[i + n - 2], "-c") == 0 &&
			    strcmp(v[i + n - 1], guest_run_script_sh) == 0 &&
			    strcmp(v[i + n], "dvm-setup") == 0,
			    "vmsync: project args: then podman exec ... bash "
			    "-c <guest/run-script.sh> dvm-setup, last");
		}
	}
	plan_release(&p);

	unlink(setup);
	plan_init(&p, c.name, 0);
	IS_INT(vmsync_plan(&p, &c, 1), -1,
	    "vmsync: a setup.sh that cannot be read fails the plan");
	plan_release(&p);
	c.setup_path = NULL;

	plan_init(&p, c.name, 0);
	rc = vmsync_project_plan(&p, &c, &proj, PROJECT_REMOVE);
	gs = rc == 0 && p.nr == 2 ? &p.items[1].steps : NULL;
	OK(gs && gs->nr == 3 && strcmp(gs->steps[2].id, "remove:api") == 0 &&
	    gs->steps[2].body == guest_project_remove_sh &&
	    gs->steps[2].feed == NULL &&
	    strcmp(gs->steps[2].args.v[0], "api") == 0 &&
	    counted_is(&gs->steps[2].args, 1, rm) &&
	    gs->steps[2].args.nr == 1 + 7 + 5 + 5,
	    "vmsync: removing a project: name, podman rm, volume exists, "
	    "volume rm");
	plan_release(&p);
	plan_init(&p, c.name, 0);
	rc = vmsync_project_plan(&p, &c, &proj, PROJECT_REMOVE_KEEP);
	gs = rc == 0 && p.nr == 2 ? &p.items[1].steps : NULL;
	OK(gs && gs->nr == 3 && gs->steps[2].args.nr == 1 + 7,
	    "vmsync: keeping the volume: name and podman rm only");
	plan_release(&p);

	unsetenv("DVM_CONFIG_DIR");
	strvec_clear(&proj.ports);
	strvec_clear(&c.secrets);
	release_config(&c);
	free(cfg);
	free(setup);
	free(psetup);
}

/* ------------------------------------------------------------------ */
/* lima                                                               */

static void
check_argv(const struct strvec *av, const char *const *want,
    const char *name)
{
	struct strbuf got = STRBUF_INIT, wantsb = STRBUF_INIT;
	size_t i;
	int same = 1;

	for (i = 0; want[i]; i++) {
		if (i >= av->nr || strcmp(av->v[i], want[i]) != 0)
			same = 0;
		sq_quote_buf(&wantsb, want[i]);
		strbuf_addch(&wantsb, ' ');
	}
	if (av->nr != i || av->v[av->nr] != NULL)
		same = 0;
	for (i = 0; i < av->nr; i++) {
		sq_quote_buf(&got, av->v[i]);
		strbuf_addch(&got, ' ');
	}
	if (!same && strcmp(got.buf, wantsb.buf) == 0)
		strbuf_addstr(&got, "(elements differ)");
	IS_STR(got.buf, wantsb.buf, "lima: %s", name);
	strbuf_release(&got);
	strbuf_release(&wantsb);
}

/*
 * The podman one-shot scripts: dev-env.sh and has-container.sh in front
 * of the body, each ending its last line (or the next file's first line
 * would join it), and the same argv as any script run as DVM_USER, with
 * values only as elements of their own.
 */
static void
test_session_podman(void)
{
	const char *const shared[] = {
		guest_dev_env_sh, guest_has_container_sh, guest_ls_containers_sh,
		guest_project_exec_sh, guest_stop_container_sh, NULL
	};
	struct strvec av = STRVEC_INIT, plain = STRVEC_INIT;
	struct strbuf script = STRBUF_INIT;
	struct vm_config c;
	const char *limactl = opt.limactl;
	char a0[] = "api; touch /tmp/x", *args[2];
	size_t i, len;

	for (i = 0; shared[i]; i++) {
		len = strlen(shared[i]);
		OK(len > 0 && shared[i][len - 1] == '\n',
		    "session: script %zu ends with a newline", i);
	}
	fill_config(&c);
	opt.limactl = "limactl";
	args[0] = a0;
	args[1] = NULL;
	session_podman_argv(&av, &c, 0, guest_stop_container_sh, args);
	strbuf_addstr(&script, guest_dev_env_sh);
	strbuf_addstr(&script, guest_has_container_sh);
	strbuf_addstr(&script, guest_stop_container_sh);
	lima_user_argv(&plain, "limactl", "app", 0, "dev", script.buf, args);
	check_argv(&av, (const char *const *)plain.v,
	    "podman script argv: the shared files, then the body");
	/* limactl shell --workdir=/ dvm-app sudo -u dev -H bash -lc SCRIPT */
	OK(av.nr > 10 && strcmp(av.v[9], "-lc") == 0 &&
	    strstr(av.v[10], "dvm_has_container()") != NULL &&
	    strstr(av.v[10], a0) == NULL,
	    "session: the argument is not in the script text");
	opt.limactl = limactl;
	strvec_clear(&av);
	strvec_clear(&plain);
	strbuf_release(&script);
	release_config(&c);
}

static void
test_lima(void)
{
	struct strvec av = STRVEC_INIT;
	struct vm_config c;
	char a0[] = "/home/dev/code/app", a1[] = "echo 'hi there'";
	char a2[] = "a b", a3[] = "$HOME", a4[] = "", a5[] = "--flag";
	char *args[7];

	fill_config(&c);
	lima_create_argv(&av, "limactl", "warn", &c, LIMA_TEMPLATE);
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "start", "--yes",
			"--name=dvm-app", "--cpus=4", "--memory=8", "--disk=100",
			"--mount-none", "template:fedora", NULL
		};
		check_argv(&av, want, "create argv, default type and network");
	}
	strvec_clear(&av);

	c.vm_type = (char *)"vz";
	c.network = (char *)"user-v2";
	strvec_push(&c.ports, "3000:3000");
	strvec_push(&c.ports, "8080:80");
	lima_create_argv(&av, "/opt/lima/bin/limactl", "info", &c,
	    LIMA_TEMPLATE);
	{
		static const char *const want[] = {
			"/opt/lima/bin/limactl", "--log-level", "info", "start",
			"--yes", "--name=dvm-app", "--cpus=4", "--memory=8",
			"--disk=100", "--mount-none", "--vm-type=vz",
			"--network=lima:user-v2", "--port-forward=3000:3000",
			"--port-forward=8080:80", "template:fedora", NULL
		};
		check_argv(&av, want, "create argv, vz, user-v2, two ports");
	}
	strvec_clear(&av);
	c.vm_type = NULL;
	c.network = NULL;
	strvec_clear(&c.ports);
	lima_create_argv(&av, "limactl", "warn", &c, "template:other");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "start", "--yes",
			"--name=dvm-app", "--cpus=4", "--memory=8", "--disk=100",
			"--mount-none", "template:other", NULL
		};
		check_argv(&av, want, "create argv, NULL type and network");
	}
	strvec_clear(&av);
	release_config(&c);

	lima_start_argv(&av, "limactl", "warn", "app");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "start", "dvm-app", NULL
		};
		check_argv(&av, want, "start argv");
	}
	strvec_clear(&av);
	lima_stop_argv(&av, "limactl", "info", "app");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "info", "stop", "dvm-app", NULL
		};
		check_argv(&av, want, "stop argv");
	}
	strvec_clear(&av);
	lima_delete_argv(&av, "limactl", "warn", "my-vm");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "delete", "--force",
			"dvm-my-vm", NULL
		};
		check_argv(&av, want, "delete argv");
	}
	strvec_clear(&av);
	lima_list_argv(&av, "limactl", INSTANCES_FORMAT, NULL);
	{
		static const char *const want[] = {
			"limactl", "list",
			"--format={{.Name}}\t{{.Status}}\t{{.CPUs}}\t"
			"{{.Memory}}\t{{.Disk}}", NULL
		};
		check_argv(&av, want, "list argv, every instance");
	}
	strvec_clear(&av);
	lima_list_argv(&av, "limactl", "{{.Name}}", "app");
	{
		static const char *const want[] = {
			"limactl", "list", "--format={{.Name}}", "dvm-app", NULL
		};
		check_argv(&av, want, "list argv, one instance");
	}
	strvec_clear(&av);
	lima_script_argv(&av, "limactl", "app");
	{
		static const char *const want[] = {
			"limactl", "shell", "--workdir=/", "dvm-app", "bash", "-s",
			NULL
		};
		check_argv(&av, want, "script argv");
	}
	strvec_clear(&av);
	args[0] = a0;
	args[1] = a1;
	args[2] = a2;
	args[3] = a3;
	args[4] = a4;
	args[5] = a5;
	args[6] = NULL;
	lima_user_argv(&av, "limactl", "app", 1, "dev", "cd \"$1\" && exec bash",
	    args);
	{
		static const char *const want[] = {
			"limactl", "shell", "--start", "--workdir=/", "dvm-app",
			"sudo", "-u", "dev", "-H", "bash", "-lc",
			"cd \"$1\" && exec bash", "bash", "/home/dev/code/app",
			"echo 'hi there'", "a b", "$HOME", "", "--flag", NULL
		};
		check_argv(&av, want, "user argv, args passed as elements");
	}
	strvec_clear(&av);
	lima_user_argv(&av, "limactl", "app", 1, "dev", "exec bash", NULL);
	{
		static const char *const want[] = {
			"limactl", "shell", "--start", "--workdir=/", "dvm-app",
			"sudo", "-u", "dev", "-H", "bash", "-lc", "exec bash",
			"bash", NULL
		};
		check_argv(&av, want, "user argv, no args");
	}
	strvec_clear(&av);
	strvec_push(&av, "keep");
	lima_stop_argv(&av, "limactl", "warn", "app");
	OK(av.nr == 6 && strcmp(av.v[0], "keep") == 0 &&
	    strcmp(av.v[1], "limactl") == 0,
	    "lima: builders append to an existing vector");
	strvec_clear(&av);
}

/* ------------------------------------------------------------------ */
/* instances                                                          */

static void
check_gib(unsigned long long bytes, const char *want)
{
	char *got = format_gib(bytes);

	IS_STR(got, want, "instances: format_gib(%llu)", bytes);
	free(got);
}

static void
test_instances(void)
{
	struct instances is = INSTANCES_INIT;
	const struct instance *in;
	static const char text[] =
	    "dvm-app\tRunning\t4\t8589934592\t107374182400\n"
	    "default\tRunning\t4\t4294967296\t107374182400\n"
	    "dvm-Bad\tStopped\t2\t1073741824\t1073741824\n"
	    "dvm-short\tRunning\t4\n"
	    "\n"
	    "dvm-web\tStopped\t2\t1610612736\t21474836480\r\n"
	    "dvm-\tStopped\t2\t1\t1\n"
	    "dvm-x;y\tRunning\t2\t1\t1\n"
	    "xdvm-foo\tRunning\t2\t1\t1\n"
	    "dvm-1st\tRunning\t2\t1\t1\n"
	    "dvm-last\tBroken\t1\t536870912\t0";

	instances_parse(&is, text);
	IS_INT(is.nr, 3, "instances: parse keeps only the three dvm VMs");
	if (is.nr == 3) {
		IS_STR(is.list[0].vm, "app", "instances: first name, no prefix");
		IS_STR(is.list[0].status, "Running", "instances: status");
		IS_STR(is.list[0].cpus, "4", "instances: cpus");
		OK(is.list[0].memory == 8589934592ULL &&
		    is.list[0].disk == 107374182400ULL,
		    "instances: memory and disk bytes");
		IS_STR(is.list[1].vm, "web", "instances: CRLF line parsed");
		OK(is.list[1].memory == 1610612736ULL &&
		    is.list[1].disk == 21474836480ULL,
		    "instances: CRLF stripped from the last field");
		IS_STR(is.list[2].vm, "last", "instances: last line without "
		    "newline");
		IS_STR(is.list[2].status, "Broken", "instances: Broken status");
		OK(is.list[2].memory == 536870912ULL && is.list[2].disk == 0,
		    "instances: last line sizes");
	}
	in = instances_find(&is, "web");
	OK(in != NULL && strcmp(in->status, "Stopped") == 0,
	    "instances: find web");
	OK(instances_find(&is, "Bad") == NULL &&
	    instances_find(&is, "default") == NULL &&
	    instances_find(&is, "short") == NULL &&
	    instances_find(&is, "dvm-app") == NULL,
	    "instances: skipped lines cannot be found");
	instances_parse(&is, "dvm-more\tRunning\t2\t1073741824\t1\n");
	OK(is.nr == 4 && instances_find(&is, "more") != NULL &&
	    instances_find(&is, "app") != NULL,
	    "instances: a second parse appends");
	instances_release(&is);
	OK(is.list == NULL && is.nr == 0, "instances: release empties");
	instances_parse(&is, "");
	IS_INT(is.nr, 0, "instances: empty output, no instances");
	instances_parse(&is, "\n\r\n\n");
	IS_INT(is.nr, 0, "instances: blank lines, no instances");
	instances_release(&is);

	check_gib(0, "-");
	check_gib(8ULL << 30, "8GiB");
	check_gib(3ULL << 29, "1.5GiB");
	check_gib(512ULL << 20, "0.5GiB");
	check_gib(1ULL << 30, "1GiB");
	check_gib(100ULL << 30, "100GiB");
	check_gib((2ULL << 30) + (256ULL << 20), "2.3GiB");
	check_gib(~0ULL, "17179869183GiB");
	/* Where bytes * 10 + 2^29 would wrap (found by fuzz_instances). */
	check_gib(1844674407370955161ULL, "1717986918GiB");
	check_gib(1844674407317268071ULL, "1717986918GiB");
}

/* ------------------------------------------------------------------ */
/* config                                                             */

static void
check_safe(const char *name, mode_t mode, int is_directory, int want)
{
	char *path = tmp_path(name);

	if (is_directory) {
		mkdir(path, 0700);
		chmod(path, mode);
	} else {
		put_file(path, "DVM_CPUS=2\n", mode);
	}
	IS_INT(config_check_safe(path, "test file", 0), want,
	    "config: config_check_safe on a %s of mode %04o",
	    is_directory ? "directory" : "file", (unsigned)mode);
	free(path);
}

static void
test_config(void)
{
	char *path;
	long n = -1;
	unsigned long want, got = config_default_cpus();

#ifdef _SC_NPROCESSORS_ONLN
	n = sysconf(_SC_NPROCESSORS_ONLN);
#endif

	check_safe("c0600", 0600, 0, 0);
	check_safe("c0644", 0644, 0, 0);
	check_safe("c0400", 0400, 0, 0);
	check_safe("c0620", 0620, 0, -1);
	check_safe("c0602", 0602, 0, -1);
	check_safe("c0666", 0666, 0, -1);
	check_safe("d0700", 0700, 1, 0);
	check_safe("d0755", 0755, 1, 0);
	check_safe("d0775", 0775, 1, -1);
	check_safe("d0757", 0757, 1, -1);
	path = tmp_path("missing.sh");
	IS_INT(config_check_safe(path, "test file", 1), 0,
	    "config: a missing file passes when it may be missing");
	IS_INT(config_check_safe(path, "test file", 0), -1,
	    "config: a missing file fails when it must exist");
	free(path);

	/* Owned by someone else: only root can make such a file. */
	path = tmp_path("c-other-owner");
	if (geteuid() == 0) {
		put_file(path, "x", 0600);
		OK(chown(path, 1, (gid_t)-1) == 0 &&
		    config_check_safe(path, "test file", 0) == -1,
		    "config: config_check_safe refuses a file owned by "
		    "another user");
	} else {
		tap_skip("config: config_check_safe refuses a file owned by "
		    "another user", "needs root to chown");
	}
	free(path);

	OK(got >= 2, "config: config_default_cpus() >= 2 (%lu)", got);
	if (n > 0) {
		want = n <= 4 ? (unsigned long)n - 1 : (unsigned long)n - 2;
		if (want < 2)
			want = 2;
		IS_INT(got, want, "config: default cpus with %ld online CPUs "
		    "(reserve 1 up to 4, else 2)", n);
	}
}

/* ------------------------------------------------------------------ */
/* util                                                               */

static void
test_util_strings(void)
{
	char *s, *big;
	char fill[1001];

	IS_INT(has_prefix("dvm-app", "dvm-"), 1, "util: has_prefix yes");
	IS_INT(has_prefix("dvm", "dvm-"), 0, "util: has_prefix longer prefix");
	IS_INT(has_prefix("xdvm-", "dvm-"), 0, "util: has_prefix no");
	IS_INT(has_prefix("abc", ""), 1, "util: has_prefix empty prefix");
	IS_INT(has_prefix("", ""), 1, "util: has_prefix both empty");
	IS_INT(has_suffix("setup.sh", ".sh"), 1, "util: has_suffix yes");
	IS_INT(has_suffix("sh", ".sh"), 0, "util: has_suffix longer suffix");
	IS_INT(has_suffix("a.shx", ".sh"), 0, "util: has_suffix no");
	IS_INT(has_suffix("abc", ""), 1, "util: has_suffix empty suffix");
	IS_INT(has_suffix(".sh", ".sh"), 1, "util: has_suffix whole string");

	s = xasprintf("%s-%d-%c", "dvm", 7, 'x');
	IS_STR(s, "dvm-7-x", "util: xasprintf");
	free(s);
	s = xasprintf("%s", "");
	IS_STR(s, "", "util: xasprintf of an empty result");
	free(s);
	memset(fill, 'q', 1000);
	fill[1000] = '\0';
	big = xasprintf("<%s>", fill);
	OK(strlen(big) == 1002 && big[0] == '<' && big[1001] == '>' &&
	    big[500] == 'q', "util: xasprintf of 1002 characters");
	free(big);
	s = xstrndup("abcdef", 3);
	IS_STR(s, "abc", "util: xstrndup cuts");
	free(s);
	s = xstrndup("ab", 10);
	IS_STR(s, "ab", "util: xstrndup stops at the NUL");
	free(s);
}

static void
test_util_files(void)
{
	char *dir = tmp_path("files"), *f, *p, *got, *big;
	size_t len = 99, i;
	int fd, rc;

	mkdir(dir, 0700);
	f = xasprintf("%s/new.conf", dir);
	rc = write_new_file(f, "hello\n", 6, 0640);
	IS_INT(rc, 0, "util: write_new_file creates");
	IS_INT(mode_of(f), 0640, "util: write_new_file sets the mode");
	got = read_file(f, &len);
	IS_STR(got, "hello\n", "util: write_new_file content");
	IS_INT(len, 6, "util: read_file length");
	free(got);
	errno = 0;
	rc = write_new_file(f, "other", 5, 0600);
	IS_INT(rc, -1, "util: write_new_file refuses an existing file");
	IS_INT(errno, EEXIST, "util: ... with EEXIST");
	got = read_file(f, NULL);
	IS_STR(got, "hello\n", "util: the existing file is untouched");
	free(got);
	IS_INT(mode_of(f), 0640, "util: ... and keeps its mode");
	IS_INT(count_entries(dir, ""), 1, "util: write_new_file leaves no "
	    "temp file behind");
	free(f);
	f = xasprintf("%s/secret", dir);
	IS_INT(write_new_file(f, "", 0, 0600), 0, "util: write_new_file of "
	    "an empty file");
	IS_INT(mode_of(f), 0600, "util: write_new_file mode 0600");
	got = read_file(f, &len);
	OK(got != NULL && got[0] == '\0' && len == 0, "util: read_file of an "
	    "empty file gives \"\"");
	free(got);
	free(f);
	f = xasprintf("%s/no/such/dir/file", dir);
	IS_INT(write_new_file(f, "x", 1, 0600), -1, "util: write_new_file in "
	    "a missing directory fails");
	free(f);
	IS_INT(count_entries(dir, ".tmp."), 0, "util: no temp files at all");

	/* read_file: binary, larger than one read. */
	big = xmalloc(20000);
	for (i = 0; i < 20000; i++)
		big[i] = (char)(i % 251);
	f = xasprintf("%s/big", dir);
	fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	OK(fd >= 0 && write_all(fd, big, 20000) == 0 && close(fd) == 0,
	    "util: write_all of 20000 bytes");
	got = read_file(f, &len);
	IS_MEM(got, got ? len : 0, big, 20000, "util: read_file of 20000 "
	    "binary bytes");
	OK(got && got[20000] == '\0', "util: read_file NUL-terminates");
	free(got);
	free(big);
	free(f);
	f = xasprintf("%s/absent", dir);
	errno = 0;
	got = read_file(f, &len);
	OK(got == NULL && errno == ENOENT, "util: read_file of a missing "
	    "file is NULL with ENOENT");
	free(got);
	free(f);

	/* mkdir_p */
	p = xasprintf("%s/a/b/c", dir);
	IS_INT(mkdir_p(p, 0750), 0, "util: mkdir_p nested");
	OK(is_dir(p), "util: mkdir_p made the directory");
	IS_INT(mode_of(p), 0750, "util: mkdir_p mode of the leaf");
	free(p);
	p = xasprintf("%s/a", dir);
	IS_INT(mode_of(p), 0750, "util: mkdir_p mode of a parent it made");
	free(p);
	IS_INT(mode_of(dir), 0700, "util: mkdir_p leaves existing parents");
	p = xasprintf("%s/a/b/c", dir);
	IS_INT(mkdir_p(p, 0700), 0, "util: mkdir_p of an existing dir");
	IS_INT(mode_of(p), 0750, "util: ... does not change its mode");
	free(p);
	p = xasprintf("%s/a/x/y/", dir);
	IS_INT(mkdir_p(p, 0700), 0, "util: mkdir_p with a trailing slash");
	OK(is_dir(p), "util: ... made it");
	free(p);
	f = xasprintf("%s/a/file", dir);
	put_file(f, "x", 0600);
	p = xasprintf("%s/a/file/sub", dir);
	IS_INT(mkdir_p(p, 0700), -1, "util: mkdir_p through a file fails");
	free(p);
	errno = 0;
	IS_INT(mkdir_p(f, 0700), -1, "util: mkdir_p of an existing file fails");
	IS_INT(errno, ENOTDIR, "util: ... with ENOTDIR");
	free(f);

	free(dir);
}

/* mkdir_p("") in a child, in a scratch cwd: it must fail cleanly. */
static void
test_mkdir_p_empty(void)
{
	char *d = tmp_path("empty-cwd");
	pid_t pid;
	int status = 0;

	mkdir(d, 0700);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		int r;

		if (chdir(d) < 0)
			_exit(3);
		errno = 0;
		r = mkdir_p("", 0700);
		_exit(r == -1 ? 0 : 2);
	}
	OK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0 && count_entries(d, "") == 0,
	    "util: mkdir_p(\"\") fails cleanly (no out-of-bounds read)");
	if (pid > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		tap_diag("child status 0x%x", (unsigned)status);
	free(d);
}

static void
test_remove_tree(void)
{
	char *root = tmp_path("tree"), *keep = tmp_path("keep");
	char *p, *kf, *link_to;

	p = xasprintf("%s/a/b/c", root);
	mkdir_p(p, 0700);
	free(p);
	p = xasprintf("%s/a/b/c/file", root);
	put_file(p, "1", 0600);
	free(p);
	p = xasprintf("%s/a/f1", root);
	put_file(p, "2", 0400);
	free(p);
	p = xasprintf("%s/x", root);
	put_file(p, "3", 0600);
	free(p);
	p = xasprintf("%s/a/empty", root);
	mkdir(p, 0500);
	free(p);
	mkdir(keep, 0700);
	kf = tmp_path("keep/file");
	put_file(kf, "keep me", 0600);
	link_to = xasprintf("%s/link", root);
	OK(symlink(keep, link_to) == 0, "util: symlink for remove_tree");
	p = xasprintf("%s/dangling", root);
	OK(symlink("/nonexistent/dvm-unit", p) == 0 && path_exists(p) &&
	    !is_dir(p), "util: path_exists sees a dangling symlink, not a dir");
	free(p);

	IS_INT(remove_tree(root), 0, "util: remove_tree of a nested tree");
	OK(!path_exists(root), "util: the tree is gone");
	OK(path_exists(kf) && is_dir(keep), "util: remove_tree does not "
	    "follow a symlink out of the tree");
	IS_INT(remove_tree(root), 0, "util: remove_tree of an absent path");
	IS_INT(remove_tree(kf), 0, "util: remove_tree of a single file");
	OK(!path_exists(kf) && is_dir(keep), "util: only the file went");
	free(kf);
	free(link_to);
	free(root);
	free(keep);
}

#include "test_devbase.h"
#include "test_egress.h"
#include "test_sanitize.h"
#include "test_suggest.h"

/* ------------------------------------------------------------------ */

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char *tmpl;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	tmpl = xasprintf("%s/dvm-unit.XXXXXX", t && *t == '/' ? t : "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		free(tmpl);
		return 1;
	}
	tmp_root = tmpl;

	test_strbuf();
	test_strvec();
	test_quote_fixed();
	test_quote_command_position();
	test_quote_property();
	test_valid_name();
	test_valid_numbers();
	test_parse_target();
	test_guest_markers();
	test_guest_nonce();
	test_guest_build();
	test_guest_warn();
	test_vmsync_plan();
	test_devuser();
	test_lima();
	test_session_podman();
	test_instances();
	test_config();
	test_util_strings();
	test_util_files();
	test_mkdir_p_empty();
	test_remove_tree();
	test_sha256_vectors();
	test_sha256_sha256sum();
	test_base64_fixed();
	test_base64_coreutils();
	test_base64_roundtrip();
	test_tar();
	test_devbase_context();
	test_devbase_refusals();
	test_sanitize();
	test_suggest();
	test_valid_size();
	test_valid_egress_host();
	test_egress_images();
	test_egress_containerfile();
	test_egress_lists();
	test_recipe_headers();
	test_guest_results();

	ret = tap_done();
	if (remove_tree(tmp_root) < 0)
		fprintf(stderr, "unit: cannot remove %s\n", tmp_root);
	free(tmp_root);
	return ret;
}
