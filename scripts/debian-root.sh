#!/usr/bin/env bash
# Make (once; cached) a Debian root: debootstrap --variant=minbase of the suite that
# config/roots/NAME names, then its packages installed with the root's own apt, each
# checked against its pinned version and sha256. Prints the root's path.
# Usage: debian-root.sh NAME (debian11: make distro's; sid: upstream module builds)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: debian-root.sh NAME}
conf=$top/config/roots/$name
[ -f "$conf" ] || die "no root named $name (no $conf)"
suite=$("$top/scripts/list.sh" "$conf" | awk '$1 == "suite" { print $2 }')
[ -n "$suite" ] || die "$conf names no suite"
root=$build/cache/root-$name
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
key=$(sha256sum "$conf" | cut -d' ' -f1)
[ "$(cat "$root/.ready" 2>/dev/null)" = "$key" ] && { echo "$root"; exit 0; }
command -v debootstrap >/dev/null || die "debootstrap not found (make deps)"
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot)"

tmp=$root.tmp
log=$build/cache/root-$name.log
rm -rf "$root" "$tmp"
mkdir -p "$tmp"
echo "debian-root: debootstrap $suite for $name (log: $log)" >&2
debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$log" 2>&1 ||
	die "debootstrap $suite failed: $(tail -1 "$log")"

mapfile -t pins < <("$top/scripts/list.sh" "$conf" | awk '$1 != "suite"')
want=()
for p in "${pins[@]}"; do
	read -r package version _ <<<"$p"
	want+=("$package=$version")
done
echo "debian-root: apt-get install ${want[*]}" >&2
"$top/scripts/chroot.sh" "$tmp" apt-get install -y -q --no-install-recommends "${want[@]}" >>"$log" 2>&1 ||
	die "apt-get install in the $name root failed: $(tail -1 "$log")"

for p in "${pins[@]}"; do
	read -r package version sha <<<"$p"
	deb=$(find "$tmp/var/cache/apt/archives" -name "${package}_${version//:/%3a}_*.deb" | head -1)
	[ -n "$deb" ] || die "apt installed no $package $version"
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	[ "$sum" = "$sha" ] || die "checksum mismatch for $(basename "$deb"): got $sum, want $sha"
done
chroot "$tmp" apt-get clean
echo "$key" >"$tmp/.ready"
mv "$tmp" "$root"
echo "$root"
