#!/usr/bin/env bash
# The QEMU series end to end: boot a Linux kernel with the vfio-pci low power series
# in the VM, and run there the static qemu-system-x86_64 built from the QEMU stack,
# -accel qtest, with e1000e, virtio-net (PM capable) and edu (no PM capability)
# assigned in turn; guest/qemu-lowpower plays the guest and checks the host device.
# Prints one line per check: "PASS|FAIL <check> on <BDF>".
# Usage: qemu-e2e.sh LINUX_TREE QEMU_TREE [CONSOLE_LOG]; KERNEL=bzImage boots another
# kernel (INITRAMFS_MODULES=DIR gives it its modules, see initramfs.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: qemu-e2e.sh LINUX_TREE QEMU_TREE [CONSOLE_LOG]"
src=$1 qtree=$2
out=$build/qemu-e2e
console=${3:-$out/console.log}
kernel=${KERNEL:-$src/obj/arch/x86/boot/bzImage}
qemu=$qtree/obj/qemu-system-x86_64
[ -f "$kernel" ] || die "no kernel at $kernel (make kernel)"
[ -x "$qemu" ] || die "no QEMU at $qemu (STACK=qemu make tree, then scripts/build-qemu.sh $qtree)"
mkdir -p "$out"

gcc -static -O2 -Wall -Werror -o "$out/qemu-lowpower" "$top/guest/qemu-lowpower.c" ||
	die "cannot build guest/qemu-lowpower.c"
cp "$qemu" "$out/qemu-system-x86_64"
strip "$out/qemu-system-x86_64"
"$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" "$out/qemu-system-x86_64" \
	"$out/qemu-lowpower" "$top/guest/qemu-e2e"
grep -E '^(e1000e|virtio-net|edu) ' "$top/config/devices" >"$out/devices"
VM_DEVICE_LIST=$out/devices "$top/scripts/vm.sh" -t "${VM_TIMEOUT:-900}" -l "$console" \
	"$kernel" "$out/initramfs.cpio.gz" "loglevel=5 lp.run=qemu-e2e" >/dev/null || exit 1
tr -d '\r' <"$console" | awk '
	/^lp: check (PASS|FAIL) / { n++; sub(/^lp: check /, ""); print; next }
	/^lp: qemu: / { print > "/dev/stderr" }
	END { if (n < 3) print "FAIL the QEMU end-to-end test ran " n + 0 " checks" }'
