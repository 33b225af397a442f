// SPDX-License-Identifier: GPL-2.0
/*
 * Read one 32-bit register of a PCI device's memory BAR through sysfs, with no
 * driver bound: the guest of the real-guest check (guest/qemu-guest) uses it to
 * see that its device works before and after its power management cycled it.
 * Memory decoding is enabled first (the guest's firmware may leave it off).
 *
 * Usage: bar-read BDF BAR OFFSET
 * Prints the register as 0x%08x; exits 1 with a message on stderr on error.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x2

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "bar-read: %s %s\n", what, path);
	return 1;
}

int main(int argc, char **argv)
{
	char path[128];
	volatile uint32_t *regs;
	uint16_t cmd;
	long bar, offset;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: bar-read BDF BAR OFFSET\n");
		return 2;
	}
	bar = strtol(argv[2], NULL, 0);
	offset = strtol(argv[3], NULL, 0);
	if (bar < 0 || bar > 5 || offset < 0 || offset % 4)
		return fail("bad BAR or offset for", argv[1]);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, 2, PCI_COMMAND) != 2)
		return fail("cannot read", path);
	cmd |= PCI_COMMAND_MEMORY;
	if (pwrite(fd, &cmd, 2, PCI_COMMAND) != 2)
		return fail("cannot enable memory decoding through", path);
	close(fd);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%ld", argv[1], bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return fail("cannot open", path);
	regs = mmap(NULL, offset + 4, PROT_READ, MAP_SHARED, fd, 0);
	if (regs == MAP_FAILED)
		return fail("cannot map", path);
	printf("0x%08x\n", regs[offset / 4]);
	return 0;
}
