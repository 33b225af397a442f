#!/usr/bin/env bash
# Fetch and unpack the pinned Linux base: Debian 11's linux-source-5.10.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/config/base.env"
cache=${CACHE:-$top/build/cache}
apt_dir=$cache/apt
tarball=${LINUX_TARBALL:-}
src=$cache/linux-$BASE_VERSION

die() { echo "fetch-base: $*" >&2; exit 1; }

[ -f "$src/.unpacked" ] && { echo "$src"; exit 0; }

if [ -z "$tarball" ]; then
	deb=$cache/${BASE_PACKAGE}_${BASE_VERSION}_all.deb
	if [ ! -f "$deb" ]; then
		mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
		echo "deb $BASE_MIRROR $BASE_SUITE main" >"$apt_dir/sources.list"
		opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list"
		      -o Dir::Etc::SourceParts=/dev/null
		      -o Dir::State::Lists="$apt_dir/lists"
		      -o Dir::Cache="$apt_dir"
		      -o Dir::State::Status=/dev/null
		      -o APT::Architecture=amd64)
		apt-get "${opts[@]}" -qq update >&2 ||
			die "apt-get update of $BASE_SUITE failed"
		(cd "$cache" && apt-get "${opts[@]}" -qq download \
			"$BASE_PACKAGE=$BASE_VERSION" >&2) ||
			die "download of $BASE_PACKAGE=$BASE_VERSION failed"
	fi
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ "$sum" != "$BASE_SHA256" ]; then
		rm -f "$deb"
		die "checksum mismatch for $(basename "$deb"): got $sum, want $BASE_SHA256 (download deleted)"
	fi
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
