# dvm: POSIX-ish make (GNU make 3.81 on macOS works too).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
VERSION = $(shell sed -n 's/^\#define DVM_VERSION "\(.*\)"/\1/p' include/dvm.h)
# Where release tarballs are published; the Homebrew formula points there.
DIST_URL ?= https://github.com/dvm-dev/dvm/releases/download/v$(VERSION)
CC ?= cc
CSTD = -std=c99 -D_POSIX_C_SOURCE=200809L
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wwrite-strings
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) -Iinclude $(CFLAGS)

# Every object, once; the unit tests link all but main.o.
OBJS = src/main.o src/args.o src/commands.o src/cmd_add.o src/cmd_base.o src/cmd_key.o src/sshkey.o \
	src/base_init.o src/base_build.o src/base_status.o src/base_rm.o \
	src/cmd_cp.o src/cmd_doctor.o src/cmd_logs.o src/cmd_recipes.o \
	src/cmd_ls.o src/cmd_new.o src/cmd_reset.o src/cmd_rm.o src/cmd_sh.o \
	src/cmd_ssh.o src/cmd_stop.o src/cmd_sync.o src/config.o src/devuser.o \
	src/guest.o src/instances.o src/lima.o src/sha256.o src/base64.o \
	src/archive.o src/devbase.o src/baseimg.o src/recipe.o src/egress.o \
	src/lock.o src/log.o src/paths.o src/podman.o src/proc.o src/quote.o \
	src/runner.o src/sanitize.o src/secret.o src/untar.o src/session.o \
	src/strbuf.o src/strvec.o src/target.o src/template.o src/ui.o \
	src/unsaved.o src/guesttext.o src/suggest.o src/util.o src/validate.o src/vmsync.o \
	src/parallel.o $(GEN_OBJS)
LIBOBJS = $(OBJS:src/main.o=)
# Written by tools/embed from the shell files (include/scripts.h).
GEN = src/recipes_gen.c src/guest_gen.c src/host_gen.c \
	src/templates_gen.c src/scaffold_gen.c src/base_gen.c
