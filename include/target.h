/*
 * target.h: turning a command's operands into checked VM names and
 * <vm>/<project> targets.
 */
#ifndef DVM_TARGET_H
#define DVM_TARGET_H

struct project;
struct vm_config;

/*
 * Check that arg is a usable VM name for cmd: the name rule and not a
 * name dvm reserves. A bad name is a usage error (exit 2) naming it.
 */
void check_vm_operand(const char *cmd, const char *arg);
/*
 * Split "<vm>" or "<vm>/<project>" into malloc'd names (*proj NULL for a
 * VM), checking both; a bad one is a usage error.
 */
void parse_target_operand(const char *cmd, const char *arg, char **vm,
    char **proj);
/* The project called name in c, or NULL after saying how to add it. */
const struct project *find_project(const struct vm_config *c,
    const char *name);
/*
 * Load the config of vm (with its projects) into *c and, when proj is
 * set, find that project into *p. Returns 0, or -1 (reported).
 */
int load_target(const char *vm, const char *proj, struct vm_config **c,
    const struct project **p);

#endif
