#!/usr/bin/env bash
# Take a kernel and the modules the VM needs from a Debian root (or an unpacked kernel
# package): OUT/bzImage, and OUT/modules/ with the VFIO modules, decompressed, as
# modprobe would resolve them from the root's modules.dep (updates/ before kernel/),
# and their load order in OUT/modules/load-order.
# Usage: vm-modules.sh ROOT OUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: vm-modules.sh ROOT OUT"
root=$1 out=$2
vmlinuz=$(find "$root/boot" "$root/usr/lib" -maxdepth 3 -name 'vmlinuz*' -type f 2>/dev/null | head -1 || true)
[ -n "$vmlinuz" ] || die "$root has no vmlinuz"
modules=$root/lib/modules
[ -d "$modules" ] || modules=$root/usr/lib/modules
kver=$(ls "$modules" 2>/dev/null | head -1)
[ -n "$kver" ] || die "$root has no modules"
moddir=$modules/$kver
[ -f "$moddir/modules.dep" ] || depmod -b "${moddir%/lib/modules/*}" "$kver" 2>/dev/null ||
	die "depmod failed for $root"

rm -rf "$out/modules"
mkdir -p "$out/modules"
cp "$vmlinuz" "$out/bzImage"
closure() {
	local m=$1 line
	line=$(grep -E "/${m}\.ko(\.[gx]z|\.zst)?:" "$moddir/modules.dep") || die "$root lacks module $m"
	local deps=(${line#*:}) i
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		echo "${deps[i]}"
	done
	echo "${line%%:*}"
}
: >"$out/modules/load-order"
for m in vfio_iommu_type1 vfio-pci; do
	closure "$m"
done | awk '!seen[$0]++' | while read -r rel; do
	base=$(basename "$rel")
	case $base in
	*.ko.xz) xz -dc "$moddir/$rel" >"$out/modules/${base%.xz}" ;;
	*.ko.zst) zstd -qdc "$moddir/$rel" >"$out/modules/${base%.zst}" ;;
	*.ko.gz) gzip -dc "$moddir/$rel" >"$out/modules/${base%.gz}" ;;
	*) cp "$moddir/$rel" "$out/modules/" ;;
	esac
	basename "${base%.*z*}" .ko >>"$out/modules/load-order"
done