GEN_OBJS = $(GEN:.c=.o)
UNIT = tests/unit/unit
UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_OBJS = $(UNIT_SRCS:.c=.o)
HOSTCC ?= cc
# Bundled recipes are compiled in: tools/embed writes them as C strings.
RECIPES = $(wildcard recipes/*.sh)

all: dvm

dvm: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS)

.c.o:
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

tools/embed: tools/embed.c
	$(HOSTCC) -O2 -o $@ tools/embed.c

src/recipes_gen.c: tools/embed $(RECIPES)
	tools/embed $(RECIPES) > $@.tmp && mv $@.tmp $@

# Shell that runs in the VM (guest/) and on the host (host/).
GUEST_SCRIPTS = $(wildcard guest/*.sh)
HOST_SCRIPTS = $(wildcard host/*.sh)
src/guest_gen.c: tools/embed $(GUEST_SCRIPTS)
	tools/embed --each guest_ $(GUEST_SCRIPTS) > $@.tmp && mv $@.tmp $@
src/host_gen.c: tools/embed $(HOST_SCRIPTS)
	tools/embed --each host_ $(HOST_SCRIPTS) > $@.tmp && mv $@.tmp $@

# What dvm new --template adds (templates/new/, a table like the
# recipes) and the scaffolds of dvm new and dvm add (templates/scaffold/).
TEMPLATES = $(wildcard templates/new/*.sh)
SCAFFOLDS = $(wildcard templates/scaffold/*.sh)
src/templates_gen.c: tools/embed $(TEMPLATES)
	tools/embed --templates $(TEMPLATES) > $@.tmp && mv $@.tmp $@
src/scaffold_gen.c: tools/embed $(SCAFFOLDS)
	tools/embed --each scaffold_ $(SCAFFOLDS) > $@.tmp && mv $@.tmp $@
# dvm base's starter files and the Containerfile a build puts under them.
BASE_TEMPLATES = $(wildcard templates/base/*)
src/base_gen.c: tools/embed $(BASE_TEMPLATES)
	tools/embed --each base_ $(BASE_TEMPLATES) > $@.tmp && mv $@.tmp $@

generated: $(GEN)

$(OBJS): include/*.h

# Unit tests: one file per module under test, each linked with every
# module except main.c.
$(UNIT): $(UNIT_OBJS) $(LIBOBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIBOBJS)

$(UNIT_OBJS): tests/unit/*.h include/*.h

check: $(UNIT)
	./$(UNIT)

# Files side by side when GNU parallel is there (tests/deps.sh installs it).
bats: dvm
	bats $$(parallel --version 2>/dev/null | grep -q 'GNU parallel' && \
	    echo --jobs 2 --no-parallelize-within-files) tests/*.bats

integration: dvm
	tests/integration/run

# The whole suite: dependencies (installed when missing and root), the
# build with every supported compiler, shellcheck, the unit tests and the
# demo on the normal build, then the unit, CLI (bats, with the Lima
# contract check on every recorded call) and host-as-guest integration
# suites on an ASan+UBSan build, with the fuzzers running alongside the
# integration suite. The CLI and integration suites run once, on the
# sanitized build: twice would not fit CI's time on two CPUs (see
# docs/hacking.md); `make bats integration` runs them on the normal build.
# tests/all.sh ends with what ran, per suite, and "N passed, N failed".
test:
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/all.sh

# The unit, CLI and integration suites under ASan+UBSan; any report fails.
sanitize:
	tests/sanitize.sh

# Every shell script we ship or run (tests/new.bats and add.bats check
# the scaffolds again as written).
SHELL_FILES = tests/*.bats tests/test_helper.bash tests/fake/limactl \
	tests/fake/guest-lib.bash tests/fake/guest-bin/* \
	tests/contract/check-lima-argv tests/integration/*.bats \
	tests/integration/run tests/integration/setup.sh \
	tests/integration/podman-setup.sh tests/integration/sandbox-setup.sh \
	tests/integration/egress-setup.sh guest/*.sh $(HOST_SCRIPTS) \
	templates/new/*.sh templates/scaffold/*.sh \
	tests/deps.sh tests/lib/pkg.sh tests/lib/bash32.bash \
	tests/demo.sh tests/sanitize.sh tests/cross.sh tests/all.sh tools/update-pins packaging/dist completions/dvm.bash \
	tests/fuzz/run tests/fuzz/quote-roundtrip-bash.sh bench/run bench/plot examples/config/config.sh examples/config/vms/*/*.sh

# What dvm ships is also held to -S warning file by file, as it stands
# (recipes run with _helpers.sh in front; guest/, host/ and templates/
# are embedded).
SHIPPED_SHELL = recipes/*.sh guest/*.sh $(HOST_SCRIPTS) templates/new/*.sh \
	templates/scaffold/*.sh

lint:
	shellcheck $(SHELL_FILES)
	shellcheck -S warning -s bash $(SHIPPED_SHELL)

deps:
	tests/deps.sh

# Warning-free with gcc, clang, a static musl build and zig's macOS
# targets (arm64 and x86_64, checked to be Mach-O executables); ends with
# the default build in place.
compilers:
	$(MAKE) clean && $(MAKE) CC=clang dvm
	$(MAKE) clean && $(MAKE) CC=musl-gcc LDFLAGS=-static dvm
	+tests/cross.sh
	$(MAKE) clean && $(MAKE) dvm

# limactl calls, spawns, wall and CPU time per command against a fake
# limactl with a per-call latency; see bench/RESULTS.md.
bench: dvm
	bench/run

# The main job, as far as a machine without Lima goes: a dry-run sync of
# the sample VM in examples/.
demo: dvm
	@tests/demo.sh

# libFuzzer with ASan+UBSan (clang) on the parsers: config records,
# names/targets/ports/sizes/cp paths, quoting (and a real-bash round trip),
# step markers, limactl list. FUZZ_SECONDS per target; see tests/fuzz/run.
FUZZ_SECONDS = 60
fuzz:
	tests/fuzz/run $(FUZZ_SECONDS)

asan:
	$(MAKE) clean
	$(MAKE) CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" dvm $(UNIT)

install: dvm
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR)
	cp dvm $(DESTDIR)$(BINDIR)/dvm
	chmod 0755 $(DESTDIR)$(BINDIR)/dvm
	cp docs/dvm.1 $(DESTDIR)$(MANDIR)/man1/dvm.1
	cp completions/dvm.bash $(DESTDIR)$(BASHCOMPDIR)/dvm
	cp completions/_dvm $(DESTDIR)$(ZSHCOMPDIR)/_dvm
	cp completions/dvm.fish $(DESTDIR)$(FISHCOMPDIR)/dvm.fish
	chmod 0644 $(DESTDIR)$(MANDIR)/man1/dvm.1 \
		$(DESTDIR)$(BASHCOMPDIR)/dvm $(DESTDIR)$(ZSHCOMPDIR)/_dvm \
		$(DESTDIR)$(FISHCOMPDIR)/dvm.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dvm $(DESTDIR)$(MANDIR)/man1/dvm.1 \
		$(DESTDIR)$(BASHCOMPDIR)/dvm $(DESTDIR)$(ZSHCOMPDIR)/_dvm \
		$(DESTDIR)$(FISHCOMPDIR)/dvm.fish

# A release tarball of the committed tree (dvm-VERSION.tar.gz) and the
# Homebrew formula for it (dvm.rb, from packaging/dvm.rb.in, with the
# tarball's URL and SHA-256).
dist:
	packaging/dist $(VERSION) $(DIST_URL)

clean:
	rm -f dvm $(OBJS) $(UNIT) $(UNIT_OBJS) tools/embed $(GEN) \
		dvm-*.tar.gz dvm.rb

.PHONY: all generated check bats integration test deps compilers lint sanitize demo bench \
	asan fuzz install uninstall dist clean
