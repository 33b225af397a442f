#!/usr/bin/env bash
# Install the DKMS package in a copy of the Debian 11 root as a user would
# (apt-get install ./vfio-lowpower-dkms_*.deb), and check that DKMS built and
# installed its modules for the root's kernel. Prints the root's path.
# Usage: dkms-install.sh DEB [ROOT]; ROOT defaults to build/distro/root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

deb=${1:?usage: dkms-install.sh DEB [ROOT]}
root=$(realpath -m "${2:-$build/distro/root}")
[ -f "$deb" ] || die "no package at $deb"
clean=$("$top/scripts/debian-root.sh" debian11)
kver=$(ls "$clean/lib/modules")
[ "$(echo "$kver" | wc -l)" -eq 1 ] || die "the Debian 11 root has more than one kernel: $kver"

rm -rf "$root"
mkdir -p "$(dirname "$root")"
cp -a --reflink=auto "$clean" "$root"
cp "$deb" "$root/tmp/"
log=$(dirname "$root")/apt-install.log
apt_status=0
"$top/scripts/chroot.sh" "$root" apt-get install -y -q "/tmp/$(basename "$deb")" >"$log" 2>&1 || apt_status=$?

name=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
module=${name%-dkms}
status=$("$top/scripts/chroot.sh" "$root" dkms status -m "$module" -v "$version" -k "$kver" 2>&1 || true)
if [[ $status != *": installed"* ]]; then
	make_log=/var/lib/dkms/$module/$version/build/make.log
	if [ -f "$root$make_log" ]; then
		echo "dkms-install: the end of DKMS's $make_log:" >&2
		tail -n 20 "$root$make_log" >&2
		die "DKMS could not build $module $version for $kver (its log: $root$make_log)"
	fi
	die "DKMS did not install $module $version for $kver (dkms status: ${status:-nothing}; apt log: $log)"
fi
[ "$apt_status" -eq 0 ] || die "apt-get install $(basename "$deb") failed: $(tail -1 "$log") (log: $log)"
for m in $(dkms_modules); do
	[ -f "$root/lib/modules/$kver/updates/dkms/$m.ko" ] ||
		die "DKMS installed no updates/dkms/$m.ko for $kver"
done
echo "$root"
