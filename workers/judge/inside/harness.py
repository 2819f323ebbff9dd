"""The in-jail harness: a fresh process per submission, a fresh child per test.

Runs as PID 1 of the jail under the runtime's own interpreter (stdlib only, Python >= 3.11).
Commands arrive on fd 0, a unix socket, one JSON message each with the descriptors of the
test attached; records leave as JSON lines on fd 1.  PID 1 holds the preloaded modules and
the test set's prelude and nothing of any submission: each submission is served by a fresh
fork of it (which compiles the program from /code/main.py) that ends with the submission,
so every program is forked from the same process whatever came before it (issue 12).  The
worker makes every test's descriptors itself (its input, call arguments or assert test, and
its stdout, stderr and result) and reads the outputs back itself: the harness only places
them in a child, and tests, inputs and outputs never enter its memory.  An assert test runs
in a process of its own and reaches the program only through `rpc` calls, so the program
never holds the test's code, answers or completion token.  PID 1 ignores every signal a
child sends it (SIGKILL included); after each test every process the test left is killed.
"""

import _signal
import atexit
import builtins
import ctypes
import fcntl
import functools
import importlib
import importlib.machinery
import io
import json
import os
import resource
import runpy
import select
import signal
import socket
import sys
import time
import types
import typing

import checking
import folder
import protocol
from accounting import Accounting
from rpc import Channel, Codec, ProgramGone, Proxy, Remote, serve_program

TAIL_BYTES = 4096
# How deeply a call's result may nest: the host's bound (`workers/judge/answers.py`), applied
# here first so an honest program learns why.
MAX_DEPTH = 1000
RECURSION_LIMIT = 1 << 20
EXIT_PROGRAM_GONE = 3
# One command: small JSON (bulk travels in the attached descriptors), and at most this many
# descriptors with it.
COMMAND_BYTES = 1 << 16
COMMAND_FDS = 16
# Every signal is held blocked in a submission's process for its whole life, and so in each
# child from its fork until its own set-up is done: a program cannot end or pause the process
# serving its submission with any signal it could catch, and a program that signals the test
# process at once cannot pass its own failure off as a fault of ours.  (SIGKILL and SIGSTOP
# cannot be blocked: either, sent to the submission's process, makes the test the program's
# runtime error, `Harness.submission`; sent to a child, the first reads as a limit and the
# second ends on the wall clock: both verdicts.)
PROGRAM_FILE = "/code/main.py"
PROGRAM_DIR = "/code"
# A child's status that means "end by SIGINT" (a program's uncaught KeyboardInterrupt).
INTERRUPTED = -2
# How a submission's process ends (its exit status): its submission served, or the worker
# closed the jail; LOST (never an exit status) is any other end.
DONE, EXITED, LOST = 0, 3, -1
# A call or assert test's program is imported as a module of this name (the graders of such
# tests import the program: its `if __name__ == "__main__":` block does not run); a stdio
# program is `__main__`, as when run bare.
MODULE_NAME = "main"
# The harness's own modules, which a program run bare could not import.
OWN_MODULES = ("accounting", "checking", "folder", "protocol", "rpc", "stdvalues")
# The soft stack limit the programs start with (deep recursion in accepted solutions needs
# far more than the usual 8 MiB); the hard limit is the jail's, unlimited, as bare.
STACK_SOFT = 1 << 30
SCRATCH = ("/tmp", "/dev/shm")
# Standard modules imported once when the harness starts, whatever the programs ask for:
# those programs import most, whose import cost every test would otherwise pay (a few ms).
# Fixed, so the harness a program is forked from never depends on earlier programs (issue 12).
PRELOADED = (
    "array", "bisect", "collections", "copy", "datetime", "decimal", "fractions", "functools",
    "heapq", "itertools", "math", "operator", "random", "re", "string", "traceback", "typing",
)  # fmt: skip
# Imported ahead of the fork only for a submission whose program or tests import it (the
# worker says so); the harness then holds modules no fresh one has, so its jail retires at
# the end (`end`).
PRELOADABLE_EXTRA = frozenset({"numpy"})
# The modules a test may take from the program by name, as MBPP's tests use the `math` its
# programs import: standard ones without import-time effects (and numpy), imported by the
# test process itself from read-only paths.  Any other module the program binds stays there.
SHARED_MODULES = frozenset(PRELOADED) | {
    "cmath", "numpy", "os", "statistics", "sys", "time", "unicodedata",
}  # fmt: skip
# What a child's `started` slot says once the child's own set-up is done; a test process
# whose test does not compile says so instead.
SET_UP, TEST_DOES_NOT_COMPILE, EXEC_FAILED = b"1", b"t", b"x"
# A compiled program's environment: what a login shell on a judge machine would give it.
NATIVE_ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}
# Where a run jail binds the launcher compiled programs' tests start with (`launch.c`,
# `workers/judge/launcher.py`); a jail without it forks them (`execute_native`).
LAUNCHER = "/crucible-launch"
# Where a run jail binds the launcher's shared library, whose `crucible_spawn` takes the
# launcher's steps in a clone of this process, with no exec of the launcher; a jail without
# it starts the launcher by posix_spawn.
SPAWNER = "/crucible-launch.so"
# `crucible_serve`'s answers (launch.c), and the sizes of its state's arrays.
LOOP_HUNG_UP, LOOP_HANDED, LOOP_AT_DEADLINE = 0, 1, 2
LOOP_FDS, LOOP_MOST_JOINS = 16, 8
STDIO_FDS = 3  # a stdio test's: its stdin, stdout and stderr
# Compiling a program can fail in these ways, each the program's own compile error.  (One
# whose compiling exhausts the submission process's memory ends it: `lost` at set-up.)
COMPILE_ERRORS = (SyntaxError, ValueError, RecursionError, OverflowError)
# A child finds its descriptors at fds 0.. and its `started` marker just above them, placed
# by the harness before the fork so that the child, whose every first touch of a page costs
# a copy, does as little as it can.  Between tests the harness keeps these slots filled
# (/dev/null; its own log at 2), so every descriptor it opens or receives lands above them
# and placing one never overwrites another.
SLOTS = 16
LOG_FD = 2
# Descriptors above the soft limit cannot exist.
NOFILE = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
# How often the harness reads the test's CPU total while it runs: every process of a test
# together is stopped at its CPU limit, give or take this slice on each core (issue 12).
WATCH_SLICE_S = 0.02
# How far a test's CPU time and its longest run-queue wait may add up past its wall time
# and still count as one task at a time (the kernel's counters and ours are read apart).
OVERLAP = 0.05
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
SIG_SETMASK = 2
EVERY_SIGNAL = tuple(signal.valid_signals())
LIBC = ctypes.CDLL(None, use_errno=True)
NO_SIGNALS = (ctypes.c_ulong * 16)()  # a sigset_t: 1024 bits
ALL_SIGNALS = (ctypes.c_ulong * 16)(*[~0 & ((1 << 64) - 1)] * 16)


