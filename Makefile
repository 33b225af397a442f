# vfio-pci low power for Linux 5.10: build, boot and check everything from here.
SHELL := /bin/bash
S := scripts
TREE := build/linux
# The patch stack that base, tree and series work on (config/stacks/)
export STACK ?= linux-5.10
BZIMAGE := $(TREE)/obj/arch/x86/boot/bzImage

.DEFAULT_GOAL := help
.PHONY: help deps base tree series kernel run selftests debug dkms distro upstream upstream-random soak qemu-tree qemu-series qemu qemu-e2e qemu-guest sleep-power rebind coverage conformance bench insns qemu-stress test clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'

deps: ## install the Debian packages the harness needs (as root)
	@$(S)/deps.sh

base: deps ## download, verify and unpack the pinned source of STACK (default: the Linux 5.10 base)
	@$(S)/fetch.sh

tree: deps ## create STACK's work tree (build/linux): pristine source + its patches
	@$(S)/tree.sh

series: ## export the commits of STACK's work tree back to its patches (patches/)
	@$(S)/series.sh

kernel: deps ## build the guest kernel from build/linux; prints the bzImage path
	@test -e $(TREE) || $(S)/tree.sh >/dev/null
	@$(S)/kernel.sh

run: kernel ## boot the VM and show a device entering low power and waking up
	@$(S)/demo.sh

selftests: kernel ## run the selftest suite in the VM against build/linux
	@$(S)/vm-selftests.sh

debug: kernel ## the selftests on a KASAN/UBSAN/lockdep/kmemleak kernel built from build/linux; any report fails
	@$(S)/debug.sh

dkms: deps ## build the DKMS package from patches/ -> build/distro/dkms/vfio-lowpower-dkms_*.deb
	@$(S)/dkms-package.sh

distro: kernel ## Debian 11's stock kernel with the DKMS package installed by apt: selftests, module life cycle
	@$(S)/distro.sh

upstream: deps ## the upstream stack's selftests (build/linux-7.2) on Debian's stock 7.2 kernel, container IOMMU modes (UPSTREAM_KERNEL=tree: on a kernel built from the tree, every mode)
	@test -e build/linux-7.2 || STACK=linux-7.2 $(S)/tree.sh >/dev/null
	@UPSTREAM_KERNEL="$(UPSTREAM_KERNEL)" $(S)/upstream-selftests.sh

upstream-random: deps ## the random operation tester, upstream's model, on the upstream stack's stock kernel (SEEDS="N..." or RANDOM_SEEDS=3)
	@test -e $(TREE) || $(S)/tree.sh >/dev/null
	@test -e build/linux-7.2 || STACK=linux-7.2 $(S)/tree.sh >/dev/null
	@SEEDS="$(SEEDS)" RANDOM_SEEDS="$(RANDOM_SEEDS)" $(S)/upstream-random.sh

soak: deps ## a long upstream-random: SOAK_SEEDS seeds (default 3) of SOAK_STEPS steps (default 2000)
	@test -e $(TREE) || $(S)/tree.sh >/dev/null
	@test -e build/linux-7.2 || STACK=linux-7.2 $(S)/tree.sh >/dev/null
	@RANDOM_SEEDS="$(or $(SOAK_SEEDS),3)" VFIO_RANDOM_STEPS="$(or $(SOAK_STEPS),2000)" $(S)/upstream-random.sh

qemu-tree: deps ## create the QEMU stack's work tree (build/qemu): Debian's qemu source + qemu/patches
	@STACK=qemu $(S)/tree.sh

qemu-series: ## export the commits of build/qemu back to qemu/patches/
	@STACK=qemu $(S)/series.sh

qemu: deps ## build the static qemu-system-x86_64 of build/qemu (for the end-to-end test)
	@test -e build/qemu || STACK=qemu $(S)/tree.sh >/dev/null
	@$(S)/build-qemu.sh build/qemu >/dev/null && echo build/qemu/obj/qemu-system-x86_64

qemu-e2e: kernel qemu ## the QEMU series end to end: QEMU with -accel qtest in the VM drives e1000e, virtio-net, edu
	@$(S)/qemu-e2e.sh $(TREE) build/qemu

qemu-guest: kernel qemu ## a Linux guest of the QEMU series' QEMU (TCG, in the VM): its own runtime PM puts e1000e, virtio-net into D3hot and back
	@set -o pipefail; $(S)/qemu-e2e.sh -g $(TREE) build/qemu | awk '{ print } /^FAIL/ { bad = 1 } END { exit bad }'

sleep-power: kernel ## does a system suspend (pm_test) keep devices held open in D0? QEMU traces their PMCSR writes
	@set -o pipefail; $(S)/sleep-power.sh | awk '{ print } /^FAIL/ { bad = 1 } END { exit bad }'

rebind: kernel ## unbind/bind cycles, idle and engaged, on the upstream stack's stock kernel (REBIND_KERNEL=, CYCLES=20)
	@REBIND_KERNEL="$(REBIND_KERNEL)" CYCLES="$(CYCLES)" $(S)/rebind-cycles.sh

coverage: kernel ## line coverage of the series' code in drivers/vfio (gcov kernel, VM)
	@$(S)/coverage.sh

conformance: kernel ## the selftests and the QEMU tests on 5.10, 5.10 + series and stock Debian 6.1/7.x -> docs/conformance.md (CONFORMANCE_ONLY=qemu: the QEMU tests alone)
	@$(S)/conformance.sh

bench: kernel ## benchmark figures (the VMM's too) on 5.10, 5.10 + series and stock Debian kernels -> docs/bench.md (BENCH_ONLY=qemu: the VMM's alone)
	@$(S)/bench.sh

insns: kernel ## guest instructions per GET_INFO, config read and BAR read (a TCG plugin) on every kernel and candidate guard -> build/insns/
	@$(S)/insns.sh

qemu-stress: kernel ## how often QEMU crashes under memory map churn, per TCG threading (ROUNDS=20)
	@$(S)/qemu-stress.sh $(ROUNDS)

test: ## every gate: series, checkpatch, bisect build, sparse, docs, round trip, selftests, Debian 11 + DKMS, upstream, QEMU, debug kernel
	@$(S)/test.sh

clean: ## remove build/ (the work tree too: run 'make series' first)
	rm -rf build
