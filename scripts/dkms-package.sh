#!/usr/bin/env bash
# Build the DKMS package vfio-lowpower-dkms from the pristine 5.10 source and the
# series in patches/: the vfio and vfio-pci sources after every patch, dkms/ for the
# build and the Debian packaging. Prints the .deb's path.
# Usage: dkms-package.sh [OUTDIR]; OUTDIR (emptied first) defaults to build/distro/dkms.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$top/scripts/stack.sh"

out=$(realpath -m "${1:-$build/distro/dkms}")
# What the modules carry; the rest of a patch (documentation, sample, selftests,
# MAINTAINERS) is not kernel code. A patch that changes other kernel code fails here.
carried=(drivers/vfio/vfio.c 'drivers/vfio/pci/*' include/uapi/linux/vfio.h)
not_code='^(Documentation|samples|tools)/|^MAINTAINERS$'

base=$("$top/scripts/fetch.sh")
mapfile -t patches < <("$top/scripts/list.sh" "$STACK_PATCHES/series")
[ ${#patches[@]} -gt 0 ] || die "no patches in $STACK_PATCHES/series"
revision=$(grep -o '^Changes in v[0-9]*' "$STACK_PATCHES/0000-cover-letter.patch" | head -1 | grep -o 'v[0-9]*$') ||
	die "the cover letter has no 'Changes in vN' (the series' revision)"
hash=$(cd "$STACK_PATCHES" && cat "${patches[@]}" | sha256sum | cut -c1-8)
version=${base##*-source-5.10-}
version=${version%-*}+lowpower.$revision.g$hash

stage=$out/vfio-lowpower-$version
rm -rf "$out"
mkdir -p "$stage/tree/drivers/vfio" "$stage/tree/include/uapi/linux"
cp "$base/drivers/vfio/vfio.c" "$stage/tree/drivers/vfio/"
cp -a "$base/drivers/vfio/pci" "$stage/tree/drivers/vfio/"
cp "$base/include/uapi/linux/vfio.h" "$stage/tree/include/uapi/linux/"
includes=()
for c in "${carried[@]}"; do
	includes+=(--include="$c")
done
for p in "${patches[@]}"; do
	while read -r _ _ file; do
		[[ $file =~ $not_code ]] && continue
		for c in "${carried[@]}"; do
			# shellcheck disable=SC2053 # $c is a glob
			[[ $file == $c ]] && continue 2
		done
		die "$p changes $file, which the DKMS modules do not carry"
	done < <(git apply --numstat "$STACK_PATCHES/$p")
	# The ceiling keeps git from taking build/'s enclosing repository for the
	# tree's own, which would make it skip every path silently.
	GIT_CEILING_DIRECTORIES=$stage git -C "$stage/tree" apply "${includes[@]}" "$STACK_PATCHES/$p" 2>&1 ||
		die "$p does not apply to the module sources"
done

for f in drivers/vfio/vfio.c drivers/vfio/pci/vfio_pci.c include/uapi/linux/vfio.h; do
	! cmp -s "$base/$f" "$stage/tree/$f" || die "the series left $f unchanged: patches not applied?"
done
mkdir -p "$stage/src/include/uapi/linux"
mv "$stage/tree/drivers/vfio/vfio.c" "$stage/tree/drivers/vfio/pci" "$stage/src/"
mv "$stage/tree/include/uapi/linux/vfio.h" "$stage/src/include/uapi/linux/"
rm -rf "$stage/tree"
cp "$top/dkms/Kbuild" "$top/dkms/dkms.conf" "$top/dkms/README" "$stage/src/"
cp -a "$top/dkms/debian" "$top/dkms/modules_to_force_install" "$stage/"
cat >"$stage/debian/changelog" <<EOF
vfio-lowpower ($version) unstable; urgency=medium

  * The vfio low-power series $revision (${#patches[@]} patches) on Linux ${version%%+*}.

 -- $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>  $(date -R -u -d "$base_date")
EOF

log=$out/build.log
(cd "$stage" && dpkg-buildpackage -b -uc -us) >"$log" 2>&1 ||
	die "dpkg-buildpackage failed: $(tail -1 "$log") (log: $log)"
deb=$out/vfio-lowpower-dkms_${version}_all.deb
[ -f "$deb" ] || die "dpkg-buildpackage made no $(basename "$deb")"
echo "$deb"
