/*
 * session.h: interactive commands (sh, ssh, logs) replace dvm with one
 * `limactl shell --start`: a stopped VM boots on the way and a missing
 * instance is told apart locally, so a running VM costs one round trip.
 * The terminal, signals and exit status are then the remote command's.
 */
#ifndef DVM_SESSION_H
#define DVM_SESSION_H

struct project;
struct vm_config;

/*
 * Run script (fixed text) as DVM_USER in vm with the code dir as $1 and
 * args after it. Returns only on error, with an exit status.
 */
int session_vm(const struct vm_config *c, const char *script,
    char *const *args);
/*
 * Run cmd (an argv, usually podman exec ...) as DVM_USER after checking
 * that p's container exists, starting it first when start is set.
 * Returns only on error.
 */
int session_project(const struct vm_config *c, const struct project *p,
    int start, char *const *cmd);
struct strvec;
/*
 * The limactl argv that runs body (one of the guest_*_sh scripts) as
 * DVM_USER in c's VM with args as its positional parameters, behind
 * guest/dev-env.sh and guest/has-container.sh: rootless podman works and
 * dvm_has_container is defined. start boots a stopped VM on the way.
 */
void session_podman_argv(struct strvec *av, const struct vm_config *c,
    int start, const char *body, char *const *args);
/* The argv session_project() execs, for callers that supervise it. */
void session_project_argv(struct strvec *av, const struct vm_config *c,
    const struct project *p, int start, char *const *cmd);
/* Fail with "no Lima instance" unless vm has one. 0 or -1 (reported). */
int session_need_instance(const char *vm);

#endif
