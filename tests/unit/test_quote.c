/*
 * test_quote.c: unit tests of quote.c, against a real bash.
 */
#include "compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"
#include "strbuf.h"
#include "strvec.h"

#include "tap.h"
#include "tests.h"

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

void
test_quote(void)
{
	test_quote_fixed();
	test_quote_command_position();
	test_quote_property();
}
