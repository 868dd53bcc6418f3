/*
 * unit.h: what every unit test file includes: the headers of the modules
 * under test, tap.h, the shared helpers (helpers.c) and one entry point
 * per test, called in order by unit.c.
 */
#ifndef UNIT_UNIT_H
#define UNIT_UNIT_H

#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive.h"
#include "base64.h"
#include "config.h"
#include "devbase.h"
#include "devuser.h"
#include "dvm.h"
#include "egress.h"
#include "guest.h"
#include "instances.h"
#include "lima.h"
#include "quote.h"
#include "recipe.h"
#include "runner.h"
#include "sanitize.h"
#include "scripts.h"
#include "session.h"
#include "sha256.h"
#include "strbuf.h"
#include "strvec.h"
#include "suggest.h"
#include "util.h"
#include "validate.h"
#include "vmsync.h"

#include "tap.h"

#define BASH "/bin/bash"

/* helpers.c */
extern char *tmp_root;		/* the scratch directory of this run */
extern const char test_nonce[];	/* a fixed guest-script nonce */
uint32_t rng(void);		/* a fixed pseudo-random sequence */
char * tmp_path(const char *name);
int put_file(const char *path, const char *data, mode_t mode);
mode_t mode_of(const char *path);
int count_entries(const char *dir, const char *part);
int run_capture(char *const *argv, const char *stdin_path, const char *lc_all,  struct strbuf *out);
int run_bash_c(const char *text, const char *lc_all, struct strbuf *out);
char * quoted(const char *s);
void diag_bytes(const char *label, const char *s, size_t len);
void fill_config(struct vm_config *c);
void release_config(struct vm_config *c);
void check_argv(const struct strvec *av, const char *const *want,  const char *name);

/* The tests, one or more per module, in the order unit.c runs them. */
void test_strbuf(void);
void test_strvec(void);
void test_quote_fixed(void);
void test_quote_command_position(void);
void test_quote_property(void);
void test_valid_name(void);
void test_valid_numbers(void);
void test_parse_target(void);
void test_guest_markers(void);
void test_guest_nonce(void);
void test_guest_build(void);
void test_guest_warn(void);
void test_vmsync_plan(void);
void test_devuser(void);
void test_lima(void);
void test_session_podman(void);
void test_instances(void);
void test_config(void);
void test_util_strings(void);
void test_util_files(void);
void test_mkdir_p_empty(void);
void test_remove_tree(void);
void test_sha256_vectors(void);
void test_sha256_sha256sum(void);
void test_base64_fixed(void);
void test_base64_coreutils(void);
void test_base64_roundtrip(void);
void test_tar(void);
void test_devbase_context(void);
void test_devbase_refusals(void);
void test_sanitize(void);
void test_suggest(void);
void test_sshkey(void);
void test_valid_size(void);
void test_valid_egress_host(void);
void test_egress_images(void);
void test_egress_containerfile(void);
void test_egress_lists(void);
void test_recipe_headers(void);
void test_guest_results(void);

#endif
