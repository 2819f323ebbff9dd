# category: env-secrets
# attempts: look for the variables a host or a worker carries: credentials, Redis, Crucible settings, cloud and Kubernetes variables, Python tooling, the login session
# tests: probe credentials redis crucible-settings cloud kubernetes python-tooling login
# verdicts: passed / wrong_answer
# limits: {"pids": 29}

import re

patterns = {
    "credentials": r"PASS|TOKEN|SECRET|KEY|CRED|AUTH",
    "redis": r"REDIS",
    "crucible-settings": r"^CRUCIBLE_",
    "cloud": r"^(AWS|GOOGLE|GCE|AZURE|GCP)_",
    "kubernetes": r"^KUBERNETES_",
    "python-tooling": r"^(VIRTUAL_ENV|PYTEST|PIP_|CONDA|UV_)",
    "login": r"^(USER|LOGNAME|HOSTNAME|SHELL|PWD|MAIL|SSH_.*|SUDO_.*)$",
}

def none_match(pattern):
    names = [name for name in os.environ if re.search(pattern, name)]
    if not names:
        raise OSError(errno.ENOENT, "none")
    print(names, file=sys.stderr)

for name, pattern in patterns.items():
    attempt(name, lambda: none_match(pattern), errno.ENOENT)
