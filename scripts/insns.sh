#!/usr/bin/env bash
# make insns: the guest instructions one VFIO_DEVICE_GET_INFO, one 4-byte config read,
# one 4-byte BAR0 read and one ioeventfd doorbell (the eventfd write() that makes the
# BAR write of VFIO_DEVICE_IOEVENTFD, on the device's register of config/scratch-regs)
# execute, counted by bench/lp_insn_plugin.c in the QEMU that runs
# the VM, on the first device of config/devices: under the 5.10 base, 5.10 with the
# series, the series with each access guard of bench/candidates/ instead of its own,
# Debian 11's stock kernel with the DKMS package and each stock Debian kernel. One boot
# each; a figure is the minimum over the benchmark's windows (a window that an
# interrupt entered counts more, never less) and is the same from boot to boot.
# Writes build/insns/insns.txt: "KERNEL FIGURE MIN MEDIAN WINDOWS" lines; prints it.
# INSNS_KERNELS="NAME..." counts only those kernels; INSNS_SERIES=BZIMAGE counts that image
# as 5.10-series (another version of the series, for a before and after).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$build/insns
series=${INSNS_SERIES:-$obj/arch/x86/boot/bzImage}
[ -f "$series" ] || die "no series kernel at $series (make kernel)"
plugin=$("$top/scripts/insn-plugin.sh") || exit 1
mkdir -p "$out"
gcc -static -O2 -Wall -Werror -isystem "$obj/usr/include" -o "$out/vfio_lowpower_bench" \
	"$top/bench/vfio_lowpower_bench.c" || die "cannot build the benchmark"
INITRAMFS_MODULES='' "$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
	"$out/vfio_lowpower_bench" "$top/guest/bench"

# the first device's register of config/scratch-regs, for the doorbell
scratch=$(awk -v id="$(device_ids 1)" '$1 == id { print $2 }' "$top/config/scratch-regs")

mapfile -t stock < <(stock_kernels)
candidates=()
for p in "$top"/bench/candidates/*.patch; do
	[ -e "$p" ] && candidates+=("$(basename "$p" .patch)")
done
if [ -n "${INSNS_KERNELS:-}" ]; then
	read -ra kernels <<<"$INSNS_KERNELS"
else
	kernels=(5.10-base 5.10-series "${candidates[@]/#/5.10-}" debian11-dkms "${stock[@]}")
fi

# candidate NAME: the series' tree with bench/candidates/NAME.patch applied, built in
# its own worktree and object dir; prints the bzImage
candidate() {
	local wt=$build/candidates/$1 head
	head=$(git -C "$tree" rev-parse HEAD)
	git -C "$wt" rev-parse HEAD >/dev/null 2>&1 || {
		rm -rf "$wt"
		git -C "$tree" worktree prune
		git -C "$tree" worktree add -q --detach "$wt" "$head" >&2 || die "cannot create $wt"
	}
	git -C "$wt" checkout -q --force --detach "$head" || die "cannot check out $head in $wt"
	git -C "$wt" apply "$top/bench/candidates/$1.patch" ||
		die "bench/candidates/$1.patch does not apply to the series"
	"$top/scripts/kernel.sh" "$wt" "$build/candidates/$1-obj" $(guest_fragments "$tree") |
		tail -1
}

# count NAME BZIMAGE INITRAMFS: boot once with the plugin, summarize the windows
count() {
	local name=$1 log=$out/$1.log raw=$out/$1.raw
	echo "insns: $name" >&2
	rm -f "$raw"
	QEMU_EXTRA="-plugin $plugin,out=$raw" "$top/scripts/vm.sh" -t 900 -l "$log" "$2" "$3" \
		"loglevel=4 lp.run=bench,-i${scratch:+,-s,$scratch} lp.devs=$(device_ids 1)" >/dev/null
	local line w i n
	line=$(tr -d '\r' <"$log" | grep -m1 '^bench-insns ') ||
		die "$name printed no bench-insns line (see $log)"
	read -ra w <<<"$line"
	n=${w[-1]}
	for ((i = 1; i + 2 < ${#w[@]}; i += 2)); do
		set -- "${w[i]}" "${w[i + 1]}"
		awk -v op="$2" '$1 == "insns" && $2 == op { print $3 }' "$raw" | sort -n |
			awk -v k="$name" -v f="$1" -v want="$n" '{ v[NR] = $1 }
				END {
					if (NR != want) { print "insns: " k ": " NR " windows of " f ", want " want > "/dev/stderr"; exit 1 }
					print k, f, v[1], v[int((NR + 1) / 2)], NR
				}' || die "$name: the plugin counted the wrong number of windows (see $raw)"
	done
}

: >"$out/insns.txt"
for k in "${kernels[@]}"; do
	case $k in
	5.10-base)
		base=$("$top/scripts/fetch.sh")
		"$top/scripts/kernel.sh" "$base" "$base_obj" $(guest_fragments "$tree") >/dev/null
		count "$k" "$base_obj/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" ;;
	5.10-series)
		count "$k" "$series" "$out/initramfs.cpio.gz" ;;
	5.10-*)
		[ -f "$top/bench/candidates/${k#5.10-}.patch" ] || die "no candidate bench/candidates/${k#5.10-}.patch"
		count "$k" "$(candidate "${k#5.10-}")" "$out/initramfs.cpio.gz" ;;
	debian11-dkms)
		distro=$("$top/scripts/distro-kernel.sh")
		INITRAMFS_MODULES=$distro/vm/modules "$top/scripts/initramfs.sh" "$out/initramfs-$k.cpio.gz" \
			"$out/vfio_lowpower_bench" "$top/guest/bench"
		count "$k" "$distro/vm/bzImage" "$out/initramfs-$k.cpio.gz" ;;
	*)
		dir=$("$top/scripts/stock-kernel.sh" "$k")
		INITRAMFS_MODULES=$dir/modules "$top/scripts/initramfs.sh" "$out/initramfs-$k.cpio.gz" \
			"$out/vfio_lowpower_bench" "$top/guest/bench"
		count "$k" "$dir/bzImage" "$out/initramfs-$k.cpio.gz" ;;
	esac >>"$out/insns.txt"
done
cat "$out/insns.txt"
