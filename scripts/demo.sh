#!/usr/bin/env bash
# make run: boot build/linux's kernel and run the sample on the first device of
# config/devices, then QEMU with x-low-power (the QEMU stack) on the same device.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$build/guest
kernel=$obj/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel (run: make kernel)"
sample=$obj/samples/vfio-lowpower/vfio-lowpower
[ -f "$sample" ] || die "no sample at $sample (CONFIG_SAMPLE_VFIO_LOWPOWER, built by make kernel)"
mkdir -p "$out"
# Then the same path driven by a VMM: the QEMU of the QEMU stack (make qemu)
qtree=$(qemu_stack_tree)
qemu_guest_programs "$qtree" "$out"
"$top/scripts/initramfs.sh" "$out/demo.cpio.gz" "$sample" "$top/guest/demo" \
	"$out/qemu-system-x86_64" "$out/qemu-lowpower"
"$top/scripts/vm.sh" -t 300 -l "$build/vm/demo.log" "$kernel" "$out/demo.cpio.gz" \
	"loglevel=5 lp.run=demo lp.devs=$(device_ids 1)" | tr -d '\r' |
	awk '/^lp: bound/ { on = 1 } on && !/^\[/ && !/^lp: (running|done)/'
