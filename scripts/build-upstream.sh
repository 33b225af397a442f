#!/usr/bin/env bash
# The build step of the upstream stack (config/stacks/linux-7.2.conf): build what the
# checked-out commit of TREE changes against its parent: the vfio selftests with their
# kselftest Makefile (statically linked, as the guest runs them). Prints what it built.
# Usage: build-upstream.sh TREE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:?usage: build-upstream.sh TREE}
files=$(git -C "$src" diff --name-only HEAD~1 HEAD)
built=()
if grep -qvE '^Documentation/|^MAINTAINERS$|^tools/' <<<"$files"; then
	die "the commit changes kernel code, which this build step does not build yet: $(grep -vE '^Documentation/|^MAINTAINERS$|^tools/' <<<"$files" | head -1)"
fi
if grep -q '^tools/testing/selftests/vfio/' <<<"$files"; then
	"$top/scripts/guest-programs.sh" "$src" "$build/build-each-upstream"
	built+=(selftests)
fi
echo "${built[*]:-nothing}"
