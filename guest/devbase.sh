# shellcheck shell=bash
# guest/devbase.sh: build the dev-base image from its context unless the
# image's label already holds the context's hash (always with REBUILD 1).
#
# A step of the guest script, in the VM as Lima's login user; podman runs
# as DVM_USER (the prelude's dvm_as_dev). Parameters: HASH REBUILD IMAGE
# LABEL (REBUILD is 0 or 1). Its stdin is the context, a base64 tar.
want=$1 rebuild=$2 image=$3 label=$4
have=$(dvm_as_dev podman image inspect \
    --format "{{ index .Labels \"$label\" }}" "$image" \
    2>/dev/null </dev/null || true)
if [ "$have" = "$want" ] && [ "$rebuild" = 0 ]; then
	echo "dev-base up to date ($want)"
else
	echo "building dev-base ($want)"
	ctx=$(dvm_as_dev mktemp -d </dev/null)
	trap 'dvm_as_dev rm -rf "$ctx"' EXIT
	# shellcheck disable=SC2016 # $1 is for the inner sh
	dvm_as_dev sh -c 'base64 -d | tar -x -C "$1"' sh "$ctx"
	dvm_as_dev podman build --label "$label=$want" -t "$image" \
	    -f "$ctx/Containerfile" "$ctx" </dev/null
fi
