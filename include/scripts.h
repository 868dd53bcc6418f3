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

/*
 * templates/scaffold/: the files dvm new and dvm add write, not run by
 * dvm; @KEY@ stands for a validated name (template_expand()).
 */
extern const char scaffold_global_config_sh[];	/* config.sh: @USER@ */
/* vms/<vm>/config.sh and setup.sh: @VM@, @SETUP_PATH@ */
extern const char scaffold_vm_config_sh[];
extern const char scaffold_vm_setup_sh[];
/* projects/<project>/project.sh and setup.sh: @VM@, @PROJECT@ */
extern const char scaffold_project_config_sh[];
extern const char scaffold_project_setup_sh[];

/* templates/base/: dvm base init's starter files, and the plumbing */
extern const char base_containerfile[];		/* base/Containerfile */
extern const char base_dev_containerfile[];	/* base/dev/Containerfile */
extern const char base_packages_txt[];		/* base/packages.txt */
/* the bootc layer under the user's Containerfile: @BOOTC@ */
extern const char base_plumbing_containerfile[];

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
/* dvm_has_container NAME, put in front of scripts that define dvm_podman */
extern const char guest_has_container_sh[];
/* dvm_term_fallback: xterm-256color for a TERM without terminfo */
extern const char guest_term_sh[];
/* dvm sh <vm>/<project> in the container, behind term.sh */
extern const char guest_term_exec_sh[];
/* XDG_RUNTIME_DIR and dvm_podman, put in front of DVM_USER's podman scripts */
extern const char guest_dev_env_sh[];
/* the one-shot scripts, as DVM_USER (cp and unsaved also in a container) */
extern const char guest_cp_receive_sh[];	/* cp into a guest: tar on stdin */
extern const char guest_cp_send_sh[];		/* cp from a guest: tar on stdout */
extern const char guest_ls_containers_sh[];	/* ls <vm>: container lines */
extern const char guest_project_exec_sh[];	/* exec behind a container check */
extern const char guest_key_sh[];		/* key <vm>: the public key */
extern const char guest_project_key_sh[];	/* key <vm>/<project>, in its container */
extern const char guest_sh_login_sh[];		/* sh <vm>: the login shell */
extern const char guest_ssh_exec_sh[];		/* ssh <vm>: one command */
extern const char guest_stop_container_sh[];	/* stop <vm>/<project> */
extern const char guest_unsaved_sh[];		/* rm/reset: unsaved work */

/* host/ */
/* reads the user's config files into records, in bash 3.2 (config.c) */
extern const char host_config_sh[];

#endif
