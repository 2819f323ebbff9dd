# category: host-files
# attempts: the files that would give the answers away: this corpus's own test module (which derives the expected answers), the repository, the shared datasets, the jails' program folders
# tests: probe corpus-test repo-config venv datasets jail-programs
# verdicts: passed / wrong_answer

def listing(path):
    return os.listdir(path)

def read(path):
    with open(path, "rb") as handle:
        return handle.read()

attempt("corpus-test", lambda: read("@REPO@/tests/integration/test_hostile_corpus.py"), errno.ENOENT)
attempt("repo-config", lambda: read("@REPO@/pyproject.toml"), errno.ENOENT)
attempt("venv", lambda: listing("@REPO@/.venv"), errno.ENOENT)
attempt("datasets", lambda: read("@DATASETS@/humaneval/HumanEval.jsonl.gz"), errno.ENOENT)
attempt("jail-programs", lambda: listing("@WORK_DIR@"), errno.ENOENT)
