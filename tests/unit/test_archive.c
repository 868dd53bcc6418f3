/*
 * test_archive.c: unit tests of archive.c (ustar), against GNU tar.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "archive.h"
#include "strbuf.h"
#include "util.h"

#include "tap.h"
#include "tests.h"

static char *
repeat(int c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

void
test_archive(void)
{
	struct strbuf tar = STRBUF_INIT, again = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf want_list = STRBUF_INIT;
	char *dir100 = repeat('n', 96), *name100;
	char *d = repeat('d', 60), *e = repeat('e', 60);
	char *fl = repeat('f', 80), *p155 = repeat('p', 155);
	char *ldir1, *ldir2, *lfile, *pfile, *bad, *msg;
	char *arch = tmp_path("tar-test.tar"), *outdir = tmp_path("tar-out");
	char *qa = quoted(arch), *qo = quoted(outdir), *cmd, *p;
	unsigned char bin[1500], *h;
	size_t i, before;
	int rc, zero, pass;

	name100 = xasprintf("%s.txt", dir100);
	ldir1 = xasprintf("long/%s", d);
	ldir2 = xasprintf("long/%s/%s", d, e);
	lfile = xasprintf("long/%s/%s/%s.txt", d, e, fl);
	pfile = xasprintf("%s/x", p155);
	random_bytes(bin, sizeof(bin));
	bin[0] = '\0';
	bin[700] = '\0';

	for (i = 0; i < 2; i++) {
		struct strbuf *t = i == 0 ? &tar : &again;

		rc = tar_add_file(t, "hello.txt", "hello\n", 6, 0644);
		rc |= tar_add_dir(t, "bin", 0755);
		rc |= tar_add_file(t, "bin/run", "#!/bin/sh\necho hi\n", 18,
		    0755);
		rc |= tar_add_file(t, "empty", "", 0, 0600);
		rc |= tar_add_dir(t, "sub/", 0750);
		rc |= tar_add_file(t, "sub/data.bin", bin, sizeof(bin), 0640);
		rc |= tar_add_file(t, name100, "100\n", 4, 0644);
		rc |= tar_add_dir(t, "long", 0755);
		rc |= tar_add_dir(t, ldir1, 0755);
		rc |= tar_add_dir(t, ldir2, 0700);
		rc |= tar_add_file(t, lfile, "deep\n", 5, 0600);
		rc |= tar_add_file(t, pfile, "prefix155\n", 10, 0644);
		tar_finish(t);
		IS_INT(rc, 0, "tar: every entry fits (pass %zu)", i + 1);
	}
	OK(strlen(name100) == 100 && strlen(ldir2) > 100 &&
	    strlen(lfile) > 100 && strlen(pfile) == 157,
	    "tar: the test names are 100 bytes and over");
	OK(tar.len % 512 == 0 && tar.len >= 1024,
	    "tar: the archive is whole 512-byte blocks");
	for (i = tar.len - 1024, zero = 1; i < tar.len; i++)
		zero &= tar.buf[i] == '\0';
	OK(zero, "tar: tar_finish ends with two zero blocks");
	IS_MEM(again.buf, again.len, tar.buf, tar.len,
	    "tar: the same input gives the same bytes");

	h = (unsigned char *)tar.buf;
	IS_MEM(h + 257, 8, "ustar\0" "00", 8, "tar: ustar magic and version");
	IS_MEM(h + 136, 12, "00000000000", 12, "tar: mtime is 0");
	IS_MEM(h + 108, 16, "0000000\0" "0000000", 16, "tar: uid and gid 0");
	IS_MEM(h + 100, 8, "0000644", 8, "tar: mode field in octal");
	IS_MEM(h + 124, 12, "00000000006", 12, "tar: size field in octal");
	pass = h[156] == '0';
	for (i = 265; i < 265 + 64; i++)
		pass &= h[i] == '\0';
	OK(pass, "tar: a regular file, uname and gname empty");
	/* The checksum: the header's bytes, its own field read as spaces. */
	{
		unsigned long sum = 0;
		char want[8];

		for (i = 0; i < 512; i++)
			sum += (i >= 148 && i < 156) ? ' ' : h[i];
		snprintf(want, sizeof(want), "%06lo", sum);
		IS_MEM(h + 148, 7, want, 7, "tar: header checksum");
		OK(h[155] == ' ', "tar: ... followed by a space");
	}

	put_bytes(arch, tar.buf, tar.len, 0600);
	mkdir(outdir, 0700);
	cmd = xasprintf("tar -x -f %s -C %s 2>&1", qa, qo);
	rc = run_bash_c(cmd, NULL, &out);
	IS_INT(rc, 0, "tar: GNU tar extracts the archive");
	IS_STR(out.buf, "", "tar: ... without a warning");
	free(cmd);
	check_file(outdir, "hello.txt", "hello\n", 6, 0644, "tar");
	check_file(outdir, "bin/run", "#!/bin/sh\necho hi\n", 18, 0755,
	    "tar");
	check_file(outdir, "empty", "", 0, 0600, "tar");
	check_file(outdir, "sub/data.bin", bin, sizeof(bin), 0640, "tar");
	check_file(outdir, name100, "100\n", 4, 0644, "tar");
	check_file(outdir, lfile, "deep\n", 5, 0600, "tar");
	check_file(outdir, pfile, "prefix155\n", 10, 0644, "tar");
	p = xasprintf("%s/sub", outdir);
	IS_INT(mode_of(p), 0750, "tar: mode of directory sub");
	free(p);
	p = xasprintf("%s/%s", outdir, ldir2);
	IS_INT(mode_of(p), 0700, "tar: mode of a directory in the prefix form");
	free(p);

	strbuf_reset(&out);
	cmd = xasprintf("tar -t -f %s", qa);
	rc = run_bash_c(cmd, NULL, &out);
	free(cmd);
	strbuf_addf(&want_list, "hello.txt\nbin/\nbin/run\nempty\nsub/\n"
	    "sub/data.bin\n%s\nlong/\n%s/\n%s/\n%s\n%s\n", name100, ldir1,
	    ldir2, lfile, pfile);
	OK(rc == 0 && strcmp(out.buf, want_list.buf) == 0,
	    "tar: tar -t lists the names whole, in order");
	if (rc != 0 || strcmp(out.buf, want_list.buf) != 0)
		diag_bytes("listed: ", out.buf, out.len);

	/* Names that cannot be stored: nothing is appended. */
	before = tar.len;
	stderr_capture_begin();
	bad = repeat('x', 101);
	IS_INT(tar_add_file(&tar, bad, "", 0, 0644), -1,
	    "tar: a 101-byte name without a slash is refused");
	free(bad);
	bad = xasprintf("dir/%s%s", fl, d);
	IS_INT(tar_add_file(&tar, bad, "", 0, 0644), -1,
	    "tar: a last component over 100 bytes is refused");
	free(bad);
	bad = xasprintf("p%s/x", p155);
	IS_INT(tar_add_file(&tar, bad, "", 0, 0644), -1,
	    "tar: a prefix of 156 bytes is refused");
	IS_INT(tar_add_dir(&tar, bad, 0755), -1,
	    "tar: ... for a directory too");
	free(bad);
	IS_INT(tar_add_file(&tar, "", "", 0, 0644), -1,
	    "tar: an empty name is refused");
	IS_INT(tar_add_dir(&tar, "", 0755), -1,
	    "tar: an empty directory name is refused");
	msg = stderr_capture_end();
	IS_INT(tar.len, before, "tar: a refused entry appends nothing");
	OK(strstr(msg, "dvm: error: tar: name too long for a ustar archive: "
	    "xxxx") != NULL, "tar: the refusal names the file");
	free(msg);

	strbuf_release(&tar);
	strbuf_release(&again);
	strbuf_release(&out);
	strbuf_release(&want_list);
	free(dir100);
	free(name100);
	free(d);
	free(e);
	free(fl);
	free(p155);
	free(ldir1);
	free(ldir2);
	free(lfile);
	free(pfile);
	free(arch);
	free(outdir);
	free(qa);
	free(qo);
}
