/*
 * test_validate.c: unit tests of validate.c: names, numbers, targets,
 * sizes and egress host names.
 */
#include "compat.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#include "tap.h"
#include "tests.h"

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

/* Sizes for --max-size and DVM_CP_RESERVE (validate.c). */
static void
test_valid_size(void)
{
	static const struct {
		const char		*s;
		int			 ok;
		unsigned long long	 want;
	} cases[] = {
		{ "1", 1, 1 }, { "64K", 1, 65536 }, { "500M", 1, 500ULL << 20 },
		{ "2G", 1, 2ULL << 30 }, { "2g", 1, 2ULL << 30 },
		{ "1T", 1, 1ULL << 40 }, { "16777215T", 1, 16777215ULL << 40 },
		{ "18446744073709551615", 1, 18446744073709551615ULL },
		{ "0", 0, 0 }, { "", 0, 0 }, { "01M", 0, 0 }, { "1.5G", 0, 0 },
		{ "2GB", 0, 0 }, { "2 G", 0, 0 }, { "-1", 0, 0 }, { "G", 0, 0 },
		{ "16777216T", 0, 0 }, { "18446744073709551616", 0, 0 },
		{ "1P", 0, 0 }, { " 1", 0, 0 },
	};
	unsigned long long v;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		v = 0;
		IS_INT(valid_size(cases[i].s, &v), cases[i].ok,
		    "valid_size(\"%s\")", cases[i].s);
		if (cases[i].ok)
			OK(v == cases[i].want, "valid_size(\"%s\") = %llu",
			    cases[i].s, v);
	}
}

static void
test_valid_egress_host(void)
{
	static const struct {
		const char	*s;
		int		 want;
	} cases[] = {
		{ "github.com", 1 }, { ".github.com", 1 }, { "a.b", 1 },
		{ "registry-1.docker.io", 1 }, { "x1.y2.z3", 1 },
		{ "1password.com", 1 }, { "a.b.c.d.e.example", 1 },
		{ "xn--bcher-kva.example", 1 }, { "0.example", 1 },
		/* not names */
		{ "", 0 }, { ".", 0 }, { "..", 0 }, { "com", 0 }, { ".com", 0 },
		{ "localhost", 0 }, { "GitHub.com", 0 }, { "github.COM", 0 },
		{ "1.2.3.4", 0 }, { ".1.2.3.4", 0 }, { "10.0.0.1", 0 },
		{ "a.123", 0 }, { "::1", 0 }, { "2001:db8::1", 0 },
		{ "github.com:443", 0 }, { "https://github.com", 0 },
		{ "github.com/x", 0 }, { "user@github.com", 0 },
		{ "github.com.", 0 }, { "..github.com", 0 }, { "a..b", 0 },
		{ "-a.com", 0 }, { "a-.com", 0 }, { "a.-com", 0 },
		{ "a_b.com", 0 }, { "a b.com", 0 }, { "*.github.com", 0 },
		{ "$(touch x).com", 0 }, { "a;b.com", 0 }, { "`id`.com", 0 },
		{ "a.com\n", 0 }, { "a.com\nb.com", 0 }, { "\xc3\xa9.com", 0 },
		{ "'a.com'", 0 }, { "a.com ", 0 },
	};
	char label[80], name[300];
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		IS_INT(valid_egress_host(cases[i].s), cases[i].want,
		    "egress: valid_egress_host(\"%s\") == %d", cases[i].s,
		    cases[i].want);

	/* A label has at most 63 characters. */
	memset(label, 'a', 63);
	strcpy(label + 63, ".com");
	IS_INT(valid_egress_host(label), 1, "egress: a 63-character label");
	memset(label, 'a', 64);
	strcpy(label + 64, ".com");
	IS_INT(valid_egress_host(label), 0, "egress: a 64-character label");

	/* A name has at most 253 characters, a leading dot not counted. */
	for (i = 0; i < 250; i += 2)
		memcpy(name + i, "a.", 2);
	strcpy(name + 250, "com");
	IS_INT((int)strlen(name), 253, "egress: the long name is 253 long");
	IS_INT(valid_egress_host(name), 1, "egress: a 253-character name");
	memmove(name + 1, name, strlen(name) + 1);
	name[0] = '.';
	IS_INT(valid_egress_host(name), 1, "egress: . and 253 characters");
	name[0] = 'b';
	IS_INT(valid_egress_host(name), 0, "egress: a 254-character name");
}

/* valid_plain: ASCII letters and digits, and only the extra asked for. */
static void
test_valid_plain(void)
{
	IS_INT(valid_plain("/srv/app-1.x_y", "/._-"), 1, "plain: a workdir");
	IS_INT(valid_plain("", "/"), 1, "plain: the empty string");
	IS_INT(valid_plain("/my work", "/._-"), 0, "plain: a space");
	IS_INT(valid_plain("/a'b", "/._-"), 0, "plain: a quote");
	IS_INT(valid_plain("/a$b", "/._-"), 0, "plain: a dollar");
	IS_INT(valid_plain("xterm-kitty", "._+-"), 1, "plain: a TERM name");
	IS_INT(valid_plain("xterm/x", "._+-"), 0, "plain: '/' when not asked");
	IS_INT(valid_plain("caf\xc3\xa9", ""), 0, "plain: non-ASCII letters");
}

void
test_validate(void)
{
	test_valid_plain();
	test_valid_name();
	test_valid_numbers();
	test_parse_target();
	test_valid_size();
	test_valid_egress_host();
}
