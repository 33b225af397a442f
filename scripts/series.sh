#!/usr/bin/env bash
# Export a patch stack's work tree (STACK, see config/stacks/; pristine..HEAD) to its
# patches directory as format-patch output with a cover letter and a series file.
# Usage: series.sh [TREE [OUTDIR]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/scripts/stack.sh"

src=${1:-$STACK_TREE}
out=$(realpath -m "${2:-$STACK_PATCHES}")
[ -d "$src/.git" ] || die "no work tree at $src (run: make tree)"
[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
	die "$src has uncommitted edits; commit them first"

desc=$(git -C "$src" config "branch.$STACK_BRANCH.description" || true)
[ -n "$desc" ] || die "no cover letter text: set it with git -C $src branch --edit-description $STACK_BRANCH"

# A stack meant for upstream (STACK_UPSTREAM_BASE, the release it applies to) has no
# base-commit trailer (its pristine commit is this harness's import, which nobody
# else has) and is addressed to the recipients scripts/get_maintainer.pl of its
# tree names: maintainers and reviewers in To, mailing lists in Cc.
base=(--base=pristine)
[ -z "${STACK_UPSTREAM_BASE:-}" ] || base=()
export GIT_COMMITTER_DATE
GIT_COMMITTER_DATE=$(git -C "$src" log -1 --format=%aD HEAD)
export_series() {
	mkdir -p "$out"
	rm -f "$out"/*.patch
	git -C "$src" -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicprefix=false \
		-c format.signature= -c diff.renames=true \
		format-patch -q --numbered --cover-letter --cover-from-description=subject \
		--zero-commit --no-signature --subject-prefix="${STACK_SUBJECT_PREFIX:-PATCH}" \
		"${base[@]}" "$@" \
		-o "$out" pristine..HEAD >/dev/null
}
export_series
if [ -n "${STACK_UPSTREAM_BASE:-}" ]; then
	recipients=$(cd "$src" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
		--no-fixes --no-multiline --separator '|' $(ls "$out"/*.patch | grep -v /0000-)) ||
		die "scripts/get_maintainer.pl failed in $src"
	args=()
	while IFS= read -r who; do
		case $who in
		*'(maintainer:'* | *'(reviewer:'*) args+=(--to="${who% (*}") ;;
		*'list'*) args+=(--cc="${who% (*}") ;;
		esac
	done < <(tr '|' '\n' <<<"$recipients")
	export_series "${args[@]}"
fi
(cd "$out" && ls -1 [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') >"$out/series"
echo "$out"
