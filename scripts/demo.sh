#!/usr/bin/env bash
# make run: boot build/linux's kernel and run the sample on the e1000e device.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$build/guest
kernel=$obj/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel (run: make kernel)"
"$top/scripts/guest-programs.sh" "$tree" "$out"
[ -f "$out/vfio-lowpower" ] || die "$tree has no samples/vfio-lowpower/vfio-lowpower.c"
"$top/scripts/initramfs.sh" "$out/demo.cpio.gz" "$out/vfio-lowpower" "$top/guest/demo"
"$top/scripts/vm.sh" -t 300 -l "$build/vm/demo.log" "$kernel" "$out/demo.cpio.gz" \
	"loglevel=5 lp.run=demo" | tr -d '\r' |
	awk '/^lp: bound/ { on = 1 } on && !/^\[/ && !/^lp: (running|done)/'
