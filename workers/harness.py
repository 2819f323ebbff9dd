"""The in-jail harness: loads a program once and forks a fresh child per test.

Runs as PID 1 of the jail under the runtime's own interpreter (stdlib only, Python >= 3.11).
Commands arrive as JSON lines on fd 0; records leave as JSON lines on fd 1.  Each child
gets memfds for stdin, stdout, stderr and a result channel, so nothing it does can block
the harness, and it never sees the harness's channels.  Expected outputs never come here:
the worker compares outside.  Being PID 1 of its PID namespace, the harness ignores every
signal a child sends it (SIGKILL included), and after each test it kills whatever the child
left behind, so no test can leave a daemon for the next.
"""

import base64
import builtins
import io
import json
import os
import resource
import select
import signal
import sys
import time

TAIL_BYTES = 4096
RESULT_CAP = 1 << 20
RECURSION_LIMIT = 1 << 20
# Modules the harness may import ahead of the fork when the program imports them: trusted
# code whose import cost every test would otherwise pay again.
PRELOADABLE_EXTRA = frozenset({"numpy"})
_PLAIN_SCALARS = (int, float, complex, str, bytes, bool, type(None), range)
_PLAIN_CONTAINERS = (list, tuple, set, frozenset, dict)


class Guard:
    """Checks, in the child, that values a test compares are plain data.

    An object that only pretends to be equal (a custom `__eq__`, a subclass of int, a
    patched trusted class) fails the test instead of passing it.
    """

    def __init__(self, trusted_classes):
        self.trusted = {cls: dict(vars(cls)) for cls in trusted_classes}
        self.numpy_types = ()

    def plain(self, value, _depth=0):
        if _depth > 10000:
            raise AssertionError("value nests too deeply to check")
        kind = type(value)
        if kind in _PLAIN_SCALARS or kind in self.numpy_types:
            return value
        if kind in _PLAIN_CONTAINERS:
            items = value.items() if kind is dict else ((x, None) for x in value)
            for key, item in items:
                self.plain(key, _depth + 1)
                self.plain(item, _depth + 1)
            return value
        if kind in self.trusted:
            if dict(vars(kind)) != self.trusted[kind]:
                raise AssertionError(f"trusted class {kind.__name__} was modified")
            for item in vars(value).values():
                self.plain(item, _depth + 1)
            return value
        raise AssertionError(f"a test compared a value of untrusted type {kind.__name__}")

    def truth(self, value):
        return bool(self.plain(value))


def encode_value(value, numpy_types, _depth=0):
    """JSON text of a returned value, refusing anything that is not plain data."""
    if _depth > 10000:
        raise TypeError("return value nests too deeply")
    kind = type(value)
    if kind in (bool, int, str, type(None)):
        return value
    if kind is float:
        return value
    if kind in (list, tuple):
        return [encode_value(v, numpy_types, _depth + 1) for v in value]
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) not in (str, int, float, bool, type(None)):
                raise TypeError(f"dict key of type {type(key).__name__} is not JSON")
            out[json.dumps(key) if type(key) is not str else key] = encode_value(
                item, numpy_types, _depth + 1
            )
        return out
    if kind in numpy_types:
        return encode_value(value.tolist(), numpy_types, _depth + 1)
    raise TypeError(f"return value of type {kind.__name__} is not JSON-serialisable")


