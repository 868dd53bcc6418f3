/*
 * paths.h: where dvm keeps things on the host.
 *
 * Directories come from the environment (DVM_CONFIG_DIR, DVM_STATE_DIR,
 * DVM_CACHE_DIR, LIMA_HOME) or XDG defaults under $HOME. Functions that
 * take a vm name return a malloc'd path the caller frees.
 */
#ifndef DVM_PATHS_H
#define DVM_PATHS_H

#include <stddef.h>

const char *paths_home(void);
const char *paths_config_dir(void);
/*
 * The same, or NULL where paths_config_dir() would die: for what only
 * looks at the config (main()'s secret scan, the templates in a usage
 * line) and must leave the error to the command.
 */
const char *paths_config_dir_quiet(void);
const char *paths_state_dir(void);
const char *paths_cache_dir(void);
const char *paths_lima_home(void);

char *paths_global_config(void);
char *paths_vms_dir(void);
char *paths_vm_dir(const char *vm);
char *paths_vm_config(const char *vm);
char *paths_vm_setup(const char *vm);
char *paths_projects_dir(const char *vm);
char *paths_project_dir(const char *vm, const char *proj);
char *paths_log_dir(const char *vm);
/* $LIMA_HOME/dvm-<vm>/lima.yaml exists: Lima knows the VM. */
int paths_instance_exists(const char *vm);

/*
 * Write a scaffold: a new 0600 file, never replacing one that exists
 * ("dvm never overwrites it"). Returns 0 or -1 (reported).
 */
int write_scaffold(const char *path, const char *text, size_t len);
/*
 * Undo a scaffold that failed half-way: remove the files it may have
 * written in dir (a NULL-terminated list), then dir, which this run
 * created.
 */
void unwrite_scaffold(const char *dir, const char *const *files);

/* For messages: path with a leading $HOME shown as "~". Caller frees. */
char *display_path(const char *path);

/*
 * The safety check every file dvm trusts or keeps gets, on its stat:
 * owned by the current user and not writable by group or others. -1
 * after an error naming label and path (with a chmod repair hint).
 */
struct stat;
int check_owner_mode(const struct stat *st, const char *label,
    const char *path);

/*
 * Directories and files dvm keeps for itself under the state and cache
 * dirs: logs, locks, the base image cache. The last component is opened
 * without following a symlink (a symlink is refused, its target left
 * alone), must be ours and pass check_owner_mode(), and is created
 * 0700 (dirs) or 0600 (files) whatever the umask. Parents are created
 * as needed and may be symlinks (a linked ~/.cache is fine). Each
 * returns an fd, or -1 after an error that names label and the path.
 *
 * private_dir_open() opens the directory path; private_dir_openat() and
 * private_file_openat() open name inside the directory dirfd, whose
 * path dirpath is only for messages. flags is O_WRONLY | O_APPEND,
 * O_RDWR and so on: never O_TRUNC (the check comes first; ftruncate()
 * the fd afterwards).
 */
int private_dir_open(const char *path, const char *label);
int private_dir_openat(int dirfd, const char *dirpath, const char *name,
    const char *label);
int private_file_openat(int dirfd, const char *dirpath, const char *name,
    int flags, const char *label);

#endif
