#!/usr/bin/env bash
# Unbind and bind vfio-pci again and again on every device of config/devices, idle and
# with the device held in low power by a process killed during the unbind
# (guest/rebind-cycles), under a stock Debian kernel of config/kernels.conf: a try at
# the reports of a runtime_status stuck at "resuming" and a NULL dereference in
# vfio_pci_core_runtime_resume() on 7.2.x. Prints "PASS|FAIL <device> <how>: ...".
# Usage: rebind-cycles.sh; env REBIND_KERNEL (default: the upstream stack's
# STACK_VM_KERNEL, config/stacks/linux-7.2.conf), CYCLES (default 20),
# INITRAMFS_MODULES (default: the stock kernel's own; scripts/upstream-modules.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
STACK=linux-7.2
. "$top/scripts/stack.sh"

name=${REBIND_KERNEL:-$STACK_VM_KERNEL}
cycles=${CYCLES:-20}
[[ $cycles =~ ^[1-9][0-9]*$ ]] || die "bad CYCLES: $cycles"
out=$build/rebind
mkdir -p "$out"
dir=$("$top/scripts/stock-kernel.sh" "$name")
build_vfio_hold "$obj/usr/include" "$out/vfio-hold"
INITRAMFS_MODULES=${INITRAMFS_MODULES:-$dir/modules} "$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
	"$out/vfio-hold" "$top/guest/rebind-cycles"
"$top/scripts/vm.sh" -t $((300 + cycles * 30)) -l "$out/$name.log" "$dir/bzImage" \
	"$out/initramfs.cpio.gz" "loglevel=5 lp.run=rebind-cycles,$cycles" >/dev/null
tr -d '\r' <"$out/$name.log" | awk '
	/^lp: check (PASS|FAIL) / { n++; if ($3 == "FAIL") bad++; sub(/^lp: check /, ""); print }
	END { if (!n) { print "FAIL no device was cycled"; bad++ } exit bad > 0 }'
