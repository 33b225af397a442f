#!/usr/bin/env bash
# Boot a kernel and initramfs under QEMU (TCG) with an IOMMU and test PCI devices; check the console.
# Usage: vm.sh [-t TIMEOUT_SECONDS] [-l LOGFILE] BZIMAGE INITRAMFS [EXTRA_CMDLINE]
# The devices are those of config/devices (VM_DEVICE_LIST names another list); unless
# EXTRA_CMDLINE has an lp.devs=, the guest binds all of them to vfio-pci.
# Env: VM_EXTRA_DEVICES adds QEMU arguments for more devices,
# QEMU_EXTRA adds QEMU arguments, QEMU names the QEMU binary, VM_TCG_THREAD=multi
# gives each vCPU a TCG thread of its own (see below; make qemu-stress).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { die "usage: vm.sh [-t TIMEOUT_SECONDS] [-l LOGFILE] BZIMAGE INITRAMFS [EXTRA_CMDLINE]"; }
fail() {
	local code=$1 lines=$2
	shift 2
	printf 'vm: %s\n' "$@" >&2
	echo "vm: last $lines console lines:" >&2
	tail -n "$lines" "$log" | tr -d '\r' >&2
	exit "$code"
}

limit=600
log=$build/vm/console.log
while getopts t:l: opt; do
	case $opt in
	t) limit=$OPTARG ;;
	l) log=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] && [ $# -le 3 ] || usage
kernel=$1 initrd=$2 extra=${3:-}
[[ $limit =~ ^[1-9][0-9]*$ ]] || die "bad timeout: $limit"
[ -f "$kernel" ] || die "no kernel image: $kernel"
[ -f "$initrd" ] || die "no initramfs: $initrd"
tcg_thread=${VM_TCG_THREAD:-single}
[[ $tcg_thread =~ ^(single|multi)$ ]] || die "bad VM_TCG_THREAD: $tcg_thread (single or multi)"
qemu=${QEMU:-qemu-system-x86_64}
if ! command -v "$qemu" >/dev/null; then
	echo "vm: $qemu not found (apt-get install qemu-system-x86)" >&2
	exit 2
fi

mapfile -t devices < <(device_qemu_args)
[ ${#devices[@]} -gt 0 ] || die "no devices in ${VM_DEVICE_LIST:-config/devices}"
[[ " $extra " == *" lp.devs="* ]] || extra+=" lp.devs=$(device_ids)"
read -ra extra_devices <<<"${VM_EXTRA_DEVICES:-}"
read -ra qemu_extra <<<"${QEMU_EXTRA:-}"

mkdir -p "$(dirname "$log")"
: >"$log"
set +e
# thread=single by default: with a thread per vCPU, QEMU (7.2, and 10.0 too)
# crashes now and then (SIGSEGV in memory_region_dispatch_write, or an assertion
# on a stale memory section) when a vCPU changes the memory map, a BAR's
# decoding, while another one accesses MMIO. One thread runs both vCPUs in turn.
timeout -k 10 "$limit" "$qemu" \
	-machine q35,kernel-irqchip=split -accel "tcg,thread=$tcg_thread" -m 1024 -smp 2 \
	-device intel-iommu,intremap=on,caching-mode=on \
	"${devices[@]}" "${extra_devices[@]}" -nic none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 intel_iommu=on panic=-1 oops=panic $extra" \
	-nographic -no-reboot "${qemu_extra[@]}" </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

splat=$(grep -m1 -E 'Kernel panic|Oops|BUG:|WARNING:|UBSAN:|unreferenced object|INFO: task .* blocked for more than|watchdog: BUG: soft lockup|general protection fault|Call Trace:' "$log" | tr -d '\r' || true)
done=$(grep -c '^lp: done' "$log" || true)
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	if [ "$done" -gt 0 ]; then
		fail 3 30 "guest hung: printed 'lp: done' but did not stop within $limit s" ${splat:+"kernel splat: $splat"}
	fi
	fail 3 30 "guest hung: no 'lp: done' within $limit s" ${splat:+"kernel splat: $splat"}
fi
[ -z "$splat" ] || fail 4 40 "kernel splat: $splat"
[ "$done" -gt 0 ] || fail 5 40 "guest did not finish (qemu exit status $status)"
