/*
 * Unit tests of the egress allowlist's host side (egress.c, the host-name
 * rule in validate.c, the "# Egress:" header in recipe.c) and of the
 * result lines a guest step reports. Included once, from unit.c.
 */
#include "unit.h"
#include "egress.h"
#include "recipe.h"

void
test_valid_egress_host(void)
{
	static const struct {
		const char	*s;
		int		 want;
	} cases[] = {
		{ "github.com", 1 }, { ".github.com", 1 }, { "a.b", 1 },
		{ "registry-1.docker.io", 1 }, { "x1.y2.z3", 1 },
		{ "1password.com", 1 }, { "a.b.c.d.e.example", 1 },
		{ "xn--bcher-kva.example", 1 }, { "0.example", 1 },
		/* not names */
		{ "", 0 }, { ".", 0 }, { "..", 0 }, { "com", 0 }, { ".com", 0 },
		{ "localhost", 0 }, { "GitHub.com", 0 }, { "github.COM", 0 },
		{ "1.2.3.4", 0 }, { ".1.2.3.4", 0 }, { "10.0.0.1", 0 },
		{ "a.123", 0 }, { "::1", 0 }, { "2001:db8::1", 0 },
		{ "github.com:443", 0 }, { "https://github.com", 0 },
		{ "github.com/x", 0 }, { "user@github.com", 0 },
		{ "github.com.", 0 }, { "..github.com", 0 }, { "a..b", 0 },
		{ "-a.com", 0 }, { "a-.com", 0 }, { "a.-com", 0 },
		{ "a_b.com", 0 }, { "a b.com", 0 }, { "*.github.com", 0 },
		{ "$(touch x).com", 0 }, { "a;b.com", 0 }, { "`id`.com", 0 },
		{ "a.com\n", 0 }, { "a.com\nb.com", 0 }, { "\xc3\xa9.com", 0 },
		{ "'a.com'", 0 }, { "a.com ", 0 },
	};
	char label[80], name[300];
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		IS_INT(valid_egress_host(cases[i].s), cases[i].want,
		    "egress: valid_egress_host(\"%s\") == %d", cases[i].s,
		    cases[i].want);

	/* A label has at most 63 characters. */
	memset(label, 'a', 63);
	strcpy(label + 63, ".com");
	IS_INT(valid_egress_host(label), 1, "egress: a 63-character label");
	memset(label, 'a', 64);
	strcpy(label + 64, ".com");
	IS_INT(valid_egress_host(label), 0, "egress: a 64-character label");

	/* A name has at most 253 characters, a leading dot not counted. */
	for (i = 0; i < 250; i += 2)
		memcpy(name + i, "a.", 2);
	strcpy(name + 250, "com");
	IS_INT((int)strlen(name), 253, "egress: the long name is 253 long");
	IS_INT(valid_egress_host(name), 1, "egress: a 253-character name");
	memmove(name + 1, name, strlen(name) + 1);
	name[0] = '.';
	IS_INT(valid_egress_host(name), 1, "egress: . and 253 characters");
	name[0] = 'b';
	IS_INT(valid_egress_host(name), 0, "egress: a 254-character name");

	/* Every refusal says why, with the kind of mistake named. */
	IS_STR(egress_host_problem("github.com"), NULL,
	    "egress: no problem with github.com");
	OK(strstr(egress_host_problem(""), "empty") != NULL,
	    "egress: \"\" is empty");
	OK(strstr(egress_host_problem("GitHub.com"), "lower case") != NULL,
	    "egress: upper case is named");
	OK(strstr(egress_host_problem("github.com:22"), "port") != NULL,
	    "egress: a port is named");
	OK(strstr(egress_host_problem("https://x.com"), "scheme") != NULL,
	    "egress: a URL is named");
	OK(strstr(egress_host_problem("192.168.1.1"), "address") != NULL,
	    "egress: an address is named");
	OK(strstr(egress_host_problem("fd00::1"), "address") != NULL,
	    "egress: an IPv6 address is named");
	OK(strstr(egress_host_problem("cafe:22"), "port") != NULL,
	    "egress: one colon is a port");
	OK(strstr(egress_host_problem("intranet"), "single label") != NULL,
	    "egress: a single label is named");
	OK(strstr(egress_host_problem("$(id).com"), "not a host name") !=
	    NULL, "egress: shell syntax is not a host name");
}

static void
check_registry(const char *image, const char *want)
{
	char *got = egress_image_registry(image);

	IS_STR(got, want, "egress: image %s pulls from %s", image, want);
	free(got);
}

