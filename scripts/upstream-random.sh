#!/usr/bin/env bash
# Run the 5.10 series' random operation tester (vfio_lowpower_random) with its model of
# upstream's semantics on the upstream stack's stock kernel, with the stack's vfio-pci
# modules as upstream-selftests.sh loads them: one boot per seed, every device; print
# "PASS|FAIL|SKIP <device>: random.<case> (seed N)" lines as vm-selftests.sh does.
# Usage: upstream-random.sh [TREE [UPSTREAM_TREE [LOGDIR]]]; TREE has the tester
# (default: the 5.10 work tree), UPSTREAM_TREE the upstream stack's tree. SEEDS="N..."
# runs those seeds, else RANDOM_SEEDS (default 3) seeds counted up from the clock;
# VFIO_RANDOM_STEPS=N longer sequences (make soak).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
STACK=linux-7.2
. "$top/scripts/stack.sh"

src=${1:-$tree}
up=${2:-$STACK_TREE}
logs=${3:-$build/upstream-random}
if [ -n "${SEEDS:-}" ]; then
	read -ra seeds <<<"$SEEDS"
else
	n=${RANDOM_SEEDS:-3}
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "bad RANDOM_SEEDS: $n (the number of seeds, 1 or more)"
	first=$(date +%s)
	mapfile -t seeds < <(seq "$first" $((first + n - 1)))
fi
for s in "${seeds[@]}"; do
	[[ $s =~ ^[0-9]+$ ]] || die "bad seed in SEEDS: $s"
done
[ -d "$up/.git" ] || die "no work tree at $up (run: STACK=$STACK make tree)"
mkdir -p "$logs"

dir=$("$top/scripts/stock-kernel.sh" "$STACK_VM_KERNEL")
modules=$(upstream_vm_modules "$up" "$dir") || exit 1
echo "upstream-random: seeds ${seeds[*]} (SEEDS=\"N\" reproduces one)" >&2
# a failed VM run ends the run (set -e, pipefail)
for s in "${seeds[@]}"; do
	KERNEL=$dir/bzImage INITRAMFS_MODULES=$modules SELFTESTS=vfio_lowpower_random \
		VFIO_RANDOM_SEED=$s VFIO_RANDOM_MODEL=upstream \
		"$top/scripts/vm-selftests.sh" "$src" "$logs/seed-$s.log" | sed "s/\$/ (seed $s)/"
done
