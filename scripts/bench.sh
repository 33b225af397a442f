#!/usr/bin/env bash
# make bench: the same benchmark binary on the first device of config/devices under the 5.10 base,
# 5.10 with the series, and the stock Debian kernels; write docs/bench.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$build/bench
mkdir -p "$out"
gcc -static -O2 -Wall -Werror -isystem "$obj/usr/include" -o "$out/vfio_lowpower_bench" \
	"$top/bench/vfio_lowpower_bench.c" || die "cannot build the benchmark"

base=$("$top/scripts/fetch.sh")
frags=$(guest_fragments "$tree") || exit 1
"$top/scripts/kernel.sh" "$base" "$base/obj" $frags >/dev/null

run() {
	local name=$1 kernel=$2 modules=${3:-}
	echo "bench: $name" >&2
	INITRAMFS_MODULES=$modules "$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
		"$out/vfio_lowpower_bench" "$top/guest/bench"
	"$top/scripts/vm.sh" -t 600 -l "$out/$name.log" "$kernel" "$out/initramfs.cpio.gz" \
		"loglevel=4 lp.run=bench lp.devs=$(device_ids 1)" >/dev/null
	tr -d '\r' <"$out/$name.log" | grep '^bench ' >"$out/$name.txt" ||
		die "$name printed no figures (see $out/$name.log)"
}
run 5.10-base "$base/obj/arch/x86/boot/bzImage"
run 5.10-series "$obj/arch/x86/boot/bzImage"
mapfile -t stock < <(stock_kernels)
for k in "${stock[@]}"; do
	dir=$("$top/scripts/stock-kernel.sh" "$k")
	run "$k" "$dir/bzImage" "$dir/modules"
done

kernels=(5.10-base 5.10-series "${stock[@]}")
{
	echo "# Benchmarks"
	echo
	echo "\`make bench\` on $(date -u +%Y-%m-%d): $(device_list | awk "NR == 1 { print \$1 }") (config/devices), QEMU TCG, 2 cores."
	echo "Median (min-max) of 9 rounds; the loops run 20000 operations a round."
	echo
	printf '| figure |'; printf ' %s |' "${kernels[@]}"; echo
	printf '|---|'; printf -- '---|%.0s' "${kernels[@]}"; echo
	for f in get_info_ioctl config_read_4b entry_to_suspended wake_by_config_read wake_by_power_control; do
		printf '| %s |' "$f"
		for k in "${kernels[@]}"; do
			awk -v f="$f" '$2 == f { printf " %s (%s-%s) %s |", $4, $6, $8, $9; found = 1 }
				END { if (!found) printf " - |" }' "$out/$k.txt"
		done
		echo
	done
	echo
	awk '$2 == "get_info_ioctl" || $2 == "config_read_4b" { m[FILENAME, $2] = $4 }
		END {
			printf "Cost when unused, 5.10 with the series / 5.10 base: get_info_ioctl %.3f, config_read_4b %.3f.\n",
				m[ARGV[2], "get_info_ioctl"] / m[ARGV[1], "get_info_ioctl"],
				m[ARGV[2], "config_read_4b"] / m[ARGV[1], "config_read_4b"]
		}' "$out/5.10-base.txt" "$out/5.10-series.txt"
	echo
	echo "The wake figures include the PCI core's 10 ms D3hot to D0 delay."
} >"$top/docs/bench.md"
cat "$top/docs/bench.md"
