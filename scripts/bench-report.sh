#!/usr/bin/env bash
# Write docs/bench.md and its picture docs/bench-latency.svg from what make bench measured
# (build/bench/: samples.txt, medians.txt, setup.txt, qemu-samples.txt) and make insns
# counted (build/insns/insns.txt); print docs/bench.md. Run by scripts/bench.sh; on its
# own it redoes the report of the last run. With -q, only the VMM's section from
# qemu-samples.txt, in place in docs/bench.md (BENCH_ONLY=qemu make bench).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

vmm_only=
[ "${1:-}" != -q ] || vmm_only=1
out=$build/bench
samples=$out/samples.txt
medians=$out/medians.txt
setup=$out/setup.txt
qsamples=$out/qemu-samples.txt
# QEMU series v1's figures, measured the same way (2026-12-07, this machine), to compare with
qsamples_v1=$top/bench/qemu-v1-samples.txt
insns=$build/insns/insns.txt
if [ -n "$vmm_only" ]; then
	[ -s "$qsamples" ] || die "no $qsamples (BENCH_ONLY=qemu make bench)"
else
	command -v gnuplot >/dev/null || die "gnuplot not found (apt-get install gnuplot-nox)"
	for f in "$samples" "$medians" "$setup" "$qsamples" "$insns"; do
		[ -s "$f" ] || die "no $f (make bench)"
	done
fi
# The kernels as they were booted: setup.txt and qemu-samples.txt list them in that order
mapfile -t qkernels < <(awk '!seen[$1]++ { print $1 }' "$qsamples")
# v1's kernels in the order of this run's
mapfile -t qkernels_v1 < <(awk 'NR == FNR { v1[$1] = 1; next } v1[$1] && !seen[$1]++ { print $1 }' \
	"$qsamples_v1" "$qsamples")
when=$(date -u +%Y-%m-%d)
if [ -z "$vmm_only" ]; then
	pairs=$(awk '$1 == "5.10-base" { n++ } END { print n + 0 }' "$setup")
	mapfile -t kernels < <(awk '!seen[$1]++ { print $1 }' "$setup")
	mapfile -t ikernels < <(awk '!seen[$1]++ { print $1 }' "$insns")
fi

# The latency distributions, for the kernels that have the low power features
if [ -z "$vmm_only" ]; then
	lowpower=$(awk '$2 == "entry_to_suspended" && !seen[$1]++ { print $1 }' "$samples" | paste -sd' ')
	[ -n "$lowpower" ] || die "no kernel printed latency figures (see $out/*.log)"
	gnuplot -e "data='$samples'; out='$top/docs/bench-latency.svg'; kernels='$lowpower'; when='$when'" \
		"$top/bench/plot.gp" || die "gnuplot failed on $samples"
fi