class Depth:
    """The calling thread's recursion depth as CPython counts it, and a way to move it.

    A program run bare starts at a main module's depth; in a test's child it runs below the
    harness's frames, and so would meet RecursionError that many calls sooner under its own
    `sys.setrecursionlimit` (issue 13).  CPython keeps the count as what "remains" beside the
    limit in the thread state (3.11: recursion_remaining, recursion_limit; 3.12 and 3.13:
    py_recursion_remaining, py_recursion_limit); where the pair sits is found here by
    watching it move, never assumed per version.  Where it cannot be found, `exact` is
    False and programs run with the harness's frames below them (the worker says so)."""

    SCAN = 48  # ints of the thread state searched: well inside it on every version

    def __init__(self):
        self.index = None
        try:
            state = ctypes.pythonapi.PyThreadState_Get
            state.restype = ctypes.c_void_p
            # The main thread's state: every child is forked by a main thread, and keeps
            # its parent's at the same address.
            self.counts = (ctypes.c_int * self.SCAN).from_address(state())
            self.index = self._find()
        except (AttributeError, ValueError, OSError):
            pass
        self.main = self.delta = 0

    def calibrate(self):
        """Called from the harness's module level, whose frame is at a main module's depth
        (a plain call: through a C function such as a class's, 3.11 counts one more)."""
        if self.index is not None:
            here = self.here()
            self.main = here - 2
            probe = {"here": self.here}
            exec(compile("depth = here()", "<depth>", "exec"), probe)
            self.delta = (probe["depth"] - 1) - (here - 1)  # what exec adds to its caller's

    @property
    def exact(self):
        return self.index is not None

    def _find(self):
        counts = self.counts
        limit = sys.getrecursionlimit()

        def deeper():
            return list(counts)

        before, below = list(counts), deeper()
        sys.setrecursionlimit(limit + 777)
        raised = list(counts)
        sys.setrecursionlimit(limit)
        for i in range(self.SCAN - 1):
            if (
                before[i + 1] == limit
                and raised[i + 1] == limit + 777
                and raised[i] == before[i] + 777
                and below[i] < before[i] <= limit
            ):
                return i
        return None

    def here(self):
        """The depth of this call's own frame."""
        return self.counts[self.index + 1] - self.counts[self.index]

    def run_module(self, code, namespace):
        """exec `code` in `namespace` with its frame at a main module's depth: the frames
        below it no longer count against the program's recursion limit.  (Only indexing
        here, read where the harness forked: a test's child pays no foreign call for it.)"""
        index = self.index
        if index is not None:
            counts = self.counts
            counts[index] += counts[index + 1] - counts[index] - self.main + self.delta
        exec(code, namespace)


DEPTH = Depth()
DEPTH.calibrate()
# What of a bare run this jail cannot give its programs (the worker logs it once): known
# when the jail starts, so said with every ready record at no cost.
UNLIKE_BARE = [
    name
    for name, missing in (
        ("/proc and /dev/stdin", not os.path.isdir("/proc/self/fd")),
        ("recursion depth", not DEPTH.exact),
    )
    if missing
]


# What `__main__.__loader__` is for a program run bare as a script.
MAIN_LOADER = importlib.machinery.SourceFileLoader("__main__", PROGRAM_FILE)


def encode_value(value, numpy_types, _depth=0):
    """A call test's return value as JSON data, refusing anything that is not plain data."""
    if _depth > MAX_DEPTH:
        raise TypeError(f"return value nests deeper than {MAX_DEPTH} levels")
    kind = type(value)
    if kind in (bool, int, float, str, type(None)):
        return value
    if kind in (list, tuple):
        return [encode_value(v, numpy_types, _depth + 1) for v in value]
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) not in (str, int, float, bool, type(None)):
                raise TypeError(f"dict key of type {type(key).__name__} is not JSON")
            name = key if type(key) is str else json.dumps(key)
            out[name] = encode_value(item, numpy_types, _depth + 1)
        return out
    if kind in numpy_types:
        return encode_value(value.tolist(), numpy_types, _depth + 1)
    raise TypeError(f"return value of type {kind.__name__} is not JSON-serialisable")


