# category: proc-secrets
# attempts: the files that identify the host machine: boot id, machine id, DMI product serial, kernel hostname, memory pressure
# tests: probe boot-id machine-id dbus-machine-id product-uuid kernel-hostname pressure
# verdicts: passed / wrong_answer

targets = {
    "boot-id": "/proc/sys/kernel/random/boot_id",
    "machine-id": "/etc/machine-id",
    "dbus-machine-id": "/var/lib/dbus/machine-id",
    "product-uuid": "/sys/class/dmi/id/product_uuid",
    "kernel-hostname": "/proc/sys/kernel/hostname",
    "pressure": "/proc/pressure/memory",
}
for name, path in targets.items():
    attempt(name, lambda: open(path, "rb").read(), errno.ENOENT)
