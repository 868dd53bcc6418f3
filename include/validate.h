/*
 * validate.h: the rules every name and value must pass before it may
 * reach an argv or a guest script. Pure functions; each returns 1 when
 * the value is acceptable and 0 otherwise (reserved_vm_name(): 1 when
 * the name is reserved), and leaves messages to the caller, which knows
 * where the value came from.
 */
#ifndef DVM_VALIDATE_H
#define DVM_VALIDATE_H

/* Lima's socket path limit leaves room for 40 characters after "dvm-". */
#define NAME_MAX_LEN 40

/* ^[a-z][a-z0-9-]*$, at most NAME_MAX_LEN characters. */
int valid_name(const char *s);
/* 1 if dvm keeps the name for itself ("base", "builder"). */
int reserved_vm_name(const char *s);
/* An environment variable name: [A-Z_][A-Z0-9_]*, at most 64 long. */
int valid_env_name(const char *s);
/*
 * A systemd unit name such as dvm-llama.service: [A-Za-z0-9_.@:-], not
 * starting with '-' or '.', so it is never an option or a path.
 */
int valid_unit(const char *s);
/*
 * Only ASCII letters, digits and the characters of extra: text that
 * needs no quoting where it goes (a TERM name, a path in a shell
 * command). The empty string passes; callers that need more check more.
 */
int valid_plain(const char *s, const char *extra);
/* A decimal integer in [1, max]. */
int valid_uint(const char *s, unsigned long max, unsigned long *out);
/* A decimal count in [0, max]. */
int valid_count(const char *s, unsigned long max);
/* A positive decimal such as 2 or 1.5, below one million. */
int valid_gib(const char *s);
/*
 * A byte size: a positive decimal integer with an optional K, M, G or T
 * (powers of 1024, either case), such as 64K, 500M or 2G.
 */
int valid_size(const char *s, unsigned long long *out);
/* "host:guest", both ports 1-65535. */
int valid_port_spec(const char *s);
/* At most 16 characters of [a-z0-9] (DVM_VM_TYPE), or empty. */
int valid_vm_type(const char *s);
/*
 * A host name for the egress allowlist (DVM_EGRESS): an optional leading
 * '.', then at least two labels of 1 to 63 characters from [a-z0-9-]
 * that neither start nor end with '-', at most 253 characters in all
 * (without the dot), the last label not all digits (so never an
 * address). The rule of guest/egress.sh, which checks again.
 */
int valid_egress_host(const char *s);

/*
 * Split "<vm>" or "<vm>/<project>". On success *vm and *proj (NULL for a
 * plain vm) are malloc'd; on failure returns 0 and sets *why to a static
 * description of the problem.
 */
int parse_target(const char *arg, char **vm, char **proj, const char **why);

#endif