class Harness:
    def __init__(self, commands, records, null, log, accounting=None):
        self.accounting = accounting
        self.commands = commands
        self.records = records
        self.null = null
        self.log = log
        self.setup = None
        self.args = []  # the current run's arguments after the program's argv
        self.code = None
        self.namespace = None
        self.trusted = {}
        self.numpy_types = ()
        self.scratch = {}  # the scratch mounts' owners and free space as a submission began
        self.import_path = ()  # folders after the program's own on its import path
        self.environment = ()  # a compiled program's, as name and value pairs
        # Compiled programs' tests start by the launcher where the worker bound one in, by
        # its library where it bound that too.
        self.launcher = os.access(LAUNCHER, os.X_OK)
        library = _library() if self.launcher else None
        self.spawner = _load_spawner(library) if library else None
        # Where the library loads, its loop runs a compiled program's plain stdio tests.
        loop = _load_loop(library) if self.spawner and accounting else None
        self.loop = loop(commands.fileno(), records) if loop else None
        self.looping = False  # the loop serves this submission

    # -- protocol -----------------------------------------------------------------------
    def send(self, record):
        view = memoryview(protocol.encode_record(record))
        while view:
            view = view[os.write(self.records, view) :]

    def receive(self):
        """The next command and its descriptors; (None, []) once the worker hung up."""
        data, fds, flags, _ = socket.recv_fds(self.commands, COMMAND_BYTES, COMMAND_FDS)
        return self.decode(data, fds, flags)

    def next_command(self):
        """Within a submission: the next command the harness itself serves, its descriptors
        and, for a test the loop started that is at its deadline, that test (`Running`).
        The loop, where it serves the submission, runs each plain stdio test before that."""
        if not self.looping:
            return *self.receive(), None
        data, flags, fds, running = self.loop.next()
        # The loop's tests moved the program cgroup's counters: the next test here reads them.
        self.accounting.forget()
        return *self.decode(data, fds, flags), running

    def decode(self, data, fds, flags):
        if not data:
            return None, fds
        command = protocol.decode_command(data)
        if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
            command = {"op": protocol.CUT, "index": command.get("index")}
        return command, fds

    def serve(self):
        """As PID 1: one submission after another, each in a process of its own, until exit.

        This process holds the jail's preloaded modules and the test set's prelude, and
        nothing of any submission (bar the trusted set-up fields): every submission is
        served by a fresh fork of it (`serve_submission`), whose memory (the program's
        code, the records of its tests, numpy if it asked for it) ends with it.  So each
        program is forked from a process that is the same after any earlier submission.
        A compiled program's submission (its set-up names the argv its tests exec) is served
        by this process itself, with no fork: each test's process is exec'd, so nothing of
        this process's memory ever reaches a program, and it is the jail's init, which no
        program can signal.
        Between submissions the worker may say `standby` (once the keeper has reset the
        jail, so the PID the process gets is the same every time): the next submission's
        process is forked then, and waits for its set-up itself (`standby`), so the fork's
        cost falls while the jail waits in the pool, not on the next submission's time."""
        lost = False
        while True:
            command, fds = self.receive()
            try:
                if command is None or command["op"] == protocol.EXIT:
                    return
                if lost:
                    continue  # what the worker sent before it read `lost`: the jail retires
                ended = None
                if command["op"] == protocol.HELLO:
                    self.send({"event": protocol.HELLO})
                elif command["op"] == protocol.STANDBY and self.namespace is not None:
                    ended = self.in_child(self.standby)
                elif command["op"] != protocol.SETUP:
                    self.send_error(command, "no submission set up")
                elif command.get("exec") and self.namespace is not None:
                    ended = self.serve_here(command)
                elif self.namespace is not None or self.load_prelude(fds):
                    ended = self.in_child(functools.partial(self.serve_submission, command))
                if ended == EXITED:
                    return
                lost = ended == LOST
            finally:
                for fd in fds:
                    os.close(fd)

    def standby(self):
        """In a submission's process forked ahead: answer the worker until its set-up comes,
        then serve that submission; EXITED when the worker closes the jail first."""
        while True:
            command, fds = self.receive()
            try:
                if command is None or command["op"] == protocol.EXIT:
                    return EXITED
                if command["op"] == protocol.HELLO:
                    self.send({"event": protocol.HELLO})
                elif command["op"] != protocol.SETUP:
                    self.send_error(command, "no submission set up")
                else:
                    return self.serve_submission(command)
            finally:
                for fd in fds:
                    os.close(fd)

    def serve_here(self, setup):
        """Serve a compiled program's submission in this process (`serve`): as a forked one
        would, then back to how every submission finds it (no set-up, the root folder, so
        that no scratch mount the keeper replaces stays pinned).  LOST when serving failed
        part-way (a fault of ours): the jail then takes no other submission."""
        self.import_path, self.code = (), None
        try:
            return self.serve_submission(setup)
        except BaseException:
            import traceback

            traceback.print_exc()
            _kill_leftovers()
            self.send({"event": protocol.LOST, "signal": None, "exit_code": None})
            return LOST
        finally:
            self.setup = None
            self.looping = False
            self.import_path = ()
            os.chdir("/")

    def send_error(self, command, error):
        self.send({"event": protocol.RESULT, "index": command.get("index"), "error": error})

    def load_prelude(self, fds):
        """Run the test set's prelude (attached to the jail's first setup; trusted, and the
        same for every submission the jail takes) in the namespace every child starts from."""
        prelude = _read_all(fds[0]).decode("utf-8", "surrogateescape") if fds else ""
        ns = {"__name__": "__main__", "__builtins__": builtins, "__file__": PROGRAM_FILE}
        try:
            exec(compile(prelude, "<prelude>", "exec"), ns)
        except BaseException:
            import traceback

            self.send(
                {"event": protocol.PRELUDE_ERROR, "message": traceback.format_exc()[-TAIL_BYTES:]}
            )
            return False
        self.trusted = {
            v.__name__: v for v in ns.values() if isinstance(v, type) and v.__module__ == "__main__"
        }
        self.namespace = ns
        return True

    def in_child(self, body):
        """Run `body` (a submission's process: it serves one submission) in a fresh child,
        and wait for it: DONE when it ended cleanly, EXITED when it saw the worker close
        the jail, LOST otherwise (then this process may take no other submission).

        The child is the only reader of the command socket until it exits.  One that did not
        end cleanly (a program may kill it: it is not PID 1) leaves this process the reaper
        of whatever that submission left running, so the jail retires."""
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = body()
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, os.WUNTRACED)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) in (DONE, EXITED):
            return os.WEXITSTATUS(status)
        _kill_leftovers()  # a stopped one (SIGSTOP) included
        if os.WIFSTOPPED(status):
            signum = os.WSTOPSIG(status)
        else:
            signum = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        self.send({"event": protocol.LOST, "signal": signum, "exit_code": code})
        return LOST

    def serve_submission(self, setup):
        """In the submission's own process: its tests, then its end; its exit status."""
        _become_subreaper()  # what its programs leave behind is reaped here, not by PID 1
        # The scratch mounts may be new ones (the worker's keeper mounts fresh ones before
        # each submission): the programs' working folder is this submission's /tmp, and its
        # end is checked against how it found them.
        os.chdir(SCRATCH[0])
        self.setup = setup
        # A compiled program's environment, the same for each of its tests (`spawn_native`).
        self.environment = tuple(dict(NATIVE_ENVIRONMENT, **setup.get("env", {})).items())
        if self.accounting:
            self.accounting.forget()
        if not setup.get("fresh_scratch"):
            self.scratch = {root: _scratch_state(root) for root in SCRATCH}
        _set_signal_mask(ALL_SIGNALS)
        sys.setrecursionlimit(RECURSION_LIMIT)
        self.preload(setup.get("preload", ()))
        ready = {"event": protocol.READY, "runtime": "CPython " + sys.version.split()[0]}
        ready["unlike_bare"] = UNLIKE_BARE
        # How a compiled program's tests start here (the worker's bind flags decide).
        ready["starts"] = "library" if self.spawner else "launcher" if self.launcher else "fork"
        # A compiled program was built outside, in its own jail: /code/main is its artifact.
        compile_error = None if setup.get("exec") else self.compile()
        # The loop kills every other process of the jail after each test: as its init only.
        self.looping = (
            self.loop is not None
            and setup["kind"] == "stdio"
            and "exec" in setup
            and os.getpid() == 1
        )
        if self.looping:
            self.args = []  # a plain stdio test's: none
            self.loop.begin(
                self.native_argv(STDIO_FDS, 0, setup["limits"]),
                self.environment,
                self.accounting,
                setup["limits"]["cpu_s"],
            )
        self.send(dict(ready, compile_error=compile_error))
        while True:
            command, fds, running = self.next_command()
            try:
                if command is None or command["op"] == protocol.EXIT:
                    _kill_leftovers()
                    return EXITED
                if command["op"] == protocol.RUN:
                    self.send(self.run(command, fds, running))
                elif command["op"] == protocol.PLACE and len(fds) == 2:  # /run_code's files
                    # Beside the program, as a bare program's files would be: importable.
                    self.import_path = (SCRATCH[0],)
                    self.send(folder.place(fds))
                elif command["op"] == protocol.FETCH and len(fds) == 2:
                    self.send(folder.fetch(fds, command["limit"]))
                elif command["op"] == protocol.END:
                    ended = self.end()
                    if self.looping and ended["event"] == protocol.CLEAN:
                        ended["looped"] = self.loop.state.served
                    self.send(ended)
                    return DONE
                else:
                    error = f"{command['op']} within a submission"
                    self.send(
                        {"event": protocol.RESULT, "index": command.get("index"), "error": error}
                    )
            finally:
                for fd in fds:
                    os.close(fd)

    def compile(self):
        """Compile the program from the read-only /code/main.py, here, once: every child of
        the submission inherits the code (compiling in each child cost a few hundred page
        copies, about a millisecond a test).  Its compile error's message, or None."""
        with open(PROGRAM_FILE, "rb") as handle:
            source = handle.read()
        try:
            self.code = compile(source, PROGRAM_FILE, "exec")
        except COMPILE_ERRORS as exc:
            import traceback

            message = "".join(traceback.format_exception_only(type(exc), exc))
            return message[-TAIL_BYTES:]
        return None

    def end(self):
        """Leave nothing of this submission for the next: processes, scratch files; or say
        why this jail must retire (state a fresh jail would not have that cannot be reset)."""
        _kill_leftovers()
        if self.setup.get("fresh_scratch"):
            # The worker's keeper mounts new scratch space before the next submission, so
            # what this one left there is never seen again (and is freed then).
            return {"event": protocol.CLEAN}
        for root in SCRATCH:
            try:
                _empty(root)
                # The mount root itself outlives emptying: its times are reset here, and
                # anything else a program can set on it (xattrs, ACLs) retires the jail,
                # as does space still taken (a file held open by a socket in flight).
                os.utime(root)
                names = os.listxattr(root)
            except OSError as exc:
                return {"event": protocol.DIRTY, "message": f"cannot reset {root}: {exc}"}
            if names:
                return {"event": protocol.RETIRE, "message": f"{root} carries xattrs {names[:4]}"}
            if _scratch_state(root) != self.scratch[root]:
                return {"event": protocol.RETIRE, "message": f"{root} is not as it started"}
        return {"event": protocol.CLEAN}

    def preload(self, names):
        """Import the extra trusted modules the submission imports, so forks inherit them."""
        for name in sorted(set(names) & PRELOADABLE_EXTRA):
            try:
                __import__(name)
            except BaseException:
                pass
        numpy = sys.modules.get("numpy")
        if numpy is not None and not self.numpy_types:
            generic = numpy.generic
            scalars = [
                t for t in vars(numpy).values() if isinstance(t, type) and issubclass(t, generic)
            ]
            self.numpy_types = tuple(scalars) + (numpy.ndarray,)

    # -- one test -----------------------------------------------------------------------
    def run(self, command, fds, running=None):
        """Run one test on the descriptors the worker attached: for stdio its input, for
        call its arguments, for assert its test; then its stdout, stderr and (call, assert)
        result.  The record says how its processes ended; the worker reads the outputs.
        `running`: the test, started by the loop, is at its wall deadline (`Loop`), and
        goes on here as if started here."""
        index = command["index"]
        if self.setup is None:
            return {"event": protocol.RESULT, "index": index, "error": "no submission set up"}
        kind = self.setup["kind"]
        # A communication task's manager talks with `pipes` runs of the program at once.
        pipes = command.get("pipes", 0) if kind == protocol.CHECK else 0
        wanted = {"stdio": STDIO_FDS, protocol.CHECK: len(checking.FDS) + 2 * pipes}.get(kind, 4)
        if len(fds) != wanted:
            return {"event": protocol.RESULT, "index": index, "error": f"{len(fds)} descriptors"}
        # The run's own arguments after the program's argv (a communication task's index).
        self.args = [str(arg) for arg in command.get("args", ())]
        limits = dict(self.setup["limits"], **command.get("limits", {}))
        if running is None:
            # The test's wall clock ends at its own limit or at the submission's budget
            # (`until`, on the monotonic clock the worker shares), whichever comes first;
            # time it spends waiting for a CPU may stretch it by up to `stretch_s`, within
            # that budget.
            left = limits.get("until", float("inf")) - time.monotonic()
            limits["most_wall_s"] = min(limits["wall_s"] + limits.get("stretch_s", 0.0), left)
            limits["wall_s"] = min(limits["wall_s"], left)
            started = _memfd("started")
        else:  # as the loop worked them out when it started the test
            limits["wall_s"], limits["most_wall_s"] = running.wall_s, running.most_wall_s
            started = running.started
        try:
            if kind == "assert":
                record = self.run_assert(fds, started, limits)
            else:
                talks = []
                if command.get("interactive") and kind in ("stdio", protocol.CHECK):
                    talks = checking.pipe_fds(pipes) if pipes else [(0, 1)]
                record = self.run_program(kind, fds, started, limits, talks=talks, running=running)
            children = 2 if kind == "assert" else 1
            marks = _read(started, children)
            if TEST_DOES_NOT_COMPILE in marks[1:]:
                return {
                    "event": protocol.RESULT,
                    "index": index,
                    "error": "test code does not compile",
                }
            elif marks.count(SET_UP) != children and not _stopped(record):
                # A child failed in our own set-up, before the program ran: our fault (the
                # worker adds the tail of its stderr).
                return {
                    "event": protocol.RESULT,
                    "index": index,
                    "error": "test process set-up failed",
                }
            record["index"] = index
            record["wall_limit_s"] = round(max(limits["wall_s"], 0.0), 3)
            return record
        finally:
            if running is None:  # the loop's own stays open
                os.close(started)

    def run_program(self, kind, fds, started, limits, *, talks=(), running=None):
        """stdio and call tests: the program runs in one child.  `talks`: the (read, write)
        pairs of its descriptors that are pipes to processes in other jails (an interactive
        test: its stdin and stdout; a communication task's manager: a pair per run of the
        program), `_hang_up`.  `running`: the loop started the child (`run`)."""
        if running is None:
            counters = self.accounting.begin() if self.accounting else None
            clock = time.monotonic()
            pid, spawned = self.start_program(kind, fds, started, limits)
        else:
            counters, clock, pid, spawned = running.counters, running.clock, running.pid, True
        for _, write in talks:
            _hang_up(fds[write], self.null)
        patience = Patience(self.accounting, counters, limits)
        watch = self.watch(counters, limits)
        peers = [fds[read] for read, _ in talks]
        record = _wait(pid, clock + limits["wall_s"], clock, watch, patience, peers)
        if talks:
            # `_wait` said when this side's process ended (the jails share the worker's
            # monotonic clock) and whether the other side had closed its output (ended, or
            # hung up) by then.
            for read, _ in talks:
                _hang_up(fds[read], self.null)
        _kill_leftovers()
        self.account(record, counters)
        if spawned and "tree_memory_kb" in record:
            # The vfork's first exec records this process's own peak as the child's
            # (ru_maxrss): the program cgroup's peak is the program's memory.
            record["max_rss_kb"] = record["tree_memory_kb"]
        if kind == protocol.CHECK:
            checking.finish(fds[checking.FDS.index("feedback")])
        return record

    def start_program(self, kind, fds, started, limits):
        """The child of a stdio, call or check test, started; its pid, and whether it was
        spawned by the launcher's steps (its own rusage is then not the program's)."""
        spawned = False
        if kind == protocol.CHECK and self.setup.get("python_check"):
            # A Python checker forked from here, as a Python program is: no interpreter to
            # start per check (`execute_python_check`).
            pid = self.spawn(
                execute_python_check,
                fds,
                limits,
                (started, 0),
                accounted=True,
                load=self.load_native,
                python=True,
            )
        elif kind == protocol.CHECK and self.launcher and checking.direct():
            checking.prepare_folder()  # then as a compiled program's test (`checking.py`)
            pid, spawned = self.spawn_native(fds, limits, (started, 0)), True
        elif kind == protocol.CHECK:
            load = self.load_native
            pid = self.spawn(execute_check, fds, limits, (started, 0), accounted=True, load=load)
        elif kind == "stdio" and self.setup.get("exec") and self.launcher:
            pid, spawned = self.spawn_native(fds, limits, (started, 0)), True
        else:
            load = None
            if kind == "stdio" and self.setup.get("exec"):
                descriptors, body, load = fds, execute_native, self.load_native
            elif kind == "stdio":
                descriptors, body = fds, self.execute_stdio
            else:
                arguments, stdout, stderr, result = fds
                descriptors = [self.null, stdout, stderr, result, arguments]
                body = self.execute_call
            pid = self.spawn(body, descriptors, limits, (started, 0), accounted=True, load=load)
        return pid, spawned

    def execute_stdio(self, code):
        DEPTH.run_module(code, self.program_module("__main__"))
        return 0

    def execute_call(self, code):
        # The call's own arguments, read here in the child; the harness never holds them.
        call = json.loads(_read_all(4))
        os.close(4)
        ns = self.program_module(MODULE_NAME)
        DEPTH.run_module(code, ns)
        value = _resolve(ns, self.setup["fn_name"])(*call["args"], **call["kwargs"])
        payload = {"value": encode_value(value, self.numpy_types)}
        _write_result(json.dumps(payload, separators=(",", ":")))
        return 0

    def run_assert(self, fds, started, limits):
        """assert tests: the program serves calls in one child; the test runs in another,
        which alone reads the test (its code, the names it takes and its completion token)
        from the descriptor the worker attached."""
        test, stdout, stderr, result = fds
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        counters = self.accounting.begin() if self.accounting else None
        clock = time.monotonic()
        descriptors = [self.null, stdout, stderr, requests_r, replies_w]
        program = self.spawn(self.serve_program, descriptors, limits, (started, 0), accounted=True)
        descriptors = [self.null, stdout, stderr, result, replies_r, requests_w, test]
        tester = self.spawn(self.test, descriptors, limits, (started, 1), load=_load_test)
        for fd in (requests_r, requests_w, replies_r, replies_w):
            os.close(fd)
        patience = Patience(self.accounting, counters, limits)
        watch = self.watch(counters, limits)
        record = _wait(tester, clock + limits["wall_s"], clock, watch, patience)
        # A program that ended on its own during the test explains the test's failure; one
        # still running once the test is over is simply stopped.
        gone = record["exit_code"] == EXIT_PROGRAM_GONE
        program_record = _wait(program, time.monotonic() + (0.2 if gone else 0), clock)
        _kill_leftovers()
        self.account(record, counters)
        record["test_cpu_s"] = record["cpu_s"]
        record["cpu_s"] = program_record["cpu_s"]
        record["max_rss_kb"] = program_record["max_rss_kb"]
        if record["exit_code"] == EXIT_PROGRAM_GONE and not program_record["wall_killed"]:
            record["program_gone"] = True
            record["exit_code"] = program_record["exit_code"]
            record["signal"] = program_record["signal"]
        return record

    def watch(self, counters, limits):
        """While a test runs: whether all its processes together are over its CPU limit."""
        if counters is None:
            return None
        return lambda: self.accounting.over(counters, limits["cpu_s"])

    def account(self, record, counters):
        """The kernel's totals for the test's program cgroup, once all its processes are gone."""
        if counters is not None:
            record.update(self.accounting.totals(counters))

    def spawn(self, body, descriptors, limits, started, *, accounted=False, load=None, python=None):
        """Fork a child that runs `body(load())` with `descriptors` as its fds 0..; its pid.

        Its descriptors and standard streams are made here, where the pages they touch are
        warm; the child only lowers its limits, drops every other descriptor, marks its
        `started` slot and loads what it runs (`load`, by default the program's code).  It
        is born with every catchable signal blocked, as this process has them, and unblocks
        them once loaded.  `accounted`: the child runs the program, and joins the program
        cgroup before anything else.  `python`: the program it runs is Python code, so the
        child is made to look like a fresh interpreter (`_as_bare`); by default, unless it
        execs a compiled program (`load_native`)."""
        count = len(descriptors)
        if count >= SLOTS:  # placing it would overwrite one of the harness's own descriptors
            raise ValueError(f"a child gets at most {SLOTS - 1} descriptors")
        started_fd, slot = started
        for target, fd in enumerate(descriptors):
            os.dup2(fd, target)
        os.dup2(started_fd, count)
        streams = _streams()
        pid = os.fork()
        if pid == 0:
            join = self.accounting.join if accounted and self.accounting else None
            if python is None:
                python = load != self.load_native
            load = load or self.load_program
            bare = self.import_path if accounted and python else None
            _child(body, load, count, limits, slot, streams, join, bare=bare, args=self.args)
        del streams  # never used here, so dropping them writes nothing
        for target in range(count + 1):
            os.dup2(self.log if target == LOG_FD else self.null, target)
        return pid

    def spawn_native(self, descriptors, limits, started):
        """Start a compiled program's test process by the launcher's steps (`launch.c`),
        which put every signal back to its default, join the program cgroup, drop every
        other descriptor, set the limits, mark its `started` slot and exec the program: what
        `spawn` and `execute_native` do in a fork of this process, without copying it (a
        fork costs more than a trivial program runs).  In a clone of this process by the
        launcher's library where the jail has it, else by posix_spawn (a vfork) of the
        launcher.  Its pid."""
        count = len(descriptors)
        started_fd, slot = started
        joins = self.accounting.procs if self.accounting else []
        argv = self.native_argv(count, slot, limits)
        if self.spawner is not None:
            return self.spawner(argv, self.environment, [*descriptors, started_fd, *joins])
        actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(descriptors)]
        actions.append((os.POSIX_SPAWN_DUP2, started_fd, count))
        actions += [(os.POSIX_SPAWN_DUP2, fd, count + 1 + i) for i, fd in enumerate(joins)]
        # Every signal's action set to its default in the vfork before the launcher's exec:
        # otherwise glibc reads each blocked signal's (all, here) before setting it, twice
        # the system calls.
        return os.posix_spawn(
            LAUNCHER, argv, dict(self.environment), file_actions=actions, setsigdef=EVERY_SIGNAL
        )

    def native_argv(self, count, slot, limits):
        """The launcher's argv for a compiled program's test process with `count`
        descriptors of its own (`launch.c`): `started` at `count`, the cgroup files after."""
        joins = len(self.accounting.procs) if self.accounting else 0
        cpu = max(1, int(limits["cpu_s"] + 0.999))
        argv = (LAUNCHER, str(count), str(slot), str(cpu), str(joins), *self.setup["exec"])
        return argv + tuple(self.args)

    def load_program(self, started, slot):
        """A program child's code: compiled once, by the submission's process (`compile`)."""
        os.pwrite(started, SET_UP, slot)
        return self.code

    def load_native(self, started, slot):
        """A compiled program's child: its argv, and a close-on-exec copy of the `started`
        descriptor, so a failed exec (ours: the artifact is in place) can say so."""
        os.pwrite(started, SET_UP, slot)
        argv = [*self.setup["exec"], *self.args]
        return argv, self.setup.get("env", {}), os.dup(started), slot

    def program_module(self, name):
        """The module the program runs as, with the test set's prelude in it, and in
        sys.modules under its name: pickle and multiprocessing find the program's own
        classes and functions there, as when it runs bare."""
        module = types.ModuleType(name)
        module.__dict__.update(self.namespace)
        module.__dict__.update(__name__=name, __file__=PROGRAM_FILE, __cached__=None)
        module.__loader__ = MAIN_LOADER if name == "__main__" else None
        if name == "__main__":
            module.__annotations__ = {}
        sys.modules[name] = module
        return module.__dict__

    def serve_program(self, code):
        ns = self.program_module(MODULE_NAME)
        DEPTH.run_module(code, ns)
        serve_program(ns, Channel(3, 4), Codec(self.trusted, self.numpy_types))
        return 0

    def test(self, loaded):
        test_code, takes, token = loaded
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a closed channel is ProgramGone
        ns = dict(self.namespace)
        entry_point = self.setup.get("entry_point")
        remote = None
        try:
            remote = Remote(Channel(4, 5), Codec(self.trusted, self.numpy_types))
            # Only the names the test needs from the program, as the worker read them off
            # the test alone (`workers/judge/asserts.py`): never a builtin the test checks with,
            # and never the prelude's, bar the entry point (issue 12).
            for name in remote.names:
                if name in takes and (name == entry_point or name not in ns):
                    ns[name] = Proxy(remote, name, "a function")
            # A module the test reads from the program (MBPP's `math.isclose`) is the test's
            # own copy, and only of a standard module on a fixed list: nothing else the
            # program names is ever imported here (issue 12).
            for name, module in remote.modules.items():
                if name in takes and name not in ns and module in SHARED_MODULES:
                    ns[name] = importlib.import_module(module)
            exec(test_code, ns)
            if entry_point:
                ns["check"](ns[entry_point])
        except ProgramGone:
            if remote is not None:  # one that never answered (no compile) has said why
                print("crucible: the program ended during the test", file=sys.stderr)
            return EXIT_PROGRAM_GONE
        _write_result(json.dumps({"done": token}))
        return 0


