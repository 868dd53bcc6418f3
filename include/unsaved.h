/*
 * unsaved.h: the check rm and reset make before deleting a VM.
 */
#ifndef DVM_UNSAVED_H
#define DVM_UNSAVED_H

struct project;
struct vm_config;

/*
 * Look in c's code dir, as DVM_USER in the VM (started if needed), for
 * git repositories with changes, commits or stashes no remote has, and
 * files outside any repository. 0 when there is none; otherwise -1 after
 * listing what was found (or why the check could not run), ending with
 * "<doing> anyway with --force".
 */
int unsaved_check(const struct vm_config *c, const char *doing);
/*
 * The same check in a project's workspace volume, inside its container
 * (started if stopped). A missing container cannot be checked: -1.
 */
int unsaved_check_project(const struct vm_config *c, const struct project *p,
    const char *doing);

#endif