class Harness:
    def __init__(self, commands, records):
        self.commands = commands
        self.records = records
        self.setup = {}
        self.namespace = {}
        self.code = None
        self.guard = Guard(())
        self.pristine_builtins = dict(vars(builtins))
        self.modules = {}
        self.snapshot_size = 0

    # -- protocol -----------------------------------------------------------------------
    def send(self, record):
        data = json.dumps(record, separators=(",", ":")).encode() + b"\n"
        view = memoryview(data)
        while view:
            view = view[os.write(self.records, view) :]

    def serve(self):
        self.setup = json.loads(self.commands.readline())
        self.send(self.prepare())
        for line in self.commands:
            command = json.loads(line)
            if command["op"] == "exit":
                break
            self.send(self.run(command))

    # -- loading, once per submission ---------------------------------------------------
    def prepare(self):
        sys.setrecursionlimit(RECURSION_LIMIT)
        ns = {"__name__": "__main__", "__builtins__": builtins, "__file__": "/code/main.py"}
        prelude = self.setup.get("prelude") or ""
        try:
            exec(compile(prelude, "<prelude>", "exec"), ns)
        except BaseException:
            import traceback

            return {"event": "prelude_error", "message": traceback.format_exc()[-TAIL_BYTES:]}
        self.guard = Guard(
            [v for v in ns.values() if isinstance(v, type) and v.__module__ == "__main__"]
        )
        self.namespace = ns
        ready = {
            "event": "ready",
            "runtime": "CPython " + sys.version.split()[0],
            "compile_error": None,
        }
        try:
            with open("/code/main.py", encoding="utf-8") as handle:
                source = handle.read()
            self.code = compile(source, "/code/main.py", "exec")
        except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
            import traceback

            ready["compile_error"] = "".join(traceback.format_exception_only(type(exc), exc))[
                -TAIL_BYTES:
            ]
            return ready
        self.preload(source)
        return ready

    def preload(self, source):
        """Import, once, the trusted modules the program imports, so forks inherit them.

        A cheap line scan, not a parse: it only decides what to warm up.
        """
        wanted = set()
        for line in source.splitlines():
            words = line.replace(",", " ").split()
            if len(words) >= 2 and words[0] == "import":
                wanted.update(word.split(".")[0] for word in words[1:] if word != "as")
            elif len(words) >= 2 and words[0] == "from" and not words[1].startswith("."):
                wanted.add(words[1].split(".")[0])
        for name in sorted(wanted):
            if name in sys.stdlib_module_names or name in PRELOADABLE_EXTRA:
                try:
                    __import__(name)
                except BaseException:
                    pass
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            self.guard.numpy_types = tuple(
                t
                for t in vars(numpy).values()
                if isinstance(t, type) and issubclass(t, numpy.generic)
            ) + (numpy.ndarray,)

    # -- one test -----------------------------------------------------------------------
    def run(self, command):
        index = command["index"]
        if self.code is None:
            return {"event": "result", "index": index, "error": "program not loaded"}
        limits = dict(self.setup["limits"], **command.get("limits", {}))
        test_code = None
        if self.setup["kind"] == "assert":
            try:
                test_code = compile(command["source"], "<test>", "exec")
            except SyntaxError as exc:
                return {
                    "event": "result",
                    "index": index,
                    "error": f"test code does not compile: {exc}",
                }
            # The modules the test imports are loaded here, before the program runs, so
            # the child can tell whether the program replaced or patched any of them.
            self.preload(command["source"])
            if len(sys.modules) != self.snapshot_size:
                self.modules = snapshot_modules()
                self.snapshot_size = len(sys.modules)
        fds = {
            "stdin": _memfd("stdin", command.get("input", "").encode("utf-8", "surrogateescape")),
            "stdout": _memfd("stdout"),
            "stderr": _memfd("stderr"),
            "result": _memfd("result"),
        }
        token = base64.b16encode(os.urandom(16)).decode()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            self.child(command, fds, limits, test_code, token)
        record = self.wait(pid, limits, started)
        record["index"] = index
        record["stdout_b64"] = base64.b64encode(
            _read(fds["stdout"], limits["output_bytes"] + 1)
        ).decode()
        record["stderr_tail"] = _tail(fds["stderr"]).decode("utf-8", "replace")
        result = _read(fds["result"], RESULT_CAP).decode("utf-8", "replace")
        record.update(self.interpret(result, token))
        for fd in fds.values():
            os.close(fd)
        return record

    def wait(self, pid, limits, started):
        pidfd = os.pidfd_open(pid)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        killed = not poller.poll(int(limits["wall_s"] * 1000))
        if killed:
            os.kill(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
        wall = time.monotonic() - started
        os.close(pidfd)
        _kill_leftovers()
        return {
            "event": "result",
            "wall_s": round(wall, 6),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 6),
            "max_rss_kb": usage.ru_maxrss,
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "wall_killed": killed,
        }

    def interpret(self, result, token):
        kind = self.setup["kind"]
        if kind == "stdio" or not result:
            return {}
        try:
            payload = json.loads(result)
        except ValueError:
            return {"tampered": True}
        if kind == "assert":
            return {"completed": payload == {"done": token}, "tampered": payload != {"done": token}}
        if not isinstance(payload, dict) or set(payload) != {"value"}:
            return {"tampered": True}
        return {"value_json": json.dumps(payload["value"])}

    # -- in the child -------------------------------------------------------------------
    def child(self, command, fds, limits, test_code, token):
        code = 1
        try:
            _enter_child(fds, limits)
            code = self.execute(command, test_code, token)
        except SystemExit as exc:
            code = _exit_status(exc)
        except BaseException:
            try:
                import traceback

                traceback.print_exc()
            except BaseException:
                pass
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except BaseException:
                    pass
            os._exit(code)

    def execute(self, command, test_code, token):
        ns = dict(self.namespace)
        exec(self.code, ns)
        kind = self.setup["kind"]
        if kind == "stdio":
            return 0
        if kind == "call":
            value = _resolve(ns, self.setup["fn_name"])(*command["args"], **command["kwargs"])
            payload = {"value": encode_value(value, self.guard.numpy_types)}
            _write_result(json.dumps(payload, separators=(",", ":")))
            return 0
        self.require_intact_modules()
        test_ns = dict(ns)
        test_ns["__builtins__"] = dict(self.pristine_builtins)
        test_ns["__crucible_plain__"] = self.guard.plain
        test_ns["__crucible_truth__"] = self.guard.truth
        exec(test_code, test_ns)
        entry_point = self.setup.get("entry_point")
        if entry_point:
            test_ns["check"](_resolve(ns, entry_point))
        self.require_intact_modules()
        _write_result(json.dumps({"done": token}))
        return 0

    def require_intact_modules(self):
        changed = changed_module(self.modules)
        if changed is not None:
            raise RuntimeError(f"crucible: the program replaced or patched module {changed!r}")


