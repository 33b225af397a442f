# Shared settings for the harness scripts; sourced, never run.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
tree=$build/linux	# the Linux stack's work tree (config/stacks/linux-5.10.conf)
obj=$tree/obj
base_obj=$build/base-obj	# the 5.10 base's guest kernel objects, outside its pristine source

export GIT_AUTHOR_NAME="VFIO Low Power Series"
export GIT_AUTHOR_EMAIL="vfio-lowpower@example.org"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
base_date="2024-08-01T00:00:00Z"

die() { echo "$(basename "$0" .sh): $*" >&2; exit 1; }

# The VM's devices (config/devices, or the list VM_DEVICE_LIST names)
device_list() { "$top/scripts/list.sh" "${VM_DEVICE_LIST:-$top/config/devices}"; }
# device_ids [N]: the vendor:device IDs of all devices, or of the first N, comma-separated
device_ids() { device_list | awk -v n="${1:-0}" '!n || NR <= n { print $2 }' | paste -sd,; }
# device_qemu_args: the QEMU arguments of all devices, one per line
device_qemu_args() { device_list | awk '{ for (i = 3; i <= NF; i++) print $i }'; }
# The stock Debian kernels of config/kernels.conf, by name, in the order listed
stock_kernels() { "$top/scripts/list.sh" "$top/config/kernels.conf" | awk '!seen[$1]++ { print $1 }'; }
# The modules of the DKMS package, as dkms/dkms.conf names them (vfio vfio-pci)
dkms_modules() { sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p' "$top/dkms/dkms.conf"; }
# build_vfio_hold HEADERS OUT: guest/vfio-hold.c, static, against the uapi headers in HEADERS
build_vfio_hold() {
	[ -d "$1/linux" ] || die "no installed headers at $1 (make kernel)"
	gcc -static -O2 -Wall -Werror -isystem "$1" -o "$2" "$top/guest/vfio-hold.c" ||
		die "cannot build guest/vfio-hold.c"
}
# apt_private DIR LINE: a private apt configuration in DIR whose one source is the
# sources.list line LINE; sets apt_opts, the options that make apt-get use it
apt_private() {
	mkdir -p "$1/lists/partial" "$1/archives/partial"
	echo "$2" >"$1/sources.list"
	apt_opts=(-o Dir::Etc::SourceList="$1/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists="$1/lists" -o Dir::Cache="$1" -o Dir::State::Status=/dev/null
		-o APT::Architecture=amd64)
}
# qemu_pm_devices: the lines of the device list with a PM capability that the QEMU tests assign
# to QEMU (the real-guest check's); qemu_e2e_devices: those and one without (the end-to-end
# test's)
qemu_pm_devices() { device_list | awk '$1 == "e1000e" || $1 == "virtio-net"'; }
qemu_e2e_devices() { qemu_pm_devices; device_list | awk '$1 == "edu"'; }
# qemu_stack_tree: the QEMU stack's work tree, created and its QEMU built if need be;
# prints its path
qemu_stack_tree() (
	export STACK=qemu
	. "$top/scripts/stack.sh"
	[ -e "$STACK_TREE" ] || "$top/scripts/tree.sh" >/dev/null || exit
	"$top/scripts/build-qemu.sh" "$STACK_TREE" >/dev/null || exit
	echo "$STACK_TREE"
)
# qemu_guest_programs QEMU_TREE OUT: the static QEMU of the QEMU stack's tree (stripped) and
# guest/qemu-lowpower, which plays its guest, into OUT
qemu_guest_programs() {
	local qemu=$1/obj/qemu-system-x86_64
	[ -x "$qemu" ] || die "no QEMU at $qemu (make qemu)"
	gcc -static -O2 -Wall -Werror -o "$2/qemu-lowpower" "$top/guest/qemu-lowpower.c" ||
		die "cannot build guest/qemu-lowpower.c"
	strip -o "$2/qemu-system-x86_64" "$qemu" || die "cannot strip the QEMU binary"
}
# upstream_vm_modules SRC STOCK_DIR: the modules a stock kernel of STOCK_DIR
# (stock-kernel.sh) boots with for the upstream stack's tree SRC: vfio-pci-core and
# vfio-pci built from SRC when the series changes drivers/vfio/pci (upstream-modules.sh),
# the stock ones otherwise or with UPSTREAM_MODULES=stock; prints their directory
upstream_vm_modules() {
	local src=$1 dir=$2
	case ${UPSTREAM_MODULES:-tree} in
	tree | stock) ;;
	*) die "bad UPSTREAM_MODULES: $UPSTREAM_MODULES (tree or stock)" ;;
	esac
	if [ "${UPSTREAM_MODULES:-tree}" = stock ] ||
		git -C "$src" diff --quiet pristine HEAD -- drivers/vfio/pci; then
		echo "$dir/modules"
		return
	fi
	dir=$("$top/scripts/upstream-modules.sh" "$src" "$build/upstream/modules") || return
	echo "upstream: vfio-pci-core and vfio-pci built from $src" >&2
	echo "$dir/modules"
}
# guest_fragments SRC: the config fragments of a guest kernel for the selftests of SRC
guest_fragments() {
	local cfg=$1/tools/testing/selftests/vfio/config
	[ -f "$cfg" ] || die "$1 has no $cfg"
	echo "$top/config/vm.config"
	echo "$cfg"
}
# splice_section FILE HEADING TEXT [END]: replace FILE's "## HEADING" section, up to the next
# line that matches the regex END (default: the next "## " heading) or the end, with the
# contents of the file TEXT
splice_section() {
	grep -qxF "## $2" "$1" || die "no section \"## $2\" in $1"
	awk -v h="## $2" -v text="$3" -v end="${4:-^## }" '
		$0 == h { while ((getline l < text) > 0) print l; skip = 1; next }
		skip && $0 ~ end { skip = 0 }
		!skip' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
