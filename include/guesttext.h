/*
 * guesttext.h: text from a guest (a VM or a container) on its way to the
 * terminal. It is attacker data: shown only through the sanitizer.
 */
#ifndef DVM_GUESTTEXT_H
#define DVM_GUESTTEXT_H

#include <stddef.h>

struct proc;
struct strbuf;

/* Print len bytes of guest text on stderr, sanitized, ending in a newline. */
void guest_text_show(const char *s, size_t len);
/*
 * Run p (stdin /dev/null) with its stdout read into out, at most the
 * first 64 KiB (the rest is read and dropped), and its stderr (limactl
 * starting the VM, the guest's complaints) shown as it comes, line by
 * line through guest_text_show(). Returns the exit status as
 * proc_finish() does, -1 if it could not be started.
 */
int guest_capture(struct proc *p, struct strbuf *out);

#endif
