/* Unit tests of src/validate.c. */
#include "unit.h"

void
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

void
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
