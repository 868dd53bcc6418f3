/*
 * target.h: turning a command's operands into checked VM names.
 */
#ifndef DVM_TARGET_H
#define DVM_TARGET_H

/*
 * Check that arg is a usable VM name for cmd: the name rule and not a
 * name dvm reserves. A bad name is a usage error (exit 2) naming it.
 */
void check_vm_operand(const char *cmd, const char *arg);

#endif
