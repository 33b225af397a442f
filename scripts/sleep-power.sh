#!/usr/bin/env bash
# Does a system suspend treat an open device as vfio-pci did before runtime PM: its
# power state kept, its bus mastering stopped? Boot the VM with QEMU tracing config
# writes (pci_cfg_write), hold every device with a PM capability open with bus
# mastering set (guest/sleep-power) and suspend with pm_test at "platform"; then look,
# between "lp: sleep begin" and "lp: sleep end", for a write of a low power state to a
# held device's PMCSR (there must be none) and a write of its command register with
# bus mastering clear (there must be one). Prints "PASS|FAIL <device>: ..."; exits
# non-zero only if the VM run itself failed.
# Usage: sleep-power.sh [TREE [LOG]]; KERNEL=bzImage boots another kernel than TREE's
# (its uapi headers still come from TREE's obj/usr/include).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
out=$build/sleep-power
log=${2:-$out/console.log}
kernel=${KERNEL:-$src/obj/arch/x86/boot/bzImage}
[ -f "$kernel" ] || die "no kernel at $kernel (run: make kernel)"
mkdir -p "$out"
build_vfio_hold "$src/obj/usr/include" "$out/vfio-hold"
"$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" "$out/vfio-hold" "$top/guest/sleep-power"
QEMU_EXTRA="${QEMU_EXTRA:-} -trace pci_cfg_write" "$top/scripts/vm.sh" -t 600 -l "$log" \
	"$kernel" "$out/initramfs.cpio.gz" "loglevel=5 lp.run=sleep-power" >/dev/null

tr -d '\r' <"$log" | awk -f "$top/scripts/cfg-write-trace.awk" -f /dev/fd/3 3<<'AWK'
	/^lp: pmcap / { sub(/^0000:/, "", $3); pm[$3] = hex($4) + 4; next }
	/^lp: sleep held / { held = $4 }
	/^lp: sleep begin/ { in_sleep = 1; next }
	/^lp: sleep end / { in_sleep = 0; ended = 1; status = $4; next }
	/pci_cfg_write / {
		cfg_write(); bdf = cw_bdf; state = cw_val % 4
		writes[bdf]++
		if (in_sleep && (bdf in pm) && cw_off == pm[bdf] && state)
			low[bdf] = low[bdf] " D" state
		if (in_sleep && cw_off == 4 && int(cw_val / 4) % 2 == 0)
			stopped[bdf]++
	}
	END {
		if (!ended) { print "FAIL system suspend: the guest did not suspend and resume"; exit }
		if (status != 0) { print "FAIL system suspend: writing mem to /sys/power/state failed"; exit }
		if (!held) { print "FAIL system suspend: no device with a PM capability was held"; exit }
		for (b in pm) {
			if (!writes[b]) print "FAIL " b ": no config write of it traced"
			else if (b in low) print "FAIL " b ": held open, its PMCSR was written" low[b] " during the suspend"
			else print "PASS " b ": held open, kept in D0 across the suspend"
			if (!writes[b]) continue
			if (stopped[b]) print "PASS " b ": held open, bus mastering stopped for the suspend"
			else print "FAIL " b ": held open, bus mastering left on during the suspend"
		}
	}
AWK