/* want: the hosts joined by spaces; NULL when the registry is refused. */
static void
check_registry_hosts(const char *registry, const char *want)
{
	struct strvec out = STRVEC_INIT;
	struct strbuf got = STRBUF_INIT;
	int rc = egress_registry_hosts(registry, &out);
	size_t i;

	for (i = 0; i < out.nr; i++) {
		if (i)
			strbuf_addch(&got, ' ');
		strbuf_addstr(&got, out.v[i]);
	}
	if (want == NULL) {
		OK(rc == -1 && out.nr == 0, "egress: registry %s is refused",
		    registry);
	} else {
		IS_INT(rc, 0, "egress: registry %s is fine", registry);
		IS_STR(got.buf, want, "egress: registry %s needs \"%s\"",
		    registry, want);
	}
	strbuf_release(&got);
	strvec_clear(&out);
}

void
test_egress_images(void)
{
	check_registry("node", "docker.io");
	check_registry("node:22", "docker.io");
	check_registry("library/node:22", "docker.io");
	check_registry("someone/tool@sha256:abc", "docker.io");
	check_registry("docker.io/library/node:22", "docker.io");
	check_registry("registry.fedoraproject.org/fedora:latest",
	    "registry.fedoraproject.org");
	check_registry("quay.io/centos-bootc/bootc-image-builder@sha256:7a",
	    "quay.io");
	check_registry("ghcr.io/owner/image:1", "ghcr.io");
	check_registry("GHCR.IO/owner/image", "ghcr.io");
	check_registry("registry.example.com:5000/team/app:2",
	    "registry.example.com");
	check_registry("localhost/dvm-dev-base:latest", "localhost");
	check_registry("localhost:5000/x", "localhost");
	check_registry("myregistry:5000/x", "myregistry");
	check_registry("10.0.0.5:5000/x", "10.0.0.5");
	check_registry("127.0.0.1:5000/x", "127.0.0.1");

	check_registry_hosts("docker.io", "registry-1.docker.io "
	    "auth.docker.io production.cloudflare.docker.com");
	check_registry_hosts("index.docker.io", "registry-1.docker.io "
	    "auth.docker.io production.cloudflare.docker.com");
	check_registry_hosts("ghcr.io",
	    "ghcr.io pkg-containers.githubusercontent.com");
	check_registry_hosts("quay.io", "quay.io");
	check_registry_hosts("registry.fedoraproject.org",
	    "registry.fedoraproject.org");
	check_registry_hosts("registry.example.com", "registry.example.com");
	check_registry_hosts("localhost", "");
	check_registry_hosts("127.0.0.1", "");
	check_registry_hosts("10.0.0.5", NULL);
	check_registry_hosts("myregistry", NULL);
}

static void
check_containerfile(const char *text, const char *want)
{
	struct strvec out = STRVEC_INIT;
	struct strbuf got = STRBUF_INIT;
	size_t i;

	egress_containerfile_images(text, &out);
	for (i = 0; i < out.nr; i++) {
		if (i)
			strbuf_addch(&got, ' ');
		strbuf_addstr(&got, out.v[i]);
	}
	IS_STR(got.buf, want, "egress: Containerfile images \"%s\"", want);
	strbuf_release(&got);
	strvec_clear(&out);
}

void
test_egress_containerfile(void)
{
	check_containerfile("FROM registry.fedoraproject.org/fedora:latest\n"
	    "RUN dnf5 install -y git\n",
	    "registry.fedoraproject.org/fedora:latest");
	check_containerfile("# comment FROM x\nfrom --platform=linux/amd64 "
	    "golang:1.22 AS build\nRUN make\nFROM quay.io/a/b\n"
	    "COPY --from=build /out /out\nCOPY --from=0 /x /x\n"
	    "COPY --chown=1:1 --from=ghcr.io/o/tool:1 /t /t\n",
	    "golang:1.22 quay.io/a/b ghcr.io/o/tool:1");
	check_containerfile("FROM scratch\nFROM $BASE\nFROM ${X}:1\n"
	    "FROM node:22 AS Base\nFROM base\nFROM node:22\n", "node:22");
	check_containerfile("", "");
	check_containerfile("FROM\n  FROM\tfedora\r\n", "fedora");
}

