#!/usr/bin/env bash
# Debian 11's stock kernel with the series' modules, as a user gets it: build the DKMS
# package from patches/, install it with apt in a copy of the Debian 11 root, check that
# modprobe there resolves vfio and vfio-pci to the modules DKMS built, and take the
# kernel and those modules for the VM. Prints OUT, which then holds:
#   OUT/dkms/*.deb            the package
#   OUT/root/                 the Debian 11 root with the package installed
#   OUT/srcversions           "MODULE PATH SRCVERSION EXPORTS" of the DKMS modules
#   OUT/vm/bzImage, modules/  for the VM (vm-modules.sh)
# Usage: distro-kernel.sh [OUT]; OUT defaults to build/distro.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$(realpath -m "${1:-$build/distro}")
mkdir -p "$out"
deb=$("$top/scripts/dkms-package.sh" "$out/dkms")
root=$("$top/scripts/dkms-install.sh" "$deb" "$out/root")
kver=$(ls "$root/lib/modules")

# The kernel's other modules (vfio_iommu_type1, mdev) link against vfio: the exported
# symbols of a DKMS module and their modversion CRCs must stay the kernel's own.
crcs() { nm "$1" | awk '$3 ~ /^__crc_/ { print $3, $1 }' | sort; }
: >"$out/srcversions"
for m in $(dkms_modules); do
	path=$(modprobe -d "$root" -S "$kver" --show-depends "$m" | awk -v m="/$m.ko" '
		substr($2, length($2) - length(m) + 1) == m { print $2; exit }')
	[[ $path == */updates/dkms/$m.ko ]] ||
		die "modprobe $m in the Debian 11 root loads ${path:-nothing}, not updates/dkms/$m.ko"
	sv=$(modinfo -F srcversion "$path")
	stock=$(find "$root/lib/modules/$kver/kernel/drivers/vfio" -name "$m.ko" | head -1)
	[ "$sv" != "$(modinfo -F srcversion "$stock")" ] ||
		die "updates/dkms/$m.ko has the srcversion of the kernel's own $m.ko"
	exports=$(crcs "$path")
	[ "$exports" = "$(crcs "$stock")" ] ||
		die "updates/dkms/$m.ko changes the kernel's ABI: its exported symbols or their CRCs are not those of the kernel's $m.ko"
	echo "$m ${path#"$root"} $sv $(grep -c . <<<"$exports")" >>"$out/srcversions"
done
"$top/scripts/vm-modules.sh" "$root" "$out/vm"
echo "$out"
