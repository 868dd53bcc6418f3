/*
 * test_recipe.c: unit tests of recipe.c: header lines of a recipe.
 */
#include "compat.h"


#include "recipe.h"
#include "strvec.h"

#include "tap.h"
#include "tests.h"

void
test_recipe(void)
{
	struct strvec w = STRVEC_INIT;
	static const char text[] =
	    "#!/usr/bin/env bash\n"
	    "# Description: a test\n"
	    "# Egress: a.example b.example\n"
	    "# Egress:\tc.example  \n"
	    "#\n"
	    "# Egress:\n"
	    "\n"
	    "# Egress: later.example\n"
	    "dvm_pkg x\n";

	IS_INT(recipe_header_words(text, "# Egress:", &w), 3,
	    "recipe: three # Egress: lines in the header, one of them empty");
	IS_INT((int)w.nr, 3, "recipe: three # Egress: words in the header");
	if (w.nr == 3) {
		IS_STR(w.v[0], "a.example", "recipe: first word");
		IS_STR(w.v[1], "b.example", "recipe: second word");
		IS_STR(w.v[2], "c.example", "recipe: tab-separated word");
	}
	strvec_clear(&w);
	IS_INT(recipe_header_words("dvm_pkg x\n# Egress: a.example\n",
	    "# Egress:", &w), 0, "recipe: no header block, no lines");
	IS_INT((int)w.nr, 0, "recipe: no header block, no words");
	strvec_clear(&w);
	recipe_header_words("# Egress: last.example", "# Egress:", &w);
	IS_INT((int)w.nr, 1, "recipe: a header without a newline");
	strvec_clear(&w);

	IS_INT(recipe_needs_agent("#!/bin/bash\n# x\n\ndvm_need_agent claude\n"
	    "dvm_pkg npm\n"), 1, "recipe: dvm_need_agent first: an AI recipe");
	IS_INT(recipe_needs_agent("  dvm_need_agent x"), 1,
	    "recipe: indented, without a newline");
	IS_INT(recipe_needs_agent("dvm_pkg x\ndvm_need_agent y\n"), 0,
	    "recipe: dvm_need_agent later is not first");
	IS_INT(recipe_needs_agent("# dvm_need_agent x\ndvm_need_agents\n"),
	    0, "recipe: a comment or a longer word does not count");
	IS_INT(recipe_needs_agent(""), 0, "recipe: empty text");
}
