#!/usr/bin/env bash
# Create a patch stack's work tree (STACK, see config/stacks/): the pristine source as
# one commit tagged pristine, then the series on the stack's branch.
# Usage: tree.sh [DEST]; DEST defaults to the stack's work tree, which must not exist.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/scripts/stack.sh"

[ $# -gt 0 ] || [ ! -e "$STACK_TREE" ] ||
	die "$STACK_TREE exists; 'make series' to keep its work, or remove it"
dest=$(realpath -m "${1:-$STACK_TREE}")
src=$("$top/scripts/fetch.sh")

if [ -d "$dest/.git" ]; then
	[ -z "$(git -C "$dest" status --porcelain --untracked-files=no)" ] ||
		die "$dest has uncommitted edits; commit, export (make series) or remove it first"
	rm -rf "$dest"
fi

mkdir -p "$dest"
cp -a "$src/." "$dest/"
rm -f "$dest/.unpacked"
# Build output is no part of the pristine source (git add -f below ignores the exclude)
rm -rf "$dest"/obj*/
cd "$dest"
git init -q -b base
git config core.autocrlf false
git config am.keepcr true
git config user.name "$GIT_AUTHOR_NAME"
git config user.email "$GIT_AUTHOR_EMAIL"
printf '/obj*/\n' >>.git/info/exclude
git add -f -A .
GIT_AUTHOR_DATE=$base_date GIT_COMMITTER_DATE=$base_date git commit -q -m "$STACK_BASE_SUBJECT"
git tag pristine
git checkout -q -b "$STACK_BRANCH"

"$top/scripts/apply-series.sh" "$dest"
echo "$dest"
