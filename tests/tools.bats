#!/usr/bin/env bats
# tools/update-pins, the maintainer's script that re-pins the base image
# digests. No registry is reachable from the test machine, so skopeo is a
# stand-in that prints a hand-written answer in the format `skopeo inspect
# --raw` documents: the manifest list exactly as the registry serves it (an
# OCI image index, or a Docker manifest list v2). The real lookup is the
# maintainer's run, with the network.

load test_helper

setup() {
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/bin" "$T/answers"
	# skopeo inspect --raw docker://REF: the answer file named after REF.
	cat >"$T/bin/skopeo" <<'SH'
#!/bin/sh
[ "$1 $2" = "inspect --raw" ] || { echo "stand-in skopeo: unexpected $*" >&2; exit 2; }
f=$ANSWERS/$(printf '%s' "${3#docker://}" | tr '/:' '__')
[ -f "$f" ] || { echo "manifest unknown: ${3#docker://}" >&2; exit 1; }
cat "$f"
SH
	chmod +x "$T/bin/skopeo"
	export ANSWERS=$T/answers PATH=$T/bin:$PATH
	cp "$REPO_DIR/include/pins.h" "$T/pins.h"
}

# index REF ARCH...: an OCI image index for REF with one image per arch.
index() {
	local ref=$1 a sep=
	shift
	{
		printf '{\n  "schemaVersion": 2,\n  "mediaType": "application/vnd.oci.image.index.v1+json",\n  "manifests": ['
		for a in "$@"; do
			printf '%s\n    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:%064d", "size": 1000, "platform": {"architecture": "%s", "os": "linux"}}' "$sep" 0 "$a"
			sep=,
		done
		printf '\n  ]\n}\n'
	} >"$ANSWERS/$(printf '%s' "$ref" | tr '/:' '__')"
}

digest_of() { sha256sum <"$ANSWERS/$(printf '%s' "$1" | tr '/:' '__')" | cut -d ' ' -f 1; }

@test "update-pins: rewrites each pin to its tag's manifest-list digest" {
	index quay.io/fedora/fedora-bootc:42 amd64 arm64
	index quay.io/centos-bootc/bootc-image-builder:latest arm64 amd64 s390x
	run "$REPO_DIR/tools/update-pins" "$T/pins.h"
	assert_success
	d1=$(digest_of quay.io/fedora/fedora-bootc:42)
	d2=$(digest_of quay.io/centos-bootc/bootc-image-builder:latest)
	assert_file_contains "$T/pins.h" "#define BOOTC_BASE \"quay.io/fedora/fedora-bootc@sha256:$d1\""
	assert_file_contains "$T/pins.h" "#define BISC_IMAGE \"quay.io/centos-bootc/bootc-image-builder@sha256:$d2\""
	assert_output_contains "BOOTC_BASE: "
	# The comments naming the tags stay; a second run changes nothing.
	assert_file_contains "$T/pins.h" "/* pin BOOTC_BASE quay.io/fedora/fedora-bootc:42 */"
	cp "$T/pins.h" "$T/before"
	run "$REPO_DIR/tools/update-pins" "$T/pins.h"
	assert_success
	assert_output "update-pins: every pin is current"
	cmp "$T/before" "$T/pins.h"
}

@test "update-pins: a tag without an arm64 image leaves every pin as it is" {
	index quay.io/fedora/fedora-bootc:42 amd64 arm64
	index quay.io/centos-bootc/bootc-image-builder:latest amd64
	run "$REPO_DIR/tools/update-pins" "$T/pins.h"
	assert_failure 1
	assert_output "update-pins: quay.io/centos-bootc/bootc-image-builder:latest has no linux/arm64 image"
	cmp "$REPO_DIR/include/pins.h" "$T/pins.h"
}

@test "update-pins: a single-image manifest or an unknown tag is refused, pins unchanged" {
	printf '{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": []}\n' \
		>"$ANSWERS/quay.io_fedora_fedora-bootc_42"
	run "$REPO_DIR/tools/update-pins" "$T/pins.h"
	assert_failure 1
	assert_output "update-pins: quay.io/fedora/fedora-bootc:42 is not a multi-arch manifest list (application/vnd.oci.image.manifest.v1+json)"
	rm "$ANSWERS/quay.io_fedora_fedora-bootc_42"
	run "$REPO_DIR/tools/update-pins" "$T/pins.h"
	assert_failure 1
	assert_output "update-pins: cannot inspect quay.io/fedora/fedora-bootc:42: manifest unknown: quay.io/fedora/fedora-bootc:42"
	cmp "$REPO_DIR/include/pins.h" "$T/pins.h"
}

@test "update-pins: the pins dvm builds with are the ones include/pins.h names" {
	# The file the tool rewrites is the one the build reads: no second copy.
	run grep -rn 'sha256:[0-9a-f]\{64\}' "$REPO_DIR/src" "$REPO_DIR/include" --include='*.c' --include='*.h'
	assert_success
	while IFS= read -r line; do
		[[ $line == "$REPO_DIR/include/pins.h:"* || $line == "$REPO_DIR/src/"*_gen.c:* ]] ||
			fail "a digest outside include/pins.h: $line"
	done <<<"$output"
}
