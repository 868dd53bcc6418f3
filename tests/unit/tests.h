/*
 * tests.h: the unit tests, one entry point per module under test
 * (test_<module>.c), and the helpers they share (helpers.c).
 */
#ifndef UNIT_TESTS_H
#define UNIT_TESTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct strbuf;
struct strvec;
struct vm_config;

#define BASH "/bin/bash"

/* The scratch directory of this run, made and removed by unit.c. */
extern char *tmp_root;

/* In the order unit.c runs them. */
void test_strbuf(void);
void test_strvec(void);
void test_quote(void);
void test_validate(void);
void test_guest(void);
void test_vmsync(void);
void test_devuser(void);
void test_lima(void);
void test_session(void);
void test_instances(void);
void test_config(void);
void test_util(void);
void test_sha256(void);
void test_base64(void);
void test_archive(void);
void test_devbase(void);
void test_sanitize(void);
void test_suggest(void);
void test_egress(void);
void test_recipe(void);
void test_sshkey(void);
void test_podman(void);

/* helpers.c */
char *tmp_path(const char *name);
int put_file(const char *path, const char *data, mode_t mode);
int put_bytes(const char *path, const void *data, size_t len, mode_t mode);
mode_t mode_of(const char *path);
int run_capture(char *const *argv, const char *stdin_path,
    const char *lc_all, struct strbuf *out);
int run_bash_c(const char *text, const char *lc_all, struct strbuf *out);
char *quoted(const char *s);
void diag_bytes(const char *label, const char *s, size_t len);
uint32_t rng(void);
void random_bytes(unsigned char *buf, size_t len);
void stderr_capture_begin(void);
char *stderr_capture_end(void);
void check_file(const char *dir, const char *name, const void *want,
    size_t wlen, mode_t mode, const char *what);
void fill_config(struct vm_config *c);
void release_config(struct vm_config *c);
void check_argv(const struct strvec *av, const char *const *want,
    const char *name);

#endif
