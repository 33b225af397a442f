#!/usr/bin/env bash
# Export the work tree's series (pristine..HEAD) to patches/ as format-patch output.
# Usage: series.sh [TREE [OUTDIR]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
out=${2:-$patches}
[ -d "$src/.git" ] || die "no work tree at $src (run: make tree)"
[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
	die "$src has uncommitted edits; commit them first"

desc=$(git -C "$src" config branch.lowpower.description || true)
[ -n "$desc" ] || die "no cover letter text: set it with git -C $src branch --edit-description lowpower"

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
