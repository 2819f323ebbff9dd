"""Issue 12, classes 5-7: what one submission could leave in a warm jail for the next.

Each attack is a planting submission and a victim graded right after it in the same warm
jail through one Judge; the victim's verdict must be the one it gets in a fresh jail
(invariant 1 of DESIGN.md).  Then honest HumanEval and MBPP references, graded in a fresh
jail and right after each planter, must get identical results.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crucible.datasets import humaneval_submission, mbpp_submission, read_json, read_jsonl
from crucible.schema import (
    CallCase,
    CallTestSet,
    Limits,
    Policy,
    StdioCase,
    StdioTestSet,
    Submission,
)
from workers.judge.grade import Judge
from workers.judge.jail import Keeper

pytestmark = pytest.mark.integration

# A key no other test uses, so this module's jails are its own; memory enough for numpy.
LIMITS = Limits(memory_mb=72, pids=24, time_s=2)
EVERY = Policy(stop_on_first_failure=False)
SUM = StdioTestSet(cases=[StdioCase(input="3 4\n", output="7\n")])
CALL_SUM = CallTestSet(fn_name="add", cases=[CallCase(args=[3, 4], expected=7)])

# -- class 5: the scratch mounts' roots (xattrs, ACLs, times) ------------------------------

# A default ACL on the scratch roots that gives the owner nothing: every file made there
# afterwards is created unreadable, even by its maker.
PLANT_DEFAULT_ACL = """
import os, struct
acl = struct.pack("<I", 2) + b"".join(
    struct.pack("<HHI", tag, 0, 0xFFFFFFFF) for tag in (0x01, 0x04, 0x20)
)
for root in ("/tmp", "/dev/shm"):
    os.setxattr(root, "system.posix_acl_default", acl)
a, b = map(int, input().split())
print(a + b)
"""
# A correct program that needs a scratch file.
SCRATCH_SUM = """
a, b = map(int, input().split())
with open("/tmp/scratch", "w") as f:
    f.write(str(a + b))
with open("/tmp/scratch") as f:
    print(f.read())
"""
# A correct sample that leaves its answers, keyed by input, in user xattrs of the roots.
PLANT_XATTR = """
import hashlib, os, sys
data = sys.stdin.read()
a, b = map(int, data.split())
key = "user." + hashlib.sha1(data.encode()).hexdigest()
for root in ("/tmp", "/dev/shm"):
    os.setxattr(root, key, str(a + b).encode())
print(a + b)
"""
READ_XATTR = """
import hashlib, os, sys
data = sys.stdin.read()
try:
    print(os.getxattr("/tmp", "user." + hashlib.sha1(data.encode()).hexdigest()).decode())
except OSError:
    print("no answer")
"""
# The answer in the root's modification time.
PLANT_MTIME = """
import os
a, b = map(int, input().split())
os.utime("/tmp", ns=(0, a + b))
print(a + b)
"""
READ_MTIME = """
import os
print(os.stat("/tmp").st_mtime_ns)
"""

# -- class 6: sockets that outlive every process ------------------------------------------

# Abstract names, one per set bit of the answer, held by sockets that are only in flight:
# a socketpair whose receiving end has, in its own queue, a message carrying both ends and
# the bound sockets.  No process holds them after the kill; only the kernel's unix garbage
# collector frees them.
PLANT_SOCKETS = """
import array, socket
a, b = map(int, input().split())
answer = a + b
held = []
for bit in range(8):
    if answer >> bit & 1:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(b"\\0crucible-answer-%d" % bit)
        s.listen()
        held.append(s)
left, right = socket.socketpair()
fds = array.array("i", [left.fileno(), right.fileno()] + [s.fileno() for s in held])
left.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
for s in held + [left, right]:
    s.close()
print(answer)
"""
PROBE_SOCKETS = """
import socket
answer = 0
for bit in range(8):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.bind(b"\\0crucible-answer-%d" % bit)
    except OSError:
        answer |= 1 << bit
    s.close()
