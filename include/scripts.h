/*
 * scripts.h: the shell dvm ships, compiled in from real files.
 *
 * guest/NAME.sh runs inside the VM (steps of the sync script and the
 * one-shot scripts of sh, cp, ls...); host/NAME.sh runs on the host.
 * tools/embed turns each file into one string named after it
 * (guest/egress.sh is guest_egress_sh), so a file that is gone is a
 * link error. Values reach them as positional parameters, never spliced
 * into their text.
 */
#ifndef DVM_SCRIPTS_H
#define DVM_SCRIPTS_H

/* guest/: steps of a guest script, and what the frame puts around them */
extern const char guest_base_build_sh[];	/* base build: the qcow2 */
extern const char guest_base_context_sh[];	/* base build: unpack base/ */
extern const char guest_base_provision_sh[];	/* base build: podman */
extern const char guest_bootstrap_sh[];	/* DVM_USER, ranges, code dir */
extern const char guest_devbase_sh[];	/* the dev-base, when changed */
extern const char guest_egress_sh[];	/* the egress allowlist, as root */
extern const char guest_podman_prep_sh[];	/* rootless podman */
extern const char guest_prelude_sh[];	/* the frame's helpers */
extern const char guest_project_remove_sh[];	/* remove a container */
extern const char guest_project_up_sh[];	/* create, start, setup.sh */
extern const char guest_run_egress_sh[];	/* egress.sh from stdin */
extern const char guest_run_script_sh[];	/* run stdin as a script */
extern const char guest_secrets_sh[];	/* the frame: stage secrets */

#endif
