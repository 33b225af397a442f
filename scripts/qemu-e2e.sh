#!/usr/bin/env bash
# The QEMU series end to end: boot a Linux kernel with the vfio-pci low power series
# in the VM, and run there the static qemu-system-x86_64 built from the QEMU stack,
# -accel qtest, with e1000e, virtio-net (PM capable) and edu (no PM capability)
# assigned in turn; guest/qemu-lowpower plays the guest and checks the host device.
# Prints one line per check: "PASS|FAIL <check> on <BDF>".
# Usage: qemu-e2e.sh [-b SAMPLES | -g] LINUX_TREE QEMU_TREE [CONSOLE_LOG]; KERNEL=bzImage boots
# another kernel (INITRAMFS_MODULES=DIR gives it its modules, see initramfs.sh).
# With -b, the VMM-level benchmark on the first device instead (make bench): prints
# "bench-qemu FIGURE VALUE ms" per sample.
# With -g, the real-guest check instead (make qemu-guest): QEMU with TCG boots a Linux guest
# in the VM, LINUX_TREE's kernel (GUEST_KERNEL=bzImage another) with guest/qemu-guest, whose
# own PCI power management cycles each device with a PM capability.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { die "usage: qemu-e2e.sh [-b SAMPLES | -g] LINUX_TREE QEMU_TREE [CONSOLE_LOG]"; }
samples= guest=
if [ "${1:-}" = -b ]; then
	samples=${2:-}
	[[ $samples =~ ^[1-9][0-9]*$ ]] || usage
	shift 2
elif [ "${1:-}" = -g ]; then
	guest=1
	shift
fi
[ $# -ge 2 ] || usage
src=$1 qtree=$2
out=$build/qemu-e2e${guest:+-guest}
console=${3:-$out/console.log}
kernel=${KERNEL:-$src/obj/arch/x86/boot/bzImage}
[ -f "$kernel" ] || die "no kernel at $kernel (make kernel)"
mkdir -p "$out"
qemu_guest_programs "$qtree" "$out"
overlay=
if [ -n "$guest" ]; then
	# The guest's kernel, initramfs and firmware (Debian's SeaBIOS and QEMU's
	# linuxboot_dma.bin as make deps installed them) under /guest of the VM's
	guest_kernel=${GUEST_KERNEL:-$src/obj/arch/x86/boot/bzImage}
	[ -f "$guest_kernel" ] || die "no guest kernel at $guest_kernel (make kernel)"
	overlay=$out/overlay
	rm -rf "$overlay"
	mkdir -p "$overlay/guest/firmware"
	cp "$guest_kernel" "$overlay/guest/bzImage"
	for f in /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin; do
		cp "$f" "$overlay/guest/firmware/" || die "no $f (make deps)"
	done
	gcc -static -O2 -Wall -Werror -o "$out/bar-read" "$top/guest/bar-read.c" ||
		die "cannot build guest/bar-read.c"
	env -u INITRAMFS_MODULES -u INITRAMFS_KSELFTEST "$top/scripts/initramfs.sh" \
		"$overlay/guest/initramfs.cpio.gz" "$out/bar-read" "$top/guest/qemu-guest"
	qemu_pm_devices >"$out/devices"
else
	qemu_e2e_devices >"$out/devices"
fi
INITRAMFS_OVERLAY=$overlay "$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
	"$out/qemu-system-x86_64" "$out/qemu-lowpower" "$top/guest/qemu-e2e"
if [ -n "$samples" ]; then
	args="loglevel=4 lp.devs=$(device_ids 1) lp.run=qemu-e2e,-b,$samples"
elif [ -n "$guest" ]; then
	args="loglevel=5 lp.run=qemu-e2e,-g"
else
	args="loglevel=5 lp.run=qemu-e2e"
fi
# The VM's QEMU traces the config writes of the kernel under test (pci_cfg_write): the
# PMCSR writes are the host device's power state transitions
trace=
[ -n "$samples" ] || trace="-trace pci_cfg_write"
QEMU_EXTRA="${QEMU_EXTRA:-} $trace" VM_DEVICE_LIST=$out/devices "$top/scripts/vm.sh" \
	-t "${VM_TIMEOUT:-900}" -l "$console" "$kernel" "$out/initramfs.cpio.gz" "$args" >/dev/null ||
	exit 1
if [ -n "$samples" ]; then
	tr -d '\r' <"$console" | grep '^bench-qemu ' || die "the benchmark printed nothing (see $console)"
	! grep -q '^bench-qemu failed' "$console" || die "$(grep -m1 '^bench-qemu failed' "$console")"
	exit 0
fi
# Between "lp: pmtrace begin BDF PMCSR CYCLES CHECK..." and "lp: pmtrace end BDF [CYCLES]" the
# guest put the device into D3hot and back CYCLES times (the end mark's count if it has one):
# count the state changes written to its PMCSR, one each way per cycle passes CHECK (the VM's
# QEMU traces them: cfg-write-trace.awk).
tr -d '\r' <"$console" | awk -f "$top/scripts/cfg-write-trace.awk" -f /dev/fd/3 3<<'AWK'
	/^lp: check (PASS|FAIL) / { n++; sub(/^lp: check /, ""); print; next }
	/^lp: qemu: / { print > "/dev/stderr" }
	/^lp: pmtrace begin / {
		dev = $4; sub(/^0000:/, "", $4); pbdf = $4; pmcsr = hex($5); cycles = $6
		what = $0; sub(/^lp: pmtrace begin [^ ]+ [^ ]+ [^ ]+ /, "", what); what = what " on " dev
		state = 0; down = 0; up = 0; tracing = 1; next
	}
	/^lp: pmtrace end / {
		tracing = 0; n++
		if (NF >= 5) cycles = $5
		if (cycles > 0 && down == cycles && up == cycles) print "PASS " what
		else printf "FAIL %s: %d guest D3hot/D0 cycles, the host device went D0->D3 %d and D3->D0 %d times\n", what, cycles, down, up
		next
	}
	tracing && /pci_cfg_write / {
		cfg_write()
		if (cw_bdf != pbdf || cw_off != pmcsr) next
		new = cw_val % 4
		if (!state && new) down++
		if (state && !new) up++
		state = new
	}
	END { if (n < 3) print "FAIL the QEMU end-to-end test ran " n + 0 " checks" }
AWK
