# category: mounts
# attempts: detach the mounts that hide what lies beneath (/code, /crucible, /usr, /), run the mount command, open /dev/fuse
# tests: probe umount-code umount-crucible umount-usr umount-root mount-command fuse-device
# verdicts: passed / wrong_answer

import subprocess

MNT_DETACH = 2
for name, path in (("umount-code", b"/code"), ("umount-crucible", b"/crucible"), ("umount-usr", b"/usr"), ("umount-root", b"/")):
    attempt(name, lambda: call(libc.umount2, path, MNT_DETACH), errno.EPERM)

def mount_command():
    done = subprocess.run(["/usr/bin/mount", "-t", "tmpfs", "none", "/tmp"], capture_output=True)
    if done.returncode != 0:
        raise OSError(errno.EPERM, done.stderr.decode(errors="replace"))

attempt("mount-command", mount_command, errno.EPERM)
attempt("fuse-device", lambda: open("/dev/fuse", "r+b"), errno.ENOENT)