# Modules whose globals the runtime itself rebinds while a program runs (or at fork).
_REBOUND_MODULES = frozenset({"sys", "builtins", "__main__", "threading"})
_MISSING = object()


def snapshot_modules():
    return {
        name: (module, dict(vars(module)))
        for name, module in list(sys.modules.items())
        if name not in _REBOUND_MODULES and hasattr(module, "__dict__")
    }


def changed_module(snapshot):
    """The first module replaced in sys.modules or with a global rebound, if any."""
    modules = sys.modules
    for name, (module, attrs) in snapshot.items():
        if modules.get(name) is not module:
            return name
        current = vars(module)
        for key, value in attrs.items():
            if current.get(key, _MISSING) is not value:
                return f"{name}.{key}"
    return None


def _resolve(ns, name):
    """A plain function by name, else the method of LeetCode's `class Solution`."""
    target = ns.get(name)
    if callable(target):
        return target
    solution = ns.get("Solution")
    if isinstance(solution, type) and hasattr(solution, name):
        return getattr(solution(), name)
    raise NameError(f"the program defines no function or Solution method named {name!r}")


def _enter_child(fds, limits):
    os.dup2(fds["stdin"], 0)
    os.dup2(fds["stdout"], 1)
    os.dup2(fds["stderr"], 2)
    os.dup2(fds["result"], 3)
    os.closerange(4, 1 << 16)
    cpu = max(1, int(limits["cpu_s"] + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["output_bytes"], limits["output_bytes"]))
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "r", closefd=False)),
        encoding="utf-8",
        errors="surrogateescape",
    )
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)),
        encoding="utf-8",
        errors="surrogateescape",
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )


def _write_result(text):
    data = text.encode()
    os.ftruncate(3, 0)
    os.lseek(3, 0, os.SEEK_SET)
    os.write(3, data)


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


def _memfd(name, data=b""):
    fd = os.memfd_create(name, 0)
    if data:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _read(fd, limit):
    return os.pread(fd, limit, 0)


def _tail(fd):
    size = os.fstat(fd).st_size
    return os.pread(fd, TAIL_BYTES, max(0, size - TAIL_BYTES))


def _kill_leftovers():
    """As PID 1, kill every other process in the jail and reap them all."""
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def main():
    commands = os.fdopen(os.dup(0), "rb")
    records = os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    Harness(commands, records).serve()


if __name__ == "__main__":
    main()
