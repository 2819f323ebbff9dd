"""Warm compile jails (`workers/judge/buildjail.py`): one jail runs build after build, and
nothing of one build reaches the next: not its files in /build or /tmp, not a process it
left running.  The server at the jail's PID 1 survives what a compiler can do to it, a build
that runs out of time leaves the jail usable, and a jail that retires or dies is replaced
without the build noticing."""

from __future__ import annotations

import dataclasses
import os
import signal
import uuid
from collections.abc import Iterator

import pytest

from crucible.schema import Language
from workers.judge.buildjail import BuildJail
from workers.judge.compiler import Build, Compiler
from workers.judge.grade import Judge
from workers.judge.languages import TOOLCHAINS, Toolchain
from workers.judge.settings import JudgeSettings

pytestmark = pytest.mark.integration

C = TOOLCHAINS[Language.c]
ADD = '#include <stdio.h>\nint main(void){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}\n'


def _fresh(source: str) -> str:
    """`source`, new to the artifact cache."""
    return f"// {uuid.uuid4().hex}\n{source}"


def _shell(script: str) -> Toolchain:
    """C's toolchain with a build step of our own: `script` run by sh in /build (the source is
    main.c there), which must leave the artifact `main`."""
    return dataclasses.replace(C, build=("/bin/sh", "-c", script))


@pytest.fixture()
def judge() -> Iterator[Judge]:
    judge = Judge(JudgeSettings(artifact_cache=0))
    yield judge
    judge.close()


def _build(compiler: Compiler, source: str, chain: Toolchain = C, **kw: object) -> Build:
    return compiler.build(Language.c, None, _fresh(source), chain=chain, **kw)  # type: ignore[arg-type]


def _end(jail: BuildJail) -> None:
    """End a jail as a crash would: its server killed (then nsjail ends it)."""
    server = jail.server_pid()
    assert server is not None
    os.kill(server, signal.SIGKILL)
    jail._proc.wait(timeout=10)


def _idle(compiler: Compiler) -> list[BuildJail]:
    return [jail for jails in compiler._jails._idle.values() for jail in jails]


def test_one_jail_runs_build_after_build(judge: Judge) -> None:
    compiler = judge.compiler
    first = _build(compiler, ADD)
    [jail] = _idle(compiler)
    second = _build(compiler, ADD)
    assert first.output.ok and second.output.ok and first.artifact and second.artifact
    assert _idle(compiler) == [jail] and jail.builds == 2
    assert not os.listdir(jail.folder)  # emptied after each build


def test_no_file_of_a_build_reaches_the_next(judge: Judge) -> None:
    compiler = judge.compiler
    leaves = _shell(
        "mkdir -p /tmp/out/closed && echo secret > /tmp/out/closed/kept.h"
        " && chmod 000 /tmp/out/closed && cp {source} main"
    )
    first = _build(compiler, ADD, leaves, files={"beside.h": b"#define SECRET 1\n"})
    assert first.output.ok
    looks = (
        '#if __has_include("/build/beside.h") || __has_include("/tmp/out/closed/kept.h")'
        ' || __has_include("/tmp/out")\n#error a build\'s file reached the next\n#endif\n'
    )
    second = _build(compiler, looks + ADD)
    assert second.output.ok, second.output.output
    assert _idle(compiler)[0].builds == 2


def test_a_process_a_build_leaves_is_gone_before_the_next(judge: Judge) -> None:
    compiler = judge.compiler
    lingers = _shell("(sleep 60; echo late > /build/late) >/dev/null 2>&1 & cp {source} main")
    assert _build(compiler, ADD, lingers).output.ok
    lists = _shell("cat /proc/[0-9]*/cmdline | tr '\\0' ' '; cp {source} main")
    listed = _build(compiler, ADD, lists)
    assert listed.output.ok
    assert "sleep" not in listed.output.output
    assert "cat /proc/" in listed.output.output  # the listing sees the build's own processes
    [jail] = _idle(compiler)
    assert jail.builds == 2 and not (jail.folder / "late").exists()


