/*
 * test_config.c: unit tests of config.c: file permissions and defaults.
 */
#include "compat.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "config.h"

#include "tap.h"
#include "tests.h"

static void
check_safe(const char *name, mode_t mode, int is_directory, int want)
{
	char *path = tmp_path(name);

	if (is_directory) {
		mkdir(path, 0700);
		chmod(path, mode);
	} else {
		put_file(path, "DVM_CPUS=2\n", mode);
	}
	IS_INT(config_check_safe(path, "test file", 0), want,
	    "config: config_check_safe on a %s of mode %04o",
	    is_directory ? "directory" : "file", (unsigned)mode);
	free(path);
}

void
test_config(void)
{
	char *path;
	long n = -1;
	unsigned long want, got = config_default_cpus();

#ifdef _SC_NPROCESSORS_ONLN
	n = sysconf(_SC_NPROCESSORS_ONLN);
#endif

	check_safe("c0600", 0600, 0, 0);
	check_safe("c0644", 0644, 0, 0);
	check_safe("c0400", 0400, 0, 0);
	check_safe("c0620", 0620, 0, -1);
	check_safe("c0602", 0602, 0, -1);
	check_safe("c0666", 0666, 0, -1);
	check_safe("d0700", 0700, 1, 0);
	check_safe("d0755", 0755, 1, 0);
	check_safe("d0775", 0775, 1, -1);
	check_safe("d0757", 0757, 1, -1);
	path = tmp_path("missing.sh");
	IS_INT(config_check_safe(path, "test file", 1), 0,
	    "config: a missing file passes when it may be missing");
	IS_INT(config_check_safe(path, "test file", 0), -1,
	    "config: a missing file fails when it must exist");
	free(path);

	/* Owned by someone else: only root can make such a file. */
	path = tmp_path("c-other-owner");
	if (geteuid() == 0) {
		put_file(path, "x", 0600);
		OK(chown(path, 1, (gid_t)-1) == 0 &&
		    config_check_safe(path, "test file", 0) == -1,
		    "config: config_check_safe refuses a file owned by "
		    "another user");
	} else {
		tap_skip("config: config_check_safe refuses a file owned by "
		    "another user", "needs root to chown");
	}
	free(path);

	OK(got >= 2, "config: config_default_cpus() >= 2 (%lu)", got);
	if (n > 0) {
		want = n <= 4 ? (unsigned long)n - 1 : (unsigned long)n - 2;
		if (want < 2)
			want = 2;
		IS_INT(got, want, "config: default cpus with %ld online CPUs "
		    "(reserve 1 up to 4, else 2)", n);
	}
}
