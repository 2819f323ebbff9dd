# category: host-files
# attempts: the Redis data that holds every test set and result: the system dump and config, and this service's own data folder and log
# tests: probe system-dump system-config service-data service-log service-aof
# verdicts: passed / wrong_answer

targets = {
    "system-dump": "/var/lib/redis/dump.rdb",
    "system-config": "/etc/redis/redis.conf",
    "service-data": "@REDIS_DIR@",
    "service-log": "@REDIS_DIR@/redis.log",
    "service-aof": "@REDIS_DIR@/appendonlydir",
}

def read(path):
    if path.endswith("dir") or path == "@REDIS_DIR@":
        return os.listdir(path)
    with open(path, "rb") as handle:
        return handle.read()

for name, path in targets.items():
    attempt(name, lambda: read(path), errno.ENOENT, errno.EACCES)
