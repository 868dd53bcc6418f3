/* Guest text on its way to the terminal: captured, then sanitized. */
#include "compat.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guesttext.h"
#include "proc.h"
#include "sanitize.h"
#include "strbuf.h"

/* The most guest output kept: it is only ever shown or parsed small. */
#define MAX_GUEST_TEXT	(64 * 1024)

void
guest_text_show(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	sanitize_add(&sb, s, len, SANITIZE_LINES);
	if (sb.len && sb.buf[sb.len - 1] != '\n')
		strbuf_addch(&sb, '\n');
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
}

/* Show the whole lines in pending (all of it when last), keep the rest. */
static void
show_lines(struct strbuf *pending, int last)
{
	size_t n = pending->len;

	/* A line that never ends is shown in pieces, not kept growing. */
	if (!last && n < MAX_GUEST_TEXT)
		while (n > 0 && pending->buf[n - 1] != '\n')
			n--;
	if (n == 0)
		return;
	guest_text_show(pending->buf, n);
	memmove(pending->buf, pending->buf + n, pending->len - n);
	pending->len -= n;
	pending->buf[pending->len] = '\0';
}

int
guest_capture(struct proc *p, struct strbuf *out)
{
	struct strbuf pending = STRBUF_INIT;
	struct pollfd pfd[2];
	char buf[8192];
	ssize_t n;
	int i;

	p->in = PROC_NULL;
	p->out = PROC_PIPE;
	p->err = PROC_PIPE;
	if (proc_start(p) < 0)
		return -1;
	pfd[0].fd = p->out;
	pfd[1].fd = p->err;
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			} else if (i == 0) {
				/* Enough to show; the rest is drained unseen. */
				if (out->len < MAX_GUEST_TEXT)
					strbuf_add(out, buf, (size_t)n);
			} else {
				strbuf_add(&pending, buf, (size_t)n);
				show_lines(&pending, 0);
			}
		}
	}
	for (i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	show_lines(&pending, 1);
	strbuf_release(&pending);
	return proc_finish(p);
}

