# category: host-files
# attempts: root's SSH keys and shell history, sudoers, the SSH host key, the users' homes
# tests: probe ssh-private-key authorized-keys bash-history sudoers ssh-host-key home
# verdicts: passed / wrong_answer

targets = {
    "ssh-private-key": "/root/.ssh/id_rsa",
    "authorized-keys": "/root/.ssh/authorized_keys",
    "bash-history": "/root/.bash_history",
    "sudoers": "/etc/sudoers",
    "ssh-host-key": "/etc/ssh/ssh_host_ed25519_key",
}
for name, path in targets.items():
    attempt(name, lambda: open(path, "rb").read(), errno.ENOENT, errno.EACCES)
attempt("home", lambda: os.listdir("/home"), errno.ENOENT, errno.EACCES)
