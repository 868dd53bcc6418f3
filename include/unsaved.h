/*
 * unsaved.h: the check rm and reset make before deleting a VM.
 */
#ifndef DVM_UNSAVED_H
#define DVM_UNSAVED_H

struct vm_config;

/*
 * Look in c's code dir, as DVM_USER in the VM (started if needed), for
 * git repositories with changes, commits or stashes no remote has, and
 * files outside any repository. 0 when there is none; otherwise -1 after
 * listing what was found (or why the check could not run), ending with
 * "<doing> anyway with --force".
 */
int unsaved_check(const struct vm_config *c, const char *doing);

#endif
