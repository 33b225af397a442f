#!/usr/bin/env bash
# Check that the series applies to Debian 11's linux source package as unpacked by
# dpkg-source -x (Debian's own patches applied), the way a distribution kernel team
# would add it to debian/patches: each patch in order, with no fuzz.
# Usage: debian-source.sh; prints one line "PASS|FAIL ...".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/config/debian-source.conf"
. "$top/scripts/stack.sh"

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
dl=$build/cache/debsrc
src=$dl/$DEBSRC_PACKAGE-$DEBSRC_VERSION
dsc=$dl/${DEBSRC_PACKAGE}_${DEBSRC_VERSION#*:}.dsc

if [ ! -f "$src/.unpacked" ]; then
	apt_dir=$dl/apt
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
	echo "deb-src $mirror $DEBSRC_SUITE main" >"$apt_dir/sources.list"
	opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
	      -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir" -o Dir::State::Status=/dev/null)
	if [ ! -f "$dsc" ]; then
		apt-get "${opts[@]}" -qq update >&2 2>/dev/null || die "apt-get update of $DEBSRC_SUITE sources failed"
		(cd "$dl" && apt-get "${opts[@]}" -qq source --download-only "$DEBSRC_PACKAGE=$DEBSRC_VERSION" >&2) ||
			die "apt-get source $DEBSRC_PACKAGE=$DEBSRC_VERSION from $DEBSRC_SUITE failed"
	fi
	sum=$(sha256sum "$dsc" | cut -d' ' -f1)
	[ "$sum" = "$DEBSRC_DSC_SHA256" ] ||
		{ rm -f "$dsc"; die "checksum mismatch for $(basename "$dsc"): got $sum, want $DEBSRC_DSC_SHA256 (download deleted)"; }
	rm -rf "$src"
	dpkg-source -x "$dsc" "$src" >"$dl/dpkg-source.log" 2>&1 ||
		die "dpkg-source -x $(basename "$dsc") failed: $(tail -1 "$dl/dpkg-source.log")"
	touch "$src/.unpacked"
fi

work=$dl/check
rm -rf "$work"
cp -al "$src" "$work"
trap 'rm -rf "$work"' EXIT
n=0
for p in $("$top/scripts/list.sh" "$STACK_PATCHES/series"); do
	if ! out=$(patch -d "$work" -p1 --fuzz=0 --forward --batch --no-backup-if-mismatch -s <"$STACK_PATCHES/$p" 2>&1); then
		echo "FAIL Debian source: $p does not apply to $DEBSRC_PACKAGE $DEBSRC_VERSION (dpkg-source -x): $(echo "$out" | head -1)"
		exit 0
	fi
	n=$((n + 1))
done
echo "PASS Debian source: the $n patches apply with no fuzz to $DEBSRC_PACKAGE $DEBSRC_VERSION as dpkg-source -x unpacks it"
