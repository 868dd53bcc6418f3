/*
 * test_sanitize.c: unit tests of sanitize.c. The payloads are the ones a
 * hostile guest would send to a terminal.
 */
#include "compat.h"

#include <stdint.h>
#include <stdlib.h>

#include "sanitize.h"
#include "strbuf.h"

#include "tap.h"
#include "tests.h"

static void
san_is(const char *in, size_t len, int how, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	sanitize_add(&sb, in, len, how);
	IS_STR(sb.buf, want, "sanitize %s", want);
	strbuf_release(&sb);
}

static void
json_is(const char *in, size_t len, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	json_add_str(&sb, in, len);
	IS_STR(sb.buf, want, "json %s", want);
	strbuf_release(&sb);
}

void
test_sanitize(void)
{
	uint32_t cp = 0;
	char *s;

	san_is("plain text", 10, SANITIZE_FIELD, "plain text");
	san_is("a\tb\nc", 5, SANITIZE_LINES, "a\tb\nc");
	san_is("a\tb\nc", 5, SANITIZE_FIELD, "a\\x09b\\x0ac");
	/* Window title, OSC 52 clipboard, clear screen, cursor-up + erase. */
	san_is("\033]0;pwned\007", 10, SANITIZE_LINES, "\\x1b]0;pwned\\x07");
	san_is("\033]52;c;ZXZpbA==\007", 16, SANITIZE_LINES,
	    "\\x1b]52;c;ZXZpbA==\\x07");
	san_is("\033[2J\033[H", 7, SANITIZE_LINES, "\\x1b[2J\\x1b[H");
	san_is("\033[1A\033[2K\xe2\x9c\x93 ok", 14, SANITIZE_LINES,
	    "\\x1b[1A\\x1b[2K\xe2\x9c\x93 ok");
	san_is("over\rwrite", 10, SANITIZE_LINES, "over\\x0dwrite");
	san_is("del\177", 4, SANITIZE_LINES, "del\\x7f");
	san_is("nul\0x", 5, SANITIZE_LINES, "nul\\x00x");
	/* C1 controls: CSI as U+009B, and the raw byte (invalid UTF-8). */
	san_is("\xc2\x9b" "2J", 4, SANITIZE_LINES, "\\u009b2J");
	san_is("\x9b" "2J", 3, SANITIZE_LINES, "\xef\xbf\xbd" "2J");
	/* Bidi controls: all nine shown, neighbours kept. */
	san_is("a\xe2\x80\xaez", 5, SANITIZE_LINES, "a\\u202ez");
	san_is("\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9", 9, SANITIZE_FIELD,
	    "\\u202a\\u2066\\u2069");
	san_is("\xe2\x80\xa9", 3, SANITIZE_FIELD, "\xe2\x80\xa9");
	/* Invalid UTF-8: overlong, surrogate, truncated, past U+10FFFF. */
	san_is("\xc0\xaf", 2, SANITIZE_FIELD, "\xef\xbf\xbd\xef\xbf\xbd");
	san_is("\xed\xa0\x80", 3, SANITIZE_FIELD,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	san_is("\xe2\x82", 2, SANITIZE_FIELD, "\xef\xbf\xbd\xef\xbf\xbd");
	san_is("\xf4\x90\x80\x80", 4, SANITIZE_FIELD,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	san_is("caf\xc3\xa9 \xf0\x9f\x90\xb3", 10, SANITIZE_FIELD,
	    "caf\xc3\xa9 \xf0\x9f\x90\xb3");
	s = sanitize_str("x\033y", SANITIZE_FIELD);
	IS_STR(s, "x\\x1by", "sanitize_str");
	free(s);

	IS_INT((int)utf8_decode((const unsigned char *)"\xf0\x9f\x90\xb3", 4,
	    &cp), 4, "utf8_decode length");
	IS_INT((int)cp, 0x1f433, "utf8_decode code point");
	IS_INT((int)utf8_decode((const unsigned char *)"\xe0\x80\x80", 3,
	    &cp), 0, "utf8_decode overlong 3-byte");

	json_is("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	json_is("\033[2J\n", 5, "\"\\u001b[2J\\u000a\"");
	json_is("bad\xff\xfe", 5, "\"bad\xef\xbf\xbd\xef\xbf\xbd\"");
	json_is("\xc3\xa9\xe2\x80\xae\xc2\x9b", 7, "\"\xc3\xa9\\u202e\\u009b\"");
	json_is("del\177", 4, "\"del\\u007f\"");
}