void
test_egress_lists(void)
{
	struct egress e = EGRESS_INIT;

	egress_list_add(&e.dev, "github.com", "DVM_EGRESS");
	egress_list_add(&e.dev, ".github.com", "DVM_EGRESS");
	egress_list_add(&e.dev, "github.com", "recipe chezmoi");
	egress_list_add(&e.dev, "github.com", "recipe chezmoi");
	egress_list_add(&e.dev, "registry-1.docker.io", "project api");
	egress_list_add(&e.dev, "registry-1.docker.io", "project api2");
	egress_list_add(&e.dev, "registry-1.docker.io", "project api");
	IS_INT((int)e.dev.nr, 2, "egress: x and .x are one entry");
	IS_STR(e.dev.v[0].name, "github.com", "egress: the first spelling "
	    "stays");
	IS_STR(e.dev.v[0].from, "DVM_EGRESS, recipe chezmoi",
	    "egress: each source is named once");
	IS_STR(e.dev.v[1].from, "project api, project api2",
	    "egress: a source that is a prefix of another is still added");
	egress_release(&e);
	IS_INT((int)e.dev.nr, 0, "egress: released");
}

void
test_recipe_headers(void)
{
	struct strvec w = STRVEC_INIT;
	static const char text[] =
	    "#!/usr/bin/env bash\n"
	    "# Description: a test\n"
	    "# Egress: a.example b.example\n"
	    "# Egress:\tc.example  \n"
	    "#\n"
	    "# Egress:\n"
	    "\n"
	    "# Egress: later.example\n"
	    "dvm_pkg x\n";

	IS_INT(recipe_header_words(text, "# Egress:", &w), 3,
	    "recipe: three # Egress: lines in the header, one of them empty");
	IS_INT((int)w.nr, 3, "recipe: three # Egress: words in the header");
	if (w.nr == 3) {
		IS_STR(w.v[0], "a.example", "recipe: first word");
		IS_STR(w.v[1], "b.example", "recipe: second word");
		IS_STR(w.v[2], "c.example", "recipe: tab-separated word");
	}
	strvec_clear(&w);
	IS_INT(recipe_header_words("dvm_pkg x\n# Egress: a.example\n",
	    "# Egress:", &w), 0, "recipe: no header block, no lines");
	IS_INT((int)w.nr, 0, "recipe: no header block, no words");
	strvec_clear(&w);
	recipe_header_words("# Egress: last.example", "# Egress:", &w);
	IS_INT((int)w.nr, 1, "recipe: a header without a newline");
	strvec_clear(&w);

	IS_INT(recipe_needs_agent("#!/bin/bash\n# x\n\ndvm_need_agent claude\n"
	    "dvm_pkg npm\n"), 1, "recipe: dvm_need_agent first: an AI recipe");
	IS_INT(recipe_needs_agent("  dvm_need_agent x"), 1,
	    "recipe: indented, without a newline");
	IS_INT(recipe_needs_agent("dvm_pkg x\ndvm_need_agent y\n"), 0,
	    "recipe: dvm_need_agent later is not first");
	IS_INT(recipe_needs_agent("# dvm_need_agent x\ndvm_need_agents\n"),
	    0, "recipe: a comment or a longer word does not count");
	IS_INT(recipe_needs_agent(""), 0, "recipe: empty text");
}

static void
check_result(const char *line, const char *want)
{
	const char *w = NULL;
	size_t n = 0;
	int got = guest_parse_result(line, test_nonce, &w, &n);

	if (want == NULL) {
		IS_INT(got, 0, "guest: \"%s\" is no result", line);
		return;
	}
	OK(got == 1 && n == strlen(want) && strncmp(w, want, n) == 0 &&
	    w > line && w + n == line + strlen(line),
	    "guest: \"%s\" is result %s", line, want);
}

void
test_guest_results(void)
{
#define R(s) "@dvm:0123456789abcdef0123456789abcdef:result:" s
	check_result(R("applied"), "applied");
	check_result(R("x"), "x");
	check_result(R("abcdefghijklmnop"), "abcdefghijklmnop");
	check_result(R("abcdefghijklmnopq"), NULL);
	check_result(R(""), NULL);
	check_result(R("Applied"), NULL);
	check_result(R("applied "), NULL);
	check_result(R("app:lied"), NULL);
	check_result(R("\x1b[2J"), NULL);
	check_result("@dvm:fedcba9876543210fedcba9876543210:result:applied",
	    NULL);
	check_result("x" R("applied"), NULL);
	check_result("@dvm:0123456789abcdef0123456789abcdef:begin:x", NULL);
	check_result("", NULL);
#undef R
}
