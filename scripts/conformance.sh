#!/usr/bin/env bash
# Run the same selftest binary, and the QEMU series end to end (scripts/qemu-e2e.sh, with
# qtest and with a real Linux guest), on
# the 5.10 base, 5.10 with the series, and stock Debian kernels with upstream's
# implementation; write docs/conformance.md. CONFORMANCE_ONLY=qemu runs the QEMU tests only
# and rewrites only their sections of docs/conformance.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

only=${CONFORMANCE_ONLY:-}
[[ $only =~ ^(qemu)?$ ]] || die "bad CONFORMANCE_ONLY: $only (qemu, or unset for everything)"

out=$build/conformance
table=$top/docs/conformance.md
mkdir -p "$out"

base=$("$top/scripts/fetch.sh")
frags=$(guest_fragments "$tree") || exit 1
"$top/scripts/kernel.sh" "$base" "$base_obj" $frags >/dev/null
"$top/scripts/kernel.sh" "$tree" "$obj" >/dev/null

qtree=$(qemu_stack_tree)

# run NAME BZIMAGE [MODULES]: the selftests, then the QEMU series end to end and under a
# real guest, on a kernel
run() {
	local name=$1 kernel=$2 modules=${3:-}
	echo "conformance: $name" >&2
	[ -n "$only" ] ||
		KERNEL=$kernel INITRAMFS_MODULES=$modules SELFTESTS_SKIP="vfio_lowpower_random vfio_lowpower_sleep_test" \
			"$top/scripts/vm-selftests.sh" "$tree" "$out/$name.log" >"$out/$name.txt"
	KERNEL=$kernel INITRAMFS_MODULES=$modules "$top/scripts/qemu-e2e.sh" "$tree" "$qtree" \
		"$out/qemu-$name.log" >"$out/qemu-$name.txt"
	KERNEL=$kernel INITRAMFS_MODULES=$modules "$top/scripts/qemu-e2e.sh" -g "$tree" "$qtree" \
		"$out/qguest-$name.log" >"$out/qguest-$name.txt"
}
run "5.10-base" "$base_obj/arch/x86/boot/bzImage"
run "5.10-series" "$obj/arch/x86/boot/bzImage"
for k in $(stock_kernels); do
	dir=$("$top/scripts/stock-kernel.sh" "$k")
	run "$k" "$dir/bzImage" "$dir/modules"
done

if [ -n "$only" ]; then
	"$top/scripts/conformance-table.sh" -q "$out" >"$out/qemu-sections.md"
	splice_section "$table" "The QEMU series end to end" "$out/qemu-sections.md" '^Reproduce with'
else
	"$top/scripts/conformance-table.sh" "$out" >"$table"
fi
echo "conformance: wrote $table" >&2
