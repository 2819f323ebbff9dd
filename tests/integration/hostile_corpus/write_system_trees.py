# category: write-outside
# attempts: plant files where code runs from (PATH, a .pth file in dist-packages, the standard library) and in host folders (/var/tmp, /root, /run, /home, /etc/alternatives)
# tests: probe usr-local-bin dist-packages-pth stdlib etc-alternatives var-tmp root-home run home mkdir-var
# verdicts: passed / wrong_answer

import sysconfig

marker = "@MARKER@"
targets = {
    "usr-local-bin": f"/usr/local/bin/{marker}",
    "dist-packages-pth": f"/usr/lib/python3/dist-packages/{marker}.pth",
    "stdlib": f"{sysconfig.get_paths()['stdlib']}/{marker}.py",
    "etc-alternatives": f"/etc/alternatives/{marker}",
    "var-tmp": f"/var/tmp/{marker}",
    "root-home": f"/root/{marker}",
    "run": f"/run/{marker}",
    "home": f"/home/{marker}",
}
denied = (errno.EROFS, errno.ENOENT, errno.EACCES)

def plant(path):
    with open(path, "x") as handle:
        handle.write("import os; os.system('touch /tmp/escaped')\n")

for name, path in targets.items():
    attempt(name, lambda: plant(path), *denied)
attempt("mkdir-var", lambda: os.makedirs(f"/var/tmp/{marker}.d"), errno.EROFS, errno.EACCES)
