#!/usr/bin/env bash
# Build a tree's selftests for the guest, statically linked, the way a reviewer builds
# them: with the kselftest Makefile, installed to OUTDIR/kselftest with the
# kselftest-list.txt that names the programs in the order they run. (The sample is
# built by the kernel build: CONFIG_SAMPLE_VFIO_LOWPOWER in config/vm.config.)
# Usage: guest-programs.sh [TREE [OUTDIR]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(cd "${1:-$tree}" && pwd)
out=${2:-$build/guest}
mkdir -p "$out"
out=$(cd "$out" && pwd)
hdr=$src/obj/usr/include

make -C "$src" O="$src/obj" -s headers_install >/dev/null || die "headers_install failed in $src"

rm -rf "$out/kselftest"
if [ -f "$src/tools/testing/selftests/vfio/Makefile" ]; then
	# CFLAGS from the environment: the Makefile's own += still applies
	CFLAGS=-Werror make -s -C "$src/tools/testing/selftests" TARGETS=vfio O="$out/kselftest-build" \
		KHDR_INCLUDES="-isystem $hdr" LDFLAGS=-static CC="ccache gcc" \
		install INSTALL_PATH="$out/kselftest" >"$out/kselftest-build.log" 2>&1 ||
		{ tail -20 "$out/kselftest-build.log" >&2; die "cannot build $src/tools/testing/selftests/vfio"; }
	[ -s "$out/kselftest/kselftest-list.txt" ] || die "the vfio selftests installed no program"
fi

