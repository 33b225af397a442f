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
mkdir -p "$dir/root"
found=0
while read -r n archive suite package version sha; do
	[ "$n" = "$name" ] || continue
	found=1
	deb=$(DEBIAN_MIRROR=http://deb.debian.org/$archive "$top/scripts/apt-download.sh" \
		"$suite" "$package" "$version" "$sha" "$build/cache/debs") || exit 1
	dpkg-deb -x "$deb" "$dir/root" || die "cannot unpack $deb"
done < <("$top/scripts/list.sh" "$top/config/kernels.conf")
[ "$found" -eq 1 ] || die "no kernel named $name in config/kernels.conf"

"$top/scripts/vm-modules.sh" "$dir/root" "$dir"
rm -rf "$dir/root"
touch "$dir/.ready"
echo "$dir"
