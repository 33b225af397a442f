#!/usr/bin/env bash
# Build the selftests of a tree, run them in the VM on every default device,
# and print one line per test case: "PASS|FAIL|SKIP <device>: <test>".
# Usage: vm-selftests.sh [TREE [CONSOLE_LOG]]; KERNEL=bzImage boots another kernel,
# SELFTESTS="prog..." runs only those programs (default: every program of the tree's
# kselftest-list.txt, in its order), SELFTESTS_SKIP="prog..." all but those,
# SELFTESTS_ARGS="ARG..." passes each program these arguments (kselftest_harness
# filters: "-v VARIANT..."; no commas), INITRAMFS_MODULES=DIR gives it its modules
# (see initramfs.sh), VFIO_RANDOM_SEED=N,
# VFIO_RANDOM_MODEL=series|upstream and VFIO_RANDOM_STEPS=N the random operation tester
# its seed, model and number of steps.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:-$tree}
console=${2:-$build/vm/selftests.log}
out=$build/guest
kernel=${KERNEL:-$src/obj/arch/x86/boot/bzImage}
[ -f "$kernel" ] || die "no kernel at $kernel (run: make kernel)"

"$top/scripts/guest-programs.sh" "$src" "$out" >&2
list=$out/kselftest/kselftest-list.txt
[ -f "$list" ] || die "$src has no tools/testing/selftests/vfio"
for p in ${SELFTESTS:-} ${SELFTESTS_SKIP:-}; do
	grep -qx "vfio:$p" "$list" || die "$src has no selftest $p"
done
# keep [-v] PROGRAMS: keep the lines of the list that are (-v: are not) "vfio:PROGRAM"
keep() {
	local invert=
	[ "$1" != -v ] || { invert=-v; shift; }
	[ -n "$1" ] || return 0
	grep $invert -xF "$(printf 'vfio:%s\n' $1)" "$list" >"$list.tmp" || true
	mv "$list.tmp" "$list"
}
keep "${SELFTESTS:-}"
keep -v "${SELFTESTS_SKIP:-}"
[ -s "$list" ] || die "no selftest left to run"
"$top/scripts/list.sh" "$top/config/scratch-regs" >"$out/kselftest/scratch-regs"
INITRAMFS_KSELFTEST=$out/kselftest "$top/scripts/initramfs.sh" "$out/initramfs.cpio.gz" \
	"$top/guest/run-selftests" >&2
seed=${VFIO_RANDOM_SEED:-$(date +%s)}
[[ $seed =~ ^[0-9]+$ ]] || die "bad VFIO_RANDOM_SEED: $seed"
echo "selftests: random operation seed $seed (VFIO_RANDOM_SEED=$seed reproduces it)" >&2
[[ ${SELFTESTS_ARGS:-} != *,* ]] || die "SELFTESTS_ARGS cannot contain commas: $SELFTESTS_ARGS"
run=run-selftests
for arg in ${SELFTESTS_ARGS:-}; do run+=",$arg"; done
cmdline="loglevel=5 lp.run=$run lp.seed=$seed"
if [ -n "${VFIO_RANDOM_MODEL:-}" ]; then
	[[ $VFIO_RANDOM_MODEL =~ ^(series|upstream)$ ]] ||
		die "bad VFIO_RANDOM_MODEL: $VFIO_RANDOM_MODEL (series or upstream)"
	echo "selftests: random operation model $VFIO_RANDOM_MODEL" >&2
	cmdline+=" lp.random_model=$VFIO_RANDOM_MODEL"
fi
timeout=1800
if [ -n "${VFIO_RANDOM_STEPS:-}" ]; then
	[[ $VFIO_RANDOM_STEPS =~ ^[1-9][0-9]*$ ]] || die "bad VFIO_RANDOM_STEPS: $VFIO_RANDOM_STEPS"
	cmdline+=" lp.random_steps=$VFIO_RANDOM_STEPS"
	# 400 steps (the tester's default) take up to 35 s per device under TCG
	timeout=$((timeout + VFIO_RANDOM_STEPS))
fi
"$top/scripts/vm.sh" -t "${VM_TIMEOUT:-$timeout}" -l "$console" "$kernel" "$out/initramfs.cpio.gz" \
	"$cmdline" >/dev/null

tr -d '\r' <"$console" | awk '
	function verdict(v, what) { print v, dev ": " what; seen[suite]++ }
	/^lp: bound / { want[$3] = $4 }
	/^lp: selftests on [^ ]+ [0-9a-f]+:[0-9a-f]+ [a-z_]+$/ {
		dev = $5 " " $4; suite = dev " " $6; plan[suite] = 0; next
	}
	/^1\.\.[0-9]+$/ && suite != "" { plan[suite] = substr($0, 4) + 0; next }
	/^# +RUN +/ { name = $3; next }
	# "ok N # SKIP why" (the 5.10 harness) or "ok N name # SKIP why" (newer ones)
	/^ok [0-9]+ (.* )?# SKIP/ { sub(/^ok [0-9]+ (.* )?# SKIP */, ""); verdict("SKIP", name " (" $0 ")"); next }
	/^ok [0-9]+ / { verdict("PASS", name); next }
	/^not ok [0-9]+ / { verdict("FAIL", name); next }
	END {
		for (s in plan)
			if (seen[s] < plan[s])
				print "FAIL", s ": suite ended after " seen[s] + 0 " of " plan[s] " tests"
		for (b in want) {
			found = 0
			for (s in plan) if (index(s, b)) found = 1
			if (!found) print "FAIL", want[b] " " b ": suite did not run"
		}
	}'
