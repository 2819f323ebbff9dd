#!/usr/bin/env bash
# The cgroup v2 checks, run by run.sh inside a VM whose only cgroup hierarchy is v2.
#
# 1. v2 at the real root: the cgroup unit tests and the integration suite (see integration()).
# 2. v2 shaped like a Kubernetes container: its own cgroup namespace under kubepods/pod/ctr,
#    /sys/fs/cgroup mounted read-only as container runtimes do, and only the capabilities the
#    worker manifest grants (SETUID, SETGID, SYS_ADMIN, SETPCAP).  The worker image's entrypoint
#    makes the cgroup writable and drops SYS_ADMIN and SETPCAP; then the integration suite again.
# 3. The same with unprivileged user namespaces switched off: the entrypoint keeps SYS_ADMIN.
# 4. A read-only cgroup and no entrypoint: grading is an error, never a reward.
set -euo pipefail
cd "$REPO"
export HOME=/tmp PYTHONDONTWRITEBYTECODE=1 PATH="$REPO/.venv/bin:/usr/sbin:/usr/bin:/sbin:/bin"
py="$REPO/.venv/bin/python"
self="$REPO/tests/deploy/vm/guest.sh"
cg=/sys/fs/cgroup
step() { printf '\n=== %s\n' "$*"; }
judge() {  # judge FILE: prints "status verdict reward error-message"
  "$py" -m server.cli judge "$1" | "$py" -c '
import json, sys
r = json.load(sys.stdin)
print(r["status"], r.get("verdict"), r.get("reward"), (r.get("error") or {}).get("message", "")[-1500:])'
}
expect() {  # expect FILE PREFIX
  local got; got=$(judge "$1" 2>/dev/null || true); echo "$1: $got"
  [[ "$got" == "$2"* ]] || { echo "FAILED: expected '$2'"; exit 1; }
}
# The integration suite: all of it with KVM.  Emulated (ACCEL=tcg), where a program's start
# takes seconds and the suite's time limits cannot hold: the isolation and CLI tests, less the
# two that assert wall-clock bounds (a jailed process seen within 4 s, a fork bomb over in 5 s).
# None with QUICK=1 (run.sh --quick).
integration() {
  if [ "${QUICK:-0}" = 1 ]; then return 0; fi
  if [ "${ACCEL:-kvm}" = tcg ]; then
    local isolation=tests/integration/test_isolation.py
    "$py" -m pytest -q -p no:cacheprovider "$isolation" tests/integration/test_cli_judge.py \
      --deselect "$isolation::test_runs_as_unprivileged_uid_mapped_to_nobody" \
      --deselect "$isolation::test_fork_bomb_ends_quickly_and_leaves_nothing"
  else
    "$py" -m pytest -q -p no:cacheprovider tests/integration
  fi
}
has_cap() { capsh --decode="$(awk '/CapEff/ {print $2}' /proc/self/status)" | grep -q "$1"; }

case "${1:-main}" in
container)  # container DROP CMD...: enter a container-shaped sandbox, then run CMD
  drop=$2; shift 2
  umount $cg  # then mount this cgroup namespace's view, read-only, as container runtimes do
  mount -t cgroup2 -o ro,nosuid,nodev,noexec cgroup2 $cg
  echo "in container: $(cat /proc/self/cgroup); controllers: $(cat $cg/cgroup.controllers)" >&2
  if mkdir $cg/probe 2>/dev/null; then echo "FAILED: cgroupfs writable" >&2; exit 1; fi
  exec capsh --drop="$drop" -- -c 'exec "$@"' _ "$@" ;;
worker)  # worker MODE: what the worker process sees after the entrypoint
  echo "worker capabilities: $(capsh --decode="$(awk '/CapEff/ {print $2}' /proc/self/status)")"
  if has_cap setpcap; then echo "FAILED: SETPCAP kept"; exit 1; fi
  if [ "$2" = dropped ] && has_cap sys_admin; then echo "FAILED: SYS_ADMIN kept"; exit 1; fi
  if [ "$2" = kept ] && ! has_cap sys_admin; then echo "FAILED: SYS_ADMIN dropped"; exit 1; fi
  expect /tmp/ok.json "graded passed 1"
  expect /tmp/memory.json "graded memory_limit 0"
  echo "cgroups: crucible-init holds $(wc -l < $cg/crucible-init/cgroup.procs) processes;" \
    "NSJAIL enables '$(cat $cg/NSJAIL/cgroup.subtree_control)'"
  [ "$2" = dropped ] && integration
  exit 0 ;;
esac

cat > /tmp/ok.json <<'JSON'
{"code": "import numpy, pandas, sortedcontainers\na, b = map(int, input().split())\nprint(a + b)",
 "limits": {"time_s": 60}, "tests": {"kind": "stdio", "cases": [{"input": "2 3\n", "output": "5\n"}]}}
JSON
cat > /tmp/memory.json <<'JSON'
{"code": "x = bytearray(600 * 1024 * 1024)\nprint(len(x))", "limits": {"memory_mb": 256, "time_s": 60},
 "tests": {"kind": "stdio", "cases": [{"input": "", "output": "1\n"}]}}
JSON

step "kernel $(uname -r); cgroup mounts:"
grep cgroup /proc/mounts
grep -qw memory $cg/cgroup.controllers && grep -qw pids $cg/cgroup.controllers
test ! -e $cg/memory/tasks

step "1. v2 at the real root"
"$py" -c 'from workers.judge.grade import Judge; p = Judge().cgroups; print(p); assert p.version == 2'
expect /tmp/ok.json "graded passed 1"
expect /tmp/memory.json "graded memory_limit 0"
"$py" -m pytest -q -p no:cacheprovider tests/unit/test_cgroups.py
integration

step "2. a Kubernetes-shaped worker container"
keep=$'cap_setuid\ncap_setgid\ncap_sys_admin\ncap_setpcap'
drop=$(capsh --print | sed -n 's/^Bounding set =//p' | tr ',' '\n' | grep -vxF "$keep" | paste -sd,)
mkdir -p $cg/kubepods/pod
echo "+memory +pids" > $cg/cgroup.subtree_control
echo "+memory +pids" > $cg/kubepods/cgroup.subtree_control
echo "+memory +pids" > $cg/kubepods/pod/cgroup.subtree_control
container() {  # container NAME CMD...: a fresh container cgroup NAME, then CMD inside it
  mkdir $cg/kubepods/pod/"$1"
  bash -c 'echo $$ > "$0/cgroup.procs" && exec unshare --cgroup --mount --propagation private -- "$@"' \
    $cg/kubepods/pod/"$1" "$self" container "$drop" "${@:2}"
}
container ctr1 deploy/docker/worker-entrypoint.sh "$self" worker dropped

step "3. unprivileged user namespaces off: the entrypoint keeps SYS_ADMIN"
sysctl -w kernel.unprivileged_userns_clone=0
container ctr2 deploy/docker/worker-entrypoint.sh "$self" worker kept
sysctl -w kernel.unprivileged_userns_clone=1

step "4. read-only cgroupfs and no entrypoint: an error, never a reward"
out=$(container ctr3 "$py" -m server.cli judge /tmp/ok.json || true)
echo "$out" | "$py" -c 'import json, sys; r = json.load(sys.stdin); print(r["status"], r["reward"], r["error"]["code"]); assert r["status"] == "error" and r["reward"] is None'

step "all cgroup v2 checks passed"
