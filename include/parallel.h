/*
 * parallel.h: the same work for several VMs side by side (sync --all).
 *
 * Each VM's work runs in a forked copy of dvm (proc_start_fn), so it has
 * its own lock, logs and limactl calls; at most jobs run at once. The
 * workers' output comes back through pipes: on a terminal each VM gets
 * one status line showing its latest line, otherwise every line is
 * printed with the VM's name in front.
 */
#ifndef DVM_PARALLEL_H
#define DVM_PARALLEL_H

#include <stddef.h>

struct vm_config;

/* The work for one VM, in a worker: 0 (EXIT_OK) when it succeeded. */
typedef int (*parallel_fn)(const struct vm_config *c);

/*
 * Run fn for each of the n VMs, up to jobs at a time, and wait for all.
 * A VM's line ends as "✓ vm: ready" or "✗ vm: failed"; on a terminal, a
 * failed VM's whole report is printed again at the end. Returns how many
 * failed. An interrupt stops the workers and makes dvm die of the signal.
 */
size_t parallel_run(const struct vm_config *vms, size_t n,
    unsigned long jobs, parallel_fn fn);

#endif
