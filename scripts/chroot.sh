#!/usr/bin/env bash
# Run a command in a Debian root with /proc mounted, as apt and DKMS need, in a mount
# namespace of its own: the mount goes away with the command, whatever happens.
# Usage: chroot.sh ROOT COMMAND [ARG...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: chroot.sh ROOT COMMAND [ARG...]"
[ -d "$1/proc" ] || die "no root at $1"
[ "$(id -u)" -eq 0 ] || die "needs root (chroot)"
export DEBIAN_FRONTEND=noninteractive
exec unshare --mount --propagation private sh -c 'mount -t proc proc "$1/proc" && exec chroot "$@"' sh "$@"
