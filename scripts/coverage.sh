#!/usr/bin/env bash
# Line coverage of the code the series adds in drivers/vfio, from a gcov kernel
# running the selftest suite in the VM.
# Usage: coverage.sh [TREE]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
gobj=$src/obj-gcov
out=$build/coverage
files=(drivers/vfio/vfio.c drivers/vfio/pci/vfio_pci.c drivers/vfio/pci/vfio_pci_intrs.c
	drivers/vfio/pci/vfio_pci_rdwr.c)
profile=""
for f in "${files[@]}"; do
	profile+=" GCOV_PROFILE_$(basename "$f" .c).o=y"
done

frags=$(guest_fragments "$src") || exit 1
KMAKE_ARGS=$profile "$top/scripts/kernel.sh" "$src" "$gobj" $frags "$top/config/gcov.config" >/dev/null
"$top/scripts/guest-programs.sh" "$src" "$out"
[ -f "$out/kselftest/kselftest-list.txt" ] || die "$src has no selftests"
INITRAMFS_KSELFTEST=$out/kselftest "$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
	"$top/guest/run-selftests" "$top/guest/coverage"
# Two functions without a function reset share a bus: their release needs a bus reset.
rp=pcie-root-port,id=rpcov,chassis=9,slot=9,x-speed=5
export VM_EXTRA_DEVICES="-device $rp -device edu,bus=rpcov,addr=0.0,multifunction=on -device edu,bus=rpcov,addr=0.1"
"$top/scripts/vm.sh" -t "${VM_TIMEOUT:-900}" -l "$out/console.log" \
	"$gobj/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" "loglevel=5 lp.run=coverage" >/dev/null

rm -rf "$out/gcda"
tr -d '\r' <"$out/console.log" | awk -v dir="$out/gcda" '
	/^lp: gcda end$/ { close(cmd); cmd = ""; next }
	/^lp: gcda / { path = dir "/" substr($0, 10); sub(/\/[^\/]*$/, "", path)
		cmd = "mkdir -p " path " && base64 -d > " dir "/" substr($0, 10); next }
	cmd != "" { print | cmd }'

total=0 hit=0
report=$out/report.txt
: >"$report"
for f in "${files[@]}"; do
	d=$(dirname "$f")
	gcda=$(find "$out/gcda" -path "*/obj-gcov/$d/$(basename "$f" .c).gcda" | head -1)
	[ -n "$gcda" ] || die "no coverage data for $f in the console log"
	cp "$gcda" "$gobj/$d/"
	(cd "$gobj" && gcov -o "$gobj/$d" "$src/$f" >/dev/null 2>&1) || die "gcov failed for $f"
	gfile=$gobj/$(basename "$f").gcov
	cp "$gfile" "$out/"
	added=$(git -C "$src" diff -U0 pristine HEAD -- "$f" |
		awk '/^@@/ { split($3, a, ","); line = substr(a[1], 2); next }
		     /^\+/ && !/^\+\+\+/ { print line++ }')
	while read -r n; do
		[ -n "$n" ] || continue
		count=$(awk -F: -v n="$n" '{ gsub(/ /, "", $2) } $2 == n { gsub(/ /, "", $1); print $1; exit }' "$gfile")
		case $count in
		-|"") ;;
		"#####"|"=====") total=$((total + 1)); echo "$f:$n: $(sed -n "${n}p" "$src/$f")" >>"$report" ;;
		*) total=$((total + 1)); hit=$((hit + 1)) ;;
		esac
	done <<<"$added"
done
echo "coverage of the lines the series adds in drivers/vfio: $hit of $total executable lines ($((total ? hit * 100 / total : 0))%)"
if [ -s "$report" ]; then
	echo "not executed:"
	sed 's/^/  /' "$report"
fi
