/*
 * base.h: the subcommands of `dvm base`, one file each (base_init.c,
 * base_build.c, base_status.c, base_rm.c), dispatched by cmd_base.c.
 * Paths of the image and its definition are baseimg.h's.
 */
#ifndef DVM_BASE_H
#define DVM_BASE_H

/* Where the builder VM builds. */
#define BASE_BUILD_DIR "/tmp/dvm-build"

/* init (dev 0) and dev-init (dev 1): starter files, never overwritten. */
int base_init(int dev, int dry_run);
/* build: the qcow2, in the builder VM, into the host cache. */
int base_build(int clean, int no_cache, int dry_run);
/* status: the image, its definition and the builder. */
int base_status(void);
/* rm: the builder VM and/or the cached image. */
int base_rm(int builder, int image, int dry_run);

#endif
