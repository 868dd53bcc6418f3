/*
 * test_strvec.c: unit tests of strvec.c.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strvec.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

void
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
