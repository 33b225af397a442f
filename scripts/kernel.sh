#!/usr/bin/env bash
# Configure and build the guest kernel in an out-of-tree object dir; print the bzImage path.
# Usage: kernel.sh [SRC [OBJ [FRAGMENT...]]]; KMAKE_ARGS adds make arguments.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
out=${2:-$src/obj}
shift $(( $# > 2 ? 2 : $# ))
frags=("$@")
[ ${#frags[@]} -gt 0 ] || frags=("$top/config/vm.config")
[ -f "$src/Makefile" ] || die "no kernel tree at $src (run: make tree)"
src=$(cd "$src" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

read -ra extra <<<"${KMAKE_ARGS:-}"
kmake() { make -C "$src" O="$out" -j"$(nproc)" CC="ccache gcc" "${extra[@]}" "$@"; }

mkdir -p "$out"
cat "${frags[@]}" >"$out/fragment.config"
if ! cmp -s "$out/fragment.config" "$out/.fragment.applied" 2>/dev/null; then
	kmake -s tinyconfig >/dev/null
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config fragment.config >/dev/null)
	kmake -s olddefconfig >/dev/null
	cp "$out/fragment.config" "$out/.fragment.applied"
fi

missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$out/fragment.config" | while read -r line; do
	grep -qxF "$line" "$out/.config" || echo "${line%%=*}"
done)
if [ -n "$missing" ]; then
	rm -f "$out/.fragment.applied"
	die "config options not set as requested: $(echo $missing)"
fi

kmake -s bzImage >&2 || die "kernel build failed in $src"
echo "$out/arch/x86/boot/bzImage"
