#!/usr/bin/env bash
# Build bench/lp_insn_plugin.c, the TCG plugin that counts the guest instructions
# of one operation, against the plugin header of the QEMU that runs the VM
# (config/insn-plugin.conf); print the plugin's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/config/insn-plugin.conf"

qemu=${QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || die "$qemu not found (apt-get install qemu-system-x86)"
# Plugins must match the QEMU that loads them: the same upstream release
want=${PLUGIN_VERSION#*:}
want=${want%%+*}
have=$("$qemu" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
[ "${have%.*}" = "$want" ] ||
	die "$qemu is QEMU $have, the plugin header is QEMU $want's (config/insn-plugin.conf)"

src=$("$top/scripts/apt-source.sh" "$PLUGIN_SUITE" "$PLUGIN_PACKAGE" "$PLUGIN_VERSION" \
	"$PLUGIN_DSC_SHA256" "$build/cache/qemu-plugin") || exit 1
hdr=$src/include/qemu/qemu-plugin.h
[ -f "$hdr" ] || die "no qemu-plugin.h in $src"
out=$build/bench-plugin
mkdir -p "$out"
gcc -shared -fPIC -O2 -Wall -Werror -I "$(dirname "$hdr")" -o "$out/lp_insn_plugin.so" \
	"$top/bench/lp_insn_plugin.c" || die "cannot build bench/lp_insn_plugin.c"
echo "$out/lp_insn_plugin.so"
