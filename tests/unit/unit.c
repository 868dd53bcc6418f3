/*
 * Unit tests of dvm's pure modules, printed as TAP: one test file per
 * module (test_<module>.c), run here in a fixed order.
 *
 * Linked with every object of src/ except main.o. The quoting and guest
 * script tests run /bin/bash: a test may fork and exec (the "only proc.c
 * forks" rule is for the product). Everything a test allocates is freed,
 * so the binary stays clean under -fsanitize=address,undefined.
 */
#include "compat.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

#include "tap.h"
#include "tests.h"

char *tmp_root;

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char *tmpl;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	tmpl = xasprintf("%s/dvm-unit.XXXXXX", t && *t == '/' ? t : "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		free(tmpl);
		return 1;
	}
	tmp_root = tmpl;

	test_strbuf();
	test_strvec();
	test_quote();
	test_validate();
	test_guest();
	test_vmsync();
	test_devuser();
	test_lima();
	test_session();
	test_instances();
	test_config();
	test_util();
	/* These draw their data from rng(), after test_quote. */
	test_sha256();
	test_base64();
	test_archive();
	test_devbase();
	test_sanitize();
	test_suggest();
	test_egress();
	test_recipe();
	test_sshkey();
	test_podman();

	ret = tap_done();
	if (remove_tree(tmp_root) < 0)
		fprintf(stderr, "unit: cannot remove %s\n", tmp_root);
	free(tmp_root);
	return ret;
}
