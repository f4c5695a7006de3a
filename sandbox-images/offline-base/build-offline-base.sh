#!/usr/bin/env bash
# Makes the sandbox base image without any container registry: debootstraps a minimal Debian rootfs from
# the Debian mirror this machine's apt already uses and imports it into Docker. The python and node
# Dockerfiles then build FROM it (BASE build argument) exactly as they build from public images elsewhere.
#
# Usage: build-offline-base.sh <image-tag>   (needs root, debootstrap and a local Docker engine)
# Skips all work when the image already exists.
set -euo pipefail

tag="${1:?usage: build-offline-base.sh <image-tag>}"
suite="${WARROOM_BASE_SUITE:-bookworm}"
# Interpreters for both sandbox images, plus numpy as the scientific basics that Debian ships prebuilt.
packages="python3,python3-numpy,nodejs,ca-certificates"

# One build at a time on this machine (parallel test workers, two app instances); the second one then
# finds the image made by the first.
exec 9>"${TMPDIR:-/tmp}/warroom-offline-base.lock"
flock 9

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "offline-base: $tag already exists"
  exit 0
fi

mirror_from_apt_sources() {
  local uri
  # deb822 sources first (Debian 12+), then one-line sources; the first Debian archive URI wins.
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
  if [[ -z "$uri" ]]; then
    uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
  fi
  echo "$uri"
}

mirror="${WARROOM_DEBIAN_MIRROR:-$(mirror_from_apt_sources)}"
if [[ -z "$mirror" ]]; then
  echo "offline-base: no Debian mirror found in /etc/apt/sources.list*; set WARROOM_DEBIAN_MIRROR" >&2
  exit 2
fi
command -v debootstrap >/dev/null 2>&1 || { echo "offline-base: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
[[ "$(id -u)" == 0 ]] || { echo "offline-base: debootstrap needs root" >&2; exit 2; }

workdir="$(mktemp -d "${TMPDIR:-/tmp}/warroom-offline-base.XXXXXX")"
trap 'rm -rf "$workdir"' EXIT
rootfs="$workdir/rootfs"

echo "offline-base: debootstrap $suite from $mirror (packages: $packages)"
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror"

echo "offline-base: trimming caches"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

echo "offline-base: importing as $tag"
tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/sh"]' \
  - "$tag"
echo "offline-base: done"
