/*
 * sanitize.h: the one gate for guest text on its way to the host's
 * terminal or to JSON.
 *
 * Everything a VM or container sends back is attacker data. Before dvm
 * prints any of it as its own output (a failed step's last lines,
 * DVM_VERBOSE streaming, unsaved-work listings, cp's guest stderr and
 * skip warnings, ls tables) it goes through sanitize_add(): C0 controls
 * (but tab and newline where lines are kept), DEL, C1 controls and ESC
 * are shown as \xNN or \uNNNN, the Unicode bidi controls U+202A-U+202E
 * and U+2066-U+2069 as \uNNNN, and bytes that are not valid UTF-8 become
 * U+FFFD. Log files keep the raw bytes; `sh`, `ssh` and `logs` pass the
 * guest's stream through unchanged, like ssh.
 */
#ifndef DVM_SANITIZE_H
#define DVM_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;

enum {
	SANITIZE_FIELD = 0,	/* one field: newline and tab shown too */
	SANITIZE_LINES = 1	/* running text: newline and tab kept */
};

/* Append len bytes of guest text to sb, safe to print. */
void sanitize_add(struct strbuf *sb, const char *s, size_t len, int how);
/* The same for a NUL-terminated string, into a new string. */
char *sanitize_str(const char *s, int how);
/*
 * Append s as a JSON string literal (with the quotes): always valid
 * UTF-8, invalid bytes replaced by U+FFFD, controls as \u00NN.
 */
void json_add_str(struct strbuf *sb, const char *s, size_t len);
/*
 * Decode one UTF-8 sequence at s (len bytes available). Returns its
 * length and stores the code point, or 0 when it is not a valid, shortest
 * encoding of a scalar value.
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif
