#!/usr/bin/env bash
# Build the statically linked guest programs of a tree: the selftest and the sample.
# Usage: guest-programs.sh [TREE [OUTDIR]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
out=${2:-$build/guest}
selftest=$src/tools/testing/selftests/vfio/vfio_lowpower_test.c
sample=$src/samples/vfio-lowpower/vfio-lowpower.c

mkdir -p "$out"
make -C "$src" O="$src/obj" -s headers_install >/dev/null || die "headers_install failed in $src"
cflags=(-static -O2 -Wall -Werror -isystem "$src/obj/usr/include")

rm -f "$out/vfio_lowpower_test" "$out/vfio-lowpower"
if [ -f "$selftest" ]; then
	gcc "${cflags[@]}" -I"$src/tools/testing/selftests" -o "$out/vfio_lowpower_test" \
		"$selftest" -lpthread || die "cannot build $selftest"
fi
if [ -f "$sample" ]; then
	gcc "${cflags[@]}" -o "$out/vfio-lowpower" "$sample" || die "cannot build $sample"
fi
