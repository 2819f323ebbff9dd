# category: env-secrets
# attempts: search every object the harness left in the process (module globals, frames, the collector's objects) for host configuration: a Redis URL, Crucible settings, the planted variable, the host's jail folder, the repository
# tests: probe redis-url settings-prefix planted-name jail-folder repo-config
# verdicts: passed / wrong_answer
# limits: {"pids": 29}

import gc

# Built at run time, so that the program's own constants do not contain them.
needles = {
    "redis-url": "".join(["redis", "://"]),
    "settings-prefix": "".join(["CRUCIBLE", "_REDIS"]),
    "planted-name": "".join(["CRUCIBLE_CORPUS", "_PLANTED"]),
    "jail-folder": "".join(["crucible", "-jails"]),
    "repo-config": "".join(["pyproject", ".toml"]),
}
ours = {id(n) for n in needles.values()}

def strings(values):
    return [v if isinstance(v, str) else v.decode("latin-1") for v in values if isinstance(v, (str, bytes))]

texts = []
frame = sys._getframe()
while frame is not None:
    texts += strings(frame.f_locals.values())
    frame = frame.f_back
for obj in gc.get_objects():
    if isinstance(obj, dict):
        texts += strings(obj.keys()) + strings(obj.values())
    elif isinstance(obj, (list, tuple, set)):
        texts += strings(obj)
texts += strings(os.environ.keys()) + strings(os.environ.values())
# The program's own source holds the needles' pieces and the attempt helper: not evidence.
texts = [t for t in texts if id(t) not in ours and "def attempt(" not in t]

def absent(needle):
    if not any(needle in text for text in texts):
        raise OSError(errno.ENOENT, "not in memory")

for name, needle in needles.items():
    attempt(name, lambda: absent(needle), errno.ENOENT)
