#!/usr/bin/env bash
# Apply a patch stack's series (STACK, see config/stacks/) with git am, in the order of
# its series file, on top of HEAD of a work tree; the cover letter becomes the
# branch description that series.sh exports again.
# Usage: apply-series.sh [TREE]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/scripts/stack.sh"

dest=${1:-$STACK_TREE}
cd "$dest"

cover=$STACK_PATCHES/0000-cover-letter.patch
if [ -f "$cover" ]; then
	git config "branch.$STACK_BRANCH.description" "$("$top/scripts/cover-description.sh" "$cover")"
fi

"$top/scripts/list.sh" "$STACK_PATCHES/series" | while read -r p; do
	if ! git am -q --keep-cr --committer-date-is-author-date "$STACK_PATCHES/$p" >/dev/null 2>&1; then
		git am --abort >/dev/null 2>&1 || true
		die "patch does not apply: $(basename "$STACK_PATCHES")/$p"
	fi
done
