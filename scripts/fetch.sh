#!/usr/bin/env bash
# Fetch, verify and unpack the pinned source of a patch stack (STACK, see
# config/stacks/); print the unpacked directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/scripts/stack.sh"

src=$STACK_CACHE/$STACK_PACKAGE-$STACK_VERSION
tarball=${!STACK_LOCAL:-}

[ -f "$src/.unpacked" ] && { echo "$src"; exit 0; }

if [ -z "$tarball" ]; then
	deb=$("$top/scripts/apt-download.sh" "$STACK_SUITE" "$STACK_PACKAGE" "$STACK_VERSION" \
		"$STACK_SHA256" "$STACK_CACHE") || exit 1
	tmp=$(mktemp -d "$STACK_CACHE/deb.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb -x "$deb" "$tmp" || die "cannot unpack $deb"
	tarball=$tmp/$STACK_TARBALL
fi

[ -f "$tarball" ] || die "no tarball at $tarball"
rm -rf "$src" "$src.tmp"
mkdir -p "$src.tmp"
tar -xf "$tarball" -C "$src.tmp" --strip-components=1 || die "cannot unpack $tarball"
touch "$src.tmp/.unpacked"
mv "$src.tmp" "$src"
echo "$src"
