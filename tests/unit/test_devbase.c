/*
 * test_devbase.h: unit tests of sha256.c, base64.c, archive.c and
 * devbase.c, included once by unit.c after its helpers (tmp_path(),
 * put_file(), mode_of(), run_bash_c(), quoted(), rng()).
 *
 * The reference for every format is the tool the guest uses on it:
 * sha256sum, coreutils base64 and GNU tar.
 */

#include "unit.h"
#include "archive.h"
#include "base64.h"
#include "devbase.h"
#include "sha256.h"

/* Create (or replace) path with len bytes of data and exactly mode. */
static int
dbt_put_bytes(const char *path, const void *data, size_t len, mode_t mode)
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

static void
dbt_random(unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(rng() >> 11);
}

static void
dbt_sha_hex(const void *data, size_t len, char hex[65])
{
	struct sha256 ctx;
	unsigned char d[32];

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
}

/*
 * Messages from error() go to fd 2; the refusal tests read them back
 * from a file to check what the user would see.
 */
static int dbt_saved_stderr = -1;

static void
dbt_stderr_begin(void)
{
	char *p = tmp_path("dbt-stderr");
	int fd;

	fflush(stderr);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		dbt_saved_stderr = dup(2);
		dup2(fd, 2);
		close(fd);
	}
	free(p);
}

/* The text written to stderr since dbt_stderr_begin(); caller frees. */
static char *
dbt_stderr_end(void)
{
	char *p = tmp_path("dbt-stderr"), *text;

	fflush(stderr);
	if (dbt_saved_stderr >= 0) {
		dup2(dbt_saved_stderr, 2);
		close(dbt_saved_stderr);
		dbt_saved_stderr = -1;
	}
	text = read_file(p, NULL);
	unlink(p);
	free(p);
	return text ? text : xstrdup("");
}

/* ------------------------------------------------------------------ */
/* sha256                                                             */

void
test_sha256_vectors(void)
{
	/* FIPS 180-4 examples (the NIST "SHA256.pdf" and "SHA2_Additional"). */
	static const char m448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	static const char million_a[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct sha256 ctx;
	unsigned char d[32];
	char hex[65], *a;
	size_t i;

	dbt_sha_hex("", 0, hex);
	IS_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855", "sha256: empty message");
	dbt_sha_hex("abc", 3, hex);
	IS_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad", "sha256: \"abc\"");
	IS_INT(strlen(m448) * 8, 448, "sha256: the 448-bit message is right");
	dbt_sha_hex(m448, strlen(m448), hex);
	IS_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd4"
	    "19db06c1", "sha256: 448-bit message (two-block padding)");
	IS_INT(strlen(m896) * 8, 896, "sha256: the 896-bit message is right");
	dbt_sha_hex(m896, strlen(m896), hex);
	IS_STR(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac4503"
	    "7afee9d1", "sha256: 896-bit message");

	a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	dbt_sha_hex(a, 1000000, hex);
	IS_STR(hex, million_a, "sha256: one million 'a' in one update");
	sha256_init(&ctx);
	for (i = 0; i < 1000000; i++)
		sha256_update(&ctx, a + i, 1);
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
	IS_STR(hex, million_a, "sha256: one million 'a', one byte at a time");
	free(a);

	sha256_init(&ctx);
	sha256_update(&ctx, "ab", 2);
	sha256_update(&ctx, NULL, 0);
	sha256_update(&ctx, "c", 1);
	sha256_final(&ctx, d);
	sha256_hex(d, hex);
	IS_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad", "sha256: a zero-length update changes nothing");
}

