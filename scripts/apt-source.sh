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
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$dest"
if [ ! -f "$dsc" ]; then
	echo "deb-src $mirror $suite main" >"$apt_dir/sources.list"
	opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
	      -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir" -o Dir::State::Status=/dev/null)
	apt-get "${opts[@]}" -qq update >&2 2>/dev/null || die "apt-get update of $suite sources failed"
	(cd "$dest" && apt-get "${opts[@]}" -qq source --download-only "$package=$version" >&2 2>/dev/null) ||
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
