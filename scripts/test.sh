#!/usr/bin/env bash
# Every gate of the project, counted as tests; ends with "N passed, N failed, N skipped".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

log=$build/test-logs
passed=0 failed=0 skipped=0

pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $*"; }
phase() {
	local start=$SECONDS
	echo "== $1"
	"$2"
	echo "== $1: $((SECONDS - start)) s"
}
finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}

# The patch stacks (config/stacks/*.conf); the gates of one stack run with STACK set
stacks() { for f in "$top"/config/stacks/*.conf; do basename "$f" .conf; done; }
load_stack() {
	STACK=$1
	. "$top/scripts/stack.sh"
	check=$build/check-$STACK
}
series_patches() { "$top/scripts/list.sh" "$STACK_PATCHES/series"; }
patch_commit() { git -C "$check" rev-list --reverse "pristine..$STACK_BRANCH" | sed -n "${1}p"; }

reset_check_tree() {
	if [ -d "$check/.git" ]; then
		git -C "$check" checkout -q -f -B "$STACK_BRANCH" pristine &&
			git -C "$check" clean -q -fdx -e '/obj*/' &&
			"$top/scripts/apply-series.sh" "$check"
	else
		"$top/scripts/tree.sh" "$check" >/dev/null
	fi
}

gate_apply() {
	if out=$(reset_check_tree 2>&1); then
		local n
		n=$(series_patches | wc -l)
		pass "$STACK series: $n patches apply to the pristine source with git am"
	else
		fail "$STACK series: $out"
		finish
	fi
}

gate_checkpatch() {
	local p ignore cmd
	read -ra cmd <<<"$STACK_CHECKPATCH"
	for p in $(series_patches); do
		ignore=$(awk -v p="$p" '$1 == p { printf "%s,", $2 }' "$top/config/checkpatch-exceptions")
		if (cd "$check" && perl "${cmd[@]}" ${ignore:+--ignore "${ignore%,}"} \
			"$STACK_PATCHES/$p") >"$log/checkpatch-$p.txt" 2>&1; then
			pass "$STACK checkpatch: $p"
		else
			fail "$STACK checkpatch: $p"
			sed 's/^/    /' "$log/checkpatch-$p.txt" | head -20
		fi
	done
}

gate_commit_messages() {
	local i=0 p c body
	for p in $(series_patches); do
		i=$((i + 1))
		c=$(patch_commit "$i")
		body=$(git -C "$check" log -1 --format=%b "$c" | grep -v -e '^Signed-off-by:' -e '^\s*$' | wc -l)
		if ! git -C "$check" log -1 --format=%b "$c" | grep -q '^Signed-off-by: .* <.*@.*>$'; then
			fail "$STACK commit message: $p has no Signed-off-by"
		elif [ "$body" -lt 3 ]; then
			fail "$STACK commit message: $p has no body that explains why ($body lines)"
		else
			pass "$STACK commit message: $p has a body and a Signed-off-by"
		fi
	done
}

gate_build_each() {
	local i=0 p c what
	for p in $(series_patches); do
		i=$((i + 1))
		c=$(patch_commit "$i")
		git -C "$check" checkout -q "$c"
		if what=$("$top/$STACK_BUILD" "$check" 2>"$log/build-$p.txt"); then
			pass "$STACK build after $p: $what"
		else
			fail "$STACK build after $p"
			grep -E 'error|Error|: ' "$log/build-$p.txt" | head -10 | sed 's/^/    /'
		fi
	done
	git -C "$check" checkout -q "$STACK_BRANCH"
}

gate_roundtrip() {
	local out=$build/roundtrip-$STACK diff=$log/roundtrip-$STACK.diff
	rm -rf "$out"
	"$top/scripts/series.sh" "$check" "$out" >/dev/null
	if diff -ru "$STACK_PATCHES" "$out" >"$diff"; then
		pass "$STACK round trip: exporting a fresh tree gives the patches back byte for byte"
	else
		fail "$STACK round trip: export differs from $STACK_PATCHES (see $diff)"
		head -20 "$diff" | sed 's/^/    /'
	fi
}

# The Linux stack's own gates, on its check tree
sparse_vfio() {
	make -C "$check" O=obj -s -j"$(nproc)" CC="ccache gcc" C=2 drivers/vfio/ 2>&1 |
		grep -E ': (warning|error):' | sed -E 's/:[0-9]+:[0-9]+:/:/' | sort | uniq -c || true
}

gate_sparse() {
	git -C "$check" checkout -q pristine
	sparse_vfio >"$log/sparse-base.txt"
	git -C "$check" checkout -q "$STACK_BRANCH"
	sparse_vfio >"$log/sparse-tip.txt"
	local new
	new=$(comm -13 "$log/sparse-base.txt" "$log/sparse-tip.txt")
	if [ -z "$new" ]; then
		pass "sparse C=2: drivers/vfio reports nothing new ($(wc -l <"$log/sparse-base.txt") on the base)"
	else
		fail "sparse C=2: new reports in drivers/vfio"
		sed 's/^/    /' <<<"$new" | head -20
	fi
}

gate_rst() {
	local f found=0
	for f in $(git -C "$check" diff --name-only --diff-filter=A pristine lowpower -- '*.rst'); do
		found=1
		if rst2html --halt=2 --report=2 "$check/$f" /dev/null >"$log/rst.txt" 2>&1; then
			pass "reStructuredText parses cleanly: $f"
		else
			fail "reStructuredText: $f"
			sed 's/^/    /' "$log/rst.txt" | head -10
		fi
	done
	[ "$found" -eq 1 ] || skip "reStructuredText: the series adds no .rst file"
}

