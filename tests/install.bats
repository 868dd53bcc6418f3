#!/usr/bin/env bats
# make install / uninstall / dist: the installed tree, the release tarball
# and the Homebrew formula built from it.

load test_helper

setup() {
	setup_dvm_env
	unset MAKEFLAGS MAKELEVEL
	T=$BATS_TEST_TMPDIR
	VERSION=$(sed -n 's/^#define DVM_VERSION "\(.*\)"/\1/p' "$REPO_DIR/include/dvm.h")
}
teardown() { teardown_dvm_env; }

# Every file make install writes, relative to PREFIX.
installed_files() {
	printf '%s\n' bin/dvm share/bash-completion/completions/dvm \
		share/fish/vendor_completions.d/dvm.fish share/man/man1/dvm.1 \
		share/zsh/site-functions/_dvm
}

@test "make install DESTDIR PREFIX installs the binary, man page and completions" {
	run make -s -C "$REPO_DIR" install DESTDIR="$T/stage" PREFIX=/opt/dvm
	assert_success
	root=$T/stage/opt/dvm
	[ "$(cd "$root" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)" = "$(installed_files)" ]
	[ "$(stat -c %a "$root/bin/dvm")" = 755 ]
	for f in share/man/man1/dvm.1 share/bash-completion/completions/dvm \
		share/zsh/site-functions/_dvm share/fish/vendor_completions.d/dvm.fish; do
		[ "$(stat -c %a "$root/$f")" = 644 ]
	done
	cmp "$root/share/man/man1/dvm.1" "$REPO_DIR/docs/dvm.1"
	cmp "$root/share/bash-completion/completions/dvm" "$REPO_DIR/completions/dvm.bash"
	cmp "$root/share/zsh/site-functions/_dvm" "$REPO_DIR/completions/_dvm"
	cmp "$root/share/fish/vendor_completions.d/dvm.fish" "$REPO_DIR/completions/dvm.fish"
	run "$root/bin/dvm" --version
	assert_success
	assert_output "dvm $VERSION"
	# Nothing outside DESTDIR/PREFIX.
	[ "$(cd "$T/stage" && ls)" = opt ]
}

@test "the installed man page and completions are the ones the tests check" {
	run make -s -C "$REPO_DIR" install DESTDIR="$T/stage" PREFIX=/usr
	assert_success
	run mandoc -T lint -W warning "$T/stage/usr/share/man/man1/dvm.1"
	assert_success
	assert_output ""
	run bash --norc --noprofile -c 'source "$1" && complete -p dvm' _ \
		"$T/stage/usr/share/bash-completion/completions/dvm"
	assert_success
	assert_output_contains "dvm"
}

@test "make install PREFIX=~/.local needs no DESTDIR, make uninstall removes every file it wrote" {
	run make -s -C "$REPO_DIR" install PREFIX="$HOME/.local"
	assert_success
	[ -x "$HOME/.local/bin/dvm" ]
	[ -f "$HOME/.local/share/man/man1/dvm.1" ]
	touch "$HOME/.local/bin/other-tool"
	run make -s -C "$REPO_DIR" uninstall PREFIX="$HOME/.local"
	assert_success
	[ "$(cd "$HOME/.local" && find . -type f)" = ./bin/other-tool ]
}

@test "make dist writes a reproducible tarball of the tree and a formula with its SHA-256" {
	run env DISTDIR="$T/d1" make -s -C "$REPO_DIR" dist
	assert_success
	tarball=$T/d1/dvm-$VERSION.tar.gz
	[ -f "$tarball" ]
	sum=$(sha256sum "$tarball" | cut -d' ' -f1)
	tar -tzf "$tarball" >"$T/list"
	grep -qx "dvm-$VERSION/Makefile" "$T/list"
	grep -qx "dvm-$VERSION/src/main.c" "$T/list"
	grep -qx "dvm-$VERSION/docs/dvm.1" "$T/list"
	grep -qx "dvm-$VERSION/completions/_dvm" "$T/list"
	grep -qx "dvm-$VERSION/packaging/dvm.rb.in" "$T/list"
	run grep -c -v "^dvm-$VERSION/" "$T/list"
	assert_output 0
	run grep -E '(^|/)\.(git|ci)/' "$T/list"
	assert_failure
	grep -qx "  sha256 \"$sum\"" "$T/d1/dvm.rb"
	grep -qx "  url \"https://github.com/dvm-dev/dvm/releases/download/v$VERSION/dvm-$VERSION.tar.gz\"" "$T/d1/dvm.rb"
	run grep '@[A-Z0-9]*@' "$T/d1/dvm.rb"
	assert_failure
	run ruby -c "$T/d1/dvm.rb"
	assert_success
	# The same commit gives the same bytes.
	DISTDIR="$T/d2" make -s -C "$REPO_DIR" dist DIST_URL=https://example.org/r 2>/dev/null
	cmp "$tarball" "$T/d2/dvm-$VERSION.tar.gz"
	grep -qx "  url \"https://example.org/r/dvm-$VERSION.tar.gz\"" "$T/d2/dvm.rb"
}

@test "the tarball builds and installs the way the formula does, and passes the formula's test" {
	DISTDIR="$T/d" make -s -C "$REPO_DIR" dist 2>/dev/null
	tar -xzf "$T/d/dvm-$VERSION.tar.gz" -C "$T"
	# Formula install: make install PREFIX=#{prefix}
	run make -s -C "$T/dvm-$VERSION" install PREFIX="$T/cellar"
	assert_success
	# Formula test block.
	run "$T/cellar/bin/dvm" --version
	assert_output "dvm $VERSION"
	run "$T/cellar/bin/dvm" help sync
	assert_output_contains "usage: dvm sync"
	grep -q 'system "make", "install", "PREFIX=#{prefix}"' "$T/d/dvm.rb"
	grep -q "assert_match \"dvm $VERSION\", shell_output(\"#{bin}/dvm --version\")" "$T/d/dvm.rb"
}

@test "dist refuses a malformed version" {
	run "$REPO_DIR/packaging/dist" '1.0;rm' https://example.org
	assert_failure 2
	assert_output "dist: bad version '1.0;rm'"
	run "$REPO_DIR/packaging/dist" 1.0
	assert_failure 2
	assert_output "usage: packaging/dist VERSION URL"
}
