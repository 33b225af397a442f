#!/usr/bin/env bash
# Export a patch stack's work tree (STACK, see config/stacks/; pristine..HEAD) to its
# patches directory as format-patch output with a cover letter and a series file.
# Usage: series.sh [TREE [OUTDIR]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/scripts/stack.sh"

src=${1:-$STACK_TREE}
out=${2:-$STACK_PATCHES}
[ -d "$src/.git" ] || die "no work tree at $src (run: make tree)"
[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
	die "$src has uncommitted edits; commit them first"

desc=$(git -C "$src" config "branch.$STACK_BRANCH.description" || true)
[ -n "$desc" ] || die "no cover letter text: set it with git -C $src branch --edit-description $STACK_BRANCH"

mkdir -p "$out"
rm -f "$out"/*.patch
export GIT_COMMITTER_DATE
GIT_COMMITTER_DATE=$(git -C "$src" log -1 --format=%aD HEAD)
git -C "$src" -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicprefix=false \
	-c format.signature= -c diff.renames=true \
	format-patch -q --numbered --cover-letter --cover-from-description=subject \
	--zero-commit --no-signature --base=pristine \
	-o "$out" pristine..HEAD >/dev/null
(cd "$out" && ls -1 [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') >"$out/series"
echo "$out"
