#!/usr/bin/env bash
# Fetch one pinned Debian source package with apt-get source and a private apt
# configuration, verify the sha256 of its .dsc (which pins its tarballs: dpkg-source
# checks them against it) and unpack it with dpkg-source -x, Debian's patches applied.
# Usage: apt-source.sh SUITE PACKAGE VERSION DSC_SHA256 DESTDIR; prints the unpacked
# directory (DESTDIR/PACKAGE-VERSION, kept: a second call only prints it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 5 ] || die "usage: apt-source.sh SUITE PACKAGE VERSION DSC_SHA256 DESTDIR"
suite=$1 package=$2 version=$3 sha=$4 dest=$5
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
src=$dest/$package-${version#*:}
dsc=$dest/${package}_${version#*:}.dsc

[ -f "$src/.unpacked" ] && { echo "$src"; exit 0; }

apt_dir=$build/cache/apt-src-$suite
mkdir -p "$dest"
if [ ! -f "$dsc" ]; then
	apt_private "$apt_dir" "deb-src $mirror $suite main"
	apt-get "${apt_opts[@]}" -qq update >&2 2>/dev/null || die "apt-get update of $suite sources failed"
	(cd "$dest" && apt-get "${apt_opts[@]}" -qq source --download-only "$package=$version" >&2 2>/dev/null) ||
		die "apt-get source $package=$version from $suite failed (not in the archive any more?)"
fi
sum=$(sha256sum "$dsc" | cut -d' ' -f1)
[ "$sum" = "$sha" ] ||
	{ rm -f "$dsc"; die "checksum mismatch for $(basename "$dsc"): got $sum, want $sha (download deleted)"; }
rm -rf "$src"
dpkg-source -x "$dsc" "$src" >"$dest/dpkg-source-$package.log" 2>&1 ||
	{ rm -rf "$src"; die "dpkg-source -x $(basename "$dsc") failed: $(tail -1 "$dest/dpkg-source-$package.log")"; }
touch "$src/.unpacked"
echo "$src"
