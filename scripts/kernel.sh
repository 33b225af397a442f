#!/usr/bin/env bash
# Configure and build the guest kernel in an out-of-tree object dir; print the bzImage path.
# Usage: kernel.sh [SRC [OBJ [FRAGMENT...]]]; KMAKE_ARGS adds make arguments.
# The configuration is tinyconfig plus the fragments: by default config/vm.config (what
# the VM needs) and SRC's tools/testing/selftests/vfio/config (what the selftests need),
# as the kernel's own vmtest.sh does. Options SRC does not define (the sample's, on the
# base) are left out; any other option the build does not end up with is an error.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
out=${2:-$src/obj}
shift $(( $# > 2 ? 2 : $# ))
frags=("$@")
if [ ${#frags[@]} -eq 0 ]; then
	list=$(guest_fragments "$src") || exit 1
	mapfile -t frags <<<"$list"
fi
[ -f "$src/Makefile" ] || die "no kernel tree at $src (run: make tree)"
src=$(cd "$src" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

read -ra extra <<<"${KMAKE_ARGS:-}"
# The guest has no C library: user programs of the build (the sample) link statically.
kmake() { make -C "$src" O="$out" -j"$(nproc)" CC="ccache gcc" KBUILD_USERLDFLAGS=-static "${extra[@]}" "$@"; }

configure() {
	kmake -s tinyconfig >/dev/null
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config fragment.config >/dev/null)
	kmake -s olddefconfig >/dev/null
	cp "$out/fragment.config" "$out/.fragment.applied"
}
defined() { grep -rqE "^\s*(menu)?config ${1#CONFIG_}\s*$" --include='Kconfig*' "$src"; }
missing() {
	grep -E '^CONFIG_[A-Z0-9_]+=' "$out/fragment.config" | while read -r line; do
		grep -qxF "$line" "$out/.config" || ! defined "${line%%=*}" || echo "${line%%=*}"
	done
}

cat "${frags[@]}" >"$out/fragment.config"
cmp -s "$out/fragment.config" "$out/.fragment.applied" 2>/dev/null || configure
# A checkout of an older commit in between drops the options it does not know: again
[ -z "$(missing)" ] || configure
lost=$(missing)
if [ -n "$lost" ]; then
	rm -f "$out/.fragment.applied"
	die "config options not set as requested: $(echo $lost)"
fi

kmake -s bzImage >&2 || die "kernel build failed in $src"
echo "$out/arch/x86/boot/bzImage"
