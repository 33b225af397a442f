#!/usr/bin/env bash
# Run the upstream stack's selftests (config/stacks/linux-7.2.conf) in the VM on the
# stock kernel it names, on every device, in every IOMMU mode; print one line per
# test case and device as vm-selftests.sh does. When the series changes
# drivers/vfio/pci, the kernel runs vfio-pci-core and vfio-pci built from the tree
# (upstream-modules.sh); UPSTREAM_MODULES=stock keeps the stock ones (to show a
# fixed bug failing).
# The stock kernel runs the IOMMU modes it has (STACK_VM_STOCK_VARIANTS: Debian's
# lacks iommufd). UPSTREAM_KERNEL=tree boots a kernel built from TREE instead
# (tinyconfig, config/vm.config and the selftests' own config fragment, everything
# built in), in which every IOMMU mode runs.
# Usage: upstream-selftests.sh [TREE [CONSOLE_LOG]]; TREE defaults to the stack's work tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
STACK=linux-7.2
. "$top/scripts/stack.sh"

src=${1:-$STACK_TREE}
console=${2:-$build/vm/upstream.log}
[ -d "$src/.git" ] || die "no work tree at $src (run: STACK=$STACK make tree)"
case ${UPSTREAM_KERNEL:-stock} in
stock) ;;
tree)
	kernel=$("$top/scripts/kernel.sh" "$src" "$src/obj") || exit 1
	echo "upstream-selftests: the kernel built from $src" >&2
	KERNEL=$kernel INITRAMFS_MODULES='' SELFTESTS=$STACK_VM_SELFTESTS \
		exec "$top/scripts/vm-selftests.sh" "$src" "$console"
	;;
*) die "bad UPSTREAM_KERNEL: $UPSTREAM_KERNEL (stock or tree)" ;;
esac
dir=$("$top/scripts/stock-kernel.sh" "$STACK_VM_KERNEL")
modules=$(upstream_vm_modules "$src" "$dir") || exit 1
variants=$(printf -- '-v %s ' $STACK_VM_STOCK_VARIANTS)
SELFTESTS_ARGS=$variants KERNEL=$dir/bzImage INITRAMFS_MODULES=$modules SELFTESTS=$STACK_VM_SELFTESTS \
	"$top/scripts/vm-selftests.sh" "$src" "$console"
