#!/bin/sh
# Build the gateway, worker and redis images that docker-compose.yml runs, from
# deploy/docker/Dockerfile with BuildKit, on the local base image (base-images.sh), trusting
# this machine's CA bundle for PyPI (a build secret: it never lands in an image layer).
#
#   sh deploy/docker/build-images.sh            # then: docker-compose up -d --no-build
#
# Settings, shared with docker-compose.yml: CRUCIBLE_IMAGE_PREFIX (default crucible),
# CRUCIBLE_TAG (default dev), CRUCIBLE_BASE_IMAGE (default crucible-base:trixie).
# CRUCIBLE_CA_BUNDLE: the CA bundle (default /etc/ssl/certs/ca-certificates.crt; empty: none).
# CRUCIBLE_BUILD_TIMEOUT_S: per image (default 1200; a first build downloads everything).
set -eu

docker=${CRUCIBLE_DOCKER:-/usr/bin/docker}
prefix=${CRUCIBLE_IMAGE_PREFIX:-crucible}
tag=${CRUCIBLE_TAG:-dev}
base=${CRUCIBLE_BASE_IMAGE:-crucible-base:trixie}
ca=${CRUCIBLE_CA_BUNDLE-/etc/ssl/certs/ca-certificates.crt}
timeout_s=${CRUCIBLE_BUILD_TIMEOUT_S:-1200}
repo=$(cd "$(dirname "$0")/../.." && pwd)

say() { echo "build-images.sh: $*" >&2; }

"$docker" image inspect "$base" >/dev/null 2>&1 ||
  { say "no base image $base; run deploy/docker/base-images.sh"; exit 1; }
set -- --build-arg "BASE_IMAGE=$base" --file "$repo/deploy/docker/Dockerfile"
if [ -n "$ca" ]; then set -- "$@" --secret "id=ca,src=$ca"; fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in redis gateway worker; do
  say "building $prefix-$target:$tag"
  started=$(date +%s)
  DOCKER_BUILDKIT=1 timeout "$timeout_s" "$docker" build --progress=plain "$@" \
    --target "$target" --tag "$prefix-$target:$tag" "$repo" >"$log" 2>&1 ||
    { tail -n 40 "$log" >&2; say "building $target failed (above: the end of its log)"; exit 1; }
  say "$prefix-$target:$tag built in $(($(date +%s) - started))s"
done
