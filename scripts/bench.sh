#!/usr/bin/env bash
# make bench: the same benchmark binary on the first device of config/devices under the 5.10 base
# and 5.10 with the series, booted in turn BENCH_PAIRS times each (default 3: base, series, base,
# series, ...), once under Debian 11's stock kernel with the DKMS package (scripts/distro-kernel.sh),
# and once under each stock Debian kernel; write docs/bench.md and its picture
# docs/bench-latency.svg. BENCH_SERIES_KERNEL=BZIMAGE benchmarks another series kernel than
# build/linux's (the benchmark is still built against build/linux's headers).
# BENCH_ONLY=qemu measures the VMM only (the QEMU stack's figures on 5.10 with the series and
# the stock kernels) and rewrites only that section of docs/bench.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

only=${BENCH_ONLY:-}
[[ $only =~ ^(qemu)?$ ]] || die "bad BENCH_ONLY: $only (qemu, or unset for everything)"

pairs=${BENCH_PAIRS:-3}
[[ $pairs =~ ^[1-9][0-9]*$ ]] || die "bad BENCH_PAIRS: $pairs (the number of base and series boots, 1 or more)"
series=${BENCH_SERIES_KERNEL:-$obj/arch/x86/boot/bzImage}
[ -f "$series" ] || die "no series kernel at $series"

# The VMM: the QEMU of the QEMU stack with x-low-power, on every kernel with the features
# (Debian 11's with the DKMS package unless BENCH_ONLY is set)
qemu_bench() {
	local qsamples=$out/qemu-samples.txt	# KERNEL FIGURE VALUE UNIT
	local qtree k dir
	: >"$qsamples"
	qtree=$(qemu_stack_tree)
	qbench() {
		local name=$1 kernel=$2 modules=${3:-}
		echo "bench: QEMU under $name" >&2
		KERNEL=$kernel INITRAMFS_MODULES=$modules "$top/scripts/qemu-e2e.sh" -b "${BENCH_QEMU_SAMPLES:-10}" \
			"$tree" "$qtree" "$out/qemu-$name.log" | awk -v k="$name" '{ print k, $2, $3, $4 }' >>"$qsamples"
	}
	qbench 5.10-series "$series"
	[ -n "$only" ] || qbench debian11-dkms "$distro/vm/bzImage" "$distro/vm/modules"
	for k in $(stock_kernels); do
		dir=$("$top/scripts/stock-kernel.sh" "$k")
		qbench "$k" "$dir/bzImage" "$dir/modules"
	done
}

out=$build/bench
if [ -n "$only" ]; then
	mkdir -p "$out"
	qemu_bench
	"$top/scripts/bench-report.sh" -q
	exit
fi
rm -rf "$out"
mkdir -p "$out"
gcc -static -O2 -Wall -Werror -isystem "$obj/usr/include" -o "$out/vfio_lowpower_bench" \
	"$top/bench/vfio_lowpower_bench.c" || die "cannot build the benchmark"

base=$("$top/scripts/fetch.sh")
frags=$(guest_fragments "$tree") || exit 1
"$top/scripts/kernel.sh" "$base" "$base_obj" $frags >/dev/null

samples=$out/samples.txt	# KERNEL FIGURE VALUE UNIT: every sample of every boot
medians=$out/medians.txt	# KERNEL BOOT FIGURE MEDIAN UNIT: the bench lines of every boot
setup=$out/setup.txt		# KERNEL BOOT ROUNDS LOOPS WAKES IMAGE RELEASE...: one line per boot
: >"$samples"
: >"$medians"
: >"$setup"

# run NAME BOOT BZIMAGE INITRAMFS: boot NAME's kernel once and collect its figures
run() {
	local name=$1 boot=$2 kernel=$3 initrd=$4 log=$out/$1-$2.log f
	echo "bench: $name, boot $boot" >&2
	"$top/scripts/vm.sh" -t 600 -l "$log" "$kernel" "$initrd" \
		"loglevel=4 lp.run=bench lp.devs=$(device_ids 1)" >/dev/null
	tr -d '\r' <"$log" | grep -E '^(bench|lp: exit status)' >"$out/$name-$boot.txt" || true
	grep -q '^bench ' "$out/$name-$boot.txt" || die "$name printed no figures (see $log)"
	grep -qx 'lp: exit status 0' "$out/$name-$boot.txt" || die "the benchmark failed under $name (see $log)"
	for f in get_info_ioctl config_read_4b bar_read_4b; do
		grep -q "^bench $f median " "$out/$name-$boot.txt" || die "$name printed no $f (see $log)"
	done
	awk -v k="$name" '$1 == "bench-sample" { print k, $2, $3, $4 }' "$out/$name-$boot.txt" >>"$samples"
	awk -v k="$name" -v b="$boot" '$1 == "bench" && $3 == "median" { print k, b, $2, $4, $9 }' \
		"$out/$name-$boot.txt" >>"$medians"
	awk -v k="$name" -v b="$boot" -v img="${kernel#"$top"/}" '$1 == "bench-kernel" { r = $0; sub(/^bench-kernel /, "", r) }
		$1 == "bench-setup" { s = $3 " " $5 " " $7 }
		END { print k, b, s, img, r }' "$out/$name-$boot.txt" >>"$setup"
}

INITRAMFS_MODULES='' "$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
	"$out/vfio_lowpower_bench" "$top/guest/bench"
for ((i = 1; i <= pairs; i++)); do
	run 5.10-base "$i" "$base_obj/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz"
	run 5.10-series "$i" "$series" "$out/initramfs.cpio.gz"
done
# Debian 11's stock 5.10 kernel with the series' modules from the DKMS package
distro=$("$top/scripts/distro-kernel.sh")
INITRAMFS_MODULES=$distro/vm/modules "$top/scripts/initramfs.sh" "$out/initramfs-debian11-dkms.cpio.gz" \
	"$out/vfio_lowpower_bench" "$top/guest/bench"
run debian11-dkms 1 "$distro/vm/bzImage" "$out/initramfs-debian11-dkms.cpio.gz"
mapfile -t stock < <(stock_kernels)
for k in "${stock[@]}"; do
	dir=$("$top/scripts/stock-kernel.sh" "$k")
	INITRAMFS_MODULES=$dir/modules "$top/scripts/initramfs.sh" "$out/initramfs-$k.cpio.gz" \
		"$out/vfio_lowpower_bench" "$top/guest/bench"
	run "$k" 1 "$dir/bzImage" "$out/initramfs-$k.cpio.gz"
done

qemu_bench

# The instructions of each access, on every kernel and candidate guard
"$top/scripts/insns.sh" >/dev/null

"$top/scripts/bench-report.sh"

