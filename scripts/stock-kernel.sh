#!/usr/bin/env bash
# Fetch a pinned stock Debian kernel (config/kernels.conf) and prepare it for the VM:
# DIR/bzImage and DIR/modules/ (the VFIO modules, decompressed, with a load-order file).
# Usage: stock-kernel.sh NAME; prints DIR.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: stock-kernel.sh NAME}
dir=$build/cache/kernels/$name
[ -f "$dir/.ready" ] && { echo "$dir"; exit 0; }

rm -rf "$dir"
mkdir -p "$dir/root" "$dir/modules"
found=0
while read -r n archive suite package version sha; do
	[ "$n" = "$name" ] || continue
	found=1
	deb=$(DEBIAN_MIRROR=http://deb.debian.org/$archive "$top/scripts/apt-download.sh" \
		"$suite" "$package" "$version" "$sha" "$build/cache/debs") || exit 1
	dpkg-deb -x "$deb" "$dir/root" || die "cannot unpack $deb"
done < <("$top/scripts/list.sh" "$top/config/kernels.conf")
[ "$found" -eq 1 ] || die "no kernel named $name in config/kernels.conf"

vmlinuz=$(find "$dir/root" -name 'vmlinuz*' -type f | head -1)
[ -n "$vmlinuz" ] || die "$name has no vmlinuz"
cp "$vmlinuz" "$dir/bzImage"
[ -d "$dir/root/lib/modules" ] || ln -s usr/lib "$dir/root/lib"
kver=$(ls "$dir/root/lib/modules/" | head -1)
[ -n "$kver" ] || die "$name has no modules"
moddir=$dir/root/lib/modules/$kver
[ -f "$moddir/modules.dep" ] || depmod -b "$dir/root" "$kver" 2>/dev/null || die "depmod failed for $name"

closure() {
	local m=$1 line
	line=$(grep -E "/${m}\.ko(\.[gx]z|\.zst)?:" "$moddir/modules.dep") || die "$name lacks module $m"
	local deps=(${line#*:}) i
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		echo "${deps[i]}"
	done
	echo "${line%%:*}"
}
: >"$dir/modules/load-order"
for m in vfio_iommu_type1 vfio-pci; do
	closure "$m"
done | awk '!seen[$0]++' | while read -r rel; do
	base=$(basename "$rel")
	case $base in
	*.ko.xz) xz -dc "$moddir/$rel" >"$dir/modules/${base%.xz}" ;;
	*.ko.zst) zstd -qdc "$moddir/$rel" >"$dir/modules/${base%.zst}" ;;
	*.ko.gz) gzip -dc "$moddir/$rel" >"$dir/modules/${base%.gz}" ;;
	*) cp "$moddir/$rel" "$dir/modules/" ;;
	esac
	basename "${base%.*z*}" .ko >>"$dir/modules/load-order"
done
rm -rf "$dir/root"
touch "$dir/.ready"
echo "$dir"
