/*
 * baseimg.h: where the baked base image lives, shared by `dvm base` and
 * the sync that creates new VMs from it.
 *
 *   $DVM_BASE_DIR/Containerfile, packages.txt   its definition
 *   $DVM_BASE_DIR/dev/Containerfile             the dev-base
 *   $DVM_BASE_IMAGE                             the built image
 *   $DVM_BASE_CACHE/template.yaml               Lima template for it
 *   $DVM_BASE_CACHE/metadata.json               when and how built
 *
 * As in DVM 3.0, each is an environment setting only: DVM_BASE_DIR
 * defaults to $DVM_CONFIG_DIR/base, DVM_BASE_CACHE to
 * $DVM_CACHE_DIR/base, DVM_BASE_IMAGE to $DVM_BASE_CACHE/disk.qcow2. A
 * value that is not an absolute path stops dvm with a one-line error.
 */
#ifndef DVM_BASEIMG_H
#define DVM_BASEIMG_H

/*
 * The builder VM's name without "dvm-": "builder", or what
 * DVM_BUILDER_LIMA=dvm-<name> says (dies on any other value). Reserved:
 * no VM config may take it, ls and stop --all leave it alone.
 */
const char *baseimg_builder(void);

/* All malloc'd; the caller frees. */
char *baseimg_dir(void);
char *baseimg_cache(void);
char *baseimg_image(void);
/*
 * Open (creating) $DVM_CACHE_DIR and its base/, both checked as
 * private_dir_open() describes, before dvm writes there. An fd to
 * close, or -1 (reported).
 */
int baseimg_cache_open(void);

/*
 * The locator a new VM boots from: the built image's template (written
 * afresh next to the image) when the image exists, else template:fedora.
 * Returns a malloc'd string, or NULL (reported) when the template could
 * not be written.
 */
char *baseimg_locator(void);

#endif
