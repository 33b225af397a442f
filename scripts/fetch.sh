#!/usr/bin/env bash
# Fetch, verify and unpack the pinned source of a patch stack (STACK, see
# config/stacks/); print the unpacked directory. The source is either a binary
# package that carries a tarball (STACK_SHA256, STACK_TARBALL) or a source package
# (STACK_DSC_SHA256), unpacked by dpkg-source -x with Debian's patches applied.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/scripts/stack.sh"

src=$STACK_CACHE/$STACK_PACKAGE-${STACK_VERSION#*:}
local_src=${!STACK_LOCAL:-}

[ -f "$src/.unpacked" ] && { echo "$src"; exit 0; }

if [ -n "${STACK_DSC_SHA256:-}" ]; then
	if [ -z "$local_src" ]; then
		"$top/scripts/apt-source.sh" "$STACK_SUITE" "$STACK_PACKAGE" "$STACK_VERSION" \
			"$STACK_DSC_SHA256" "$STACK_CACHE"
		exit
	fi
	[ -f "$local_src" ] || die "$STACK_LOCAL=$local_src: no such .dsc"
	rm -rf "$src"
	mkdir -p "$STACK_CACHE"
	dpkg-source -x "$local_src" "$src" >"$STACK_CACHE/dpkg-source-$STACK_PACKAGE.log" 2>&1 ||
		{ rm -rf "$src"; die "dpkg-source -x $local_src failed: $(tail -1 "$STACK_CACHE/dpkg-source-$STACK_PACKAGE.log")"; }
	touch "$src/.unpacked"
	echo "$src"
	exit
fi

tarball=$local_src
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
