/*
 * suggest.h: "did you mean" for typed names (commands, config variables).
 * Pure, so the unit tests check it alone.
 */
#ifndef DVM_SUGGEST_H
#define DVM_SUGGEST_H

#include <stddef.h>

/*
 * Edit distance between a and b, where an insertion, a deletion, a
 * substitution or a swap of two neighbours costs one ("snyc" is one away
 * from "sync"). Words longer than SUGGEST_MAX_LEN compare as far apart.
 */
#define SUGGEST_MAX_LEN 64
size_t suggest_distance(const char *a, const char *b);
/*
 * The one name among cands[0..n) close enough to word to be a typo of it:
 * one edit for words of up to four characters, two beyond. NULL when none
 * is, when two are equally close, or when word is itself a candidate.
 */
const char *suggest(const char *word, const char *const *cands, size_t n);

#endif
