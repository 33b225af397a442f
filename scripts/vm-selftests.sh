#!/usr/bin/env bash
# Build the selftests of a tree, run them in the VM on every default device,
# and print one line per test case: "PASS|FAIL|SKIP <device>: <test>".
# Usage: vm-selftests.sh [TREE [CONSOLE_LOG]]; KERNEL=bzImage boots another kernel,
# INITRAMFS_MODULES=DIR gives it its modules (see initramfs.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
console=${2:-$build/vm/selftests.log}
out=$build/guest
kernel=${KERNEL:-$src/obj/arch/x86/boot/bzImage}
[ -f "$kernel" ] || die "no kernel at $kernel (run: make kernel)"

"$top/scripts/guest-programs.sh" "$src" "$out" >&2
[ -f "$out/vfio_lowpower_test" ] || die "$src has no tools/testing/selftests/vfio/vfio_lowpower_test.c"
"$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
	"$out/vfio_lowpower_test" "$top/guest/run-selftests" >&2
"$top/scripts/vm.sh" -t "${VM_TIMEOUT:-900}" -l "$console" "$kernel" "$out/initramfs.cpio.gz" \
	"loglevel=5 lp.run=run-selftests" >/dev/null

tr -d '\r' <"$console" | awk '
	function verdict(v, what) { print v, dev ": " what; seen[dev]++ }
	/^lp: bound / { want[$3] = $4 }
	/^lp: selftests on [^ ]+ [0-9a-f]+:[0-9a-f]+$/ { dev = $5 " " $4; plan[dev] = 0; next }
	/^1\.\.[0-9]+$/ && dev != "" { plan[dev] = substr($0, 4) + 0; next }
	/^# +RUN +/ { name = $3; next }
	/^ok [0-9]+ # SKIP/ { sub(/^ok [0-9]+ # SKIP */, ""); verdict("SKIP", name " (" $0 ")"); next }
	/^ok [0-9]+ / { verdict("PASS", name); next }
	/^not ok [0-9]+ / { verdict("FAIL", name); next }
	END {
		for (d in plan)
			if (seen[d] < plan[d])
				print "FAIL", d ": suite ended after " seen[d] + 0 " of " plan[d] " tests"
		for (b in want) {
			found = 0
			for (d in plan) if (index(d, b)) found = 1
			if (!found) print "FAIL", want[b] " " b ": suite did not run"
		}
	}'
