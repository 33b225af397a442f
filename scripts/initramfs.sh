#!/usr/bin/env bash
# Build a busybox initramfs with guest/init as /init and each FILE in /bin.
# Usage: initramfs.sh OUT.cpio.gz [FILE...]; INITRAMFS_MODULES=DIR adds kernel modules
# (DIR/load-order names them in order) to /lib/modules, INITRAMFS_KSELFTEST=DIR a
# kselftest install tree (guest-programs.sh) as /kselftest, INITRAMFS_OVERLAY=DIR
# the files under DIR at the same paths (DIR/guest/x as /guest/x).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: initramfs.sh OUT.cpio.gz [FILE...]"
out=$1
shift
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "no busybox at $busybox (apt-get install busybox-static)"
for f in "$@"; do
	[ -f "$f" ] || die "no such file: $f"
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp}
cp "$busybox" "$stage/bin/busybox"
while read -r applet; do
	[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done < <("$busybox" --list)
install -m 0755 "$top/guest/init" "$stage/init"
for f in "$@"; do
	install -m 0755 "$f" "$stage/bin/"
done
if [ -n "${INITRAMFS_MODULES:-}" ]; then
	mkdir -p "$stage/lib/modules"
	cp "$INITRAMFS_MODULES"/* "$stage/lib/modules/" || die "cannot copy modules from $INITRAMFS_MODULES"
fi
if [ -n "${INITRAMFS_KSELFTEST:-}" ]; then
	[ -f "$INITRAMFS_KSELFTEST/kselftest-list.txt" ] ||
		die "no kselftest install tree at $INITRAMFS_KSELFTEST"
	cp -a "$INITRAMFS_KSELFTEST" "$stage/kselftest"
fi
if [ -n "${INITRAMFS_OVERLAY:-}" ]; then
	cp -a "$INITRAMFS_OVERLAY"/. "$stage/" || die "cannot copy the files under $INITRAMFS_OVERLAY"
fi
mknod "$stage/dev/console" c 5 1 || die "cannot create dev/console (needs root)"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n) >"$out.tmp" ||
	die "cannot write $out"
mv "$out.tmp" "$out"
