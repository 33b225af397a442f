#!/usr/bin/env bash
# Run the upstream stack's selftests (config/stacks/linux-7.2.conf) in the VM on the
# stock kernel it names, on every device, in every IOMMU mode; print one line per
# test case and device as vm-selftests.sh does.
# Usage: upstream-selftests.sh [TREE [CONSOLE_LOG]]; TREE defaults to the stack's work tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
STACK=linux-7.2
. "$top/scripts/stack.sh"

src=${1:-$STACK_TREE}
console=${2:-$build/vm/upstream.log}
[ -d "$src/.git" ] || die "no work tree at $src (run: STACK=$STACK make tree)"
dir=$("$top/scripts/stock-kernel.sh" "$STACK_VM_KERNEL")
KERNEL=$dir/bzImage INITRAMFS_MODULES=$dir/modules SELFTESTS=$STACK_VM_SELFTESTS \
	"$top/scripts/vm-selftests.sh" "$src" "$console"
