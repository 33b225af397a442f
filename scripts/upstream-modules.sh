#!/usr/bin/env bash
# Build vfio-pci-core.ko and vfio-pci.ko from a 7.2 tree's drivers/vfio/pci (and its
# include/linux/vfio_pci_core.h) for Debian's stock 7.2 kernel, against its
# linux-headers and with the compiler it was built with, in the Debian unstable root
# (config/roots/sid), and put them over the stock modules the VM loads. Prints OUT (OUT/modules/ for INITRAMFS_MODULES).
# Usage: upstream-modules.sh TREE OUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"
STACK=linux-7.2
. "$top/scripts/stack.sh"

[ $# -eq 2 ] || die "usage: upstream-modules.sh TREE OUT"
src=$1 out=$(realpath -m "$2")
[ -f "$src/drivers/vfio/pci/Makefile" ] || die "no drivers/vfio/pci in $src"
root=$("$top/scripts/debian-root.sh" sid)
stock=$("$top/scripts/stock-kernel.sh" "$STACK_VM_KERNEL")
headers=$(cd "$root/usr/src" && ls -d linux-headers-*-amd64 | head -1)
[ -n "$headers" ] || die "the sid root has no linux-headers"

work=$root/tmp/vfio-pci
rm -rf "$work"
mkdir -p "$work"
cp "$src"/drivers/vfio/pci/*.[ch] "$work/"
# The tree's vfio_pci_core.h, which a fix may change, before the headers' copy
mkdir -p "$work/include/linux"
cp "$src/include/linux/vfio_pci_core.h" "$work/include/linux/"
# The tree's own object lists, without the vendor variant drivers' directories
{
	echo 'NOSTDINC_FLAGS += -I$(src)/include'
	sed '/+= *[a-z0-9-]*\/ *$/d' "$src/drivers/vfio/pci/Makefile"
} >"$work/Kbuild"
log=$out.log
mkdir -p "$(dirname "$out")"
"$top/scripts/chroot.sh" "$root" make -C "/usr/src/$headers" M=/tmp/vfio-pci modules >"$log" 2>&1 ||
	{ tail -20 "$log" >&2; die "building vfio-pci-core and vfio-pci in the sid root failed (log: $log)"; }

! grep -q 'warning:' "$log" ||
	{ grep -A3 'warning:' "$log" | head -20 >&2; die "building vfio-pci-core and vfio-pci warned (log: $log)"; }

rm -rf "$out"
mkdir -p "$out"
cp -a "$stock/modules" "$out/"
for m in vfio-pci-core vfio-pci; do
	[ -f "$work/$m.ko" ] || die "the build made no $m.ko"
	grep -qx "$m" "$out/modules/load-order" || die "the stock kernel does not load $m"
	cp "$work/$m.ko" "$out/modules/$m.ko"
done
echo "$out"
