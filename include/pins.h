/*
 * pins.h: the images `dvm base build` starts from, pinned by digest so a
 * build is reproducible (DVM_BOOTC_BASE and DVM_BISC_IMAGE override them).
 *
 * Each "pin NAME REFERENCE" comment names the tag its digest was taken
 * from; tools/update-pins resolves those tags again (the multi-arch
 * manifest list, so arm64 Macs get the same pin) and rewrites the
 * #define under each comment. See docs/hacking.md for when to run it.
 */
#ifndef DVM_PINS_H
#define DVM_PINS_H

/* pin BOOTC_BASE quay.io/fedora/fedora-bootc:42 */
#define BOOTC_BASE "quay.io/fedora/fedora-bootc@sha256:077182b6ba853b3348d0bede602ac30b9e6568c6422bcf0654de5af96f19b9c3"

/* pin BISC_IMAGE quay.io/centos-bootc/bootc-image-builder:latest */
#define BISC_IMAGE "quay.io/centos-bootc/bootc-image-builder@sha256:7ae88b8d6f2cabfa971d7836b96d6cac19cd1384e658031bd154f9687e929905"

#endif
