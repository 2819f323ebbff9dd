#!/bin/sh
# Local base images made from Debian's own archive with mmdebstrap, for machines that reach
# deb.debian.org but no image registry.  deploy/docker/Dockerfile builds on them when given
# --build-arg BASE_IMAGE=crucible-base:trixie (deploy/docker/build-images.sh does that).
#
#   sh deploy/docker/base-images.sh            # skips an image that already exists
#   CRUCIBLE_FORCE=1 sh deploy/docker/base-images.sh
#
# Debian 13 (trixie): its python3 is 3.13, which the gateway and workers need (>= 3.12) and
# the jailed programs run on.  The image is `minbase` (apt and dpkg, no docs, no man pages);
# each Dockerfile stage installs what it needs with apt over plain HTTP (apt checks the
# archive's signatures, so it needs no CA bundle).
set -eu

docker=${CRUCIBLE_DOCKER:-/usr/bin/docker}
suite=${CRUCIBLE_DEBIAN_SUITE:-trixie}
image=${CRUCIBLE_BASE_IMAGE:-crucible-base:$suite}
mirror=${CRUCIBLE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${CRUCIBLE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
force=${CRUCIBLE_FORCE:-0}

say() { echo "base-images.sh: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

command -v mmdebstrap >/dev/null 2>&1 || fail "mmdebstrap is missing; run deploy/docker/engine.sh as root"
timeout 10 "$docker" info >/dev/null 2>&1 || fail "no Docker daemon answers; run deploy/docker/engine.sh"

if [ "$force" != 1 ] && "$docker" image inspect "$image" >/dev/null 2>&1; then
  say "$image exists (CRUCIBLE_FORCE=1 rebuilds it)"
  exit 0
fi

say "building $image from $mirror ($suite, minbase)"
tarball=$(mktemp --suffix=.tar)
trap 'rm -f "$tarball"' EXIT
# mmdebstrap runs the hook with the new root's path as $1.
# shellcheck disable=SC2016
cleanup='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin'
# No docs, man pages or translations (like Debian's -slim images); apt keeps no caches.
timeout 900 mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --aptopt='APT::Install-Recommends "false"' \
  --aptopt='Acquire::Languages "none"' \
  --customize-hook="$cleanup" \
  "$suite" "$tarball" "deb $mirror $suite main" "deb $mirror $suite-updates main" \
  "deb $security $suite-security main" ||
  fail "mmdebstrap could not build the $suite root file system"
timeout 300 "$docker" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["bash"]' \
  "$tarball" "$image" >/dev/null || fail "docker import of $image failed"
say "$image ready ($("$docker" image inspect --format '{{.Size}}' "$image") bytes)"
