#!/usr/bin/env bash
# Runs the cgroup v2 checks (guest.sh) in a throwaway qemu VM whose only cgroup hierarchy is v2.
#
# For machines whose memory and pids controllers sit on cgroup v1, where the v2 path cannot
# run.  Everything comes from Debian's packages: qemu, busybox, and Debian's own kernel,
# booted with cgroup_no_v1=all.  The VM sees this machine's root file system read-only over
# 9p (so it runs this checkout and its .venv), with tmpfs for /tmp and /run; nothing it does
# touches the host, and the VM is gone when this script ends.  Usage, as root:
#
#   tests/deploy/vm/run.sh          # with KVM: the integration suite twice, about 15 minutes;
#                                   # emulated: its isolation part (guest.sh), about 20 minutes
#   tests/deploy/vm/run.sh --quick  # without the integration suite: a few minutes
set -euo pipefail

repo=$(cd "$(dirname "$0")/../../.." && pwd)
log=${CRUCIBLE_VM_LOG:-/tmp/crucible-cgroup-v2-vm.log}
[ "$(id -u)" = 0 ] || { echo "run as root (apt-get, qemu with 9p passthrough)"; exit 1; }
test -x "$repo/.venv/bin/python" || { echo "no $repo/.venv: run 'make venv' first"; exit 1; }

missing=""
for pkg in qemu-system-x86 busybox-static kmod; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

work=$(mktemp -d /tmp/crucible-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
apt-get download -qq "$kpkg" 2>/dev/null
dpkg-deb -x ./*.deb kernel
kver=$(ls kernel/lib/modules)
/usr/sbin/depmod -b kernel "$kver"

# initramfs: busybox, the modules for virtio and 9p, and an init that mounts this machine's
# root read-only and runs guest.sh in it.
mkdir -p initrd/bin initrd/mod initrd/proc initrd/sys initrd/dev initrd/host
cp /bin/busybox initrd/bin/busybox
for m in virtio_pci 9pnet_virtio 9p; do
  /usr/sbin/modprobe -d kernel -S "$kver" --show-depends "$m" | awk '{print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
  cp "$ko" initrd/mod/ && basename "$ko" >> initrd/mod/order
done
cat > initrd/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc && mount -t sysfs sysfs /sys && mount -t devtmpfs devtmpfs /dev
for m in $(cat /mod/order); do insmod "/mod/$m"; done
opts=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$opts,ro,cache=loose" hostroot /host
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t cgroup2 -o nsdelegate cgroup2 /host/sys/fs/cgroup
mount -t devtmpfs devtmpfs /host/dev
mkdir -p /host/dev/shm && mount -t tmpfs tmpfs /host/dev/shm
mount -t tmpfs tmpfs /host/tmp && mount -t tmpfs tmpfs /host/run
mount -t 9p -o "$opts" share /host/mnt
ip link set lo up
# switch_root, not chroot: the kernel refuses new user namespaces to a chrooted process.
exec switch_root /host /bin/bash -c '
  set -a; . /mnt/env; set +a
  /bin/bash "$REPO/tests/deploy/vm/guest.sh" > /mnt/log 2>&1
  echo $? > /mnt/rc; sync; echo o > /proc/sysrq-trigger; sleep 30'
INIT
printf '#!/bin/busybox sh\n/bin/busybox echo CRUCIBLE-VM-BOOTED\n/bin/busybox poweroff -f\n' > initrd/probe
chmod +x initrd/init initrd/probe
(cd initrd && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > initrd.gz

mkdir -p share
echo "REPO=$repo" > share/env
[ "${1:-}" = --quick ] && echo "QUICK=1" >> share/env
boot() {  # boot SECONDS APPEND ACCEL...: run the VM, serial console to $work/console
  local seconds=$1 append=$2; shift 2
  timeout "$seconds" qemu-system-x86_64 "$@" -m 4096 -smp 2 -nic none \
    -display none -monitor none -serial file:"$work/console" -no-reboot \
    -kernel kernel/boot/vmlinuz-"$kver" -initrd initrd.gz \
    -append "console=ttyS0 panic=-1 cgroup_no_v1=all $append" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$work/share",mount_tag=share,security_model=none \
    < /dev/null > "$work/qemu.err" 2>&1 || true
}
# Nested KVM is broken on some hosts (the guest hangs in early boot): probe it, else emulate.
tcg=tcg,thread=multi cpu=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt host=host,-arch-capabilities
accel=(-accel "$tcg" -cpu "$cpu")
if [ -w /dev/kvm ]; then
  boot 60 rdinit=/probe -enable-kvm -cpu "$host"
  if grep -q CRUCIBLE-VM-BOOTED "$work/console"; then accel=(-enable-kvm -cpu "$host"); fi
fi
if [ "${accel[0]}" = -accel ]; then echo "ACCEL=tcg" >> share/env; fi
echo "booting $kpkg (cgroup v2 only, ${accel[*]}) to run tests/deploy/vm/guest.sh; log: $log"
boot 7200 "" "${accel[@]}"
mkdir -p "$(dirname "$log")"
cp share/log "$log" 2>/dev/null || cp "$work/console" "$log"
tail -n 40 "$log"
rc=$(cat share/rc 2>/dev/null || echo "no result (VM did not finish; console in $log)")
if [ "$rc" != 0 ]; then echo "cgroup v2 checks FAILED: $rc"; exit 1; fi
echo "cgroup v2 checks passed"
