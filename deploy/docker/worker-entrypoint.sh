#!/bin/sh
# Worker container entrypoint: make this container's own cgroup writable for nsjail, drop the
# capabilities that only this step needed, then run the worker (`crucible worker` by default).
#
# Container runtimes mount /sys/fs/cgroup read-only, but nsjail creates a cgroup per jail for
# its memory and pids limits.  With a private cgroup namespace (Kubernetes and Docker on cgroup
# v2) that mount shows only this container's own subtree, so making it writable lets the worker
# manage its jails and nothing else.  The remount is a bind remount: it changes this
# container's view of the mount, never the host's cgroup options.
set -eu

cgroup_root=${CRUCIBLE_CGROUP_ROOT:-/sys/fs/cgroup}
keep_sys_admin=${CRUCIBLE_KEEP_SYS_ADMIN:-auto}
kernel=${CRUCIBLE_PROC_SYS_KERNEL:-/proc/sys/kernel}
self_cgroup=${CRUCIBLE_PROC_SELF_CGROUP:-/proc/self/cgroup}

say() { echo "crucible-worker-entrypoint: $*" >&2; }

# The jails' keepers (workers/judge/keeper.py) rewind each jail's PID counter through
# ns_last_pid, which the runtime binds read-only with the rest of /proc/sys.  Where it is,
# the one file is bound again, on its own, at a scratch path; that new bind is made writable
# just long enough to open it as fd 9 and then detached: /proc/sys itself stays read-only.
# The descriptor is harmless to the worker: a write takes CAP_SYS_ADMIN over the PID
# namespace it sets, which it has only inside its jails.  (A failed `exec` redirection ends
# a shell, so each is tried in a subshell first.)
last_pid_fd() {
  if (exec 9>"$kernel/ns_last_pid") 2>/dev/null; then
    exec 9>"$kernel/ns_last_pid"
    return 0
  fi
  spot=$(mktemp) || return 1
  if mount --bind "$kernel/ns_last_pid" "$spot" 2>/dev/null; then
    if mount -o remount,bind,rw "$spot" 2>/dev/null && (exec 9>"$spot") 2>/dev/null; then
      exec 9>"$spot"
    fi
    umount -l "$spot"
  fi
  rm -f "$spot"
  [ -e /proc/self/fd/9 ]
}
if [ -z "${CRUCIBLE_LAST_PID_FD:-}" ]; then
  if last_pid_fd; then
    export CRUCIBLE_LAST_PID_FD=9
  else
    say "cannot open ns_last_pid: jails keep their PID counters between submissions"
  fi
fi

# For root, access(2) refuses writing only on a read-only mount, so -w tells us which it is.
make_writable() {
  [ -w "$1" ] && return 0
  mount -o remount,bind,rw "$1" || {
    say "cannot make $1 writable: the worker needs CAP_SYS_ADMIN and no AppArmor/SELinux mount ban (docs/deploy.md)"
    exit 1
  }
}

if [ -f "$cgroup_root/cgroup.controllers" ]; then
  # v2: only in a private cgroup namespace is this process at its root ("0::/"); in the
  # host's, the mount is the host's whole hierarchy, which the worker must never write.
  # (Docker's default on v2; docker-compose 1.29 cannot ask for it with `cgroup: private`.)
  if ! grep -qx '0::/' "$self_cgroup"; then
    say "this container shares the host's cgroup namespace; run it with its own (docker run --cgroupns=private, compose's cgroup: private)"
    exit 1
  fi
  make_writable "$cgroup_root"
else
  # v1: Docker and Kubernetes mount only the container's own cgroup of each controller.
  # memory and pids hold the jails' limits, cpuacct each test's CPU total (workers/judge/cgroups.py).
  for controller in memory pids cpuacct; do
    if [ -d "$cgroup_root/$controller" ]; then make_writable "$cgroup_root/$controller"; fi
  done
fi

# Each jail mounts a /proc of its own (sandbox_profiles/python.cfg: /dev/stdin, and how long
# a test waited for a CPU).  The kernel lets a user namespace mount proc only where its mount
# namespace already shows a whole one, and the runtime masks parts of this container's (files
# bound over /proc/kcore and the like, /proc/sys read-only).  So a whole one is mounted here,
# read-only, in a folder only root can enter; the runtime's own /proc stays as it is, and
# without CAP_SYS_ADMIN (dropped below) nothing can make this one writable.
whole_proc() {
  folder=$(mktemp -d "${TMPDIR:-/tmp}/crucible-proc.XXXXXX") || return 1
  chmod 0700 "$folder" && mkdir "$folder/proc" || return 1
  mount -t proc -o ro,nosuid,nodev,noexec proc "$folder/proc" 2>/dev/null || {
    rm -r "$folder"
    return 1
  }
}
if [ "${CRUCIBLE_WHOLE_PROC:-auto}" != never ] && ! whole_proc; then
  say "cannot mount a whole /proc: jails run without /proc and /dev/stdin (docs/deploy.md)"
fi

# nsjail itself needs CAP_SYS_ADMIN only where the kernel lets nobody else create user
# namespaces (Debian's unprivileged_userns_clone=0, Ubuntu's apparmor_restrict_unprivileged_userns=1).
if [ "$keep_sys_admin" = auto ]; then
  keep_sys_admin=false
  if [ "$(cat "$kernel/unprivileged_userns_clone" 2>/dev/null || echo 1)" = 0 ] ||
    [ "$(cat "$kernel/apparmor_restrict_unprivileged_userns" 2>/dev/null || echo 0)" = 1 ]; then
    keep_sys_admin=true
    say "this kernel restricts user namespaces to CAP_SYS_ADMIN: keeping it for nsjail"
  fi
fi

# Drop from the bounding and inheritable sets, so the exec'd worker (root, whose capabilities
# are recomputed at exec) cannot get them back.  Needs CAP_SETPCAP, which is dropped too.
bounding=$((0x$(awk '/^CapBnd/ {print $2}' /proc/self/status)))
drop=""
if [ $((bounding >> 8 & 1)) = 1 ]; then drop="-setpcap"; fi
if [ "$keep_sys_admin" = false ] && [ $((bounding >> 21 & 1)) = 1 ]; then
  drop="${drop:+$drop,}-sys_admin"
fi
if [ -n "$drop" ]; then
  exec setpriv --inh-caps="$drop" --bounding-set="$drop" -- "$@"
fi
exec "$@"
