#!/usr/bin/env bash
# Install the Debian packages the harness needs, or say how to.
set -euo pipefail

packages=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod
	git perl python3 ccache sparse codespell python3-docutils
	rsync qemu-system-x86 busybox-static gnuplot-nox debootstrap debhelper dh-dkms uuid-dev python3-ply
	ninja-build python3-venv python3-distlib libglib2.0-dev libfdt-dev)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
	tail -5 "$log" >&2
	echo "deps: apt-get install ${missing[*]} failed" >&2
	exit 1
fi
