/*
 * fuzz_config_records: the reader of the config shim's output, the
 * NUL-separated records that bash writes on fd 3 (src/config.c:
 * split_nul() and parse_output() with everything they call).
 *
 * Input: one mode byte, then the bytes the shim would have written.
 *   bit 0     a global config.sh exists (the stream starts "R <path>")
 *   bits 1-2  how many VMs config_load() asked for (0 to 3)
 * The bytes become tokens with config.c's own split_nul(), exactly as in
 * config_load(). When parse_output() accepts the stream, every value it
 * kept is run through the validators again: nothing unchecked may reach
 * a vm_config. Everything is freed (LeakSanitizer runs per input).
 *
 * The functions are static, so this file includes config.c; the runner
 * leaves config.o out of this target's link.
 */
#include "../../src/config.c"

#include <stdint.h>
#include <stdio.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Under a directory that does not exist: no setup.sh is ever found. */
#define FUZZ_ROOT "/nonexistent/dvm-fuzz"

static const char *const vm_names[] = { "app", "web", "trusted" };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("HOME", FUZZ_ROOT "/home", 1);
	setenv("DVM_CONFIG_DIR", FUZZ_ROOT "/config", 1);
	return 0;
}

static int
is_name_eq(const char *entry, const char *name)
{
	size_t n = strlen(name);

	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static void
check_ports(const struct strvec *ports)
{
	size_t i;

	for (i = 0; i < ports->nr; i++)
		FUZZ_ASSERT(valid_port_spec(ports->v[i]));
}

/* What parse_output() promised about one VM it accepted. */
static void
check_vm(const struct vm_config *c, const char *name, int names_have_eq)
{
	char *code_dir;
	size_t i;

	FUZZ_ASSERT(strcmp(c->name, name) == 0);
	FUZZ_ASSERT(c->cpus && valid_uint(c->cpus, 1024, NULL));
	FUZZ_ASSERT(c->memory && valid_gib(c->memory));
	FUZZ_ASSERT(c->disk && valid_gib(c->disk));
	FUZZ_ASSERT(c->user && valid_name(c->user));
	FUZZ_ASSERT(c->subuid_count &&
	    valid_count(c->subuid_count, 1000000000));
	FUZZ_ASSERT(c->subgid_count &&
	    valid_count(c->subgid_count, 1000000000));
	FUZZ_ASSERT(c->vm_type && valid_vm_type(c->vm_type));
	FUZZ_ASSERT(c->network && (strcmp(c->network, "") == 0 ||
	    strcmp(c->network, "user-v2") == 0));
	FUZZ_ASSERT(c->dev_base && valid_image(c->dev_base));
	FUZZ_ASSERT(c->no_baseline == 0 || c->no_baseline == 1);
	check_ports(&c->ports);
	for (i = 0; i < c->recipes.nr; i++)
		FUZZ_ASSERT(valid_name(c->recipes.v[i]));
	for (i = 0; i < c->secrets.nr; i++)
		FUZZ_ASSERT(valid_env_name(c->secrets.v[i]));
	/*
	 * Extra settings: NAME=value, never one of the checked names. Bash
	 * never dumps a name holding '=', but a fuzzed stream may, and then
	 * "DVM_CPUS=x=1" could come from the name "DVM_CPUS=x".
	 */
	for (i = 0; i < c->extra.nr; i++) {
		const char *e = c->extra.v[i];

		FUZZ_ASSERT(strchr(e, '=') != NULL);
		if (names_have_eq)
			continue;
		FUZZ_ASSERT(!is_name_eq(e, "DVM_CPUS") &&
		    !is_name_eq(e, "DVM_USER") &&
		    !is_name_eq(e, "DVM_PORTS") &&
		    !is_name_eq(e, "DVM_DEV_BASE") &&
		    !is_name_eq(e, "DVM_SECRETS") &&
		    !is_name_eq(e, "_dvm_use"));
	}
	code_dir = xasprintf("/home/%s/code/%s", c->user, c->name);
	FUZZ_ASSERT(c->code_dir && strcmp(c->code_dir, code_dir) == 0);
	free(code_dir);

	for (i = 0; i < c->nr_projects; i++) {
		const struct project *p = &c->projects[i];

		FUZZ_ASSERT(p->name && p->dir);
		FUZZ_ASSERT(p->image && valid_image(p->image));
		FUZZ_ASSERT(p->nested == 0 || p->nested == 1);
		FUZZ_ASSERT(p->workdir && valid_workdir(p->workdir));
		check_ports(&p->ports);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out = STRBUF_INIT;
	struct strvec tok = STRVEC_INIT;
	struct vm_config *vms;
	struct reader r;
	int global, names_have_eq = 0;
	size_t n, i;

	if (size < 1)
		return 0;
	global = data[0] & 1;
	n = (size_t)(data[0] >> 1) & 3;
	strbuf_add(&out, data + 1, size - 1);
	split_nul(&out, &tok);

	/*
	 * Without a global config the shim's first record is its own "G":
	 * no user code has run yet, so no "F" can come first (parse_output()
	 * would pass display_path() a NULL file there). Not reachable.
	 */
	if (!global && tok.nr > 0 && strcmp(tok.v[0], "F") == 0)
		goto out;

	/* The VMs as config_load() prepares them before running bash. */
	vms = xcalloc(n ? n : 1, sizeof(*vms));
	for (i = 0; i < n; i++) {
		strvec_init(&vms[i].ports);
		strvec_init(&vms[i].recipes);
		strvec_init(&vms[i].extra);
		strvec_init(&vms[i].secrets);
		vms[i].name = xstrdup(vm_names[i]);
		vms[i].config_path = paths_vm_config(vm_names[i]);
		vms[i].setup_path = NULL;
	}
	for (i = 0; i < tok.nr; i++)
		names_have_eq |= strchr(tok.v[i], '=') != NULL;
	r.tok = tok.v;
	r.nr = tok.nr;
	r.pos = 0;
	r.file = NULL;
	if (parse_output(&r, vms, n, global ? FUZZ_ROOT "/config/config.sh" :
	    NULL) == 0) {
		FUZZ_ASSERT(r.pos <= r.nr);
		for (i = 0; i < n; i++)
			check_vm(&vms[i], vm_names[i], names_have_eq);
	}
	config_free(vms, n);
out:
	strvec_clear(&tok);
	strbuf_release(&out);
	return 0;
}
