/*
 * instances.h: what Lima knows about dvm's VMs, from one `limactl list`.
 */
#ifndef DVM_INSTANCES_H
#define DVM_INSTANCES_H

#include <stddef.h>

struct instance {
	char			*vm;		/* name without "dvm-" */
	char			*status;	/* Running, Stopped, Broken... */
	char			*cpus;
	unsigned long long	 memory;	/* bytes */
	unsigned long long	 disk;		/* bytes */
};

struct instances {
	struct instance	*list;
	size_t		 nr;
};
#define INSTANCES_INIT { NULL, 0 }

/*
 * Parse the output of lima_list_argv() with INSTANCES_FORMAT: one line
 * per instance, fields separated by tabs. Lines that are not dvm
 * instances (no "dvm-" prefix, or a name dvm could not have made) are
 * skipped, and so is the base-image builder (dvm-builder), which `dvm
 * base status` and `base rm --builder` look after: ls and stop --all
 * leave it alone, as DVM 3.0 does. Pure: tests feed it text.
 */
void instances_parse(struct instances *is, const char *text);
/* Run `limactl list` (vm NULL for all) and parse it. -1 if reported. */
int instances_load(struct instances *is, const char *vm);
const struct instance *instances_find(const struct instances *is,
    const char *vm);
void instances_release(struct instances *is);

/*
 * 1 if $LIMA_HOME holds any dvm-* instance but the builder: when it holds
 * none, there is nothing to ask limactl about.
 */
int instances_any_local(void);
/* Bytes as GiB for people: "8GiB", "1.5GiB", "-" for 0. Caller frees. */
char *format_gib(unsigned long long bytes);

/* The Go template for `limactl list --format`, with real tab bytes. */
#define INSTANCES_FORMAT \
	"{{.Name}}\t{{.Status}}\t{{.CPUs}}\t{{.Memory}}\t{{.Disk}}"

#endif
