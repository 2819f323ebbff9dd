#!/bin/sh
# Make sure a Docker engine answers on this machine: install Debian's docker.io, docker-compose
# and mmdebstrap when they are missing (as root), and start dockerd in the background when no
# daemon answers.  Idempotent: with an engine already running it only checks it.
#
#   sh deploy/docker/engine.sh        # then: deploy/docker/base-images.sh
#
# Settings: CRUCIBLE_DOCKER (the client, default /usr/bin/docker: a newer client elsewhere on
# PATH may not speak this engine's API), CRUCIBLE_DOCKERD_LOG (default /var/log/dockerd.log),
# CRUCIBLE_ENGINE_TIMEOUT_S (how long to wait for the daemon, default 60).
set -eu

docker=${CRUCIBLE_DOCKER:-/usr/bin/docker}
log=${CRUCIBLE_DOCKERD_LOG:-/var/log/dockerd.log}
timeout_s=${CRUCIBLE_ENGINE_TIMEOUT_S:-60}

say() { echo "engine.sh: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

answers() { timeout 10 "$docker" info >/dev/null 2>&1; }

install_packages() {
  missing=""
  [ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] || missing="docker.io"
  command -v docker-compose >/dev/null 2>&1 || missing="$missing docker-compose"
  command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap"
  [ -n "$missing" ] || return 0
  [ "$(id -u)" = 0 ] || fail "missing packages ($missing ); run this script as root to install them"
  say "installing$missing"
  # shellcheck disable=SC2086 # $missing is a list of package names
  {
    timeout 300 apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q --no-install-recommends \
        $missing
  } >&2 || fail "apt-get could not install$missing"
}

start_daemon() {
  [ "$(id -u)" = 0 ] || fail "no Docker daemon answers and only root can start one"
  command -v dockerd >/dev/null 2>&1 || fail "dockerd is not installed"
  # A daemon that died leaves its pid file, and a new one refuses to start beside it.
  pidfile=/var/run/docker.pid
  if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then rm -f "$pidfile"; fi
  say "starting dockerd (log: $log)"
  # setsid: the daemon outlives this script and the shell that ran it.
  setsid dockerd >>"$log" 2>&1 </dev/null &
  daemon=$!
  waited=0
  until answers; do
    kill -0 "$daemon" 2>/dev/null || fail "dockerd exited; the end of $log:
$(tail -n 20 "$log")"
    [ "$waited" -lt "$timeout_s" ] || fail "dockerd did not answer within ${timeout_s}s; see $log"
    sleep 1
    waited=$((waited + 1))
  done
}

install_packages
[ -x "$docker" ] || fail "no Docker client at $docker (set CRUCIBLE_DOCKER)"
answers || start_daemon
say "engine ready: $("$docker" version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}')"
