// SPDX-License-Identifier: GPL-2.0
/*
 * A QEMU TCG plugin that counts the guest instructions executed between two
 * marker instructions, so that the cost of one operation (an ioctl, a read)
 * is a count of instructions rather than a time, which under TCG moves with
 * code layout and host load.
 *
 * A marker is the 8-byte NOP "nopl 0x4c50IIPP(%rax,%rax,1)", bytes
 * 0f 1f 84 00 PP II 50 4c: II names the operation (1 to 255), PP is 1 at the
 * start of a window and 2 at its end.  No compiler or kernel emits that
 * displacement.  Every guest instruction adds one to a counter; at an end
 * marker the plugin writes "insns II COUNT" to the output file, COUNT being
 * the instructions executed since the start marker of the same operation on
 * the same vCPU.
 *
 * The counter counts every vCPU (QEMU 7.2's inline operations have no
 * per-vCPU counters), so run QEMU with one TCG thread and take the minimum
 * over many windows: a window that an interrupt or the other vCPU entered
 * counts more, never less.
 *
 * Build against the qemu-plugin.h of the QEMU that loads it:
 *   gcc -shared -fPIC -O2 -I QEMU/include/qemu -o lp_insn_plugin.so lp_insn_plugin.c
 * Load: -plugin lp_insn_plugin.so,out=FILE
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS	64
#define MARK_START	1
#define MARK_END	2

static uint64_t insns;
static uint64_t start[MAX_VCPUS][256];
static FILE *out;

/* The marker's operation and kind packed as (op << 8 | kind), or 0 */
static unsigned int marker(const uint8_t *b, size_t len)
{
	static const uint8_t nop[] = { 0x0f, 0x1f, 0x84, 0x00 };

	if (len != 8 || memcmp(b, nop, sizeof(nop)) || b[7] != 0x4c ||
	    b[6] != 0x50 || !b[5] || (b[4] != MARK_START && b[4] != MARK_END))
		return 0;
	return b[5] << 8 | b[4];
}

static void on_marker(unsigned int vcpu, void *udata)
{
	unsigned int m = (uintptr_t)udata, op = m >> 8;

	if (vcpu >= MAX_VCPUS)
		return;
	if ((m & 0xff) == MARK_START) {
		start[vcpu][op] = insns;
		return;
	}
	if (!start[vcpu][op])
		return;
	fprintf(out, "insns %u %llu\n", op,
		(unsigned long long)(insns - start[vcpu][op]));
	fflush(out);
	start[vcpu][op] = 0;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct qemu_plugin_insn *insn;
	unsigned int m;

	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
			QEMU_PLUGIN_INLINE_ADD_U64, &insns, 1);
		m = marker(qemu_plugin_insn_data(insn),
			   qemu_plugin_insn_size(insn));
		if (m)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker,
				QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)m);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
	if (!path) {
		fprintf(stderr, "lp_insn_plugin: no out=FILE argument\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	return 0;
}
