#!/usr/bin/env bash
# Fetch and unpack the pinned Linux base: Debian 11's linux-source-5.10.
set -euo pipefail

. "$(dirname "$0")/lib.sh"
. "$top/config/base.env"
cache=${CACHE:-$build/cache}
tarball=${LINUX_TARBALL:-}
src=$cache/linux-$BASE_VERSION

[ -f "$src/.unpacked" ] && { echo "$src"; exit 0; }

if [ -z "$tarball" ]; then
	deb=$("$top/scripts/apt-download.sh" "$BASE_SUITE" "$BASE_PACKAGE" "$BASE_VERSION" \
		"$BASE_SHA256" "$cache") || exit 1
	tmp=$(mktemp -d "$cache/deb.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb -x "$deb" "$tmp" || die "cannot unpack $deb"
	tarball=$tmp/usr/src/linux-source-5.10.tar.xz
fi

[ -f "$tarball" ] || die "no tarball at $tarball"
rm -rf "$src" "$src.tmp"
mkdir -p "$src.tmp"
tar -xJf "$tarball" -C "$src.tmp" --strip-components=1 || die "cannot unpack $tarball"
touch "$src.tmp/.unpacked"
mv "$src.tmp" "$src"
echo "$src"
