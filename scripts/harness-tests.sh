#!/usr/bin/env bash
# Drive each error path of the harness once; print "PASS|FAIL <what>: <the line it printed>".
# Usage: harness-tests.sh CHECK_TREE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check=$1
work=$build/harness-tests
rm -rf "$work"
mkdir -p "$work"

expect() {
	local what=$1 want_status=$2 want_text=$3 status=0
	shift 3
	"$@" >"$work/out" 2>&1 || status=$?
	local line
	line=$(grep -m1 -e "$want_text" "$work/out" || true)
	if [ "$status" -eq "$want_status" ] && [ -n "$line" ]; then
		echo "PASS $what: $line"
	else
		echo "FAIL $what: exit $status, wanted $want_status and '$want_text'"
		tail -5 "$work/out" | sed 's/^/    /'
	fi
}

corrupt_download() {
	mkdir -p "$work/cache"
	head -c 4096 "$build/cache/${STACK_PACKAGE}_${STACK_VERSION}_all.deb" \
		>"$work/cache/${STACK_PACKAGE}_${STACK_VERSION}_all.deb"
	CACHE=$work/cache "$top/scripts/fetch.sh" || return
	return 0
}
. "$top/scripts/stack.sh"
expect "corrupt download" 1 "checksum mismatch" corrupt_download
[ ! -e "$work/cache/${STACK_PACKAGE}_${STACK_VERSION}_all.deb" ] ||
	echo "FAIL corrupt download: the bad file was not deleted"

# A source package stack (QEMU's): a .dsc that is not the pinned one
corrupt_dsc() (
	STACK=qemu
	. "$top/scripts/stack.sh"
	local dsc=${STACK_PACKAGE}_${STACK_VERSION#*:}.dsc
	mkdir -p "$work/dsc-cache"
	sed 's/^Version: .*/Version: 0/' "$build/cache/$dsc" >"$work/dsc-cache/$dsc"
	CACHE=$work/dsc-cache "$top/scripts/fetch.sh" || return
	return 0
)
expect "corrupt source package" 1 "checksum mismatch for qemu_" corrupt_dsc
[ -z "$(ls "$work"/dsc-cache/*.dsc 2>/dev/null)" ] ||
	echo "FAIL corrupt source package: the bad .dsc was not deleted"

broken_series() {
	mkdir -p "$work/patches"
	cp "$STACK_PATCHES/series" "$STACK_PATCHES"/*.patch "$work/patches/"
	local first
	first=$(sed -n 1p "$STACK_PATCHES/series")
	awk '/^@@ / { hunk = 1 } hunk && !done && /^ ./ { $0 = $0 " (changed)"; done = 1 } 1' \
		"$STACK_PATCHES/$first" >"$work/patches/$first"
	git -C "$check" worktree add -q --detach "$work/tree" pristine
	PATCHES=$work/patches "$top/scripts/apply-series.sh" "$work/tree"
}
expect "patch that does not apply" 1 "patch does not apply" broken_series
git -C "$check" worktree remove --force "$work/tree" 2>/dev/null || true

"$top/scripts/initramfs.sh" "$work/initrd.gz"
kernel=$check/obj/arch/x86/boot/bzImage
expect "guest that hangs" 3 "guest hung" \
	"$top/scripts/vm.sh" -t 10 -l "$work/hang.log" "$kernel" "$work/initrd.gz" "lp.run=sleep,600"
expect "guest that oopses" 4 "kernel splat" \
	"$top/scripts/vm.sh" -t 60 -l "$work/oops.log" "$kernel" "$work/initrd.gz" \
	"lp.run=echo,c,>,/proc/sysrq-trigger"
expect "bad random tester seed" 1 "bad seed in SEEDS: 12x" \
	env SEEDS="7 12x" "$top/scripts/upstream-random.sh" "$check" "$build/check-linux-7.2" "$work/random"
expect "missing qemu" 2 "qemu-system-x86_64 not found" \
	env QEMU=/nonexistent/qemu-system-x86_64 "$top/scripts/vm.sh" "$kernel" "$work/initrd.gz"
# The instruction counting plugin against a QEMU it was not built for
printf '#!/bin/sh\necho "QEMU emulator version 9.9.1"\n' >"$work/qemu-9.9"
chmod +x "$work/qemu-9.9"
expect "plugin for another QEMU" 1 "is QEMU 9.9.1, the plugin header is QEMU 7.2" \
	env QEMU="$work/qemu-9.9" "$top/scripts/insn-plugin.sh"

# series_plus NAME FILE...: a copy of the series with the patch FILE... added at its end
series_plus() {
	local dir=$work/$1
	shift
	mkdir -p "$dir"
	cp "$STACK_PATCHES/series" "$STACK_PATCHES"/*.patch "$dir/"
	cat "$@" >"$dir/9999-harness-test.patch"
	echo 9999-harness-test.patch >>"$dir/series"
	echo "$dir"
}
outside_modules() {
	local dir
	dir=$(series_plus outside "$top/scripts/harness-tests/touch-pci-core.patch")
	PATCHES=$dir "$top/scripts/dkms-package.sh" "$work/outside-dkms"
}
expect "series change outside the DKMS modules" 1 "which the DKMS modules do not carry" outside_modules
dkms_build_failure() {
	local dir deb
	dir=$(series_plus broken "$top/scripts/harness-tests/break-vfio-pci.patch")
	deb=$(PATCHES=$dir "$top/scripts/dkms-package.sh" "$work/broken-dkms") || return
	"$top/scripts/dkms-install.sh" "$deb" "$work/broken-root"
}
expect "DKMS build failure" 1 "DKMS could not build" dkms_build_failure
rm -rf "$work/broken-root"
