#!/usr/bin/env bash
# Check that the series applies to Debian 11's linux source package as unpacked by
# dpkg-source -x (Debian's own patches applied), the way a distribution kernel team
# would add it to debian/patches: each patch in order, with no fuzz.
# Usage: debian-source.sh; prints one line "PASS|FAIL ...".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/config/debian-source.conf"
. "$top/scripts/stack.sh"

dl=$build/cache/debsrc
src=$("$top/scripts/apt-source.sh" "$DEBSRC_SUITE" "$DEBSRC_PACKAGE" "$DEBSRC_VERSION" \
	"$DEBSRC_DSC_SHA256" "$dl")

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