/* Random data against sha256sum, fed in odd-sized pieces. */
void
test_sha256_sha256sum(void)
{
	static const size_t lens[] = {
		1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000,
		4099, 100003
	};
	char *f = tmp_path("sha-random");
	size_t k;

	for (k = 0; k < nitems(lens); k++) {
		struct strbuf out = STRBUF_INIT;
		struct sha256 ctx;
		unsigned char *buf = xmalloc(lens[k]), d[32];
		char hex[65], *cmd, *qf = quoted(f);
		size_t off = 0;
		int rc;

		dbt_random(buf, lens[k]);
		sha256_init(&ctx);
		while (off < lens[k]) {
			/* 1, 3, ..., 199 bytes: straddles every block edge. */
			size_t n = (rng() % 100) * 2 + 1;

			if (n > lens[k] - off)
				n = lens[k] - off;
			sha256_update(&ctx, buf + off, n);
			off += n;
		}
		sha256_final(&ctx, d);
		sha256_hex(d, hex);
		dbt_put_bytes(f, buf, lens[k], 0600);
		cmd = xasprintf("sha256sum < %s", qf);
		rc = run_bash_c(cmd, NULL, &out);
		OK(rc == 0 && out.len >= 64 &&
		    strncmp(out.buf, hex, 64) == 0 && hex[64] == '\0',
		    "sha256: %zu random bytes in odd pieces match sha256sum",
		    lens[k]);
		if (rc != 0 || strncmp(out.buf, hex, 64) != 0)
			tap_diag("sha256sum: %s ours: %s", out.buf, hex);
		free(cmd);
		free(qf);
		free(buf);
		strbuf_release(&out);
	}
	free(f);
}

/* ------------------------------------------------------------------ */
/* base64                                                             */

