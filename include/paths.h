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
char *paths_lock(const char *vm);
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

#endif
