/*
 * test_egress.c: unit tests of egress.c: why a host name is refused,
 * the registries of images and their hosts, the images of a
 * Containerfile, and the allowlist.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "egress.h"
#include "strbuf.h"
#include "strvec.h"

#include "tap.h"
#include "tests.h"

static void
test_egress_host_problem(void)
{
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

static void
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

static void
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

static void
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
test_egress(void)
{
	test_egress_host_problem();
	test_egress_images();
	test_egress_containerfile();
	test_egress_lists();
}
