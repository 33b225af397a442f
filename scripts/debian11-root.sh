#!/usr/bin/env bash
# Make (once; cached) the Debian 11 root of make distro: debootstrap --variant=minbase
# bullseye, then the packages of config/debian11-root installed with the root's own
# apt, each checked against its pinned version and sha256. Prints the root's path.
# Usage: debian11-root.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

conf=$top/config/debian11-root
root=$build/cache/debian11-root
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
key=$(sha256sum "$conf" | cut -d' ' -f1)
[ "$(cat "$root/.ready" 2>/dev/null)" = "$key" ] && { echo "$root"; exit 0; }
command -v debootstrap >/dev/null || die "debootstrap not found (make deps)"
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot)"

tmp=$root.tmp
log=$build/cache/debian11-root.log
rm -rf "$root" "$tmp"
mkdir -p "$tmp"
echo "debian11-root: debootstrap bullseye (log: $log)" >&2
debootstrap --variant=minbase bullseye "$tmp" "$mirror" >"$log" 2>&1 ||
	die "debootstrap bullseye failed: $(tail -1 "$log")"

mapfile -t pins < <("$top/scripts/list.sh" "$conf")
want=()
for p in "${pins[@]}"; do
	read -r package version _ <<<"$p"
	want+=("$package=$version")
done
echo "debian11-root: apt-get install ${want[*]}" >&2
"$top/scripts/chroot.sh" "$tmp" apt-get install -y -q --no-install-recommends "${want[@]}" >>"$log" 2>&1 ||
	die "apt-get install in the Debian 11 root failed: $(tail -1 "$log")"

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
