/*
 * test_suggest.c: unit tests of suggest.c.
 */
#include "compat.h"

#include <string.h>

#include "suggest.h"

#include "tap.h"
#include "tests.h"

void
test_suggest(void)
{
	static const char *const cmds[] = { "sync", "sh", "ssh", "ls",
	    "stop", "reset", "rm", "new", "init" };
	static const char *const vars[] = { "DVM_MEMORY", "DVM_CPUS",
	    "DVM_DISK", "DVM_PORTS" };
	const char *s;
	char longer[SUGGEST_MAX_LEN + 2];

	OK(suggest_distance("sync", "sync") == 0, "distance: same word");
	OK(suggest_distance("snyc", "sync") == 1, "distance: a swap is one");
	OK(suggest_distance("sycn", "sync") == 1, "distance: a late swap");
	OK(suggest_distance("syn", "sync") == 1, "distance: a deletion");
	OK(suggest_distance("", "abc") == 3, "distance: from nothing");
	OK(suggest_distance("kitten", "sitting") == 3, "distance: kitten");
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	OK(suggest_distance(longer, "a") == (size_t)-1,
	    "distance: too long is far");

	s = suggest("snyc", cmds, 9);
	IS_STR(s ? s : "(null)", "sync", "suggest: snyc is sync");
	s = suggest("rest", cmds, 9);
	IS_STR(s ? s : "(null)", "reset", "suggest: rest is reset");
	OK(suggest("s", cmds, 9) == NULL, "suggest: a tie is no answer");
	OK(suggest("sync", cmds, 9) == NULL, "suggest: a known word");
	OK(suggest("frobnicate", cmds, 9) == NULL, "suggest: nothing near");
	OK(suggest("xyzw", cmds, 9) == NULL,
	    "suggest: short words allow one edit only");
	s = suggest("DVM_MEMROY", vars, 4);
	IS_STR(s ? s : "(null)", "DVM_MEMORY", "suggest: DVM_MEMROY");
	s = suggest("DVM_CPU", vars, 4);
	IS_STR(s ? s : "(null)", "DVM_CPUS", "suggest: DVM_CPU");
	{
		static const char *const longs[] = {
		    "DVM_A_SETTING_NAME_FAR_LONGER_THAN_SIXTY_FOUR_CHARACTERS_"
		    "IN_ALL_OF_IT", "DVM_ANOTHER_ONE_JUST_AS_LONG_AS_THE_FIRST_"
		    "NAME_IN_THIS_LIST_XX" };

		OK(suggest("DVM_X_THAT_IS_ALSO_FAR_TOO_LONG_TO_COMPARE_WITH_"
		    "ANYTHING_AT_ALL_HERE", longs, 2) == NULL,
		    "suggest: names too long to compare are no answer");
	}
	OK(suggest("DVM_LLAMA_MODEL", vars, 4) == NULL,
	    "suggest: a recipe's own setting is no typo");
}
