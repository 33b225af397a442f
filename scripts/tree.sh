#!/usr/bin/env bash
# Create the kernel work tree: the pristine base as one commit, then the series.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dest=${1:-$tree}
src=$("$top/scripts/fetch-base.sh")

if [ -d "$dest/.git" ]; then
	[ -z "$(git -C "$dest" status --porcelain --untracked-files=no)" ] ||
		die "$dest has uncommitted edits; commit, export (make series) or remove it first"
	rm -rf "$dest"
fi

mkdir -p "$dest"
cp -a "$src/." "$dest/"
rm -f "$dest/.unpacked"
cd "$dest"
git init -q -b base
git config core.autocrlf false
git config am.keepcr true
git config user.name "$GIT_AUTHOR_NAME"
git config user.email "$GIT_AUTHOR_EMAIL"
printf '/obj*/\n' >>.git/info/exclude
git add -f -A .
GIT_AUTHOR_DATE=$base_date GIT_COMMITTER_DATE=$base_date \
	git commit -q -m "Linux 5.10.223 (Debian linux-source-5.10 5.10.223-1)"
git tag pristine
git checkout -q -b lowpower

"$top/scripts/apply-series.sh" "$dest"
echo "$dest"
