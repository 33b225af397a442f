#!/usr/bin/env bash
# How often QEMU crashes under memory map churn (guest/mmiostress.c): ROUNDS boots
# with a TCG thread per vCPU and as many with one thread for all (what vm.sh uses),
# alternating. Prints a line per boot, then the counts.
# Usage: qemu-stress.sh [ROUNDS]; KERNEL=bzImage boots another kernel, QEMU another QEMU.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rounds=${1:-20}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "bad number of rounds: $rounds"
kernel=${KERNEL:-$obj/arch/x86/boot/bzImage}
[ -f "$kernel" ] || die "no kernel at $kernel (run: make kernel)"
out=$build/qemu-stress
mkdir -p "$out"
gcc -static -O2 -Wall -Werror -o "$out/mmiostress" "$top/guest/mmiostress.c" ||
	die "cannot build guest/mmiostress.c"
"$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" "$out/mmiostress" "$top/guest/qemu-stress"

declare -A crashed=([multi]=0 [single]=0)
for i in $(seq "$rounds"); do
	for mode in multi single; do
		status=0
		VM_TCG_THREAD=$mode "$top/scripts/vm.sh" -t 120 -l "$out/$mode-$i.log" "$kernel" \
			"$out/initramfs.cpio.gz" "loglevel=4 lp.devs=none lp.run=qemu-stress" \
			>/dev/null 2>"$out/$mode-$i.err" || status=$?
		qemu=$(grep -o 'qemu exit status [0-9]*' "$out/$mode-$i.err" | grep -o '[0-9]*$' || true)
		why=$(tr -d '\r' <"$out/$mode-$i.log" | grep -m1 -o 'Assertion .* failed' || true)
		case $status/$qemu in
		0/) echo "thread=$mode round $i: ok" ;;
		5/134 | 5/139) crashed[$mode]=$((crashed[$mode] + 1))
			echo "thread=$mode round $i: QEMU crashed (exit status $qemu) ${why}" ;;
		*) die "thread=$mode round $i: vm.sh exit status $status (see $out/$mode-$i.err)" ;;
		esac
	done
done
echo "qemu-stress: thread=multi crashed in ${crashed[multi]} of $rounds boots," \
	"thread=single in ${crashed[single]} of $rounds"
