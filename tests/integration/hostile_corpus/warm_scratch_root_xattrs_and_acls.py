# category: disk
# attempts: leave state on the scratch mount roots that emptying them does not reset, for the next submission in a warm jail: user xattrs carrying answers, a default ACL that makes every later file unreadable, an access ACL, chosen times
# tests: secret-stdio
# verdicts: wrong_answer / wrong_answer

import os
import struct


def acl(*entries):
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


ANY = 0xFFFFFFFF
for root in ("/tmp", "/dev/shm"):
    for name, value in (
        ("user.answer", sys.stdin.read().encode() or b"0"),
        ("system.posix_acl_default", acl((0x01, 0, ANY), (0x04, 0, ANY), (0x20, 0, ANY))),
        ("system.posix_acl_access", acl((0x01, 7, ANY), (0x02, 0, 1000), (0x04, 7, ANY), (0x10, 7, ANY), (0x20, 7, ANY))),
    ):
        try:
            os.setxattr(root, name, value)
        except OSError:
            pass
    os.utime(root, ns=(12345, 67890))
print("planted")
