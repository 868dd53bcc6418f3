/*
 * ui.h: progress on stderr. With a terminal (stderr a TTY, NO_COLOR
 * unset, TERM set and not "dumb") a step is a spinner that becomes a
 * green check or a red cross; otherwise each step is a plain
 * "• label" line followed by "✓ label" or "✗ label". stdout stays free
 * for data.
 */
#ifndef DVM_UI_H
#define DVM_UI_H

#include <stddef.h>

/* Decide the output style once; idempotent. */
void ui_init(void);
/* Use plain lines from now on (a worker whose output is piped). */
void ui_plain(void);
/* 1 when the spinner style is in use. */
int ui_fancy(void);
void ui_step_begin(const char *label);
/* Advance the spinner; cheap to call often. */
void ui_step_tick(void);
void ui_step_end(const char *label, int ok);
/* A summary line such as "✓ app ready". */
void ui_ok(const char *fmt, ...) PRINTFLIKE(1, 2);
/* Clear a spinner line and show the cursor: for die() and signals. */
void ui_abort(void);
/* A heading line "── text" between the work of several VMs. */
void ui_heading(const char *fmt, ...) PRINTFLIKE(1, 2);
/* Print an indented detail line under a failed step. */
void ui_detail(const char *fmt, ...) PRINTFLIKE(1, 2);

/*
 * A board of one status line per item (sync --all on a terminal):
 * ui_board_begin() prints the lines, ui_board_set() rewrites one in
 * place. Only for the spinner style (ui_fancy()).
 */
void ui_board_begin(char *const *labels, size_t n);
void ui_board_set(size_t i, const char *text);
void ui_board_end(void);

#endif