print(answer)
"""

# Ports in TIME_WAIT on the jail's loopback, one per set bit: no socket left to any process.
PLANT_TIME_WAIT = """
import socket
a, b = map(int, input().split())
for bit in range(8):
    if (a + b) >> bit & 1:
        server = socket.create_server(("127.0.0.1", 40000 + bit))
        client = socket.create_connection(("127.0.0.1", 40000 + bit))
        accepted, _ = server.accept()
        accepted.close()  # the side that closes first waits in TIME_WAIT
        client.close()
        server.close()
print(a + b)
"""
PROBE_PORTS = """
import socket
answer = 0
for bit in range(8):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 40000 + bit))
    except OSError:
        answer |= 1 << bit
    s.close()
print(answer)
"""

# -- counters a jail keeps: PIDs and tmpfs inode numbers -----------------------------------

# A correct sample that leaves the answer in the PID counter: it forks until a child's PID is
# the answer modulo 256, so the next submission's own process (two PIDs on: the process
# serving the submission, then the program) reads it back.
PLANT_PIDS = """
import os
a, b = map(int, input().split())
while True:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    if pid % 256 == (a + b) % 256:
        break
print(a + b)
"""
READ_PIDS = """
import os
print((os.getpid() - 2) % 256)
"""
# The same in the scratch mount's inode numbers: the next file made there is one on.
PLANT_INODES = """
import os
a, b = map(int, input().split())
while True:
    with open("/tmp/n", "w"):
        pass
    number = os.stat("/tmp/n").st_ino
    os.unlink("/tmp/n")
    if number % 256 == (a + b) % 256:
        break
print(a + b)
"""
READ_INODES = """
import os
with open("/tmp/n", "w"):
    pass
print((os.stat("/tmp/n").st_ino - 1) % 256)
"""

# -- class 7: the harness's own imports ---------------------------------------------------

PLANT_NUMPY = """
import numpy
a, b = map(int, input().split())
print(a + b)
"""
# Returns a numpy scalar, imported without an `import` line the harness could see.
NUMPY_RESULT = """
def add(a, b):
    return __import__("numpy").int64(a + b)
"""
# Names many standard modules on lines the harness scanned, in a string never run.
STANDARD = (
    "asyncio email.mime.text http.client xml.etree.ElementTree unittest multiprocessing"
    " concurrent.futures logging.handlers argparse tarfile zipfile sqlite3 ssl urllib.request"
    " csv pdb pydoc doctest difflib statistics dataclasses inspect ast tokenize smtplib"
    " imaplib mailbox xmlrpc.client"
)
PLANT_MODULES = (
    'NAMES = """\n'
    + "\n".join(f"import {name}" for name in STANDARD.split())
    + '\n"""\na, b = map(int, input().split())\nprint(a + b)\n'
)
# A correct program whose peak memory is fine in a fresh jail.
BIG_SUM = """
block = b"\\1" * (54 << 20)
a, b = map(int, input().split())
print(a + b)
"""

PLANTERS = {
    "default_acl": PLANT_DEFAULT_ACL,
    "xattr": PLANT_XATTR,
    "mtime": PLANT_MTIME,
    "sockets": PLANT_SOCKETS,
    "time_wait": PLANT_TIME_WAIT,
    "numpy": PLANT_NUMPY,
    "modules": PLANT_MODULES,
    "pids": PLANT_PIDS,
    "inodes": PLANT_INODES,
}
ATTACKS = [
    ("default_acl", SCRATCH_SUM, SUM),
    ("xattr", READ_XATTR, SUM),
    ("mtime", READ_MTIME, StdioTestSet(cases=[StdioCase(input="3 4\n", output="7\n")])),
    ("sockets", PROBE_SOCKETS, SUM),
    ("time_wait", PROBE_PORTS, SUM),
    ("numpy", NUMPY_RESULT, CALL_SUM),
    ("modules", BIG_SUM, SUM),
    ("pids", READ_PIDS, SUM),
    ("inodes", READ_INODES, SUM),
]


