/*
 * test_util.c: unit tests of util.c: strings, files and directories.
 */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#include "tap.h"
#include "tests.h"

/* Number of directory entries of dir whose name contains part. */
static int
count_entries(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strstr(de->d_name, part) != NULL)
			n++;
	}
	closedir(d);
	return n;
}

static void
test_util_strings(void)
{
	char *s, *big;
	char fill[1001];

	IS_INT(has_prefix("dvm-app", "dvm-"), 1, "util: has_prefix yes");
	IS_INT(has_prefix("dvm", "dvm-"), 0, "util: has_prefix longer prefix");
	IS_INT(has_prefix("xdvm-", "dvm-"), 0, "util: has_prefix no");
	IS_INT(has_prefix("abc", ""), 1, "util: has_prefix empty prefix");
	IS_INT(has_prefix("", ""), 1, "util: has_prefix both empty");
	IS_INT(has_suffix("setup.sh", ".sh"), 1, "util: has_suffix yes");
	IS_INT(has_suffix("sh", ".sh"), 0, "util: has_suffix longer suffix");
	IS_INT(has_suffix("a.shx", ".sh"), 0, "util: has_suffix no");
	IS_INT(has_suffix("abc", ""), 1, "util: has_suffix empty suffix");
	IS_INT(has_suffix(".sh", ".sh"), 1, "util: has_suffix whole string");

	s = xasprintf("%s-%d-%c", "dvm", 7, 'x');
	IS_STR(s, "dvm-7-x", "util: xasprintf");
	free(s);
	s = xasprintf("%s", "");
	IS_STR(s, "", "util: xasprintf of an empty result");
	free(s);
	memset(fill, 'q', 1000);
	fill[1000] = '\0';
	big = xasprintf("<%s>", fill);
	OK(strlen(big) == 1002 && big[0] == '<' && big[1001] == '>' &&
	    big[500] == 'q', "util: xasprintf of 1002 characters");
	free(big);
	s = xstrndup("abcdef", 3);
	IS_STR(s, "abc", "util: xstrndup cuts");
	free(s);
	s = xstrndup("ab", 10);
	IS_STR(s, "ab", "util: xstrndup stops at the NUL");
	free(s);
}

static void
test_util_files(void)
{
	char *dir = tmp_path("files"), *f, *p, *got, *big;
	size_t len = 99, i;
	int fd, rc;

	mkdir(dir, 0700);
	f = xasprintf("%s/new.conf", dir);
	rc = write_new_file(f, "hello\n", 6, 0640);
	IS_INT(rc, 0, "util: write_new_file creates");
	IS_INT(mode_of(f), 0640, "util: write_new_file sets the mode");
	got = read_file(f, &len);
	IS_STR(got, "hello\n", "util: write_new_file content");
	IS_INT(len, 6, "util: read_file length");
	free(got);
	errno = 0;
	rc = write_new_file(f, "other", 5, 0600);
	IS_INT(rc, -1, "util: write_new_file refuses an existing file");
	IS_INT(errno, EEXIST, "util: ... with EEXIST");
	got = read_file(f, NULL);
	IS_STR(got, "hello\n", "util: the existing file is untouched");
	free(got);
	IS_INT(mode_of(f), 0640, "util: ... and keeps its mode");
	IS_INT(count_entries(dir, ""), 1, "util: write_new_file leaves no "
	    "temp file behind");
	free(f);
	f = xasprintf("%s/secret", dir);
	IS_INT(write_new_file(f, "", 0, 0600), 0, "util: write_new_file of "
	    "an empty file");
	IS_INT(mode_of(f), 0600, "util: write_new_file mode 0600");
	got = read_file(f, &len);
	OK(got != NULL && got[0] == '\0' && len == 0, "util: read_file of an "
	    "empty file gives \"\"");
	free(got);
	free(f);
	f = xasprintf("%s/no/such/dir/file", dir);
	IS_INT(write_new_file(f, "x", 1, 0600), -1, "util: write_new_file in "
	    "a missing directory fails");
	free(f);
	IS_INT(count_entries(dir, ".tmp."), 0, "util: no temp files at all");

	/* read_file: binary, larger than one read. */
	big = xmalloc(20000);
	for (i = 0; i < 20000; i++)
		big[i] = (char)(i % 251);
	f = xasprintf("%s/big", dir);
	fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	OK(fd >= 0 && write_all(fd, big, 20000) == 0 && close(fd) == 0,
	    "util: write_all of 20000 bytes");
	got = read_file(f, &len);
	IS_MEM(got, got ? len : 0, big, 20000, "util: read_file of 20000 "
	    "binary bytes");
	OK(got && got[20000] == '\0', "util: read_file NUL-terminates");
	free(got);
	free(big);
	free(f);
	f = xasprintf("%s/absent", dir);
	errno = 0;
	got = read_file(f, &len);
	OK(got == NULL && errno == ENOENT, "util: read_file of a missing "
	    "file is NULL with ENOENT");
	free(got);
	free(f);

	/* mkdir_p */
	p = xasprintf("%s/a/b/c", dir);
	IS_INT(mkdir_p(p, 0750), 0, "util: mkdir_p nested");
	OK(is_dir(p), "util: mkdir_p made the directory");
	IS_INT(mode_of(p), 0750, "util: mkdir_p mode of the leaf");
	free(p);
	p = xasprintf("%s/a", dir);
	IS_INT(mode_of(p), 0750, "util: mkdir_p mode of a parent it made");
	free(p);
	IS_INT(mode_of(dir), 0700, "util: mkdir_p leaves existing parents");
	p = xasprintf("%s/a/b/c", dir);
	IS_INT(mkdir_p(p, 0700), 0, "util: mkdir_p of an existing dir");
	IS_INT(mode_of(p), 0750, "util: ... does not change its mode");
	free(p);
	p = xasprintf("%s/a/x/y/", dir);
	IS_INT(mkdir_p(p, 0700), 0, "util: mkdir_p with a trailing slash");
	OK(is_dir(p), "util: ... made it");
	free(p);
	f = xasprintf("%s/a/file", dir);
	put_file(f, "x", 0600);
	p = xasprintf("%s/a/file/sub", dir);
	IS_INT(mkdir_p(p, 0700), -1, "util: mkdir_p through a file fails");
	free(p);
	errno = 0;
	IS_INT(mkdir_p(f, 0700), -1, "util: mkdir_p of an existing file fails");
	IS_INT(errno, ENOTDIR, "util: ... with ENOTDIR");
	free(f);

	free(dir);
}

