/*
 * quote_helper: the C half of tests/fuzz/quote-roundtrip-bash.sh.
 *
 *   quote_helper FILE
 *	Split FILE on NUL bytes into words (at least one, possibly empty)
 *	and print the command  printf '%s\0' <words quoted by dvm>
 *	so that bash running it prints FILE's bytes and one more NUL.
 *   quote_helper gen SEED COUNT DIR
 *	Write COUNT pseudo-random inputs DIR/rand-<n> from SEED: short
 *	strings heavy in quotes, backslashes, blanks, shell metacharacters,
 *	high bytes and the odd NUL.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

static unsigned long long rng_state;

/* xorshift64*: reproducible from the seed on every platform. */
static unsigned long long
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int
gen(const char *seed, const char *count, const char *dir)
{
	static const char tricky[] = "'\\\"$`!*?[]{}()<>|&;#~= \t\n\r"
	    "%@+:,./-_aZ09^";
	unsigned long n = strtoul(count, NULL, 10), i;

	rng_state = strtoull(seed, NULL, 10) * 2 + 1;
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/rand-%lu", dir, i);
		FILE *f = fopen(path, "wb");
		size_t len = (size_t)(rng() % 8 == 0 ? rng() % 300 :
		    rng() % 24), j;

		if (f == NULL) {
			perror(path);
			return 1;
		}
		for (j = 0; j < len; j++) {
			unsigned long long r = rng();
			int c;

			if (r % 40 == 0)
				c = '\0';		/* a word boundary */
			else if (r % 2)
				c = tricky[(r >> 8) % (sizeof(tricky) - 1)];
			else
				c = (int)((r >> 8) % 255) + 1;
			putc(c, f);
		}
		if (fclose(f) != 0) {
			perror(path);
			return 1;
		}
		free(path);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct strvec words = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;
	size_t len, i, start = 0;
	char *data;

	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], argv[3], argv[4]);
	if (argc != 2) {
		fprintf(stderr, "usage: quote_helper FILE | "
		    "quote_helper gen SEED COUNT DIR\n");
		return 2;
	}
	if ((data = read_file(argv[1], &len)) == NULL) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i <= len; i++) {
		if (i == len || data[i] == '\0') {
			strvec_push_nodup(&words, xstrndup(data + start,
			    i - start));
			start = i + 1;
		}
	}
	strbuf_addstr(&out, "printf '%s\\0' ");
	sq_quote_argv(&out, words.v);
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
	strvec_clear(&words);
	free(data);
	return fflush(stdout) == 0 ? 0 : 1;
}
