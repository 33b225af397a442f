#!/usr/bin/env bash
# The selftest suite on a sanitizer kernel (KASAN, UBSAN, lockdep, kmemleak, ...):
# any report in the console fails the run.
# Usage: debug.sh [TREE [CONSOLE_LOG]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
frags=$(guest_fragments "$src") || exit 1
kernel=$("$top/scripts/kernel.sh" "$src" "$src/obj-debug" $frags \
	"$top/config/debug.config" 2>"$build/debug-build.log") ||
	die "debug kernel build failed (see $build/debug-build.log)"
KERNEL=$kernel "$top/scripts/vm-selftests.sh" "$src" "${2:-$build/vm/debug.log}"