gate_harness() {
	while read -r verdict rest; do
		case $verdict in
		PASS) pass "harness error path: $rest" ;;
		FAIL) fail "harness error path: $rest" ;;
		*) echo "$verdict $rest" ;;
		esac
	done < <("$top/scripts/harness-tests.sh" "$check" 2>&1)
}

# count_vm LABEL COMMAND...: one verdict per "PASS|FAIL|SKIP name" line COMMAND prints
count_vm() {
	local label=$1 results
	shift
	results=$("$@") || { fail "$label: the VM run failed"; echo "$results" | tail -40; return; }
	while read -r verdict name; do
		case $verdict in
		PASS) pass "$label: $name" ;;
		SKIP) skip "$label: $name" ;;
		*) fail "$label: $name" ;;
		esac
	done <<<"$results"
}

gate_selftests() { count_vm selftests "$top/scripts/vm-selftests.sh" "$check" "$log/vm-console.log"; }
gate_sleep_power() {
	count_vm "system suspend" "$top/scripts/sleep-power.sh" "$check" "$log/sleep-power.log"
}
gate_distro() {
	count_vm "Debian 11 + DKMS" "$top/scripts/distro.sh" "$check" "$log/distro"
}
gate_upstream() {
	count_vm "upstream selftests" "$top/scripts/upstream-selftests.sh" \
		"$build/check-linux-7.2" "$log/upstream-console.log"
}
# The upstream stack's own kernel builds in the background, on one core at the lowest
# priority, while the VM phases before its gate leave the second core idle (the VM runs
# both vCPUs on one TCG thread, see vm.sh); its gate waits for it, then runs every
# IOMMU mode on it. Nothing else writes to that tree's obj/ meanwhile.
start_upstream_kernel() {
	KMAKE_ARGS=-j1 nice -n 19 "$top/scripts/kernel.sh" "$build/check-linux-7.2" \
		"$build/check-linux-7.2/obj" >"$log/upstream-kernel.log" 2>&1 &
	upstream_kernel=$!
}
gate_upstream_tree() {
	local label="upstream selftests, tree kernel"
	if ! wait "$upstream_kernel"; then
		fail "$label: the kernel build failed (see $log/upstream-kernel.log)"
		tail -5 "$log/upstream-kernel.log" | sed 's/^/    /'
		return
	fi
	UPSTREAM_KERNEL=tree count_vm "$label" "$top/scripts/upstream-selftests.sh" \
		"$build/check-linux-7.2" "$log/upstream-tree-console.log"
}
gate_upstream_random() {
	count_vm "upstream random tester" "$top/scripts/upstream-random.sh" "$check" \
		"$build/check-linux-7.2" "$log/upstream-random"
}
gate_qemu() {
	count_vm "QEMU end to end" "$top/scripts/qemu-e2e.sh" "$check" "$build/check-qemu" \
		"$log/qemu-e2e-console.log"
}
gate_qemu_guest() {
	count_vm "QEMU real guest" "$top/scripts/qemu-e2e.sh" -g "$check" "$build/check-qemu" \
		"$log/qemu-guest-console.log"
}
# The debug kernel builds in the background too, from the first VM phase on, on the core
# the VM leaves idle, at the lowest priority; its gate waits for it, and debug.sh's own
# build of it then has nothing left to do. Nothing else writes to that obj-debug/.
start_debug_kernel() {
	KMAKE_ARGS=-j1 nice -n 19 "$top/scripts/debug.sh" -b "$check" >"$log/debug-kernel.log" 2>&1 &
	debug_kernel=$!
}
gate_debug() {
	if ! wait "$debug_kernel"; then
		fail "debug kernel: the build failed (see $log/debug-kernel.log)"
		tail -5 "$log/debug-kernel.log" | sed 's/^/    /'
		return
	fi
	count_vm "debug kernel" "$top/scripts/debug.sh" "$check" "$log/debug-console.log"
}

mkdir -p "$log"
phase "dependencies" "$top/scripts/deps.sh"
for stack in $(stacks); do
	load_stack "$stack"
	phase "$STACK: series applies" gate_apply
	phase "$STACK: checkpatch" gate_checkpatch
	phase "$STACK: commit messages" gate_commit_messages
	phase "$STACK: build after every patch" gate_build_each
	phase "$STACK: export round trip" gate_roundtrip
done
load_stack linux-5.10
phase "sparse" gate_sparse
phase "documentation" gate_rst
phase "harness error paths" gate_harness
start_debug_kernel
phase "selftests in the VM" gate_selftests
phase "system suspend keeps open devices in D0" gate_sleep_power
phase "Debian 11's stock kernel with the DKMS package" gate_distro
phase "the upstream selftests on their stock kernel" gate_upstream
start_upstream_kernel
phase "the random operation tester on the upstream stack's stock kernel" gate_upstream_random
phase "the QEMU series end to end" gate_qemu
phase "the QEMU series under a real Linux guest" gate_qemu_guest
phase "selftests on the debug kernel" gate_debug
phase "the upstream selftests on a kernel built from their tree, every IOMMU mode" gate_upstream_tree
finish