figures=(get_info_ioctl config_read_4b bar_read_4b entry_to_suspended wake_by_config_read wake_by_power_control)
declare -A what=(
	[get_info_ioctl]="VFIO_DEVICE_GET_INFO ioctl"
	[config_read_4b]="4-byte config read"
	[bar_read_4b]="4-byte BAR0 read"
	[ioeventfd_write]="ioeventfd doorbell (eventfd write, BAR write)"
	[entry_to_suspended]="ENTRY to runtime suspended"
	[wake_by_config_read]="wake by config read"
	[wake_by_power_control]="wake by power/control"
	[guest_d3hot_to_suspended]="guest D3hot to host suspended"
	[guest_d0_to_bar_read]="guest D0 to BAR read"
	[d3hot_write_vcpu_stall]="vCPU stall, guest's D3hot write"
	[d0_write_vcpu_stall]="vCPU stall, guest's D0 write"
	[entry_ioctl_in_qemu]="LOW_POWER_ENTRY in QEMU"
	[exit_ioctl_in_qemu]="LOW_POWER_EXIT in QEMU"
	[entry_ioctl]="LOW_POWER_ENTRY ioctl"
	[entry_refused_ioctl]="LOW_POWER_ENTRY refused (already engaged)"
	[exit_ioctl]="LOW_POWER_EXIT ioctl (device suspended)"
	[get_info_worst_under_reset]="worst GET_INFO under hot resets and ENTRY/EXIT"
	[get_info_worst_alone]="worst GET_INFO alone (reference)"
	[get_info_worst_resets_only]="worst GET_INFO under hot resets (reference)"
)
# pct KERNEL FIGURE: "p50 / p99 / max unit" over all the samples of the kernel, or "-"
pct() {
	awk -v k="$1" -v f="$2" '$1 == k && $2 == f { print $3, $4 }' "$samples" | sort -g |
		awk '{ v[NR] = $1; u = $2 }
			END {
				if (!NR) { print "-"; exit }
				printf "%.3f / %.3f / %.3f %s\n", v[int((NR + 1) / 2)], v[int((NR * 99 + 99) / 100)], v[NR], u
			}'
}
# insn KERNEL FIGURE: "N (+x.x%)" against 5.10-base, from the plugin's counts, or "-"
insn() {
	awk -v k="$1" -v f="$2" '$1 == "5.10-base" && $2 == f { b = $3 } $1 == k && $2 == f { n = $3 }
		END { if (n == "") print "-"; else if (b == "" || k == "5.10-base" || k !~ /^5\.10-/) print n; else printf "%d (%+.1f%%)\n", n, (n - b) * 100 / b }' "$insns"
}
# The median of the numbers on stdin, one a line
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# cell KERNEL FIGURE [SAMPLES]: "median (min-max) unit" over all the samples of all the kernel's
# boots (in SAMPLES, default $samples), or "-"
cell() {
	awk -v k="$1" -v f="$2" '$1 == k && $2 == f { print $3, $4 }' "${3:-$samples}" | sort -g |
		awk '{ v[NR] = $1; u = $2 }
			END {
				if (!NR) { print "-"; exit }
				m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
				p = u == "ns" ? "%.1f (%.1f-%.1f) %s\n" : "%.2f (%.2f-%.2f) %s\n"
				printf p, m, v[1], v[NR], u
			}'
}
# table CELL KERNELS FIGURE...: a table with a row per FIGURE and a column per kernel of the
# array named KERNELS, each cell "CELL KERNEL FIGURE"
table() {
	local cell=$1 f k
	local -n ks=$2
	shift 2
	printf '| figure |'; printf ' %s |' "${ks[@]}"; echo
	printf '|---|'; printf -- '---|%.0s' "${ks[@]}"; echo
	for f; do
		printf '| %s |' "${what[$f]}"
		for k in "${ks[@]}"; do
			printf ' %s |' "$("$cell" "$k" "$f")"
		done
		echo
	done
}
# qcell KERNEL FIGURE: cell of the VMM's samples
qcell() { cell "$1" "$2" "$qsamples"; }
# qcell_v1 KERNEL FIGURE: cell of QEMU series v1's samples
qcell_v1() { cell "$1" "$2" "$qsamples_v1"; }
# vmm_section: the section of docs/bench.md on the VMM's figures
vmm_section() {
	echo "## The VMM: QEMU with x-low-power"
	echo
	echo "The QEMU of the QEMU stack (qemu/patches, static, \`-accel qtest\`) in the VM with the device"
	echo "assigned and \`x-low-power=on\`, \`guest/qemu-lowpower -b\` playing its guest; one boot per"
	echo "kernel, $(awk '$1 == "5.10-series" && $2 == "guest_d0_to_bar_read" { n++ } END { print n + 0 }' "$qsamples") samples of each figure, $when. Median (min-max)."
	echo
	table qcell qkernels guest_d3hot_to_suspended guest_d0_to_bar_read \
		d3hot_write_vcpu_stall d0_write_vcpu_stall entry_ioctl_in_qemu exit_ioctl_in_qemu
	echo
	echo "QEMU series v1, before: it passed the guest's D3hot on to the device (the host brought it"
	echo "back to D0 to suspend it) and used LOW_POWER_ENTRY_WITH_WAKEUP; measured the same way on"
	echo "2026-12-07 (\`bench/qemu-v1-samples.txt\`; v1 did not trace its ioctls)."
	echo
	table qcell_v1 qkernels_v1 guest_d3hot_to_suspended guest_d0_to_bar_read \
		d3hot_write_vcpu_stall d0_write_vcpu_stall
	echo
	echo "- guest D3hot to host suspended: from the guest's config write of D3hot to PMCSR (a qtest"
	echo "  \`outw\`) until the host device's power/runtime_status reads \"suspended\": LOW_POWER_ENTRY"
	echo "  (the guest's D3hot stays in QEMU) and the host's runtime suspend of the device from D0."
	echo "- guest D0 to BAR read: from the guest's config write of D0 until a read of its BAR through"
	echo "  QEMU returns the device's register: LOW_POWER_EXIT resumes the device before QEMU performs the"
	echo "  write."
	echo "- vCPU stall, guest's D3hot / D0 write: how long the guest's config write of PMCSR kept the"
	echo "  vCPU in QEMU, holding the BQL (the qtest \`outw\` until QEMU answered it)."
	echo "- LOW_POWER_ENTRY / LOW_POWER_EXIT in QEMU: the ioctl's share of it, as QEMU traces it."
	echo
}
# list: the numbers on stdin, one a line, as "1.0, 2.0, 3.0"
list() { awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $1 }'; }
# plural N ONE MANY: "1 ONE" or "N MANY"
plural() { if [ "$1" -eq 1 ]; then echo "1 $2"; else echo "$1 $3"; fi; }
# boot_medians KERNEL FIGURE: the per-boot medians, in boot order, one a line
boot_medians() { awk -v k="$1" -v f="$2" '$1 == k && $3 == f { print $4 }' "$medians"; }
# cost FIGURE: the access path row, 5.10 with the series against 5.10 base
cost() {
	local b s r u
	b=$(boot_medians 5.10-base "$1" | median)
	s=$(boot_medians 5.10-series "$1" | median)
	r=$(paste <(boot_medians 5.10-base "$1") <(boot_medians 5.10-series "$1") |
		awk '{ print $2 / $1 }' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }')
	u=$(awk -v f="$1" '$3 == f { print $5; exit }' "$medians")
	printf '| %s | ratio %.2f (range %s over %s) | %s %s | %s %s |\n' "${what[$1]}" \
		"$(awk -v b="$b" -v s="$s" 'BEGIN { print s / b }')" "$r" "$(plural "$pairs" pair pairs)" \
		"$(boot_medians 5.10-base "$1" | list)" "$u" "$(boot_medians 5.10-series "$1" | list)" "$u"
}

