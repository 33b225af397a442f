#!/usr/bin/env bash
# The build step of the Linux stack (config/stacks/linux-5.10.conf): build what the
# checked-out commit of TREE changes against its parent, the way a reviewer would:
# the kernel (with the sample, CONFIG_SAMPLE_VFIO_LOWPOWER) in TREE/obj, and the
# selftests with their kselftest Makefile. Prints what it built ("nothing" for a
# commit that only touches documentation).
# Usage: build-linux.sh TREE. One configuration serves every commit: config/vm.config
# and the selftests' config as of the tip of the series (commits before the selftests
# patch have none).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:?usage: build-linux.sh TREE}
files=$(git -C "$src" diff --name-only HEAD~1 HEAD)
built=()
. "$top/scripts/stack.sh"
mkdir -p "$src/obj"
git -C "$src" show "$STACK_BRANCH:tools/testing/selftests/vfio/config" >"$src/obj/selftests.config" ||
	die "the tip of $STACK_BRANCH in $src has no tools/testing/selftests/vfio/config"
frags=("$top/config/vm.config" "$src/obj/selftests.config")
if grep -qvE '^Documentation/|^MAINTAINERS$|^tools/' <<<"$files"; then
	"$top/scripts/kernel.sh" "$src" "$src/obj" "${frags[@]}" >/dev/null
	built+=(kernel)
fi
if grep -q '^tools/testing/selftests/vfio/' <<<"$files"; then
	"$top/scripts/guest-programs.sh" "$src" "$build/build-each-selftests"
	built+=(selftests)
fi
echo "${built[*]:-nothing}"
