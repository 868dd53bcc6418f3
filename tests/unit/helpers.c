/*
 * helpers.c: what several test files share: a scratch directory, files,
 * running bash, a repeatable random stream, captured stderr, and a
 * VM config filled by hand.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "quote.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

/* tmp_root/name; caller frees. */
char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmp_root, name);
}

/* Create (or replace) path with data and exactly the given mode. */
int
put_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write_all(fd, data, strlen(data)) < 0 || fchmod(fd, mode) < 0)
		ret = -1;
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

/* Create (or replace) path with len bytes of data and exactly mode. */
int
put_bytes(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0)
		ret = -1;
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

mode_t
mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return (mode_t)-1;
	return st.st_mode & 07777;
}

/*
 * Run argv (argv[0] a path) with stdin from stdin_path (/dev/null when
 * NULL) and stdout captured into out; stderr is inherited. lc_all, when
 * set, becomes LC_ALL in the child. BASH_ENV and ENV are removed so no
 * startup file can interfere. An alarm kills a child that hangs.
 * Returns the exit status, 128 + signal if killed, -1 if not started.
 */
int
run_capture(char *const *argv, const char *stdin_path, const char *lc_all,
    struct strbuf *out)
{
	int fds[2], status;
	pid_t pid;
	char buf[8192];

	if (pipe(fds) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);

		if (in < 0 || dup2(in, 0) < 0 || dup2(fds[1], 1) < 0)
			_exit(126);
		close(in);
		close(fds[0]);
		close(fds[1]);
		unsetenv("BASH_ENV");
		unsetenv("ENV");
		if (lc_all)
			setenv("LC_ALL", lc_all, 1);
		alarm(20);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(out, buf, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* bash -c text, stdout into out. */
int
run_bash_c(const char *text, const char *lc_all, struct strbuf *out)
{
	struct strvec av = STRVEC_INIT;
	int rc;

	strvec_pushl(&av, BASH, "-c", text, NULL);
	rc = run_capture(av.v, NULL, lc_all, out);
	strvec_clear(&av);
	return rc;
}

char *
quoted(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	sq_quote_buf(&sb, s);
	return strbuf_detach(&sb);
}

/* Print a "#" line: label, then s escaped. */
void
diag_bytes(const char *label, const char *s, size_t len)
{
	printf("#   %s", label);
	tap_escape(s, len);
	putchar('\n');
}

static uint32_t rng_state = 0x9e3779b9u;

/*
 * One xorshift stream for every test file: which bytes a test gets
 * depends on the order unit.c runs them in, and is the same every run.
 */
uint32_t
rng(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rng_state = x;
	return x;
}

void
random_bytes(unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(rng() >> 11);
}

/*
 * Messages from error() go to fd 2; the refusal tests read them back
 * from a file to check what the user would see.
 */
static int saved_stderr = -1;

void
stderr_capture_begin(void)
{
	char *p = tmp_path("captured-stderr");
	int fd;

	fflush(stderr);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		saved_stderr = dup(2);
		dup2(fd, 2);
		close(fd);
	}
	free(p);
}

/* The text written to stderr since stderr_capture_begin(); caller frees. */
char *
stderr_capture_end(void)
{
	char *p = tmp_path("captured-stderr"), *text;

	fflush(stderr);
	if (saved_stderr >= 0) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
		saved_stderr = -1;
	}
	text = read_file(p, NULL);
	unlink(p);
	free(p);
	return text ? text : xstrdup("");
}

/* Compare a file's bytes and mode with what went into the archive. */
void
check_file(const char *dir, const char *name, const void *want,
    size_t wlen, mode_t mode, const char *what)
{
	char *p = xasprintf("%s/%s", dir, name), *got;
	size_t glen = 0;

	got = read_file(p, &glen);
	IS_MEM(got, glen, want, wlen, "%s: contents of %s", what, name);
	IS_INT(mode_of(p), mode, "%s: mode of %s", what, name);
	free(got);
	free(p);
}

/* A config filled by hand, as config_load() would leave it. */
void
fill_config(struct vm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->name = (char *)"app";
	c->user = (char *)"dev";
	c->code_dir = (char *)"/home/dev/code/app";
	c->subuid_count = (char *)"65536";
	c->subgid_count = (char *)"65536";
	c->cpus = (char *)"4";
	c->memory = (char *)"8";
	c->disk = (char *)"100";
	c->vm_type = (char *)"";
	c->network = (char *)"";
	strvec_init(&c->ports);
	strvec_init(&c->recipes);
	strvec_init(&c->extra);
}

void
release_config(struct vm_config *c)
{
	strvec_clear(&c->ports);
	strvec_clear(&c->recipes);
	strvec_clear(&c->extra);
}

void
check_argv(const struct strvec *av, const char *const *want,
    const char *name)
{
	struct strbuf got = STRBUF_INIT, wantsb = STRBUF_INIT;
	size_t i;
	int same = 1;

	for (i = 0; want[i]; i++) {
		if (i >= av->nr || strcmp(av->v[i], want[i]) != 0)
			same = 0;
		sq_quote_buf(&wantsb, want[i]);
		strbuf_addch(&wantsb, ' ');
	}
	if (av->nr != i || av->v[av->nr] != NULL)
		same = 0;
	for (i = 0; i < av->nr; i++) {
		sq_quote_buf(&got, av->v[i]);
		strbuf_addch(&got, ' ');
	}
	if (!same && strcmp(got.buf, wantsb.buf) == 0)
		strbuf_addstr(&got, "(elements differ)");
	IS_STR(got.buf, wantsb.buf, "lima: %s", name);
	strbuf_release(&got);
	strbuf_release(&wantsb);
}
