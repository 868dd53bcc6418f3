/* "Did you mean": the closest known name to a typed one. */
#include "compat.h"

#include <string.h>

#include "suggest.h"

size_t
suggest_distance(const char *a, const char *b)
{
	/* Three rows of the optimal-string-alignment table. */
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *two = rows[0], *one = rows[1], *cur = rows[2], *t;
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		one[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = one[j - 1] + cost;

			if (one[j] + 1 < best)
				best = one[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && two[j - 2] + 1 < best)
				best = two[j - 2] + 1;
			cur[j] = best;
		}
		t = two;
		two = one;
		one = cur;
		cur = t;
	}
	return one[lb];
}

const char *
suggest(const char *word, const char *const *cands, size_t n)
{
	size_t limit = strlen(word) <= 4 ? 1 : 2, best = (size_t)-1, i, d;
	const char *found = NULL;
	int tie = 0;

	for (i = 0; i < n; i++) {
		d = suggest_distance(word, cands[i]);
		if (d == 0)
			return NULL;
		if (d == (size_t)-1)	/* too long to compare */
			continue;
		if (d < best) {
			best = d;
			found = cands[i];
			tie = 0;
		} else if (d == best && strcmp(found, cands[i]) != 0) {
			tie = 1;
		}
	}
	return best <= limit && !tie ? found : NULL;
}
