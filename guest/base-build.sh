# shellcheck shell=bash
# guest/base-build.sh: build the base image of `dvm base build`: podman
# builds dvm-base (the bootc plumbing) and the user's Containerfile on top
# of it, then bootc-image-builder turns that into out/qcow2/disk.qcow2.
#
# A step of the build's guest script, in the builder VM as Lima's login
# user (passwordless sudo). Parameters: the build directory (the context
# is there), the bootc-image-builder image, then options for both podman
# builds (--no-cache or none). Its stdin is Containerfile.dvm-base.
dir=$1 bisc=$2
shift 2
cd "$dir" || exit
cat >Containerfile.dvm-base
sudo podman build "$@" -t dvm-base -f Containerfile.dvm-base . </dev/null
sudo podman build "$@" -t dvm-target -f Containerfile . </dev/null
rm -rf out && mkdir out
sudo podman run --rm --privileged \
    -v /var/lib/containers/storage:/var/lib/containers/storage \
    -v "$PWD/out":/output "$bisc" --type qcow2 --local dvm-target </dev/null
sudo chown -R "$(id -u):$(id -g)" out