def _resolve(ns, name):
    """A plain function by name, else the method of LeetCode's `class Solution`."""
    target = ns.get(name)
    if callable(target):
        return target
    solution = ns.get("Solution")
    if isinstance(solution, type) and hasattr(solution, name):
        return getattr(solution(), name)
    raise NameError(f"the program defines no function or Solution method named {name!r}")


def execute_native(loaded):
    """Become the compiled program, as a shell would start it: every signal the interpreter
    ignores (SIGPIPE, SIGXFSZ) back to its default, the stack limit unlimited (a contest
    judge's), a plain environment and what its language adds to it (Go's GOMAXPROCS).  Never
    returns; a failed exec marks the test's slot."""
    argv, env, started, slot = loaded
    for signum in signal.valid_signals():
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:
                signal.signal(signum, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
    resource.setrlimit(resource.RLIMIT_STACK, (hard, hard))
    try:
        os.execve(argv[0], argv, dict(NATIVE_ENVIRONMENT, **env))
    except OSError:
        os.pwrite(started, EXEC_FAILED, slot)
        raise


def execute_check(loaded):
    """Become a checker (`checking.py`): its feedback folder made, then started as a
    compiled program is.  A failure before the exec is ours, never the checker's exit."""
    argv, env, started, slot = loaded
    try:
        argv = checking.prepare(argv)
    except BaseException:
        os.pwrite(started, EXEC_FAILED, slot)
        raise
    execute_native((argv, env, started, slot))


def execute_python_check(loaded):
    """Run a Python checker (its archive, /code/main, with its modules) in this child as
    `python3 /code/main INPUT OUTPUT ANSWER` would: the child already looks like a fresh
    interpreter (`_as_bare`); its argv is the checker's, its feedback folder made.  A
    failure before the checker's code runs is ours; its own exceptions are its exit 1."""
    argv, _env, started, slot = loaded
    try:
        argv = checking.prepare(argv)
        os.close(started)
    except BaseException:
        os.pwrite(started, EXEC_FAILED, slot)
        raise
    sys.argv[:] = argv[1:]
    runpy.run_path(argv[1], run_name="__main__")
    return 0


# -- processes ----------------------------------------------------------------------------


def _child(body, load, count, limits, slot, streams, join, *, bare, args):  # noqa: PLR0917
    """Run `body(load(...))` in a freshly forked child whose fds 0.. are its `count`
    descriptors; never returns.

    `load` writes a byte to the child's `slot` of the `started` memfd (at fd `count`) once
    the child's own set-up is done, so the harness can tell a failure of ours from the
    program's.  Slots, not appends: two children writing at a memfd's shared offset can lose
    one of the writes.  The child is forked with every signal blocked, as the submission's
    process has them, and unblocks them only once loaded.  A program's child (`bare`: the
    folders its import path takes after its own) then runs and ends as the interpreter runs
    and ends a program run bare (`_as_bare`, `_report`, `_finish`)."""
    program = bare is not None
    code = 1
    running = False
    try:
        if join is not None:
            join()  # first: everything the program does is counted and limited there
        _enter_child(count, limits, streams)
        loaded = load(count, slot)
        os.close(count)
        if program:
            _as_bare(bare, args)
        _set_signal_mask(NO_SIGNALS)
        running = program
        code = body(loaded)
    except SystemExit as exc:
        code = _exit_status(exc)
    except BaseException as exc:
        code = _report(exc, running)
    finally:
        code = _finish(code, running)
        if code == INTERRUPTED:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
            code = 1
        os._exit(code)


def _as_bare(import_path, args):
    """What a program child sees of its process is what `python3 /code/main.py` run from
    /tmp would show it: argv, the import path (`import_path` after the program's folder),
    the signal handlers CPython installs, no exit handlers or modules of the harness's, and
    a process its own children may inspect."""
    sys.argv[:] = [PROGRAM_FILE, *args]
    sys.orig_argv[:] = [sys.executable, PROGRAM_FILE, *args]
    sys.path[0:1] = [PROGRAM_DIR, *import_path]
    for name in OWN_MODULES:
        sys.modules.pop(name, None)
    atexit._clear()
    # CPython's own at start-up (PID 1 leaves them at their defaults: its children are
    # born so, and only a program's process takes CPython's).
    # (`_signal`'s own: `signal.signal` converts to and from enums, a tenth of a millisecond.)
    _signal.signal(signal.SIGINT, _signal.default_int_handler)
    _signal.signal(signal.SIGPIPE, _signal.SIG_IGN)
    _signal.signal(signal.SIGXFSZ, _signal.SIG_IGN)
    LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)


