#!/usr/bin/env bash
# Download one pinned Debian package with a private apt configuration, verify its sha256.
# Usage: apt-download.sh SUITE PACKAGE VERSION SHA256 DESTDIR; prints the .deb path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 5 ] || die "usage: apt-download.sh SUITE PACKAGE VERSION SHA256 DESTDIR"
suite=$1 package=$2 version=$3 sha=$4 dest=$5
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
apt_dir=$build/cache/apt-$suite
deb_name() { find "$dest" -maxdepth 1 -name "${package}_${version//:/%3a}_*.deb" 2>/dev/null | head -1 || true; }
deb=$(deb_name)

if [ -z "$deb" ]; then
	mkdir -p "$dest"
	apt_private "$apt_dir" "deb $mirror $suite main"
	apt-get "${apt_opts[@]}" -qq update >&2 2>/dev/null || die "apt-get update of $suite failed"
	(cd "$dest" && apt-get "${apt_opts[@]}" -qq download "$package=$version" 2>/dev/null >&2) ||
		die "download of $package=$version from $suite failed"
	deb=$(deb_name)
fi
[ -n "$deb" ] || die "download of $package=$version gave no .deb in $dest"
sum=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$sum" != "$sha" ]; then
	rm -f "$deb"
	die "checksum mismatch for $(basename "$deb"): got $sum, want $sha (download deleted)"
fi
echo "$deb"