void
test_base64_fixed(void)
{
	/* RFC 4648 section 10. */
	static const char *const in[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar"
	};
	static const char *const want[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	struct strbuf sb = STRBUF_INIT;
	unsigned char all[256];
	size_t i;

	for (i = 0; i < nitems(in); i++) {
		strbuf_reset(&sb);
		base64_encode(&sb, in[i], strlen(in[i]), 0);
		IS_STR(sb.buf, want[i], "base64: RFC 4648 \"%s\", no newlines",
		    in[i]);
	}
	strbuf_reset(&sb);
	base64_encode(&sb, "foobar", 6, 76);
	IS_STR(sb.buf, "Zm9vYmFy\n",
	    "base64: a short line ends with a newline");
	strbuf_reset(&sb);
	base64_encode(&sb, "foobar", 6, 4);
	IS_STR(sb.buf, "Zm9v\nYmFy\n",
	    "base64: a full last line gets one newline, not two");
	strbuf_reset(&sb);
	base64_encode(&sb, "fooba", 5, 3);
	IS_STR(sb.buf, "Zm9\nvYm\nE=\n",
	    "base64: lines split inside a quantum");
	strbuf_release(&sb);
	base64_encode(&sb, "", 0, 76);
	OK(sb.len == 0 && sb.alloc == 0,
	    "base64: empty input appends nothing, not even a newline");
	strbuf_addstr(&sb, "x=");
	base64_encode(&sb, "f", 1, 0);
	IS_STR(sb.buf, "x=Zg==", "base64: appends to what is there");
	strbuf_release(&sb);

	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)i;
	base64_encode(&sb, all, sizeof(all), 0);
	OK(sb.len == 344 && strspn(sb.buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/") == 342 &&
	    strcmp(sb.buf + 342, "==") == 0,
	    "base64: every byte value, standard alphabet");
	strbuf_release(&sb);
}

/* At most 120 bytes of s, around where two outputs differ. */
static void
dbt_diag_part(const char *label, const char *s)
{
	size_t len = strlen(s);

	diag_bytes(label, s, len > 120 ? 120 : len);
}

/*
 * Lengths 0..100 against coreutils at its default width 76, and a few at
 * widths 0 and 4. One bash for them all: every exec costs.
 */
void
test_base64_coreutils(void)
{
	static const char script[] =
	    "for i in $(seq 0 100); do base64 < \"$1.$i\"; printf '#'; done; "
	    "for i in 0 1 2 3 4 5 6 57 100; do base64 -w 0 < \"$1.$i\"; "
	    "printf '#'; base64 -w 4 < \"$1.$i\"; printf '#'; done";
	static const size_t few[] = { 0, 1, 2, 3, 4, 5, 6, 57, 100 };
	unsigned char buf[101][100];
	struct strbuf out = STRBUF_INIT, ours = STRBUF_INIT;
	struct strvec av = STRVEC_INIT;
	char *f = tmp_path("b64-in"), *p;
	size_t len, k, off;
	int rc;

	for (len = 0; len <= 100; len++) {
		dbt_random(buf[len], len);
		p = xasprintf("%s.%zu", f, len);
		dbt_put_bytes(p, buf[len], len, 0600);
		free(p);
		base64_encode(&ours, buf[len], len, 76);
		strbuf_addch(&ours, '#');
	}
	for (k = 0; k < nitems(few); k++) {
		base64_encode(&ours, buf[few[k]], few[k], 0);
		strbuf_addch(&ours, '#');
		base64_encode(&ours, buf[few[k]], few[k], 4);
		strbuf_addch(&ours, '#');
	}
	strvec_pushl(&av, BASH, "-c", script, "dbt", f, (char *)NULL);
	rc = run_capture(av.v, NULL, NULL, &out);
	IS_INT(rc, 0, "base64: coreutils base64 runs");
	OK(strcmp(out.buf, ours.buf) == 0, "base64: same output as coreutils "
	    "base64 for lengths 0..100 (-w 76), and at -w 0 and -w 4");
	if (strcmp(out.buf, ours.buf) != 0) {
		for (off = 0; out.buf[off] == ours.buf[off]; off++)
			;
		off = off > 40 ? off - 40 : 0;
		dbt_diag_part("coreutils: ", out.buf + off);
		dbt_diag_part("ours:      ", ours.buf + off);
	}
	strvec_clear(&av);
	strbuf_release(&out);
	strbuf_release(&ours);
	free(f);
}

void
test_base64_roundtrip(void)
{
	static const size_t lens[] = { 0, 1, 2, 3, 57, 58, 1000, 65537 };
	char *f = tmp_path("b64-text"), *qf = quoted(f);
	char *cmd = xasprintf("base64 -d < %s", qf);
	size_t k;

	for (k = 0; k < nitems(lens); k++) {
		struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
		unsigned char *buf = xmalloc(lens[k] + 1);
		int rc;

		dbt_random(buf, lens[k]);
		base64_encode(&text, buf, lens[k], 76);
		dbt_put_bytes(f, text.buf, text.len, 0600);
		rc = run_bash_c(cmd, NULL, &out);
		IS_INT(rc, 0, "base64: base64 -d accepts %zu bytes encoded",
		    lens[k]);
		IS_MEM(out.buf, out.len, buf, lens[k],
		    "base64: base64 -d gives back the %zu bytes", lens[k]);
		free(buf);
		strbuf_release(&text);
		strbuf_release(&out);
	}
	free(cmd);
	free(qf);
	free(f);
}

/* ------------------------------------------------------------------ */
/* tar                                                                */

static char *
dbt_repeat(int c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Compare a file's bytes and mode with what went into the archive. */
static void
dbt_check_file(const char *dir, const char *name, const void *want,
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

void
test_tar(void)
{
	struct strbuf tar = STRBUF_INIT, again = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf want_list = STRBUF_INIT;
	char *dir100 = dbt_repeat('n', 96), *name100;
	char *d = dbt_repeat('d', 60), *e = dbt_repeat('e', 60);
	char *fl = dbt_repeat('f', 80), *p155 = dbt_repeat('p', 155);
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
	dbt_random(bin, sizeof(bin));
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

	dbt_put_bytes(arch, tar.buf, tar.len, 0600);
	mkdir(outdir, 0700);
	cmd = xasprintf("tar -x -f %s -C %s 2>&1", qa, qo);
	rc = run_bash_c(cmd, NULL, &out);
	IS_INT(rc, 0, "tar: GNU tar extracts the archive");
	IS_STR(out.buf, "", "tar: ... without a warning");
	free(cmd);
	dbt_check_file(outdir, "hello.txt", "hello\n", 6, 0644, "tar");
	dbt_check_file(outdir, "bin/run", "#!/bin/sh\necho hi\n", 18, 0755,
	    "tar");
	dbt_check_file(outdir, "empty", "", 0, 0600, "tar");
	dbt_check_file(outdir, "sub/data.bin", bin, sizeof(bin), 0640, "tar");
	dbt_check_file(outdir, name100, "100\n", 4, 0644, "tar");
	dbt_check_file(outdir, lfile, "deep\n", 5, 0600, "tar");
	dbt_check_file(outdir, pfile, "prefix155\n", 10, 0644, "tar");
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
	dbt_stderr_begin();
	bad = dbt_repeat('x', 101);
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
	msg = dbt_stderr_end();
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

/* ------------------------------------------------------------------ */
/* devbase                                                            */

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

	if (dbt_put_bytes(p, data, len, mode) < 0)
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

void
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
	dbt_put_bytes(pkgs, "git\nvim\n", 8, 0600);

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
	dbt_put_bytes(arch, db.tar_b64.buf, db.tar_b64.len, 0600);
	mkdir(out, 0700);
	OK(dbt_sh("base64 -d < \"$1\" | tar -x -f - -C \"$2\" 2>&1",
	    arch, out) == 0,
	    "devbase: base64 -d | tar -x unpacks tar_b64");
	OK(dbt_sh("diff -r \"$1\" \"$2\"", ctx, out) == 0,
	    "devbase: the unpacked tree equals the context");
	dbt_check_file(out, "Containerfile", "FROM debian:stable\n", 19, 0644,
	    "devbase");
	dbt_check_file(out, "packages.txt", "git\nvim\n", 8, 0644, "devbase");
	dbt_check_file(out, "run.sh", "#!/bin/sh\n", 10, 0755, "devbase");
	dbt_check_file(out, "sub.txt", ".", 1, 0755, "devbase");
	dbt_check_file(out, ".hidden", "h", 1, 0644, "devbase");
	dbt_check_file(out, "sub/deeper/nul", nul_data, sizeof(nul_data) - 1,
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

void
test_devbase_refusals(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct devbase db;
	char *dev = tmp_path("devbase-bad"), *p, *msg, *want;
	int rc;

	mkdir(dev, 0755);

	/* No Containerfile. */
	dbt_write(dev, "packages.txt", "git\n", 4, 0644);
	dbt_stderr_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = dbt_stderr_end();
	want = xasprintf("dvm: error: %s/Containerfile not found\n", dev);
	IS_INT(rc, -1, "devbase: a context without a Containerfile is refused");
	IS_STR(msg, want, "devbase: ... saying <dir>/Containerfile not found");
	OK(db.tar_b64.len == 0 && db.hash[0] == '\0' && db.nr_files == 0,
	    "devbase: a refused context leaves db empty");
	devbase_release(&db);
	free(msg);
	free(want);

	p = tmp_path("devbase-none");
	dbt_stderr_begin();
	rc = devbase_load(&db, p, NULL);
	msg = dbt_stderr_end();
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
	dbt_stderr_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = dbt_stderr_end();
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
	dbt_stderr_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = dbt_stderr_end();
	OK(rc == -1 && strstr(msg, "Containerfile is not a regular file"),
	    "devbase: a symlinked Containerfile is refused");
	devbase_release(&db);
	unlink(p);
	dbt_put_bytes(p, "FROM x\n", 7, 0644);
	free(p);
	free(msg);

	/* A FIFO would hang a reader; it is refused before any open. */
	p = xasprintf("%s/sub/fifo", dev);
	OK(mkfifo(p, 0600) == 0, "devbase: fifo made");
	dbt_stderr_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = dbt_stderr_end();
	OK(rc == -1 && strstr(msg, "fifo is not a regular file"),
	    "devbase: a FIFO in the context is refused");
	devbase_release(&db);
	unlink(p);
	free(p);
	free(msg);

	/* A dangling packages_txt symlink is an error, not "absent". */
	p = tmp_path("devbase-dangling");
	symlink("/nonexistent/dvm-unit-packages", p);
	dbt_stderr_begin();
	rc = devbase_load(&db, dev, p);
	msg = dbt_stderr_end();
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
	dbt_stderr_begin();
	rc = devbase_load(&db, dev, NULL);
	msg = dbt_stderr_end();
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
	dbt_put_bytes(msg, "git\nvim\n", 8, 0644);
	want = msg;
	dbt_stderr_begin();
	rc = devbase_load(&db, dev, want);
	msg = dbt_stderr_end();
	OK(rc == -1 && strstr(msg, "is larger than 8 MiB"),
	    "devbase: packages_txt counts towards the limit");
	devbase_release(&db);
	free(msg);
	free(want);
	free(p);

	free(dev);
}
