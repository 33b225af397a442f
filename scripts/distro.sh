#!/usr/bin/env bash
# The distribution gate: build the DKMS package from patches/, install it with apt in a
# Debian 11 root, boot Debian 11's stock kernel with the modules DKMS built there, and
# run the selftests, the random operation tester and the module life-cycle checks.
# Prints one line per check: "PASS|FAIL|SKIP <name>".
# Usage: distro.sh [TREE [LOGDIR]]: the selftests are TREE's (default build/linux).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
logs=${2:-$build/distro}
out=$build/distro
mkdir -p "$out" "$logs"

start=$SECONDS
if ! "$top/scripts/distro-kernel.sh" "$out" >/dev/null 2>"$logs/distro-kernel.err"; then
	echo "FAIL DKMS package: $(tail -1 "$logs/distro-kernel.err")"
	tail -n 30 "$logs/distro-kernel.err" >&2
	exit 1
fi
deb=$(ls "$out"/dkms/*.deb)
kver=$(ls "$out/root/lib/modules")
declare -A srcversion
while read -r m path sv exports; do
	srcversion[$m]=$sv
	echo "PASS DKMS package: apt-get install $(basename "$deb") in Debian 11 builds $m for $kver; modprobe loads $path (srcversion $sv)"
	echo "PASS DKMS package: $m keeps the kernel's ABI ($exports exported symbols, the same modversion CRCs)"
done <"$out/srcversions"
echo "distro: package, root and install: $((SECONDS - start)) s" >&2
"$top/scripts/debian-source.sh"

# The whole suite (with the random operation tester) on every device
KERNEL=$out/vm/bzImage INITRAMFS_MODULES=$out/vm/modules \
	"$top/scripts/vm-selftests.sh" "$src" "$logs/selftests-console.log" || exit 1

# The module life cycle
build_vfio_hold "$src/obj/usr/include" "$out/vfio-hold"
INITRAMFS_MODULES=$out/vm/modules "$top/scripts/initramfs.sh" "$out/lifecycle.cpio.gz" \
	"$out/vfio-hold" "$top/guest/module-lifecycle"
console=$logs/lifecycle-console.log
"$top/scripts/vm.sh" -t "${VM_TIMEOUT:-600}" -l "$console" "$out/vm/bzImage" "$out/lifecycle.cpio.gz" \
	"loglevel=5 lp.run=module-lifecycle,${srcversion[vfio]},${srcversion[vfio-pci]}" >/dev/null || exit 1
tr -d '\r' <"$console" | awk '
	/^lp: check (PASS|FAIL) / { n++; v = $3; sub(/^lp: check [A-Z]+ /, ""); print v, "module life cycle: " $0 }
	END { if (!n) print "FAIL module life cycle: no check ran" }'
