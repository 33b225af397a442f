#!/usr/bin/env bash
# The QEMU series end to end: boot a Linux kernel with the vfio-pci low power series
# in the VM, and run there the static qemu-system-x86_64 built from the QEMU stack,
# -accel qtest, with e1000e, virtio-net (PM capable) and edu (no PM capability)
# assigned in turn; guest/qemu-lowpower plays the guest and checks the host device.
# Prints one line per check: "PASS|FAIL <check> on <BDF>".
# Usage: qemu-e2e.sh [-b SAMPLES] LINUX_TREE QEMU_TREE [CONSOLE_LOG]; KERNEL=bzImage boots
# another kernel (INITRAMFS_MODULES=DIR gives it its modules, see initramfs.sh).
# With -b, the VMM-level benchmark on the first device instead (make bench): prints
# "bench-qemu FIGURE VALUE ms" per sample.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { die "usage: qemu-e2e.sh [-b SAMPLES] LINUX_TREE QEMU_TREE [CONSOLE_LOG]"; }
samples=
if [ "${1:-}" = -b ]; then
	samples=${2:-}
	[[ $samples =~ ^[1-9][0-9]*$ ]] || usage
	shift 2
fi
[ $# -ge 2 ] || usage
src=$1 qtree=$2
out=$build/qemu-e2e
console=${3:-$out/console.log}
kernel=${KERNEL:-$src/obj/arch/x86/boot/bzImage}
[ -f "$kernel" ] || die "no kernel at $kernel (make kernel)"
mkdir -p "$out"
qemu_guest_programs "$qtree" "$out"
"$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" "$out/qemu-system-x86_64" \
	"$out/qemu-lowpower" "$top/guest/qemu-e2e"
qemu_e2e_devices >"$out/devices"
if [ -n "$samples" ]; then
	args="loglevel=4 lp.devs=$(device_ids 1) lp.run=qemu-e2e,-b,$samples"
else
	args="loglevel=5 lp.run=qemu-e2e"
fi
VM_DEVICE_LIST=$out/devices "$top/scripts/vm.sh" -t "${VM_TIMEOUT:-900}" -l "$console" \
	"$kernel" "$out/initramfs.cpio.gz" "$args" >/dev/null || exit 1
if [ -n "$samples" ]; then
	tr -d '\r' <"$console" | grep '^bench-qemu ' || die "the benchmark printed nothing (see $console)"
	! grep -q '^bench-qemu failed' "$console" || die "$(grep -m1 '^bench-qemu failed' "$console")"
	exit 0
fi
tr -d '\r' <"$console" | awk '
	/^lp: check (PASS|FAIL) / { n++; sub(/^lp: check /, ""); print; next }
	/^lp: qemu: / { print > "/dev/stderr" }
	END { if (n < 3) print "FAIL the QEMU end-to-end test ran " n + 0 " checks" }'
