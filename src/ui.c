/* Spinner, check marks and plain progress lines, all on stderr. */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "ui.h"
#include "util.h"

#define CLEAR_LINE	"\r\033[K"
#define HIDE_CURSOR	"\033[?25l"
#define SHOW_CURSOR	"\033[?25h"
#define GREEN		"\033[32m"
#define RED		"\033[31m"
#define CYAN		"\033[36m"
#define RESET		"\033[0m"

static const char *const frames[] = {
	"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"
};

static int decided, fancy, spinning;
static unsigned frame;
static char *current;
static struct timespec last_tick;

/*
 * An error or warning while the spinner runs: clear its line so the
 * message stands on a line of its own; the next tick draws it again.
 */
static void
clear_for_message(void)
{
	static const char seq[] = CLEAR_LINE;

	if (spinning)
		write_all(STDERR_FILENO, seq, sizeof(seq) - 1);
}

void
ui_init(void)
{
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");

	if (decided)
		return;
	decided = 1;
	fancy = isatty(STDERR_FILENO) && (nc == NULL || *nc == '\0') &&
	    term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
	die_hook = ui_abort;
	message_hook = clear_for_message;
}

void
ui_plain(void)
{
	decided = 1;
	fancy = 0;
	spinning = 0;
}

int
ui_fancy(void)
{
	ui_init();
	return fancy;
}

static void
put(const struct strbuf *sb)
{
	fflush(stdout);
	write_all(STDERR_FILENO, sb->buf, sb->len);
}

static void
draw(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, CLEAR_LINE CYAN "%s" RESET " %s",
	    frames[frame % nitems(frames)], current ? current : "");
	put(&sb);
	strbuf_release(&sb);
}

void
ui_step_begin(const char *label)
{
	struct strbuf sb = STRBUF_INIT;

	ui_init();
	free(current);
	current = xstrdup(label);
	if (fancy) {
		strbuf_addstr(&sb, HIDE_CURSOR);
		put(&sb);
		spinning = 1;
		frame = 0;
		clock_gettime(CLOCK_MONOTONIC, &last_tick);
		draw();
	} else {
		strbuf_addf(&sb, "• %s\n", label);
		put(&sb);
	}
	strbuf_release(&sb);
}

void
ui_step_tick(void)
{
	struct timespec now;
	long ms;

	if (!spinning)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - last_tick.tv_sec) * 1000 +
	    (now.tv_nsec - last_tick.tv_nsec) / 1000000;
	if (ms < 80)
		return;
	last_tick = now;
	frame++;
	draw();
}

void
ui_step_end(const char *label, int ok)
{
	struct strbuf sb = STRBUF_INIT;

	ui_init();
	if (fancy) {
		strbuf_addf(&sb, CLEAR_LINE "%s%s" RESET " %s\n" SHOW_CURSOR,
		    ok ? GREEN : RED, ok ? "✓" : "✗", label);
	} else {
		strbuf_addf(&sb, "%s %s\n", ok ? "✓" : "✗", label);
	}
	spinning = 0;
	put(&sb);
	strbuf_release(&sb);
	free(current);
	current = NULL;
}

void
ui_ok(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char msg[1024];
	va_list ap;

	ui_init();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fancy)
		strbuf_addf(&sb, GREEN "✓" RESET " %s\n", msg);
	else
		strbuf_addf(&sb, "✓ %s\n", msg);
	put(&sb);
	strbuf_release(&sb);
}

void
ui_detail(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strbuf_addf(&sb, "  %s\n", msg);
	put(&sb);
	strbuf_release(&sb);
}

void
ui_abort(void)
{
	static const char seq[] = CLEAR_LINE SHOW_CURSOR;

	if (spinning) {
		spinning = 0;
		write_all(STDERR_FILENO, seq, sizeof(seq) - 1);
	}
}

void
ui_heading(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strbuf_addf(&sb, "── %s\n", msg);
	put(&sb);
	strbuf_release(&sb);
}

static char **board;
static size_t board_n;

static void
board_draw(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addf(&sb, "\033[%zuA", board_n);
	for (i = 0; i < board_n; i++)
		strbuf_addf(&sb, CLEAR_LINE "%s\n", board[i]);
	put(&sb);
	strbuf_release(&sb);
}

void
ui_board_begin(char *const *labels, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	board = xcalloc(n, sizeof(*board));
	board_n = n;
	for (i = 0; i < n; i++) {
		board[i] = xasprintf("%s: waiting", labels[i]);
		strbuf_addf(&sb, "%s\n", board[i]);
	}
	put(&sb);
	strbuf_release(&sb);
}

void
ui_board_set(size_t i, const char *text)
{
	if (i >= board_n)
		return;
	free(board[i]);
	board[i] = xstrdup(text);
	board_draw();
}

void
ui_board_end(void)
{
	size_t i;

	for (i = 0; i < board_n; i++)
		free(board[i]);
	free(board);
	board = NULL;
	board_n = 0;
}
