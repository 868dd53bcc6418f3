/*
 * egress.h: the host side of the egress allowlist.
 *
 * DVM_EGRESS=(host ...) limits where DVM_USER, its containers and
 * dvm-agent may connect; DVM_AGENT_EGRESS=(host ...) gives dvm-agent a
 * list of its own. The guest side is guest/egress.sh, compiled in, which
 * one step of the sync's guest script runs as root: `apply` with the
 * lists, or `off` when there is none (it prints "unchanged" when there
 * was nothing to remove). See docs/security.md.
 *
 * To the configured names dvm adds the hosts its own steps need as a
 * limited user: the registry of every project IMAGE and of the images
 * the dev-base's Containerfile starts from, and the "# Egress:" hosts of
 * every recipe the VM runs. An AI recipe's hosts (its first command is
 * dvm_need_agent) go to dvm-agent's list when it has one of its own.
 */
#ifndef DVM_EGRESS_H
#define DVM_EGRESS_H

#include <stddef.h>

struct guest_script;
struct strvec;
struct vm_config;

/* The account the agent-user recipe creates (DVM_AGENT in _helpers.sh). */
#define EGRESS_AGENT_USER "dvm-agent"

/* One allowed name and where it came from ("DVM_EGRESS, recipe node"). */
struct egress_host {
	char	*name;		/* as written, a leading '.' kept */
	char	*from;
};

struct egress_list {
	struct egress_host	*v;
	size_t			 nr;
};

struct egress {
	struct egress_list	dev;	/* empty: no limit */
	struct egress_list	agent;	/* empty: dvm-agent shares dev */
};
#define EGRESS_INIT { { NULL, 0 }, { NULL, 0 } }

/*
 * NULL when host is a name DVM_EGRESS takes (valid_egress_host()), else
 * why not, as the end of a sentence ("is an address: ...").
 */
const char *egress_host_problem(const char *host);
/*
 * The registry an image reference pulls from, as podman resolves it:
 * the first component when it has a '.' or ':' or is "localhost"
 * (lower-cased, without a port), else "docker.io" (short names are
 * taken as Docker Hub's). Caller frees.
 */
char *egress_image_registry(const char *image);
/*
 * Append to out the hosts a pull from registry connects to: Docker Hub's
 * registry, token and blob hosts for docker.io; ghcr.io and its blob
 * host; any other name itself; nothing for localhost and 127.x.y.z.
 * Returns 0, or -1 when registry is no name the allowlist can hold (an
 * address, a single label).
 */
int egress_registry_hosts(const char *registry, struct strvec *out);
/*
 * The images a Containerfile pulls: FROM and COPY --from= references
 * that are neither earlier stage names, stage numbers, "scratch" nor
 * built from variables. Appended to out.
 */
void egress_containerfile_images(const char *text, struct strvec *out);

/* Add name (merged with an equal one, "x" and ".x" being equal). */
void egress_list_add(struct egress_list *l, const char *name,
    const char *from);
/*
 * The lists of c, with the added hosts (recipes are loaded, the
 * dev-base's Containerfile read). Both empty when c sets no DVM_EGRESS.
 * Returns 0, or -1 after an error naming the file and value.
 */
int egress_plan(struct egress *e, const struct vm_config *c);
void egress_release(struct egress *e);

/*
 * The sync's egress step: apply e (or off when e->dev is empty), as
 * root, after the bootstrap and before any step that runs as a limited
 * user. Its check mark says "applied" when the rules changed.
 */
void egress_add_step(struct guest_script *gs, const struct vm_config *c,
    const struct egress *e);
/*
 * Apply e again, right after the agent-user recipe: dvm-agent exists
 * only from then on, and is limited from then on. Quiet unless it
 * changed something (the first sync) or fails.
 */
void egress_add_agent_step(struct guest_script *gs,
    const struct vm_config *c, const struct egress *e);

#endif
