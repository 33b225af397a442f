// SPDX-License-Identifier: GPL-2.0
/*
 * Open a device bound to vfio-pci and keep it open (guest/module-lifecycle):
 * with "engage", put it into low power with VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY
 * first; with "master", set bus mastering in its command register, as a
 * guest driver does (guest/sleep-power). Prints "held" once the device is
 * open (and engaged), then waits for a signal; the kernel releases
 * everything when the process dies.
 *
 * Usage: vfio-hold BDF [engage|master]
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

static void die(const char *what)
{
	fprintf(stderr, "vfio-hold: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_device(const char *bdf)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], link[PATH_MAX];
	int container, group, device;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("/dev/vfio/vfio");
	group = open(path, O_RDWR);
	if (group < 0)
		die(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("group not viable");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("VFIO_SET_IOMMU");
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (device < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");
	return device;
}

static void engage(int device)
{
	struct vfio_device_feature feature = {
		.argsz = sizeof(feature),
		.flags = VFIO_DEVICE_FEATURE_SET |
			 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
	};

	if (ioctl(device, VFIO_DEVICE_FEATURE, &feature))
		die("VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY");
}

static void bus_master(int device)
{
	struct vfio_region_info ri = {
		.argsz = sizeof(ri),
		.index = VFIO_PCI_CONFIG_REGION_INDEX,
	};
	unsigned short cmd;

	if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("VFIO_DEVICE_GET_REGION_INFO");
	if (pread(device, &cmd, sizeof(cmd), ri.offset + 4) != sizeof(cmd))
		die("command register read");
	cmd |= 0x4;	/* PCI_COMMAND_MASTER, little endian host */
	if (pwrite(device, &cmd, sizeof(cmd), ri.offset + 4) != sizeof(cmd))
		die("command register write");
}

int main(int argc, char **argv)
{
	int device;

	if (argc < 2 || argc > 3 ||
	    (argc == 3 && strcmp(argv[2], "engage") && strcmp(argv[2], "master"))) {
		fprintf(stderr, "usage: vfio-hold BDF [engage|master]\n");
		return 2;
	}
	device = open_device(argv[1]);
	if (argc == 3 && !strcmp(argv[2], "engage"))
		engage(device);
	if (argc == 3 && !strcmp(argv[2], "master"))
		bus_master(device);
	printf("held\n");
	fflush(stdout);
	for (;;)
		pause();
}
