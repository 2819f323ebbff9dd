"""The worker image's entrypoint, run for real (as root) in a private mount namespace:
it makes a read-only cgroup mount writable (v2, and v1's per-controller mounts), drops
SYS_ADMIN and SETPCAP unless the kernel restricts user namespaces, and fails loudly when it
cannot.  Nothing here changes the host: every mount lives and dies in its own namespace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, run

ENTRYPOINT = DEPLOY / "docker" / "worker-entrypoint.sh"
CAP_SETPCAP, CAP_SYS_ADMIN = 8, 21
# What the worker would run; here it reports whether the cgroup is writable, and its caps.
REPORT = 'test -w "$CRUCIBLE_CGROUP_ROOT" && echo writable; grep CapBnd /proc/self/status'
V2 = 'mount -t cgroup2 -o ro,nosuid,nodev,noexec cgroup2 "$CRUCIBLE_CGROUP_ROOT"'
# As Docker shows v1 controllers: read-only bind mounts of writable hierarchies.
V1 = (
    'for c in memory pids cpuacct; do d="$CRUCIBLE_CGROUP_ROOT/$c"; mkdir -p "$d" "$d.rw"; '
    'mount -t tmpfs tmpfs "$d.rw"; mount --bind "$d.rw" "$d"; mount -o remount,bind,ro "$d"; '
    '! test -w "$d"; done'
)


@pytest.fixture(autouse=True)
def as_root() -> None:
    if os.geteuid() != 0:
        pytest.fail("the entrypoint tests need root (mount namespaces), as CI has")


def kernel(tmp_path: Path, **sysctls: str) -> Path:
    folder = tmp_path / "kernel"
    folder.mkdir(exist_ok=True)
    for name, value in sysctls.items():
        (folder / name).write_text(value + "\n")
    return folder


def entrypoint(
    tmp_path: Path,
    setup: str,
    *,
    prefix: str = "",
    report: str = REPORT,
    kernel_dir: Path | None = None,
    **env: str,
) -> tuple[int, str, str]:
    """Run setup, then the entrypoint (behind `prefix`), in a private mount namespace."""
    root = tmp_path / "cgroup"
    root.mkdir(exist_ok=True)
    script = f"set -e; {setup}; {prefix} \"$ENTRYPOINT\" sh -c '{report}'"
    environment = {
        "PATH": os.environ["PATH"],
        "ENTRYPOINT": str(ENTRYPOINT),
        "CRUCIBLE_CGROUP_ROOT": str(root),
        "CRUCIBLE_PROC_SYS_KERNEL": str(kernel_dir or kernel(tmp_path)),
        "CRUCIBLE_PROC_SELF_CGROUP": str(self_cgroup(tmp_path, "0::/")),
        "TMPDIR": str(tmp_path),
        **env,
    }
    result = run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script], env=environment
    )
    return result.returncode, result.stdout, result.stderr


def self_cgroup(tmp_path: Path, text: str, name: str = "self-cgroup") -> Path:
    """A stand-in for /proc/self/cgroup: "0::/" is the root of a private cgroup namespace."""
    path = tmp_path / name
    path.write_text(text + "\n")
    return path


def bounding(stdout: str) -> int:
    (line,) = [x for x in stdout.splitlines() if x.startswith("CapBnd:")]
    return int(line.split()[1], 16)


def has(caps: int, bit: int) -> bool:
    return bool(caps >> bit & 1)


def test_makes_a_read_only_cgroup2_mount_writable(tmp_path: Path) -> None:
    code, out, err = entrypoint(tmp_path, f'{V2}; ! test -w "$CRUCIBLE_CGROUP_ROOT"')
    assert code == 0, err
    assert "writable" in out


def test_makes_read_only_cgroup1_controllers_writable(tmp_path: Path) -> None:
    report = (
        'for c in memory pids cpuacct; do test -w "$CRUCIBLE_CGROUP_ROOT/$c" || exit 1; done'
        " && echo ok"
    )
    code, out, err = entrypoint(tmp_path, V1, report=report)
    assert code == 0, err
    assert out.strip() == "ok"


def test_mounts_a_whole_read_only_proc_in_a_root_only_folder(tmp_path: Path) -> None:
    """Where the runtime masked parts of /proc, the jails' own /proc mounts only beside a
    whole one: the entrypoint mounts it, read-only, under TMPDIR in a folder mode 0700."""
    report = (
        'for d in "$TMPDIR"/crucible-proc.*; do test -d "$d" || continue; stat -c %a "$d"; '
        'test -e "$d/proc/self/status" && echo whole; '
        'grep -q " $d/proc ro," /proc/self/mountinfo && echo read-only; done'
    )
    code, out, err = entrypoint(tmp_path, V2, report=report)
    assert code == 0, err
    assert out.split() == ["700", "whole", "read-only"]
    never = tmp_path / "never"
    never.mkdir()
    code, out, err = entrypoint(
        tmp_path, V2, report=report + "; true", CRUCIBLE_WHOLE_PROC="never", TMPDIR=str(never)
    )
    assert code == 0, err
    assert out.split() == []


def test_drops_sys_admin_and_setpcap_where_user_namespaces_are_open(tmp_path: Path) -> None:
    code, out, err = entrypoint(
        tmp_path, V2, kernel_dir=kernel(tmp_path, unprivileged_userns_clone="1")
    )
    assert code == 0, err
    caps = bounding(out)
    assert not has(caps, CAP_SYS_ADMIN) and not has(caps, CAP_SETPCAP)


@pytest.mark.parametrize(
    "sysctls",
    [{"unprivileged_userns_clone": "0"}, {"apparmor_restrict_unprivileged_userns": "1"}],
)
def test_keeps_sys_admin_where_only_it_may_create_user_namespaces(
    tmp_path: Path, sysctls: dict[str, str]
) -> None:
    code, out, err = entrypoint(tmp_path, V2, kernel_dir=kernel(tmp_path, **sysctls))
    assert code == 0, err
    assert "keeping it for nsjail" in err
    caps = bounding(out)
    assert has(caps, CAP_SYS_ADMIN) and not has(caps, CAP_SETPCAP)


def test_keeping_sys_admin_can_be_forced(tmp_path: Path) -> None:
    code, out, err = entrypoint(tmp_path, V2, CRUCIBLE_KEEP_SYS_ADMIN="true")
    assert code == 0, err
    assert has(bounding(out), CAP_SYS_ADMIN)


def test_without_sys_admin_a_read_only_cgroup_is_a_clear_failure(tmp_path: Path) -> None:
    drop = "setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin --"
    code, out, err = entrypoint(tmp_path, V2, prefix=drop)
    assert code == 1 and "writable" not in out
    assert "needs CAP_SYS_ADMIN" in err


def test_a_writable_cgroup_needs_no_sys_admin(tmp_path: Path) -> None:
    drop = "setpriv --inh-caps=-sys_admin,-setpcap --bounding-set=-sys_admin,-setpcap --"
    code, out, err = entrypoint(tmp_path, "true", prefix=drop)
    assert code == 0, err
    assert "writable" in out


def test_refuses_the_hosts_cgroup2_hierarchy(tmp_path: Path) -> None:
    # Outside a private cgroup namespace this process sits below the root: the mount is the
    # host's whole hierarchy, and the entrypoint must not make that writable.
    shared = self_cgroup(tmp_path, "0::/system.slice/docker-0123.scope", "shared")
    code, out, err = entrypoint(tmp_path, V2, CRUCIBLE_PROC_SELF_CGROUP=str(shared))
    assert code == 1 and "writable" not in out
    assert "shares the host's cgroup namespace" in err
