/*
 * fuzz_untar: the strict tar reader of guest→host copies (src/untar.c)
 * on arbitrary streams, unpacked for real into a fresh directory.
 *
 * Whatever the input, after untar() returns:
 *   - nothing exists beside the root in its parent (no write escaped);
 *   - the tree under the root holds only directories, regular files
 *     without setuid/setgid/sticky bits, and symlinks whose target is
 *     relative and, resolved by the kernel, stays under root/<top>;
 *   - on success res.why is NULL, on failure it is set.
 * Then the tree is removed (remove_tree() must manage mode-000 dirs) and
 * everything is freed (LeakSanitizer runs per input).
 */
#define _XOPEN_SOURCE 700	/* realpath(), for the check only */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "untar.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char *base, *root, *top_real;

struct feed {
	const uint8_t	*data;
	size_t		 size, at;
};

/* Short reads on purpose: the reader must not assume whole blocks. */
static ssize_t
feed_read(void *ctx, void *buf, size_t len)
{
	struct feed *f = ctx;
	size_t n = f->size - f->at;

	if (n > len)
		n = len;
	if (n > 700)
		n = 700;
	memcpy(buf, f->data + f->at, n);
	f->at += n;
	return (ssize_t)n;
}

static void
remove_base(void)
{
	remove_tree(base);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *t = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	base = xasprintf("%s/dvm-fuzz-untar.XXXXXX", t && *t == '/' ? t :
	    "/tmp");
	if (mkdtemp(base) == NULL)
		abort();
	root = xasprintf("%s/root", base);
	atexit(remove_base);
	return 0;
}

static void
check_tree(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;

	FUZZ_ASSERT(lstat(path, &st) == 0);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX], resolved[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		FUZZ_ASSERT(n > 0);
		target[n] = '\0';
		FUZZ_ASSERT(target[0] != '/');
		if (realpath(path, resolved) != NULL)
			FUZZ_ASSERT(strncmp(resolved, top_real,
			    strlen(top_real)) == 0 &&
			    (resolved[strlen(top_real)] == '\0' ||
			    resolved[strlen(top_real)] == '/'));
		return;
	}
	FUZZ_ASSERT(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
	FUZZ_ASSERT((st.st_mode & 07000) == 0);
	if (!S_ISDIR(st.st_mode))
		return;
	chmod(path, 0700);
	FUZZ_ASSERT((dir = opendir(path)) != NULL);
	while ((de = readdir(dir)) != NULL) {
		char *child;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		check_tree(child);
		free(child);
	}
	closedir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct untar_opts o;
	struct untar_result res;
	struct feed f = { data, size, 0 };
	DIR *dir;
	struct dirent *de;
	int ret;

	FUZZ_ASSERT(mkdir(root, 0700) == 0);
	memset(&o, 0, sizeof(o));
	o.top = "payload";
	o.with_vcs = size > 0 && (data[size - 1] & 1);
	o.max_size = 1 << 20;
	o.max_size_arg = "1M";
	o.reserve_arg = "0";
	o.where = base;
	ret = untar(root, feed_read, &f, &o, &res);
	FUZZ_ASSERT((ret == 0) == (res.why == NULL));
	/* Only the root in its parent. */
	FUZZ_ASSERT((dir = opendir(base)) != NULL);
	while ((de = readdir(dir)) != NULL)
		FUZZ_ASSERT(strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "root") == 0);
	closedir(dir);
	top_real = xasprintf("%s/payload", root);
	{
		char real[PATH_MAX];

		FUZZ_ASSERT(realpath(root, real) != NULL);
		free(top_real);
		top_real = xasprintf("%s/payload", real);
	}
	check_tree(root);
	FUZZ_ASSERT(remove_tree(root) == 0);
	free(top_real);
	top_real = NULL;
	untar_result_release(&res);
	return 0;
}
