#!/usr/bin/env bash
# Download the pinned QEMU of config/qemu.conf, verify and unpack it into build/qemu;
# print the qemu-system-x86_64 path. LOCAL_QEMU=path uses that binary instead.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${LOCAL_QEMU:-}" ]; then
	[ -x "$LOCAL_QEMU" ] || die "LOCAL_QEMU=$LOCAL_QEMU is not an executable"
	echo "$LOCAL_QEMU"
	exit 0
fi
dir=$build/qemu
bin=$dir/usr/bin/qemu-system-x86_64
stamp=$(sha256sum "$top/config/qemu.conf" | cut -d' ' -f1)
if [ "$(cat "$dir/.ready" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	while read -r suite package version sha; do
		deb=$("$top/scripts/apt-download.sh" "$suite" "$package" "$version" "$sha" \
			"$build/cache/debs") || exit 1
		dpkg-deb -x "$deb" "$dir" || die "cannot unpack $deb"
	done < <("$top/scripts/list.sh" "$top/config/qemu.conf")
	[ -x "$bin" ] || die "no qemu-system-x86_64 in the packages of config/qemu.conf"
	echo "$stamp" >"$dir/.ready"
fi
echo "$bin"
