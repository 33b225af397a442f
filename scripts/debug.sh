#!/usr/bin/env bash
# The selftest suite on a sanitizer kernel (KASAN, UBSAN, lockdep, kmemleak, ...):
# any report in the console fails the run.
# Usage: debug.sh [-b] [TREE [CONSOLE_LOG]]; with -b, only build the kernel (make test
# builds it in the background; KMAKE_ARGS as for kernel.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build_only=
[ "${1:-}" != -b ] || { build_only=1; shift; }
src=${1:-$tree}
frags=$(guest_fragments "$src") || exit 1
kernel=$("$top/scripts/kernel.sh" "$src" "$src/obj-debug" $frags \
	"$top/config/debug.config" 2>"$build/debug-build.log") ||
	die "debug kernel build failed (see $build/debug-build.log)"
[ -z "$build_only" ] || exit 0
KERNEL=$kernel "$top/scripts/vm-selftests.sh" "$src" "${2:-$build/vm/debug.log}"
