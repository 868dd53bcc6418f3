/*
 * session.h: running a fixed script as DVM_USER inside a VM, for the
 * interactive commands (sh, ssh). One limactl call: `shell --start`
 * boots a stopped VM on the way, and a missing instance is told apart
 * locally, so a running VM costs exactly one round trip.
 */
#ifndef DVM_SESSION_H
#define DVM_SESSION_H

/*
 * Load vm's config, check its instance exists, and exec limactl to run
 * script (fixed text) as DVM_USER with the code dir as $1 and args after
 * it. Returns only on error, with an exit status.
 */
int session_exec(const char *cmd, const char *vm, const char *script,
    char *const *args);

#endif
