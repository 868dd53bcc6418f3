/*
 * quote.h: the only code in dvm that produces shell text.
 *
 * sq_quote_buf() appends s as one word that bash reads back as exactly
 * the bytes of s: the word is wrapped in single quotes and every ' inside
 * becomes '\''. Words made only of characters that are never special to
 * the shell are left bare, so printed plans stay readable.
 */
#ifndef DVM_QUOTE_H
#define DVM_QUOTE_H

struct strbuf;

void sq_quote_buf(struct strbuf *dst, const char *s);
/* Quote every element of argv, separated by single spaces. */
void sq_quote_argv(struct strbuf *dst, char *const *argv);

#endif
