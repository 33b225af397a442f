#!/usr/bin/env bash
# Every gate of the project, counted as tests; ends with "N passed, N failed, N skipped".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check=$build/check
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

series_patches() { "$top/scripts/list.sh" "$patches/series"; }
patch_commit() { git -C "$check" rev-list --reverse pristine..lowpower | sed -n "${1}p"; }

reset_check_tree() {
	if [ -d "$check/.git" ]; then
		git -C "$check" checkout -q -f -B lowpower pristine &&
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
		pass "series: $n patches apply to the pristine base with git am"
	else
		fail "series: $out"
		finish
	fi
}

gate_checkpatch() {
	local p ignore
	for p in $(series_patches); do
		ignore=$(awk -v p="$p" '$1 == p { printf ",%s", $2 }' "$top/config/checkpatch-exceptions")
		if perl "$check/scripts/checkpatch.pl" --strict -q --no-summary \
			--ignore "FILE_PATH_CHANGES${ignore}" \
			"$patches/$p" >"$log/checkpatch-$p.txt" 2>&1; then
			pass "checkpatch --strict: $p"
		else
			fail "checkpatch --strict: $p"
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
			fail "commit message: $p has no Signed-off-by"
		elif [ "$body" -lt 3 ]; then
			fail "commit message: $p has no body that explains why ($body lines)"
		else
			pass "commit message: $p has a body and a Signed-off-by"
		fi
	done
}

sparse_vfio() {
	make -C "$check" O=obj -s -j"$(nproc)" CC="ccache gcc" C=2 drivers/vfio/ 2>&1 |
		grep -E ': (warning|error):' | sed -E 's/:[0-9]+:[0-9]+:/:/' | sort | uniq -c || true
}

gate_build_each() {
	local i=0 p c files
	"$top/scripts/kernel.sh" "$check" "$check/obj" >/dev/null 2>"$log/build-base.txt" ||
		{ fail "build: configure the check tree"; tail -5 "$log/build-base.txt"; finish; }
	git -C "$check" checkout -q pristine
	sparse_vfio >"$log/sparse-base.txt"
	for p in $(series_patches); do
		i=$((i + 1))
		c=$(patch_commit "$i")
		git -C "$check" checkout -q "$c"
		files=$(git -C "$check" diff --name-only "$c~1" "$c")
		if ! grep -qvE '^(Documentation|tools|samples)/|^MAINTAINERS$' <<<"$files"; then
			pass "build after $p (no kernel source change)"
		elif "$top/scripts/kernel.sh" "$check" "$check/obj" >/dev/null 2>"$log/build-$p.txt"; then
			pass "build after $p"
		else
			fail "build after $p"
			grep -E 'error|Error' "$log/build-$p.txt" | head -10 | sed 's/^/    /'
		fi
	done
	git -C "$check" checkout -q lowpower
	"$top/scripts/kernel.sh" "$check" "$check/obj" >/dev/null 2>"$log/build-tip.txt" ||
		{ fail "build: tip of the series"; finish; }
}

gate_sparse() {
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

gate_roundtrip() {
	rm -rf "$build/roundtrip"
	"$top/scripts/series.sh" "$check" "$build/roundtrip" >/dev/null
	if diff -ru "$patches" "$build/roundtrip" >"$log/roundtrip.diff"; then
		pass "round trip: exporting a fresh tree gives patches/ back byte for byte"
	else
		fail "round trip: export differs from patches/ (see $log/roundtrip.diff)"
		head -20 "$log/roundtrip.diff" | sed 's/^/    /'
	fi
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
gate_debug() {
	count_vm "debug kernel" "$top/scripts/debug.sh" "$check" "$log/debug-console.log"
}

mkdir -p "$log"
phase "dependencies" "$top/scripts/deps.sh"
phase "series applies" gate_apply
phase "checkpatch" gate_checkpatch
phase "commit messages" gate_commit_messages
phase "build after every patch" gate_build_each
phase "sparse" gate_sparse
phase "documentation" gate_rst
phase "export round trip" gate_roundtrip
phase "harness error paths" gate_harness
phase "selftests in the VM" gate_selftests
phase "selftests on the debug kernel" gate_debug
finish
