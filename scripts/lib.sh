# Shared settings for the harness scripts; sourced, never run.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
tree=$build/linux
obj=$tree/obj
patches=${PATCHES:-$top/patches}

export GIT_AUTHOR_NAME="VFIO Low Power Series"
export GIT_AUTHOR_EMAIL="vfio-lowpower@example.org"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
base_date="2024-08-01T00:00:00Z"

die() { echo "$(basename "$0" .sh): $*" >&2; exit 1; }