if [ -n "$vmm_only" ]; then
	vmm_section >"$out/vmm-section.md"
	splice_section "$top/docs/bench.md" "The VMM: QEMU with x-low-power" "$out/vmm-section.md"
	cat "$out/vmm-section.md"
	exit
fi
{
	echo "# Benchmarks"
	echo
	echo "\`make bench\` on $when: $(device_list | awk 'NR == 1 { print $1 }') (the first device of config/devices) bound to"
	echo "vfio-pci, QEMU TCG, 2 vCPUs. The 5.10 base and 5.10 with the series booted in turn,"
	echo "$(plural "$pairs" time times) each (base, series, base, series, ...; \`BENCH_PAIRS\`), Debian 11's stock"
	echo "kernel with the DKMS package (debian11-dkms: the series' vfio and vfio-pci modules, \`make distro\`) and each stock"
	echo "Debian kernel once."
	echo "The boots' raw output is in build/bench/."
	echo
	echo "| kernel | image | release |"
	echo "|---|---|---|"
	awk '!seen[$1]++ { r = $0; for (i = 1; i <= 6; i++) sub(/^[^ ]+ /, "", r); printf "| %s | %s | %s |\n", $1, $6, r }' "$setup"
	echo
	echo "## Figures"
	echo
	awk 'NR == 1 { printf "Median (min-max) over all the samples of all the boots of a kernel. A sample of the first\nthree figures is the mean time of one operation in a round of %d; each boot runs %d rounds.\n", $4, $3 }
		$5 > w { w = $5 } END { printf "A sample of the last three is one operation; each boot takes %d of each.\n", w }' "$setup"
	echo
	table cell kernels "${figures[@]}"
	printf '| boots |'
	for k in "${kernels[@]}"; do
		printf ' %s |' "$(awk -v k="$k" '$1 == k { n++ } END { print n + 0 }' "$setup")"
	done
	echo
	echo
	echo "- VFIO_DEVICE_GET_INFO ioctl: one ioctl on the device file descriptor."
	echo "- 4-byte config read: pread() of the first 4 bytes of the config space region."
	echo "- 4-byte BAR0 read: pread() at offset 0 of the BAR0 region (VFIO_DEVICE_GET_REGION_INFO,"
	echo "  VFIO_PCI_BAR0_REGION_INDEX), a memory BAR."
	echo "- ENTRY to runtime suspended: from VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP until the"
	echo "  device's power/runtime_status reads \"suspended\"."
	echo "- wake by config read: from a config read of the suspended device until its eventfd signals."
	echo "- wake by power/control: from writing \"on\" to the device's power/control until its eventfd"
	echo "  signals."
	echo "- \"-\": the kernel lacks the low power features (the benchmark prints \"bench low_power skipped\")."
	echo
	echo "The wake figures include the PCI core's 10 ms D3hot to D0 delay."
	echo
	echo "## Instructions per access"
	echo
	echo "Guest instructions from the first to the last instruction of one operation (the"
	echo "system call's entry and exit included), counted by a TCG plugin (bench/lp_insn_plugin.c)"
	echo "in the QEMU that runs the VM (\`make insns\`): the minimum over $(awk 'NR == 1 { print $5 }' "$insns")"
	echo "windows, which is the count of a window no interrupt entered and the same from boot to"
	echo "boot. Low power is never engaged. The 5.10-resume-every-access kernel is the series"
	echo "with bench/candidates/resume-every-access.patch: every access resumes the device and"
	echo "holds a runtime PM reference, as upstream does. The stock kernels run Debian's full"
	echo "configuration (mitigations, audit, ...), so only the 5.10 kernels, built with the same"
	echo "configuration, compare with each other (the percentages: against 5.10-base)."
	echo
	table insn ikernels get_info_ioctl config_read_4b bar_read_4b ioeventfd_write
	echo
	echo "## What ENTRY and EXIT block their caller for"
	echo
	echo "The time each ioctl takes, p50 / p99 / max over all the cycles of a kernel's boots,"
	echo "$(awk '$1 == "5.10-series" && $2 == "entry_ioctl" { n++ } END { print n + 0 }' "$samples") on 5.10-series (a cycle: ENTRY, a second ENTRY, which is refused, the wait"
	echo "for the suspend, EXIT), and the worst GET_INFO over $(plural 4 second seconds)"
	echo "each: alone, while one thread loops hot resets of the device, and while another thread"
	echo "loops ENTRY and EXIT as well; power/control \"on\" (the device never suspends, so no"
	echo "GET_INFO has to wake it), one sample per boot. The first two run on every kernel: they"
	echo "are what the guest's scheduler, TCG and QEMU's emulation of the reset cost a GET_INFO,"
	echo "whatever the kernel."
	echo
	table pct kernels entry_ioctl entry_refused_ioctl exit_ioctl get_info_worst_alone \
		get_info_worst_resets_only get_info_worst_under_reset
	echo
	vmm_section
	echo "## Access path cost"
	echo
	echo "Low power never engaged: 5.10 with the series / 5.10 base, the ratio of the medians of the"
	echo "per-boot medians; its range is that of the ratios of the pairs (the series' boot i over the base's"
	echo "boot i). The same figure moves a lot between boots under TCG, hence the pairs."
	echo
	echo "| figure | series / base | per-boot medians, 5.10-base | per-boot medians, 5.10-series |"
	echo "|---|---|---|---|"
	for f in get_info_ioctl config_read_4b bar_read_4b; do
		cost "$f"
	done
	echo
	echo "## Latency distributions"
	echo
	echo "Every sample of the kernels with the low power features, in ms; the axes do not start at 0."
	echo
	echo "![Latency of ENTRY, wake by config read and wake by power/control per kernel](bench-latency.svg)"
} >"$top/docs/bench.md.tmp"
mv "$top/docs/bench.md.tmp" "$top/docs/bench.md"
cat "$top/docs/bench.md"
