#!/usr/bin/env bash
# Check that patches/ -> work tree -> export gives patches/ back byte for byte.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

work=$build/roundtrip
rm -rf "$work"
"$top/scripts/tree.sh" "$work/linux" >/dev/null
"$top/scripts/series.sh" "$work/linux" "$work/out" >/dev/null
if ! diff -ru "$patches" "$work/out" >"$work/diff"; then
	head -40 "$work/diff" >&2
	die "export of a fresh tree differs from patches/ (full diff: $work/diff)"
fi
rm -rf "$work/linux"
echo "round trip: patches/ unchanged"
