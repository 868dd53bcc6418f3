#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2088  # literal $ and ~ are the point here
# dvm base: scaffolds, the builder VM flow, status and rm.

load test_helper

setup() {
	setup_dvm_env
	B=$XDG_CONFIG_HOME/dvm/base
	CACHE=$XDG_CACHE_HOME/dvm/base
}
teardown() {
	# In stub mode the builder's script really runs in /tmp/dvm-build.
	rm -rf /tmp/dvm-build
	teardown_dvm_env
}

@test "init and dev-init --dry-run say what they would write and write nothing" {
	run_dvm base init --dry-run
	assert_success
	assert_output_contains "would write ~/.config/dvm/base/packages.txt"
	assert_output_contains "would write ~/.config/dvm/base/Containerfile"
	DVM_DRY_RUN=1 run_dvm base dev-init
	assert_success
	assert_output_contains "would write ~/.config/dvm/base/dev/Containerfile"
	[ ! -e "$XDG_CONFIG_HOME/dvm/base" ]
}

@test "init and dev-init scaffold once, sharing packages.txt" {
	run_dvm base init
	assert_success
	assert_output_contains "wrote ~/.config/dvm/base/packages.txt"
	assert_output_contains "wrote ~/.config/dvm/base/Containerfile"
	run_dvm base dev-init
	assert_success
	assert_output_contains "wrote ~/.config/dvm/base/dev/Containerfile"
	refute_output_contains "packages.txt"
	assert_file_mode "$B/Containerfile" 600
	assert_file_mode "$B/dev" 700
	run_dvm base init
	assert_failure 1
	assert_output_contains "~/.config/dvm/base/Containerfile already exists; dvm never overwrites it"
	run_dvm base dev-init
	assert_failure 1
	assert_output_contains "base/dev/Containerfile already exists"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "build creates the builder, runs one script and copies the image out" {
	run_dvm base init
	mkdir -p "$FAKE_GUEST_ROOT/tmp/dvm-build/out/qcow2"
	echo qcow2 >"$FAKE_GUEST_ROOT/tmp/dvm-build/out/qcow2/disk.qcow2"
	run_dvm base build
	assert_success
	[ "$(lima_call_count)" -eq 3 ]
	[[ "$(lima_call 1)" == "limactl --log-level warn start --yes --name=dvm-builder --cpus="*" --memory=4 --disk=50 --mount-none template:fedora" ]]
	[ "$(lima_call 2)" = "limactl shell --workdir=/ dvm-builder bash -s" ]
	[ "$(lima_call 3)" = "limactl copy dvm-builder:/tmp/dvm-build/out/qcow2/disk.qcow2 $CACHE/disk.qcow2.tmp" ]
	assert_output_contains "✓ provisioning builder (podman, bootc-image-builder)"
	assert_output_contains "✓ uploading build context"
	assert_output_contains "✓ building base image"
	assert_output_contains "✓ base image ready (~/.cache/dvm/base/disk.qcow2)"
	[ "$(cat "$CACHE/disk.qcow2")" = qcow2 ]
	[ ! -e "$CACHE/disk.qcow2.tmp" ]
	grep -q '"built":"' "$CACHE/metadata.json"
	assert_guest_call "podman build -t dvm-base -f Containerfile.dvm-base ."
	assert_guest_call "podman build -t dvm-target -f Containerfile ."
	grep -q '^FROM quay.io/fedora/fedora-bootc@sha256:' /tmp/dvm-build/Containerfile.dvm-base
	[ -f /tmp/dvm-build/packages.txt ]
}

@test "a second build starts the builder; --clean recreates it; --no-cache reaches podman" {
	run_dvm base init
	make_instance dvm-builder Stopped
	mkdir -p "$FAKE_GUEST_ROOT/tmp/dvm-build/out/qcow2"
	touch "$FAKE_GUEST_ROOT/tmp/dvm-build/out/qcow2/disk.qcow2"
	run_dvm base build --no-cache
	assert_success
	[ "$(lima_call 1)" = "limactl --log-level warn start dvm-builder" ]
	assert_guest_call "podman build --no-cache -t dvm-base"
	run_dvm base build --clean
	assert_success
	assert_lima_call "delete --force dvm-builder"
	assert_lima_call "--name=dvm-builder"
}

@test "new VMs boot from the built image's template" {
	mkdir -p "$CACHE"
	echo img >"$CACHE/disk.qcow2"
	write_vm_config app ''
	run_dvm sync app
	assert_success
	assert_output_contains "✓ creating instance dvm-app from the base image"
	assert_lima_call "--mount-none $CACHE/template.yaml"
	grep -qxe "- location: \"$CACHE/disk.qcow2\"" "$CACHE/template.yaml"
	grep -q '  arch: "' "$CACHE/template.yaml"
}

@test "a failed copy leaves the old image in place" {
	run_dvm base init
	mkdir -p "$CACHE"
	echo old >"$CACHE/disk.qcow2"
	run_dvm base build
	assert_failure 1
	assert_output_contains "✗ extracting qcow2 to ~/.cache/dvm/base/disk.qcow2"
	[ "$(cat "$CACHE/disk.qcow2")" = old ]
	[ ! -e "$CACHE/disk.qcow2.tmp" ]
}

@test "build needs a Containerfile and valid builder sizes" {
	run_dvm base build
	assert_failure 1
	assert_output_contains "no base Containerfile at ~/.config/dvm/base/Containerfile (run: dvm base init)"
	run_dvm base init
	DVM_BUILDER_MEMORY=lots run_dvm base build
	assert_failure 1
	assert_output_contains "DVM_BUILDER_MEMORY='lots' is not a positive number of GiB"
	DVM_BOOTC_BASE='x y' run_dvm base build
	assert_failure 1
	assert_output_contains "DVM_BOOTC_BASE='x y' is not an image reference"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "build --dry-run prints the plan and contacts nothing" {
	run_dvm base init
	run_dvm base build --dry-run
	assert_success
	assert_output_contains "--name=dvm-builder"
	assert_output_contains "stdin step 3: podman build dvm-base"
	assert_output_contains "copy dvm-builder:/tmp/dvm-build/out/qcow2/disk.qcow2"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "status shows image, definition and builder without calling limactl" {
	run_dvm base status
	assert_success
	assert_output_contains "base image: <none> (run: dvm base build)"
	assert_output_contains "definition: <none> (run: dvm base init)"
	assert_output_contains "builder:    <none>"
	run_dvm base init
	mkdir -p "$CACHE"
	echo img >"$CACHE/disk.qcow2"
	echo '{"built":"x"}' >"$CACHE/metadata.json"
	make_instance dvm-builder Stopped
	run_dvm base status
	assert_output_contains "base image: ~/.cache/dvm/base/disk.qcow2"
	assert_output_contains 'built:      {"built":"x"}'
	assert_output_contains "definition: ~/.config/dvm/base/Containerfile"
	assert_output_contains "builder:    dvm-builder present"
	[ "$(lima_call_count)" -eq 0 ]
}

@test "rm removes the image, the builder, or both" {
	mkdir -p "$CACHE"
	touch "$CACHE/disk.qcow2" "$CACHE/template.yaml" "$CACHE/metadata.json"
	make_instance dvm-builder Running
	run_dvm base rm --image
	assert_success
	assert_output_contains "removed base image ~/.cache/dvm/base/disk.qcow2"
	[ ! -e "$CACHE/disk.qcow2" ]
	[ ! -e "$CACHE/template.yaml" ]
	[ "$(lima_call_count)" -eq 0 ]
	run_dvm base rm
	assert_success
	assert_output_contains "✓ builder removed"
	assert_lima_call "delete --force dvm-builder"
	run_dvm base rm --builder
	assert_success
	assert_output_contains "no builder instance"
}

@test "base usage errors" {
	run_dvm base
	assert_failure 2
	assert_output_contains "missing subcommand (init, dev-init, build, status, rm)"
	run_dvm base frob
	assert_failure 2
	assert_output_contains "unknown subcommand 'frob'"
	run_dvm base init --clean
	assert_failure 2
	assert_output_contains "--clean and --no-cache are for build"
	run_dvm base status --image
	assert_failure 2
	assert_output_contains "--builder and --image are for rm"
	run_dvm sync builder
	assert_failure 2
	assert_output_contains "'builder' is reserved by dvm"
}

@test "DVM_BASE_DIR, DVM_BASE_CACHE, DVM_BASE_IMAGE and DVM_BUILDER_LIMA are honoured, as in DVM 3.0" {
	export DVM_BASE_DIR=$BATS_TEST_TMPDIR/mybase DVM_BASE_CACHE=$BATS_TEST_TMPDIR/mycache
	export DVM_BASE_IMAGE=$BATS_TEST_TMPDIR/images/vm.qcow2 DVM_BUILDER_LIMA=dvm-bake
	mkdir -p "$BATS_TEST_TMPDIR/images"
	run_dvm base init
	assert_success
	[ -f "$DVM_BASE_DIR/Containerfile" ] && [ -f "$DVM_BASE_DIR/packages.txt" ]
	[ ! -e "$B" ]
	mkdir -p "$FAKE_GUEST_ROOT/tmp/dvm-build/out/qcow2"
	echo qcow2 >"$FAKE_GUEST_ROOT/tmp/dvm-build/out/qcow2/disk.qcow2"
	run_dvm base build
	assert_success
	[[ "$(lima_call 1)" == "limactl --log-level warn start --yes --name=dvm-bake "* ]]
	[ "$(lima_call 3)" = "limactl copy dvm-bake:/tmp/dvm-build/out/qcow2/disk.qcow2 $DVM_BASE_IMAGE.tmp" ]
	[ -f "$DVM_BASE_IMAGE" ] && [ -f "$DVM_BASE_CACHE/metadata.json" ]
	# New VMs boot from the configured image.
	write_vm_config app ''
	run_dvm sync app --dry-run
	assert_success
	assert_output_contains "$DVM_BASE_CACHE/template.yaml"
	# The builder is left out of ls, and no VM may take its name.
	run_dvm ls
	refute_output_contains "bake"
	run_dvm new bake
	assert_failure 2
	assert_output_contains "'bake' is reserved by dvm"
	# rm --image removes what was configured, not the default paths.
	run_dvm base rm --image
	assert_success
	assert_output_contains "removed base image $DVM_BASE_IMAGE"
	[ ! -e "$DVM_BASE_IMAGE" ] && [ ! -e "$DVM_BASE_CACHE/template.yaml" ]
	run_dvm base rm --builder
	assert_success
	assert_lima_call "delete --force dvm-bake"
}

@test "bad base paths and builder names are refused with one line" {
	DVM_BASE_DIR=relative run_dvm base init
	assert_failure 1
	assert_output "dvm: error: DVM_BASE_DIR must be an absolute path: relative"
	DVM_BASE_IMAGE=x.qcow2 run_dvm base status
	assert_failure 1
	assert_output "dvm: error: DVM_BASE_IMAGE must be an absolute path: x.qcow2"
	DVM_BUILDER_LIMA=builder2 run_dvm base status
	assert_failure 1
	assert_output_contains "dvm: error: DVM_BUILDER_LIMA='builder2' is not a Lima instance name dvm can use (dvm-<name>"
}
