/*
 * podman.h: argv vectors for podman, run inside the VM as DVM_USER.
 * Pure functions, like lima.h: they build vectors and run nothing. The
 * guest script quotes them (sq_quote_argv) behind dvm_as_dev.
 *
 * DVM 3.0 state names: container <proj>, volume dvm-<vm>-<proj>, labels
 * dvm.vm and dvm.project, dev-base image localhost/dvm-dev-base:latest.
 */
#ifndef DVM_PODMAN_H
#define DVM_PODMAN_H

struct strvec;
struct project;

#define DEVBASE_IMAGE "localhost/dvm-dev-base:latest"
#define DEVBASE_LABEL "dvm.devbase.hash"

/*
 * podman create --name P --restart=always --init --label dvm.vm=V
 * --label dvm.project=P [--device /dev/fuse --security-opt label=disable]
 * [-p 127.0.0.1:H:G ...] -v dvm-V-P:W -w W IMAGE sleep infinity
 */
void podman_create_argv(struct strvec *av, const char *vm,
    const struct project *p);
/* podman start P */
void podman_start_argv(struct strvec *av, const char *name);
/* podman rm -f -t 0 P: --init makes the stop quick anyway. */
void podman_rm_argv(struct strvec *av, const char *name);
/* podman volume exists / rm dvm-V-P */
void podman_volume_exists_argv(struct strvec *av, const char *vm,
    const char *proj);
void podman_volume_rm_argv(struct strvec *av, const char *vm,
    const char *proj);
/*
 * Where `dvm key <vm>/<project>` keeps the project's SSH key and the git
 * config that makes git use it: a directory in the workspace volume.
 */
#define PROJECT_KEY_DIR ".dvm-ssh"
/* The path of that directory in p's container (malloc'd). */
char *podman_key_dir(const struct project *p);
/*
 * podman exec -i -w W -e DVM_VM=V -e DVM_PROJECT=P -e PROJ_WORKDIR=W, then
 * git's one-include config (GIT_CONFIG_COUNT=1, GIT_CONFIG_KEY_0=
 * include.path, GIT_CONFIG_VALUE_0=W/.dvm-ssh/gitconfig: git skips a
 * missing file, so nothing changes until dvm key has run), P, then cmd
 * (NULL-terminated). Set at exec, not create, so containers made before
 * dvm key existed get it too.
 */
void podman_exec_argv(struct strvec *av, const char *vm,
    const struct project *p, int tty, char *const *cmd);
/*
 * The same with a terminal (-it), and --env=TERM=term first when term is
 * not NULL: podman would otherwise give the shell TERM=xterm.
 */
void podman_exec_term_argv(struct strvec *av, const char *vm,
    const struct project *p, const char *term, char *const *cmd);

#endif