def _report(exc, running):
    """An exception that ended a child: for the program's own, its traceback from its own
    first frame through `sys.excepthook`, as the interpreter prints it; else all of it.
    Its exit status: 1, or, for a program's KeyboardInterrupt, the SIGINT that CPython then
    ends the process with (`_finish`)."""
    status = INTERRUPTED if running and isinstance(exc, KeyboardInterrupt) else 1
    try:
        tb = exc.__traceback__
        if running:
            while tb is not None and tb.tb_frame.f_code.co_filename != PROGRAM_FILE:
                tb = tb.tb_next
        if running and tb is not None:
            sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        else:
            import traceback

            traceback.print_exception(type(exc), exc, exc.__traceback__)
    except BaseException:
        pass
    return status


def _finish(code, running):
    """A child's exit status once it is done: for a program, after what the interpreter does
    at exit (wait for the program's non-daemon threads, run its exit handlers, flush its
    standard streams; a failed flush of stdout is status 120, as bare)."""
    if running:
        threading = sys.modules.get("threading")
        try:
            if threading is not None:
                threading._shutdown()
        except SystemExit as exc:
            code = _exit_status(exc)
        except BaseException:
            pass
        try:
            atexit._run_exitfuncs()
        except BaseException:
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            if running and stream is sys.stdout and code != INTERRUPTED:
                code = 120
    return code


