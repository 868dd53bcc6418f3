/*
 * test_instances.c: unit tests of instances.c: limactl list output and
 * sizes.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "instances.h"

#include "tap.h"
#include "tests.h"

static void
check_gib(unsigned long long bytes, const char *want)
{
	char *got = format_gib(bytes);

	IS_STR(got, want, "instances: format_gib(%llu)", bytes);
	free(got);
}

void
test_instances(void)
{
	struct instances is = INSTANCES_INIT;
	const struct instance *in;
	static const char text[] =
	    "dvm-app\tRunning\t4\t8589934592\t107374182400\n"
	    "default\tRunning\t4\t4294967296\t107374182400\n"
	    "dvm-Bad\tStopped\t2\t1073741824\t1073741824\n"
	    "dvm-short\tRunning\t4\n"
	    "\n"
	    "dvm-web\tStopped\t2\t1610612736\t21474836480\r\n"
	    "dvm-\tStopped\t2\t1\t1\n"
	    "dvm-x;y\tRunning\t2\t1\t1\n"
	    "xdvm-foo\tRunning\t2\t1\t1\n"
	    "dvm-1st\tRunning\t2\t1\t1\n"
	    "dvm-last\tBroken\t1\t536870912\t0";

	instances_parse(&is, text);
	IS_INT(is.nr, 3, "instances: parse keeps only the three dvm VMs");
	if (is.nr == 3) {
		IS_STR(is.list[0].vm, "app", "instances: first name, no prefix");
		IS_STR(is.list[0].status, "Running", "instances: status");
		IS_STR(is.list[0].cpus, "4", "instances: cpus");
		OK(is.list[0].memory == 8589934592ULL &&
		    is.list[0].disk == 107374182400ULL,
		    "instances: memory and disk bytes");
		IS_STR(is.list[1].vm, "web", "instances: CRLF line parsed");
		OK(is.list[1].memory == 1610612736ULL &&
		    is.list[1].disk == 21474836480ULL,
		    "instances: CRLF stripped from the last field");
		IS_STR(is.list[2].vm, "last", "instances: last line without "
		    "newline");
		IS_STR(is.list[2].status, "Broken", "instances: Broken status");
		OK(is.list[2].memory == 536870912ULL && is.list[2].disk == 0,
		    "instances: last line sizes");
	}
	in = instances_find(&is, "web");
	OK(in != NULL && strcmp(in->status, "Stopped") == 0,
	    "instances: find web");
	OK(instances_find(&is, "Bad") == NULL &&
	    instances_find(&is, "default") == NULL &&
	    instances_find(&is, "short") == NULL &&
	    instances_find(&is, "dvm-app") == NULL,
	    "instances: skipped lines cannot be found");
	instances_parse(&is, "dvm-more\tRunning\t2\t1073741824\t1\n");
	OK(is.nr == 4 && instances_find(&is, "more") != NULL &&
	    instances_find(&is, "app") != NULL,
	    "instances: a second parse appends");
	instances_release(&is);
	OK(is.list == NULL && is.nr == 0, "instances: release empties");
	instances_parse(&is, "");
	IS_INT(is.nr, 0, "instances: empty output, no instances");
	instances_parse(&is, "\n\r\n\n");
	IS_INT(is.nr, 0, "instances: blank lines, no instances");
	instances_release(&is);

	check_gib(0, "-");
	check_gib(8ULL << 30, "8GiB");
	check_gib(3ULL << 29, "1.5GiB");
	check_gib(512ULL << 20, "0.5GiB");
	check_gib(1ULL << 30, "1GiB");
	check_gib(100ULL << 30, "100GiB");
	check_gib((2ULL << 30) + (256ULL << 20), "2.3GiB");
	check_gib(~0ULL, "17179869183GiB");
	/* Where bytes * 10 + 2^29 would wrap (found by fuzz_instances). */
	check_gib(1844674407370955161ULL, "1717986918GiB");
	check_gib(1844674407317268071ULL, "1717986918GiB");
}
