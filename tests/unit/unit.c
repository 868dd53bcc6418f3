/*
 * Unit tests of dvm's pure modules, printed as TAP.
 *
 * Linked with every object of src/ except main.o. The quoting and guest
 * script tests run /bin/bash: a test may fork and exec (the "only proc.c
 * forks" rule is for the product). Everything a test allocates is freed,
 * so the binary stays clean under -fsanitize=address,undefined.
 */
#include "unit.h"

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
	test_quote_fixed();
	test_quote_command_position();
	test_quote_property();
	test_valid_name();
	test_valid_numbers();
	test_parse_target();
	test_guest_markers();
	test_guest_nonce();
	test_guest_build();
	test_guest_warn();
	test_vmsync_plan();
	test_devuser();
	test_lima();
	test_session_podman();
	test_instances();
	test_config();
	test_util_strings();
	test_util_files();
	test_mkdir_p_empty();
	test_remove_tree();
	test_sha256_vectors();
	test_sha256_sha256sum();
	test_base64_fixed();
	test_base64_coreutils();
	test_base64_roundtrip();
	test_tar();
	test_devbase_context();
	test_devbase_refusals();
	test_sanitize();
	test_suggest();
	test_sshkey();
	test_valid_size();
	test_valid_egress_host();
	test_egress_images();
	test_egress_containerfile();
	test_egress_lists();
	test_recipe_headers();
	test_guest_results();

	ret = tap_done();
	if (remove_tree(tmp_root) < 0)
		fprintf(stderr, "unit: cannot remove %s\n", tmp_root);
	free(tmp_root);
	return ret;
}