def _enter_child(count, limits, streams):
    # Whatever the harness holds above the child's own descriptors and marker, its channels
    # to the worker included, is dropped (descriptors above the soft limit cannot exist).
    os.closerange(count + 1, NOFILE)
    cpu = max(1, int(limits["cpu_s"] + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams


def _load_test(started, slot):
    """An assert test's code, the names it takes from the program and its completion token,
    read from the descriptor the worker attached (fd 6): only the test process ever holds
    them.  Trusted data, so the mark comes last: a failure before it is ours."""
    test = json.loads(_read_all(6))
    os.close(6)
    try:
        code = compile(test["source"], "<test>", "exec")
    except COMPILE_ERRORS:
        os.pwrite(started, TEST_DOES_NOT_COMPILE, slot)
        raise SystemExit(1) from None
    os.pwrite(started, SET_UP, slot)
    return code, frozenset(test["takes"]), test["token"]


def _streams():
    """Text streams over fds 0, 1 and 2, as a child's sys.stdin, sys.stdout and sys.stderr,
    made as CPython makes its own for a program run bare with stdin and stdout not a
    terminal: UTF-8, strict but for stderr, "\n" only (so "\r\n" reaches the program as
    sent), stderr line-buffered, and their names and modes."""
    streams = []
    for fd, mode, name, errors in (
        (0, "r", "<stdin>", "strict"),
        (1, "w", "<stdout>", "strict"),
        (2, "w", "<stderr>", "backslashreplace"),
    ):
        raw = io.FileIO(fd, mode, closefd=False)
        raw.name = name
        buffered = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        text = io.TextIOWrapper(
            buffered, encoding="utf-8", errors=errors, newline="\n", line_buffering=fd == 2
        )
        text.mode = mode
        streams.append(text)
    return tuple(streams)


def _stopped(record):
    """Whether the wall clock, the CPU watch or the kernel (OOM) stopped a child, perhaps
    before set-up."""
    return record["wall_killed"] or record["cpu_killed"] or record["signal"] == signal.SIGKILL


class Patience:
    """Whether a test at its wall limit used that time itself, or spent part of it waiting
    for a CPU that other work held (issue 13): then its wall clock is stretched by what it
    waited, up to `most_wall_s`, so that a wall-time verdict means the program's own time.

    The wait is the kernel's run-queue delay of each of the test's tasks
    (/proc/<pid>/task/<tid>/schedstat, second field), of which the longest counts.  Only a
    test that ran one task at a time is stretched: its CPU time and that wait together fit
    in its wall time.  One that ran several at once may have waited on its own (a program
    that starts threads to look starved), and its wall limit stands.  Still short of its
    own wall limit at `most_wall_s`, a test is `contended`: the worker reports a retryable
    fault, never a 0."""

    def __init__(self, accounting, counters, limits):
        self.accounting = accounting
        self.counters = counters
        self.wall_s = limits["wall_s"]
        self.most_s = limits.get("most_wall_s", self.wall_s)
        self.facts = {}

    def __call__(self, elapsed):
        """At the deadline, `elapsed` seconds in: how many more seconds the test may run."""
        if self.most_s <= self.wall_s:
            return 0.0
        waited, on_cpu = _run_queue_delay()
        if self.counters is not None:
            on_cpu = (self.accounting.cpu_ns() - self.counters[0]) / 1e9
        own = elapsed - waited
        self.facts = {"cpu_wait_s": round(waited, 6), "own_wall_s": round(own, 6)}
        one_at_a_time = on_cpu + waited <= elapsed * (1 + OVERLAP) + WATCH_SLICE_S
        if own >= self.wall_s or not one_at_a_time:
            return 0.0
        if elapsed >= self.most_s - 1e-3:
            self.facts["contended"] = True
            return 0.0
        return max(WATCH_SLICE_S, min(self.wall_s - own, self.most_s - elapsed))


def _run_queue_delay():
    """The longest time any task of the jail's programs (every process this one can see in
    the jail's /proc, bar itself and PID 1) waited on a run queue, and their CPU time
    together, in seconds; (0, 0) where the jail has no /proc."""
    longest = total = 0
    me = os.getpid()
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return 0.0, 0.0
    for pid in pids:
        if pid in (1, me):
            continue
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue  # gone meanwhile
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat", "rb") as handle:
                    fields = handle.read().split()
            except OSError:
                continue
            if len(fields) >= 2:
                total += int(fields[0])
                longest = max(longest, int(fields[1]))
    return longest / 1e9, total / 1e9


def _wait(pid, deadline, started, over_cpu=None, patience=None, peers=()):  # noqa: PLR0917
    """Wait for a child until `deadline`, killing it then; its status and resource usage.

    `over_cpu`, when given, is asked every WATCH_SLICE_S whether the test's processes
    together are over their CPU limit: then every process but the harness is killed.
    `patience`, when given, is asked at the deadline how much longer the test may run.

    An interactive side's `peers` (the pipes it reads from the other side) are watched as
    well: the first wake-up that finds every one of them hung up, before the one that finds
    the child ended, is when the other side closed its output (`peer_closed_at`): the
    other side went first, whatever either harness was then kept waiting for a CPU.  Whether
    they were all hung up by the wake-up that found the child ended is `peer_closed`, read
    then rather than later, when the other side may be ending because this one did.  And a
    child this harness killed ended when it was killed (`ended_at`), not when its end was
    seen: its pipes closed only after."""
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    for fd in peers:
        poller.register(fd, 0)  # a hang-up is always reported; the data is the child's
    hung_up = set()
    peer_closed_at = killed_at = None
    killed = cpu_killed = False
    while True:
        remaining = max(0.0, deadline - time.monotonic())
        slice_s = remaining if over_cpu is None else min(remaining, WATCH_SLICE_S)
        events = poller.poll(int(slice_s * 1000))
        if any(fd == pidfd for fd, _ in events):
            hung_up.update(fd for fd, _ in events if fd != pidfd)  # seen in the same wake-up
            break
        if events:
            for fd, _ in events:
                poller.unregister(fd)  # seen once: a hang-up stays
                hung_up.add(fd)
            if peer_closed_at is None and hung_up.issuperset(peers):
                peer_closed_at = time.monotonic()
            continue
        if remaining <= slice_s:
            more = patience(time.monotonic() - started) if patience is not None else 0.0
            if more > 0:
                deadline = time.monotonic() + more
                continue
            killed, killed_at = True, time.monotonic()
            os.kill(pid, signal.SIGKILL)
            break
        if over_cpu():
            cpu_killed, killed_at = True, time.monotonic()
            _kill_all()
            break
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
    facts = patience.facts if patience is not None else {}
    if peers:
        # Whether the other side had closed its output as this side's end was first seen.
        closed = hung_up.issuperset(peers)
        facts = facts | {"ended_at": killed_at or time.monotonic(), "peer_closed": closed}
        if peer_closed_at is not None:
            facts["peer_closed_at"] = peer_closed_at
    return facts | {
        "event": protocol.RESULT,
        "wall_s": round(time.monotonic() - started, 6),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 6),
        "max_rss_kb": usage.ru_maxrss,
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "wall_killed": killed,
        "cpu_killed": cpu_killed,
    }


def _hang_up(fd, null):
    """Drop this process's hold on one end of an interactive test's pipe, keeping the
    descriptor's number (it is closed with the command's others): the other side sees the
    end of its input, or a broken pipe, as soon as the child's own copies go."""
    os.dup2(null, fd)


def _write_result(text):
    os.ftruncate(3, 0)
    os.lseek(3, 0, os.SEEK_SET)
    os.write(3, text.encode())


def _exit_status(exc):
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    try:
        print(exc.code, file=sys.stderr)
    except BaseException:
        pass
    return 1


def _library():
    """The launcher's library (`launch.c`), or None where the jail has none or it does not
    load."""
    if not os.access(SPAWNER, os.R_OK):
        return None
    try:
        return ctypes.CDLL(SPAWNER)
    except OSError:
        return None


def _c_strings(argv, environment):
    """argv and an environment (name, value pairs) as the C arrays `launch.c` takes: the
    count, then each null-terminated array."""
    args = [arg.encode("utf-8", "surrogateescape") for arg in argv]
    env = [f"{k}={v}".encode("utf-8", "surrogateescape") for k, v in environment]
    return (
        len(args),
        (ctypes.c_char_p * (len(args) + 1))(*args, None),
        (ctypes.c_char_p * (len(env) + 1))(*env, None),
    )


def _load_spawner(library):
    """A `Spawner` calling the library's `crucible_spawn`, or None where it has none."""
    spawn = getattr(library, "crucible_spawn", None)
    if spawn is None:
        return None
    strings = ctypes.POINTER(ctypes.c_char_p)
    spawn.argtypes = (ctypes.c_long, ctypes.POINTER(ctypes.c_int), ctypes.c_long, strings, strings)
    spawn.restype = ctypes.c_long
    return Spawner(spawn)


class Spawner:
    """`crucible_spawn` with the C arrays of the last argv and environment kept: a
    submission's tests all start the same program the same way."""

    def __init__(self, spawn):
        self.spawn = spawn
        self.key = None
        self.arrays = None

    def __call__(self, argv, environment, fds):
        """A test's process: `fds` at 0.. (each above them all), then the launcher's steps
        with `argv` and `environment` (name, value pairs); its pid."""
        if (argv, environment) != self.key:
            self.arrays = _c_strings(argv, environment)
            self.key = (argv, environment)
        count, args, env = self.arrays
        pid = self.spawn(len(fds), (ctypes.c_int * len(fds))(*fds), count, args, env)
        if pid < 0:
            raise OSError(-pid, os.strerror(-pid))
        return pid


class _LoopState(ctypes.Structure):
    """`struct loop` in launch.c, field for field (each 8 bytes wide)."""

    _fields_ = (
        ("commands", ctypes.c_long),
        ("records", ctypes.c_long),
        ("cpu_fd", ctypes.c_long),
        ("peak_fd", ctypes.c_long),
        ("oom_fd", ctypes.c_long),
        ("cpu_in_stat", ctypes.c_long),
        ("joins", ctypes.c_long),
        ("join_fds", ctypes.c_long * LOOP_MOST_JOINS),
        ("argc", ctypes.c_long),
        ("argv", ctypes.POINTER(ctypes.c_char_p)),
        ("environment", ctypes.POINTER(ctypes.c_char_p)),
        ("cpu_s", ctypes.c_double),
        ("slice_s", ctypes.c_double),
        ("buffer", ctypes.POINTER(ctypes.c_char)),
        ("buffer_size", ctypes.c_long),
        ("have_left", ctypes.c_long),
        ("left_cpu", ctypes.c_long),
        ("left_oom", ctypes.c_long),
        ("served", ctypes.c_long),
        ("started", ctypes.c_long),
        ("length", ctypes.c_long),
        ("flags", ctypes.c_long),
        ("count", ctypes.c_long),
        ("fds", ctypes.c_long * LOOP_FDS),
        ("pid", ctypes.c_long),
        ("clock", ctypes.c_double),
        ("wall_s", ctypes.c_double),
        ("most_wall_s", ctypes.c_double),
        ("cpu_start", ctypes.c_long),
        ("oom_start", ctypes.c_long),
    )


class Running(typing.NamedTuple):
    """A test the loop started that still runs at its wall deadline: the harness goes on
    with it from there (`run`)."""

    pid: int
    clock: float
    counters: tuple[int, int]
    wall_s: float
    most_wall_s: float
    started: int  # the loop's `started` memfd, which the loop keeps


class Loop:
    """The launcher library's `crucible_serve` (launch.c): a compiled program's plain stdio
    tests, each run as `run` runs it, with no Python from one to the next.  What it does
    not run it hands back (`next`): any other command, and a test still running at its wall
    deadline, whose stretch (`Patience`) and end stay the harness's."""

    def __init__(self, serve, commands, records):
        self.serve = serve
        self.buffer = ctypes.create_string_buffer(COMMAND_BYTES + 1)
        self.state = _LoopState(commands=commands, records=records, started=-1)
        self.state.buffer = ctypes.cast(self.buffer, ctypes.POINTER(ctypes.c_char))
        self.state.buffer_size = COMMAND_BYTES
        self.arrays = None  # the C arrays the state points to, kept alive here

    def begin(self, argv, environment, accounting, cpu_s):
        """A submission whose tests exec `argv` (the launcher's) with `environment`."""
        self.arrays = _c_strings(argv, environment)
        state = self.state
        state.argc, state.argv, state.environment = self.arrays
        state.cpu_fd, state.oom_fd = accounting.cpu, accounting.oom
        state.peak_fd = -1 if accounting.peak is None else accounting.peak
        state.cpu_in_stat = int(accounting.cpu_in_stat)
        state.joins = len(accounting.procs)
        for i, fd in enumerate(accounting.procs):
            state.join_fds[i] = fd
        state.cpu_s, state.slice_s = cpu_s, WATCH_SLICE_S
        state.have_left = state.served = 0

    def next(self):
        """Serve tests until the harness's turn: the command's bytes (empty once the
        worker hung up), its flags, its descriptors, and the test at its deadline (a
        `Running`) or None."""
        said = self.serve(ctypes.byref(self.state))
        if said < 0:
            raise OSError(-said, os.strerror(-said))
        state = self.state
        fds = list(state.fds[: state.count])
        state.count = 0
        if said == LOOP_HUNG_UP:
            return b"", 0, fds, None
        running = None
        if said == LOOP_AT_DEADLINE:
            counters = (state.cpu_start, state.oom_start)
            running = Running(
                state.pid, state.clock, counters, state.wall_s, state.most_wall_s, state.started
            )
        return self.buffer.raw[: state.length], state.flags, fds, running


def _load_loop(library):
    """A `Loop` factory from the library, or None where it has no loop."""
    try:
        serve, size = library.crucible_serve, library.crucible_loop_size
    except AttributeError:
        return None
    size.restype = ctypes.c_long
    if size() != ctypes.sizeof(_LoopState):  # a state laid out otherwise: never passed
        return None
    serve.argtypes = (ctypes.POINTER(_LoopState),)
    serve.restype = ctypes.c_long
    return functools.partial(Loop, serve)


def _memfd(name):
    return os.memfd_create(name, 0)


def _read(fd, limit):
    return os.pread(fd, limit, 0)


def _read_all(fd):
    """The whole of a descriptor the worker attached (a sealed memfd), from its start."""
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _empty(root):
    """Remove everything under `root`, whatever modes the program left on it."""
    os.chmod(root, 0o1777)
    folder.remove_under(root)
    if os.listdir(root):
        raise OSError(f"{root} is not empty")


def _scratch_state(root):
    """What of a scratch mount root must be as the jail started: owner and free space."""
    st, fs = os.stat(root), os.statvfs(root)
    return (st.st_uid, st.st_gid, fs.f_bfree, fs.f_ffree)


def _set_stack_limit():
    """The programs' soft stack limit (`STACK_SOFT`, under the jail's hard one) for the main
    thread, and the same default for threads: glibc sized that default when the interpreter
    started, from the soft limit then (unlimited, which gives threads 2 MiB)."""
    hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
    soft = STACK_SOFT if hard == resource.RLIM_INFINITY else min(STACK_SOFT, hard)
    resource.setrlimit(resource.RLIMIT_STACK, (soft, hard))
    attr = ctypes.create_string_buffer(256)  # a pthread_attr_t, with room to spare
    if LIBC.pthread_attr_init(attr) != 0:
        return
    try:
        if LIBC.pthread_attr_setstacksize(attr, ctypes.c_size_t(soft)) == 0:
            LIBC.pthread_setattr_default_np(attr)
    finally:
        LIBC.pthread_attr_destroy(attr)


def _become_subreaper():
    """Orphans of the calling process's descendants are reparented to it (not to PID 1)."""
    if LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def _set_signal_mask(mask):
    """The calling thread's blocked signals, set at once: `signal.pthread_sigmask` builds a
    set of some sixty enum members each time, a tenth of a millisecond per child.  (The
    kernel never blocks SIGKILL or SIGSTOP, and libc keeps its own two signals out.)"""
    if LIBC.pthread_sigmask(SIG_SETMASK, ctypes.byref(mask), None) != 0:
        raise OSError(ctypes.get_errno(), "pthread_sigmask")


def _kill_leftovers():
    """Kill every other process of the jail (bar PID 1) and reap those that are ours."""
    _kill_all()
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _kill_all():
    """SIGKILL every process in the jail but PID 1 and the caller (reaped by the caller:
    PID 1, or a submission's process, the subreaper of everything its programs start).
    Only ever in a jail: `main` refuses to start anywhere but as a PID namespace's init."""
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main():
    if os.getpid() != 1:
        # After every test the harness kills every process it may signal, which is only
        # safe as the init of a PID namespace of its own: anywhere else it would be the host.
        sys.exit("harness.py runs only as PID 1 of a jail's PID namespace")
    # The kernel never gives a PID namespace's init a signal it leaves at its default action
    # (bar SIGKILL and SIGSTOP from outside), so a child cannot interrupt the harness with
    # SIGINT, and the harness sees EPIPE rather than dying of SIGPIPE.  Left at their
    # defaults here, they are so in each child from birth, as in a plain process.
    for signum in (signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(signum, signal.SIG_DFL)
    # No process of the jail but a program's may be inspected through the jail's /proc:
    # this flag passes to every child, and only a program's child sets it back (`_as_bare`).
    if LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")
    _set_stack_limit()
    # The program cgroup's descriptors, as the worker passed them (`workers/judge/cgroups.py`);
    # moved above the slots first, and the argument dropped so the program's argv is bare.
    accounting = Accounting(json.loads(sys.argv[1])) if len(sys.argv) > 1 else None
    del sys.argv[1:]
    null = os.open("/dev/null", os.O_RDWR)
    commands, records, log, null_high = (
        fcntl.fcntl(fd, fcntl.F_DUPFD, SLOTS) for fd in (0, 1, LOG_FD, null)
    )
    os.close(null)
    for slot in range(SLOTS):
        os.dup2(log if slot == LOG_FD else null_high, slot)
    for name in PRELOADED:
        __import__(name)
    os.chdir("/")  # never pinning a scratch mount the keeper replaces
    channel = socket.socket(fileno=commands)  # the worker's end of a SOCK_SEQPACKET pair
    Harness(channel, records, null=null_high, log=log, accounting=accounting).serve()
    # Nothing to flush or finalise: skipping interpreter teardown (numpy's included) makes
    # closing a jail several times faster.
    os._exit(0)


if __name__ == "__main__":
    main()
