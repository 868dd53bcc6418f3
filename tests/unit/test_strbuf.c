/*
 * test_strbuf.c: unit tests of strbuf.c.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "tap.h"
#include "tests.h"

void
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
