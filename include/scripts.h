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

/* guest/ */
extern const char guest_egress_sh[];	/* the egress allowlist, as root */
/* dvm_has_container NAME, put in front of scripts that define dvm_podman */
extern const char guest_has_container_sh[];

#endif
