"""/run_code's files in a real jail: placed where `open('data.txt')` finds them, fetched
only as regular files inside the program's folder whatever the program planted there."""

from __future__ import annotations

import base64

import pytest

from crucible.schema import Limits, RunOutcome
from workers.judge.grade import Judge

pytestmark = pytest.mark.integration
LIMITS = Limits(time_s=5, output_kb=64)


def decoded(files: dict[str, str]) -> dict[str, bytes]:
    return {path: base64.b64decode(data) for path, data in files.items()}


def test_files_are_in_the_working_folder_as_in_sandbox_fusion(judge: Judge) -> None:
    program = (
        "import os\n"
        "print(os.getcwd(), sorted(os.listdir('.')), open('data.txt').read())\n"
        "print(open('in/deep/x.bin', 'rb').read())\n"
        "with open('out.txt', 'w') as f:\n"
        "    f.write(open('data.txt').read().upper())\n"
    )
    files = {"data.txt": b"abc", "in/deep/x.bin": b"\0\1"}
    result = judge.run(program, stdin="", limits=LIMITS, files=files, fetch=["out.txt", "data.txt"])
    assert result.outcome == RunOutcome.finished and result.exit_code == 0, result.stderr
    assert result.stdout == "/tmp ['data.txt', 'in'] abc\nb'\\x00\\x01'\n"
    assert decoded(result.files) == {"out.txt": b"ABC", "data.txt": b"abc"}


def test_links_folders_and_fifos_the_program_planted_are_never_read(judge: Judge) -> None:
    program = (
        "import os\n"
        "os.symlink('/code/main.py', 'program.txt')\n"
        "os.symlink('/crucible', 'harness')\n"
        "os.mkdir('sub')\n"
        "os.symlink('/usr/lib', 'sub/lib')\n"
        "os.mkfifo('fifo')\n"
        "os.mkdir('folder')\n"
        "open('plain.txt', 'w').write('mine')\n"
        "os.link('plain.txt', 'hard.txt')\n"
        "open('locked.txt', 'w').write('hidden')\n"
        "os.chmod('locked.txt', 0)\n"
    )
    fetch = [
        "program.txt", "harness/harness.py", "sub/lib/os-release", "fifo", "folder",
        "plain.txt", "hard.txt", "locked.txt",
    ]  # fmt: skip
    result = judge.run(program, stdin="", limits=LIMITS, fetch=fetch)
    assert result.exit_code == 0, result.stderr
    # A hard link is the same regular file (only ever one inside the folder's own mount);
    # one the program made unreadable is read by no one.
    assert decoded(result.files) == {"plain.txt": b"mine", "hard.txt": b"mine"}
    assert not result.files_left_out


def test_a_process_left_behind_cannot_swap_a_file_for_a_link(judge: Judge) -> None:
    # Every process of the program is killed before anything is fetched, so a child that
    # keeps swapping the file for a link to the program's own source changes nothing.
    program = (
        "import os\n"
        "open('real', 'w').write('honest')\n"
        "os.symlink('/code/main.py', 'link')\n"
        "if os.fork() == 0:\n"
        "    while True:\n"
        "        os.replace('link', 'answer'); os.symlink('/code/main.py', 'link')\n"
        "        open('real', 'w').write('honest'); os.replace('real', 'answer')\n"
    )
    for _ in range(3):
        result = judge.run(program, stdin="", limits=LIMITS, fetch=["answer"])
        assert decoded(result.files) in ({}, {"answer": b"honest"}), result.files


def test_fetched_files_share_the_output_cap(judge: Judge) -> None:
    program = "open('a', 'wb').write(b'a' * 3000)\nopen('b', 'wb').write(b'b' * 2000)\n"
    limits = Limits(time_s=5, output_kb=4)
    result = judge.run(program, stdin="", limits=limits, fetch=["a", "b"])
    assert result.exit_code == 0, result.stderr
    assert decoded(result.files) == {"a": b"a" * 3000} and result.files_left_out == ["b"]


def test_a_program_that_does_not_compile_still_sees_its_files_fetched(judge: Judge) -> None:
    result = judge.run(
        "def broken(:\n", stdin="", limits=LIMITS, files={"kept": b"1"}, fetch=["kept"]
    )
    assert result.exit_code == 1 and "SyntaxError" in result.stderr
    assert decoded(result.files) == {"kept": b"1"}


def test_files_do_not_outlive_their_run(judge: Judge) -> None:
    judge.run("print()", stdin="", limits=LIMITS, files={"left.txt": b"x"})
    result = judge.run("import os\nprint(os.listdir('.'))", stdin="", limits=LIMITS)
    assert result.stdout == "[]\n"
