/*
 * lima.h: argv vectors for limactl. Pure functions: they append to a
 * strvec and run nothing, so tests can check every argv against the
 * Lima 2.0 flag contract without a VM.
 *
 * Rules they keep (see docs/lima.md): flags before the instance name for
 * `shell`; the first guest word is always a fixed program name; create
 * flags (--port-forward, --network, ...) only on the create form; the
 * create form always carries --mount-none.
 */
#ifndef DVM_LIMA_H
#define DVM_LIMA_H

struct strvec;
struct vm_config;

/* The fixed template every new VM boots from. */
#define LIMA_TEMPLATE "template:fedora"

/* How to get Lima, for a missing limactl: what fits the host's OS. */
#ifdef __APPLE__
#define LIMA_INSTALL "brew install lima"
#else
#define LIMA_INSTALL "see https://lima-vm.io/docs/installation/"
#endif
#define LIMA_INSTALL_HINT "install Lima 2.0 or newer (" LIMA_INSTALL ")"
#define LIMA_MISSING_HINT LIMA_INSTALL_HINT ", then run: dvm doctor"

/* limactl --log-level L start --yes --name=dvm-<vm> ... <template> */
void lima_create_argv(struct strvec *av, const char *limactl,
    const char *log_level, const struct vm_config *c, const char *template);
/* limactl --log-level L start dvm-<vm>: boot an existing instance. */
void lima_start_argv(struct strvec *av, const char *limactl,
    const char *log_level, const char *vm);
/* limactl --log-level L stop dvm-<vm> */
void lima_stop_argv(struct strvec *av, const char *limactl,
    const char *log_level, const char *vm);
/* limactl --log-level L delete --force dvm-<vm> */
void lima_delete_argv(struct strvec *av, const char *limactl,
    const char *log_level, const char *vm);
/*
 * limactl list --format=<fmt> [dvm-<vm>]: fmt is a Go template; tabs in
 * it must be real tab bytes. vm may be NULL for every instance.
 */
void lima_list_argv(struct strvec *av, const char *limactl, const char *fmt,
    const char *vm);
/* limactl shell --workdir=/ dvm-<vm> bash -s: a script on stdin. */
void lima_script_argv(struct strvec *av, const char *limactl, const char *vm);
/*
 * limactl shell [--start] --workdir=/ dvm-<vm> sudo -u <user> -H bash -lc
 * <script> bash <args...>: run a fixed script as the dev user, with
 * args as its positional parameters. args is NULL-terminated. Without
 * start, a stopped VM makes the call fail instead of booting it.
 */
void lima_user_argv(struct strvec *av, const char *limactl, const char *vm,
    int start, const char *user, const char *script, char *const *args);

/*
 * limactl shell --start --workdir=/ dvm-<vm> sudo <args...>: a command as
 * root in the VM. args is NULL-terminated.
 */
void lima_sudo_argv(struct strvec *av, const char *limactl, const char *vm,
    char *const *args);

/*
 * limactl copy [-r] <src> <dst>: one side is "dvm-<vm>:<path>", which
 * the caller builds (lima_remote() helps). Files land owned by Lima's
 * login user.
 */
void lima_copy_argv(struct strvec *av, const char *limactl, int recursive,
    const char *src, const char *dst);
/* "dvm-<vm>:<path>", caller frees. */
char *lima_remote(const char *vm, const char *path);

#endif
