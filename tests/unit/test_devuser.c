/*
 * test_devuser.c: unit tests of devuser.c.
 */
#include "compat.h"


#include "devuser.h"

#include "tap.h"
#include "tests.h"

/* Lima's name for its login user, from the host user's name. */
void
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