def submission(code: str, tests: StdioTestSet | CallTestSet) -> Submission:
    return Submission(code=code, tests=tests, limits=LIMITS, policy=EVERY)


def outcome(judge: Judge, sub: Submission) -> tuple[object, ...]:
    result = judge.grade(sub)
    return (result.status, result.reward, tuple(t.verdict for t in result.tests))


def drop_warm_jails(judge: Judge) -> None:
    """Close this module's idle jails, so that the next grade starts a fresh one."""
    judge.pool.drop(memory_mb=LIMITS.memory_mb, pids=LIMITS.pids)


def fresh_then_planted(judge: Judge, planter: str, victim: Submission) -> tuple[object, object]:
    """The victim's outcome in a fresh jail, and right after `planter` in the same judge."""
    drop_warm_jails(judge)
    fresh = outcome(judge, victim)
    drop_warm_jails(judge)
    judge.grade(submission(planter, SUM))
    return fresh, outcome(judge, victim)


@pytest.mark.parametrize(("name", "victim", "tests"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_a_planter_changes_no_later_verdict(
    judge: Judge, name: str, victim: str, tests: StdioTestSet | CallTestSet
) -> None:
    fresh, planted = fresh_then_planted(judge, PLANTERS[name], submission(victim, tests))
    assert planted == fresh


def test_the_keeper_resets_every_submission_here(judge: Judge) -> None:
    """This machine lets the worker join its jails' namespaces: the keeper must not have
    fallen back to emptying the scratch folders (the pids and inodes attacks rely on it)."""
    probe = "import os\nprint(os.getpid(), os.stat('/tmp').st_ino, os.stat('/tmp').st_ctime_ns)\n"
    first = judge.grade(submission(probe, SUM))
    second = judge.grade(submission(probe, SUM))
    assert not Keeper.unavailable and not Keeper.pids_unavailable
    pid, inode, _ = first.tests[0].message.split("got ")[-1].strip("'").split()
    assert (pid, inode) == tuple(second.tests[0].message.split("got ")[-1].strip("'").split()[:2])


def test_honest_programs_reuse_a_warm_jail(judge: Judge) -> None:
    # The checks at the end of a submission retire only jails that something odd touched.
    drop_warm_jails(judge)
    code = "import sys, math, heapq, bisect, itertools, collections\nprint(7)\n"
    for _ in range(2):
        assert outcome(judge, submission(code, SUM))[1] == 1
    mine = [j for j in judge.pool.idle() if j.key[:2] == (LIMITS.memory_mb, LIMITS.pids)]
    assert len(mine) == 1 and mine[0].uses == 2


def honest(datasets: Path) -> list[Submission]:
    humaneval = list(read_jsonl(datasets / "humaneval" / "HumanEval.jsonl.gz"))
    mbpp = read_json(datasets / "mbpp" / "sanitized-mbpp.json")
    subs = [humaneval_submission(row) for row in humaneval[::41]]
    subs += [mbpp_submission(row) for row in mbpp[::97]]
    return [sub.model_copy(update={"limits": LIMITS, "policy": EVERY}) for sub in subs]


def test_honest_references_grade_alike_after_every_planter(judge: Judge, datasets: Path) -> None:
    subs = honest(datasets)
    assert len(subs) >= 6
    drop_warm_jails(judge)
    fresh = []
    for sub in subs:
        drop_warm_jails(judge)
        fresh.append(outcome(judge, sub))
    assert all(o[1] == 1 for o in fresh), fresh
    for name, planter in PLANTERS.items():
        for sub, expected in zip(subs, fresh, strict=True):
            drop_warm_jails(judge)
            judge.grade(submission(planter, SUM))
            assert outcome(judge, sub) == expected, (name, sub.tests)
