// SPDX-License-Identifier: GPL-2.0
/*
 * Churn QEMU's memory map while MMIO goes on: one process toggles the memory
 * decoding of device A through its sysfs config file, another reads BAR 0
 * of device B through its sysfs resource file, for a number of seconds.
 * With a TCG thread per vCPU, QEMU 7.2 and 10.0 crash under this now and
 * then; scripts/qemu-stress.sh counts how often.
 *
 * Usage: mmiostress BDF_TOGGLED BDF_READ SECONDS
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x2

static int reader(const char *bdf, time_t end)
{
	volatile uint32_t *bar;
	unsigned long reads = 0;
	uint32_t sink = 0;
	char path[128];
	int fd, i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	bar = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	while (time(NULL) < end) {
		for (i = 0; i < 1000; i++)
			sink += bar[(i * 4) & 1023];
		reads += 1000;
	}
	printf("mmiostress: %lu reads of %s (%x)\n", reads, bdf, sink);
	return 0;
}

static int toggler(const char *bdf, time_t end)
{
	unsigned long toggles = 0;
	uint16_t cmd, off, on;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, sizeof(cmd), PCI_COMMAND) != sizeof(cmd)) {
		perror(path);
		return 1;
	}
	off = cmd & ~PCI_COMMAND_MEMORY;
	on = cmd | PCI_COMMAND_MEMORY;
	while (time(NULL) < end) {
		if (pwrite(fd, &off, sizeof(off), PCI_COMMAND) != sizeof(off) ||
		    pwrite(fd, &on, sizeof(on), PCI_COMMAND) != sizeof(on)) {
			perror(path);
			return 1;
		}
		toggles++;
	}
	printf("mmiostress: %lu toggles of %s\n", toggles, bdf);
	return 0;
}

int main(int argc, char **argv)
{
	int ret, status;
	time_t end;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: mmiostress BDF_TOGGLED BDF_READ SECONDS\n");
		return 2;
	}
	end = time(NULL) + atoi(argv[3]);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid)
		_exit(reader(argv[2], end));
	ret = toggler(argv[1], end);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return ret || WEXITSTATUS(status);
}
