#!/usr/bin/env bash
# Apply patches/ (in the order of patches/series) on top of HEAD of a work tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dest=${1:-$tree}
cd "$dest"

cover=$patches/0000-cover-letter.patch
if [ -f "$cover" ]; then
	git config branch.lowpower.description "$("$top/scripts/cover-description.sh" "$cover")"
fi

"$top/scripts/list.sh" "$patches/series" | while read -r p; do
	if ! git am -q --keep-cr --committer-date-is-author-date "$patches/$p" >/dev/null 2>&1; then
		git am --abort >/dev/null 2>&1 || true
		die "patch does not apply: patches/$p"
	fi
done
