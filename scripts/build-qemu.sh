#!/usr/bin/env bash
# The build step of the QEMU stack (config/stacks/qemu.conf): a static
# qemu-system-x86_64 from TREE in TREE/obj with only what the end-to-end test needs
# (the x86_64 target, KVM but no TCG: the test runs it with -accel qtest; no tools,
# no docs, no optional libraries), with ccache. Prints what it built; the binary is
# TREE/obj/qemu-system-x86_64.
# Usage: build-qemu.sh TREE
set -euo pipefail
. "$(dirname "$0")/lib.sh"
STACK=qemu
. "$top/scripts/stack.sh"

src=$(cd "${1:?usage: build-qemu.sh TREE}" && pwd)
out=$src/obj

# QEMU wants a newer meson than Debian 12's: Debian 13's, unpacked, on PYTHONPATH
read -r suite package version sha <<<"$QEMU_MESON"
meson_dir=$STACK_CACHE/tools/$package-$version
if [ ! -x "$meson_dir/usr/bin/meson" ]; then
	deb=$("$top/scripts/apt-download.sh" "$suite" "$package" "$version" "$sha" "$STACK_CACHE/debs")
	rm -rf "$meson_dir"
	mkdir -p "$meson_dir"
	dpkg-deb -x "$deb" "$meson_dir" || die "cannot unpack $deb"
fi
export PATH=$meson_dir/usr/bin:$PATH
export PYTHONPATH=$meson_dir/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}

# A build directory configured otherwise (an older harness's) is configured anew
args=(--cc="ccache gcc" --target-list=x86_64-softmmu --static --without-default-features
	--enable-tcg --enable-kvm --disable-tools --disable-docs --disable-install-blobs --disable-user)
if [ ! -f "$out/build.ninja" ] || [ "$(cat "$out/configure.args" 2>/dev/null)" != "${args[*]}" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	(cd "$out" && "$src/configure" "${args[@]}") >"$out/configure.log" 2>&1 ||
		{ tail -5 "$out/configure.log" >&2; die "QEMU's configure failed (see $out/configure.log)"; }
	echo "${args[*]}" >"$out/configure.args"
fi
ninja -C "$out" qemu-system-x86_64 >"$out/ninja.log" 2>&1 ||
	{ grep -E 'error|FAILED' "$out/ninja.log" | head -10 >&2; die "the QEMU build failed (see $out/ninja.log)"; }
echo "qemu-system-x86_64"
