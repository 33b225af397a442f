#!/usr/bin/env bash
# Build the statically linked guest programs of a tree: the selftests and the sample.
# Usage: guest-programs.sh [TREE [OUTDIR]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
out=${2:-$build/guest}
selftests=$src/tools/testing/selftests/vfio
sample=$src/samples/vfio-lowpower/vfio-lowpower.c

mkdir -p "$out"
make -C "$src" O="$src/obj" -s headers_install >/dev/null || die "headers_install failed in $src"
cflags=(-static -O2 -Wall -Werror -isystem "$src/obj/usr/include")

lib=()
[ -f "$selftests/vfio_lowpower_lib.c" ] && lib=("$selftests/vfio_lowpower_lib.c")
rm -f "$out"/vfio_lowpower_* "$out/vfio-lowpower"
for prog in vfio_lowpower_test vfio_lowpower_sleep_test vfio_lowpower_random; do
	[ -f "$selftests/$prog.c" ] || continue
	gcc "${cflags[@]}" -I"$src/tools/testing/selftests" -o "$out/$prog" \
		"$selftests/$prog.c" "${lib[@]}" -lpthread || die "cannot build $selftests/$prog.c"
done
if [ -f "$sample" ]; then
	gcc "${cflags[@]}" -o "$out/vfio-lowpower" "$sample" || die "cannot build $sample"
fi
