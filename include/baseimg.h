/*
 * baseimg.h: where the baked base image lives, shared by `dvm base` and
 * the sync that creates new VMs from it.
 *
 *   $DVM_CONFIG_DIR/base/Containerfile, packages.txt   its definition
 *   $DVM_CONFIG_DIR/base/dev/Containerfile             the dev-base
 *   $DVM_CACHE_DIR/base/disk.qcow2                     the built image
 *   $DVM_CACHE_DIR/base/template.yaml                  Lima template for it
 *   $DVM_CACHE_DIR/base/metadata.json                  when and how built
 */
#ifndef DVM_BASEIMG_H
#define DVM_BASEIMG_H

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
