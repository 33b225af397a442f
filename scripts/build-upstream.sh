#!/usr/bin/env bash
# The build step of the upstream stack (config/stacks/linux-7.2.conf): build what the
# checked-out commit of TREE changes against its parent: vfio-pci-core and vfio-pci
# for Debian's stock 7.2 kernel (upstream-modules.sh), and the vfio selftests with
# their kselftest Makefile (statically linked, as the guest runs them). Prints what
# it built.
# Usage: build-upstream.sh TREE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:?usage: build-upstream.sh TREE}
files=$(git -C "$src" diff --name-only HEAD~1 HEAD)
built=()
kernel=$(grep -vE '^Documentation/|^MAINTAINERS$|^tools/' <<<"$files" || true)
if [ -n "$kernel" ]; then
	other=$(grep -v -e '^drivers/vfio/pci/[^/]*$' -e '^include/linux/vfio_pci_core\.h$' <<<"$kernel" || true)
	[ -z "$other" ] || die "the commit changes $(head -1 <<<"$other"): only drivers/vfio/pci and vfio_pci_core.h are built (as modules for the stock kernel)"
	"$top/scripts/upstream-modules.sh" "$src" "$build/build-each-upstream-modules" >/dev/null
	built+=(modules)
fi
if grep -q '^tools/testing/selftests/vfio/' <<<"$files"; then
	"$top/scripts/guest-programs.sh" "$src" "$build/build-each-upstream"
	built+=(selftests)
fi
echo "${built[*]:-nothing}"