def test_the_server_survives_what_a_compiler_can_do_to_it(judge: Judge) -> None:
    compiler = judge.compiler
    _build(compiler, ADD)
    [jail] = _idle(compiler)
    attacks = _shell(
        "kill -INT 1; kill -TERM 1; kill -KILL 1;"
        " cat /proc/1/mem 2>&1 | head -c 200; ls /proc/1/fd 2>&1 | head -c 200;"
        " cp {source} main"
    )
    attacked = _build(compiler, ADD, attacks)
    assert attacked.output.ok
    said = attacked.output.output
    # Not dumpable, the server's /proc entries belong to root, which hidepid hides.
    assert "/proc/1/mem: No such file" in said and "'/proc/1/fd': No such file" in said
    assert _idle(compiler) == [jail] and jail.alive and jail.builds == 2
    assert _build(compiler, ADD).output.ok


def test_a_build_out_of_time_leaves_the_jail_usable() -> None:
    judge = Judge(JudgeSettings(artifact_cache=0, compile_time_s=1))
    try:
        compiler = judge.compiler
        slow = _build(compiler, ADD, _shell("sleep 30; cp {source} main"))
        assert not slow.output.ok and slow.output.timed_out and slow.artifact is None
        assert "longer than 1 s" in slow.output.output
        assert slow.output.time_s < 5
        [jail] = _idle(compiler)
        assert _build(compiler, ADD).output.ok and jail.builds == 2
    finally:
        judge.close()


def test_jails_retire_after_their_builds_and_a_dead_one_is_replaced() -> None:
    judge = Judge(JudgeSettings(artifact_cache=0, compile_jail_builds=2))
    try:
        compiler = judge.compiler
        _build(compiler, ADD)
        [first] = _idle(compiler)
        _build(compiler, ADD)
        assert _idle(compiler) == [] and not first.alive  # two builds: retired
        _build(compiler, ADD)
        [second] = _idle(compiler)
        _end(second)
        assert _build(compiler, ADD).output.ok
        [third] = _idle(compiler)
        assert third is not second and third.alive
    finally:
        judge.close()


def test_a_jail_that_ends_during_a_build_hands_it_to_a_jail_of_its_own(judge: Judge) -> None:
    compiler = judge.compiler
    _build(compiler, ADD)
    [jail] = _idle(compiler)
    real = jail.build

    def dies(argv: list[str], **kw: object) -> tuple[int, bool, bytes]:
        _end(jail)
        return real(argv, **kw)  # type: ignore[arg-type]

    jail.build = dies  # type: ignore[method-assign]
    built = _build(compiler, ADD)
    assert built.output.ok and built.artifact
    assert _idle(compiler) == []  # the one-off jail keeps nothing


@pytest.mark.parametrize("builds", [0, 200])
def test_both_ways_give_the_same_outcomes(builds: int) -> None:
    judge = Judge(JudgeSettings(artifact_cache=0, compile_jail_builds=builds))
    try:
        compiler = judge.compiler
        ok = _build(compiler, ADD)
        broken = _build(compiler, "int main(void){return undeclared;}\n")
        big = _build(compiler, ADD, _shell("yes > main"))
        assert ok.output.ok and ok.output.exit_code == 0 and ok.artifact
        assert not broken.output.ok and "undeclared" in broken.output.output
        assert broken.output.exit_code == 1
        assert not big.output.ok and big.output.exit_code == 128 + signal.SIGXFSZ
        assert "over the file size limit" in big.output.output
        assert (_idle(compiler) != []) == (builds > 0)
    finally:
        judge.close()


def test_files_in_folders_beside_the_source_leave_the_jail_reusable(judge: Judge) -> None:
    """The worker's own folders (a checker's or grader's headers in a subfolder) are not the
    jail's uid's to remove: the worker removes them, and the jail takes the next build."""
    compiler = judge.compiler
    uses = '#include "lib/deep/add.h"\n' + ADD.replace("a+b", "ADD(a,b)")
    built = _build(compiler, uses, files={"lib/deep/add.h": b"#define ADD(x,y) ((x)+(y))\n"})
    assert built.output.ok, built.output.output
    [jail] = _idle(compiler)
    assert not os.listdir(jail.folder)
    assert _build(compiler, ADD).output.ok and _idle(compiler) == [jail] and jail.builds == 2
