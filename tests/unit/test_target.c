/* Unit tests of src/target.c. */
#include "unit.h"

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

void
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
