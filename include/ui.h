/*
 * ui.h: progress on stderr. With a terminal (stderr a TTY, NO_COLOR
 * unset, TERM set and not "dumb") a step is a spinner that becomes a
 * green check or a red cross; otherwise each step is a plain
 * "• label" line followed by "✓ label" or "✗ label". stdout stays free
 * for data.
 */
#ifndef DVM_UI_H
#define DVM_UI_H

/* Decide the output style once; idempotent. */
void ui_init(void);
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

#endif
