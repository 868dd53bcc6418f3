/*
 * test_devbase.c: unit tests of devbase.c: the dev-base build context,
 * its hash and archive, checked with the guest's own tools (sha256sum,
 * base64, GNU tar), and the contexts it refuses.
 */
#include "compat.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "devbase.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

/* A sparse file of exactly size bytes, so size limits cost no disk. */
static int
dbt_put_sparse(const char *path, off_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (ftruncate(fd, size) < 0)
		ret = -1;
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

/* The hash as the documented shell pipeline computes it over ctx. */
static int
dbt_shell_hash(const char *ctx, char hex[65])
{
	struct strbuf out = STRBUF_INIT;
	char *q = quoted(ctx), *cmd;
	int rc;

	cmd = xasprintf("cd %s && find . -type f | LC_ALL=C sort | "
	    "while IFS= read -r f; do printf '%%s\\0' \"$f\"; cat \"$f\"; "
	    "done | sha256sum", q);
	rc = run_bash_c(cmd, NULL, &out);
	hex[0] = '\0';
	if (rc == 0 && out.len == 68 &&
	    strncmp(out.buf + 64, "  -\n", 4) == 0) {
		memcpy(hex, out.buf, 64);
		hex[64] = '\0';
	} else {
		rc = -1;
	}
	free(cmd);
	free(q);
	strbuf_release(&out);
	return rc;
}

/* Run a bash script with a and b as "$1" and "$2"; its exit status. */
static int
dbt_sh(const char *script, const char *a, const char *b)
{
	struct strbuf out = STRBUF_INIT;
	struct strvec av = STRVEC_INIT;
	int rc;

	strvec_pushl(&av, BASH, "-c", script, "dbt", a, b, (char *)NULL);
	rc = run_capture(av.v, NULL, NULL, &out);
	if (out.len > 0)
		diag_bytes("output: ", out.buf, out.len);
	strvec_clear(&av);
	strbuf_release(&out);
	return rc;
}

static void
dbt_write(const char *dir, const char *name, const void *data, size_t len,
    mode_t mode)
{
	char *p = xasprintf("%s/%s", dir, name);

	if (put_bytes(p, data, len, mode) < 0)
		tap_diag("cannot write %s", p);
	free(p);
}

static void
dbt_mkdir(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	mkdir(p, 0755);
	free(p);
}

static void
test_devbase_context(void)
{
	static const char nul_data[] = "before\0after\n";
	struct devbase db, db2;
	char *dev = tmp_path("devbase/dev"), *pkgs = tmp_path("devbase/pkgs");
	char *ctx = tmp_path("devbase/ctx"), *out = tmp_path("devbase/out");
	char *arch = tmp_path("devbase/ctx.b64"), *slash, *p, *got;
	char hex[65];
	int rc;

	p = tmp_path("devbase");
	mkdir(p, 0700);
	free(p);
	mkdir(dev, 0755);
	dbt_write(dev, "Containerfile", "FROM debian:stable\n", 19, 0644);
	dbt_write(dev, "run.sh", "#!/bin/sh\n", 10, 0700);
	dbt_write(dev, "packages.txt", "replaced\n", 9, 0644);
	dbt_write(dev, ".hidden", "h", 1, 0600);
	dbt_write(dev, "zero", "", 0, 0644);
	/* In C order "Sub" < "sub-file" < "sub.txt" < "sub/x"; not in UTF-8. */
	dbt_write(dev, "Sub", "S", 1, 0644);
	dbt_write(dev, "sub-file", "-", 1, 0644);
	dbt_write(dev, "sub.txt", ".", 1, 0744);
	dbt_mkdir(dev, "sub");
	dbt_write(dev, "sub/x", "x\n", 2, 0644);
	dbt_mkdir(dev, "sub/deeper");
	dbt_write(dev, "sub/deeper/nul", nul_data, sizeof(nul_data) - 1, 0644);
	dbt_mkdir(dev, "emptydir");
	put_bytes(pkgs, "git\nvim\n", 8, 0600);

	rc = devbase_load(&db, dev, pkgs);
	IS_INT(rc, 0, "devbase: a context with a subdir, a NUL byte and "
	    "packages.txt loads");
	IS_INT(db.nr_files, 10, "devbase: every file counted once");
	OK(dbt_sh("cp -R \"$1\" \"$2\"", dev, ctx) == 0 &&
	    dbt_sh("cp \"$1\" \"$2/packages.txt\"", pkgs, ctx) == 0,
	    "devbase: copy of the context for the shell hash");
	OK(dbt_shell_hash(ctx, hex) == 0, "devbase: the shell pipeline runs");
	IS_STR(db.hash, hex, "devbase: hash equals the find | sort | "
	    "sha256sum pipeline");

	/* The archive, through the guest's own tools. */
	put_bytes(arch, db.tar_b64.buf, db.tar_b64.len, 0600);
	mkdir(out, 0700);
	OK(dbt_sh("base64 -d < \"$1\" | tar -x -f - -C \"$2\" 2>&1",
	    arch, out) == 0,
	    "devbase: base64 -d | tar -x unpacks tar_b64");
	OK(dbt_sh("diff -r \"$1\" \"$2\"", ctx, out) == 0,
	    "devbase: the unpacked tree equals the context");
	check_file(out, "Containerfile", "FROM debian:stable\n", 19, 0644,
	    "devbase");
	check_file(out, "packages.txt", "git\nvim\n", 8, 0644, "devbase");
	check_file(out, "run.sh", "#!/bin/sh\n", 10, 0755, "devbase");
	check_file(out, "sub.txt", ".", 1, 0755, "devbase");
	check_file(out, ".hidden", "h", 1, 0644, "devbase");
	check_file(out, "sub/deeper/nul", nul_data, sizeof(nul_data) - 1,
	    0644, "devbase");
	p = xasprintf("%s/sub/deeper", out);
	IS_INT(mode_of(p), 0755, "devbase: directories are 0755");
	free(p);
	p = xasprintf("%s/emptydir", out);
	OK(is_dir(p), "devbase: an empty directory is in the archive");
	free(p);
	{
		struct strvec av = STRVEC_INIT;
		struct strbuf list = STRBUF_INIT;

		strvec_pushl(&av, BASH, "-c",
		    "base64 -d < \"$1\" | tar -t -f -", "dbt", arch,
		    (char *)NULL);
		rc = run_capture(av.v, NULL, NULL, &list);
		IS_STR(list.buf, ".hidden\nContainerfile\nSub\nemptydir/\n"
		    "packages.txt\nrun.sh\nsub/\nsub-file\nsub.txt\n"
		    "sub/deeper/\nsub/deeper/nul\nsub/x\nzero\n",
		    "devbase: archive in byte order, dirs before their files");
		strvec_clear(&av);
		strbuf_release(&list);
	}
	OK(strchr(db.tar_b64.buf, '\n') - db.tar_b64.buf == 76 &&
	    db.tar_b64.buf[db.tar_b64.len - 1] == '\n',
	    "devbase: tar_b64 has 76-column lines");

	/* Same context, written "dir/": same result. */
	slash = xasprintf("%s/", dev);
	rc = devbase_load(&db2, slash, pkgs);
	OK(rc == 0 && strcmp(db.hash, db2.hash) == 0 &&
	    strcmp(db.tar_b64.buf, db2.tar_b64.buf) == 0,
	    "devbase: a trailing slash changes nothing");
	devbase_release(&db2);
	free(slash);

	/* Without packages_txt (NULL or absent) dev_dir's own is used. */
	got = tmp_path("devbase/absent.txt");
	rc = devbase_load(&db2, dev, got);
	free(got);
	dbt_sh("cp \"$1/packages.txt\" \"$2/packages.txt\"", dev, ctx);
	OK(rc == 0 && dbt_shell_hash(ctx, hex) == 0 &&
	    strcmp(db2.hash, hex) == 0 && db2.nr_files == 10,
	    "devbase: an absent packages_txt leaves dev_dir's packages.txt");
	devbase_release(&db2);
	rc = devbase_load(&db2, dev, NULL);
	OK(rc == 0 && strcmp(db2.hash, hex) == 0,
	    "devbase: so does a NULL packages_txt");
	devbase_release(&db2);
	devbase_release(&db2);
	OK(db2.tar_b64.len == 0 && db2.hash[0] == '\0' && db2.nr_files == 0,
	    "devbase: release empties, twice is harmless");

	/* A symlink as packages_txt is followed: it is named explicitly. */
	p = tmp_path("devbase/pkgs-link");
	symlink(pkgs, p);
	rc = devbase_load(&db2, dev, p);
	OK(rc == 0 && strcmp(db2.hash, db.hash) == 0,
	    "devbase: packages_txt may be a symlink to a file");
	devbase_release(&db2);
	free(p);

	/* Any content change changes the hash. */
	dbt_write(dev, "sub/x", "y\n", 2, 0644);
	rc = devbase_load(&db2, dev, pkgs);
	OK(rc == 0 && strcmp(db2.hash, db.hash) != 0,
	    "devbase: a changed file changes the hash");
	devbase_release(&db2);

	devbase_release(&db);
	free(dev);
	free(pkgs);
	free(ctx);
	free(out);
	free(arch);
}

static void
test_devbase_refusals(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct devbase db;
	char *dev = tmp_path("devbase-bad"), *p, *msg, *want;
	int rc;

	mkdir(dev, 0755);

	/* No Containerfile. */
	dbt_write(dev, "packages.txt", "git\n", 4, 0644);
	stderr_capture_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = stderr_capture_end();
	want = xasprintf("dvm: error: %s/Containerfile not found\n", dev);
	IS_INT(rc, -1, "devbase: a context without a Containerfile is refused");
	IS_STR(msg, want, "devbase: ... saying <dir>/Containerfile not found");
	OK(db.tar_b64.len == 0 && db.hash[0] == '\0' && db.nr_files == 0,
	    "devbase: a refused context leaves db empty");
	devbase_release(&db);
	free(msg);
	free(want);

	p = tmp_path("devbase-none");
	stderr_capture_begin();
	rc = devbase_load(&db, p, NULL);
	msg = stderr_capture_end();
	OK(rc == -1 && strstr(msg, "/devbase-none/Containerfile not found"),
	    "devbase: a missing dev_dir is refused");
	devbase_release(&db);
	free(msg);
	free(p);

	/* A symlink deep inside, even to a harmless file. */
	dbt_write(dev, "Containerfile", "FROM x\n", 7, 0644);
	dbt_mkdir(dev, "sub");
	p = xasprintf("%s/sub/link", dev);
	OK(symlink("/etc/hostname", p) == 0, "devbase: symlink made");
	stderr_capture_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = stderr_capture_end();
	/* Not xasprintf(): gcc's UBSan build "sees" a NULL p for %s. */
	strbuf_addstr(&sb, "dvm: error: dev-base context: ");
	strbuf_addstr(&sb, p);
	strbuf_addstr(&sb, " is not a regular file\n");
	IS_INT(rc, -1, "devbase: a symlink in the context is refused");
	IS_STR(msg, sb.buf, "devbase: ... naming it");
	strbuf_release(&sb);
	devbase_release(&db);
	unlink(p);
	free(p);
	free(msg);

	/* A symlinked Containerfile. */
	p = xasprintf("%s/Containerfile", dev);
	unlink(p);
	symlink("/etc/hostname", p);
	stderr_capture_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = stderr_capture_end();
	OK(rc == -1 && strstr(msg, "Containerfile is not a regular file"),
	    "devbase: a symlinked Containerfile is refused");
	devbase_release(&db);
	unlink(p);
	put_bytes(p, "FROM x\n", 7, 0644);
	free(p);
	free(msg);

	/* A FIFO would hang a reader; it is refused before any open. */
	p = xasprintf("%s/sub/fifo", dev);
	OK(mkfifo(p, 0600) == 0, "devbase: fifo made");
	stderr_capture_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = stderr_capture_end();
	OK(rc == -1 && strstr(msg, "fifo is not a regular file"),
	    "devbase: a FIFO in the context is refused");
	devbase_release(&db);
	unlink(p);
	free(p);
	free(msg);

	/* A dangling packages_txt symlink is an error, not "absent". */
	p = tmp_path("devbase-dangling");
	symlink("/nonexistent/dvm-unit-packages", p);
	stderr_capture_begin();
	rc = devbase_load(&db, dev, p);
	msg = stderr_capture_end();
	OK(rc == -1 && strstr(msg, "cannot open"),
	    "devbase: a dangling packages_txt symlink is refused");
	devbase_release(&db);
	unlink(p);
	free(p);
	free(msg);

	/* Size: exactly the limit loads, one byte more does not. */
	p = xasprintf("%s/sub/big", dev);
	dbt_put_sparse(p, (off_t)(DEVBASE_MAX_SIZE - 7 - 4));
	rc = devbase_load(&db, dev, NULL);
	IS_INT(rc, 0, "devbase: a context of exactly %lu bytes loads",
	    DEVBASE_MAX_SIZE);
	devbase_release(&db);
	dbt_put_sparse(p, (off_t)(DEVBASE_MAX_SIZE - 7 - 4 + 1));
	stderr_capture_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = stderr_capture_end();
	want = xasprintf("dvm: error: dev-base context %s is larger than 8 "
	    "MiB", dev);
	IS_INT(rc, -1, "devbase: one byte over the limit is refused");
	OK(has_prefix(msg, want), "devbase: ... naming the directory");
	if (!has_prefix(msg, want))
		diag_bytes("message: ", msg, strlen(msg));
	devbase_release(&db);
	free(msg);
	free(want);

	/* packages_txt counts as well, checked while reading. */
	dbt_put_sparse(p, (off_t)(DEVBASE_MAX_SIZE - 7 - 4));
	msg = tmp_path("devbase-pkgs");
	put_bytes(msg, "git\nvim\n", 8, 0644);
	want = msg;
	stderr_capture_begin();
	rc = devbase_load(&db, dev, want);
	msg = stderr_capture_end();
	OK(rc == -1 && strstr(msg, "is larger than 8 MiB"),
	    "devbase: packages_txt counts towards the limit");
	devbase_release(&db);
	free(msg);
	free(want);
	free(p);

	free(dev);
}

void
test_devbase(void)
{
	test_devbase_context();
	test_devbase_refusals();
}