/* mkdir_p("") in a child, in a scratch cwd: it must fail cleanly. */
static void
test_mkdir_p_empty(void)
{
	char *d = tmp_path("empty-cwd");
	pid_t pid;
	int status = 0;

	mkdir(d, 0700);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		int r;

		if (chdir(d) < 0)
			_exit(3);
		errno = 0;
		r = mkdir_p("", 0700);
		_exit(r == -1 ? 0 : 2);
	}
	OK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0 && count_entries(d, "") == 0,
	    "util: mkdir_p(\"\") fails cleanly (no out-of-bounds read)");
	if (pid > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		tap_diag("child status 0x%x", (unsigned)status);
	free(d);
}

static void
test_remove_tree(void)
{
	char *root = tmp_path("tree"), *keep = tmp_path("keep");
	char *p, *kf, *link_to;

	p = xasprintf("%s/a/b/c", root);
	mkdir_p(p, 0700);
	free(p);
	p = xasprintf("%s/a/b/c/file", root);
	put_file(p, "1", 0600);
	free(p);
	p = xasprintf("%s/a/f1", root);
	put_file(p, "2", 0400);
	free(p);
	p = xasprintf("%s/x", root);
	put_file(p, "3", 0600);
	free(p);
	p = xasprintf("%s/a/empty", root);
	mkdir(p, 0500);
	free(p);
	mkdir(keep, 0700);
	kf = tmp_path("keep/file");
	put_file(kf, "keep me", 0600);
	link_to = xasprintf("%s/link", root);
	OK(symlink(keep, link_to) == 0, "util: symlink for remove_tree");
	p = xasprintf("%s/dangling", root);
	OK(symlink("/nonexistent/dvm-unit", p) == 0 && path_exists(p) &&
	    !is_dir(p), "util: path_exists sees a dangling symlink, not a dir");
	free(p);

	IS_INT(remove_tree(root), 0, "util: remove_tree of a nested tree");
	OK(!path_exists(root), "util: the tree is gone");
	OK(path_exists(kf) && is_dir(keep), "util: remove_tree does not "
	    "follow a symlink out of the tree");
	IS_INT(remove_tree(root), 0, "util: remove_tree of an absent path");
	IS_INT(remove_tree(kf), 0, "util: remove_tree of a single file");
	OK(!path_exists(kf) && is_dir(keep), "util: only the file went");
	free(kf);
	free(link_to);
	free(root);
	free(keep);
}

void
test_util(void)
{
	test_util_strings();
	test_util_files();
	test_mkdir_p_empty();
	test_remove_tree();
}
