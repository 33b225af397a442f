# Load the patch stack description config/stacks/$STACK.conf; sourced after lib.sh.
# Sets the STACK_* variables with absolute paths; a stack's scripts can be pointed
# elsewhere with PATCHES=dir (the series) as before.
STACK=${STACK:-linux-5.10}
stack_conf=$top/config/stacks/$STACK.conf
[ -f "$stack_conf" ] || die "no patch stack $STACK (no $stack_conf)"
# shellcheck source=/dev/null
. "$stack_conf"
STACK_PATCHES=${PATCHES:-$top/$STACK_PATCHES}
STACK_TREE=$build/$STACK_TREE
STACK_CACHE=${CACHE:-$build/cache}
