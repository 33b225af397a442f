// SPDX-License-Identifier: GPL-2.0
/*
 * Figures for the VFIO low power features on one device bound to vfio-pci:
 * the cost of GET_INFO, config reads and BAR0 reads when low power is never
 * used, how long ENTRY and EXIT block their caller, the time from ENTRY to
 * runtime suspended, the time a wakeup takes, and the worst time a GET_INFO
 * takes while other threads loop hot resets and entries and exits.
 * Prints "bench-setup rounds ROUNDS loops LOOPS wakes WAKES" first, then
 * "bench NAME median MEDIAN min MIN max MAX UNIT p99 P99" lines, each after
 * one "bench-sample NAME VALUE UNIT" line per sample (a round's mean per
 * operation for the ns figures, one operation for the ms figures).
 *
 * With -i it measures nothing itself: it runs each of GET_INFO, a 4-byte
 * config read and a 4-byte BAR0 read INSNS times on CPU 0, each between two
 * marker instructions that bench/lp_insn_plugin.c, loaded into the QEMU that
 * runs the VM, counts the instructions between (operations 1, 2 and 3).
 * With -s BAR:OFFSET:VALUE (config/scratch-regs) also an ioeventfd doorbell:
 * the write() to an eventfd that VFIO_DEVICE_IOEVENTFD has bound to a
 * 4-byte write of VALUE there, which the kernel makes in that call
 * (operation 4).
 *
 * Usage: vfio_lowpower_bench [-i [-s BAR:OFFSET:VALUE]] dddd:bb:dd.f
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#ifndef VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY 3
#endif
#ifndef VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP 4
#endif
#ifndef VFIO_DEVICE_FEATURE_LOW_POWER_EXIT
#define VFIO_DEVICE_FEATURE_LOW_POWER_EXIT 5
#endif

#define ROUNDS		9
#define LOOPS		20000
#define WAKES		25
#define CYCLES		200	/* ENTRY/EXIT cycles for the ioctl durations */
#define INSNS		200	/* marked operations of each kind with -i */
#define RESET_S		4	/* seconds of the GET_INFO worst case run */

static const char *bdf;
static int device, group;
static off_t cfg_off, bar0_off;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, int n, double scale,
		   const char *unit)
{
	int i;

	for (i = 0; i < n; i++)
		printf("bench-sample %s %.3f %s\n", name, v[i] / scale, unit);
	qsort(v, n, sizeof(*v), cmp_double);
	printf("bench %s median %.3f min %.3f max %.3f %s p99 %.3f\n", name,
	       v[n / 2] / scale, v[0] / scale, v[n - 1] / scale, unit,
	       v[(n * 99 + 99) / 100 - 1] / scale);
}

static void die(const char *what)
{
	fprintf(stderr, "vfio_lowpower_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void sysfs_path(char *buf, size_t len, const char *attr)
{
	snprintf(buf, len, "/sys/bus/pci/devices/%s/%s", bdf, attr);
}

static void write_attr(const char *attr, const char *val)
{
	char path[256];
	int fd;

	sysfs_path(path, sizeof(path), attr);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		die(path);
	close(fd);
}

static int suspended(void)
{
	char path[256], buf[32] = "";
	int fd;

	sysfs_path(path, sizeof(path), "power/runtime_status");
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		die(path);
	close(fd);
	return !strncmp(buf, "suspended", 9);
}

static double wait_suspended(double start)
{
	while (!suspended()) {
		if (now_ns() - start > 2e9) {
			errno = ETIMEDOUT;
			die("waiting for runtime suspend");
		}
		usleep(200);
	}
	return now_ns() - start;
}

static int feature(__u32 which, int efd)
{
	struct {
		struct vfio_device_feature hdr;
		__s32 fd;
		__u32 reserved;
	} f = { .hdr.flags = VFIO_DEVICE_FEATURE_SET | which, .fd = efd };

	f.hdr.argsz = sizeof(f.hdr) + (efd >= 0 ? 8 : 0);
	return ioctl(device, VFIO_DEVICE_FEATURE, &f);
}

static void open_device(void)
{
	char path[256], link[256], *grp;
	int container, type1 = VFIO_TYPE1_IOMMU;
	struct vfio_region_info ri = { .argsz = sizeof(ri),
				       .index = VFIO_PCI_CONFIG_REGION_INDEX };
	struct vfio_region_info bar = { .argsz = sizeof(bar),
					.index = VFIO_PCI_BAR0_REGION_INDEX };
	__u16 cmd;
	ssize_t n;

	sysfs_path(path, sizeof(path), "iommu_group");
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = '\0';
	grp = strrchr(link, '/') + 1;
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0 ||
	    ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, type1))
		die("VFIO container and group");
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (device < 0 || ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("VFIO device");
	cfg_off = ri.offset;

	if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &bar))
		die("VFIO_DEVICE_GET_REGION_INFO BAR0");
	if (!(bar.flags & VFIO_REGION_INFO_FLAG_READ) || bar.size < 4) {
		errno = ENODEV;
		die("BAR0 is not a readable region");
	}
	bar0_off = bar.offset;
	/* vfio-pci fails BAR accesses while memory decoding is off */
	if (pread(device, &cmd, 2, cfg_off + PCI_COMMAND) != 2)
		die("config read of the command register");
	cmd = le16toh(cmd);
	if (!(cmd & PCI_COMMAND_MEMORY)) {
		cmd = htole16(cmd | PCI_COMMAND_MEMORY);
		if (pwrite(device, &cmd, 2, cfg_off + PCI_COMMAND) != 2)
			die("enabling memory decoding");
	}
}

static void bench_unused(void)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	double ioc[ROUNDS], rd[ROUNDS], bar[ROUNDS], t;
	__u32 val;
	int r, i;

	for (r = 0; r < ROUNDS; r++) {
		t = now_ns();
		for (i = 0; i < LOOPS; i++)
			if (ioctl(device, VFIO_DEVICE_GET_INFO, &info))
				die("VFIO_DEVICE_GET_INFO");
		ioc[r] = (now_ns() - t) / LOOPS;
		t = now_ns();
		for (i = 0; i < LOOPS; i++)
			if (pread(device, &val, 4, cfg_off) != 4)
				die("config read");
		rd[r] = (now_ns() - t) / LOOPS;
		t = now_ns();
		for (i = 0; i < LOOPS; i++)
			if (pread(device, &val, 4, bar0_off) != 4)
				die("BAR0 read");
		bar[r] = (now_ns() - t) / LOOPS;
	}
	report("get_info_ioctl", ioc, ROUNDS, 1, "ns");
	report("config_read_4b", rd, ROUNDS, 1, "ns");
	report("bar_read_4b", bar, ROUNDS, 1, "ns");
}

static void bench_low_power(void)
{
	double entry[WAKES], rd_wake[WAKES], host_wake[WAKES], t;
	__u64 count;
	__u32 val;
	int r, efd;

	for (r = 0; r < WAKES; r++) {
		efd = eventfd(0, EFD_NONBLOCK);
		t = now_ns();
		if (feature(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP, efd))
			die("LOW_POWER_ENTRY_WITH_WAKEUP");
		entry[r] = wait_suspended(t);
		t = now_ns();
		if (pread(device, &val, 4, cfg_off) != 4 ||
		    read(efd, &count, 8) != 8)
			die("wake by config read");
		rd_wake[r] = now_ns() - t;
		close(efd);

		efd = eventfd(0, EFD_NONBLOCK);
		if (feature(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP, efd))
			die("LOW_POWER_ENTRY_WITH_WAKEUP");
		wait_suspended(now_ns());
		t = now_ns();
		write_attr("power/control", "on");
		if (poll(&(struct pollfd){ .fd = efd, .events = POLLIN }, 1,
			 1000) != 1)
			die("wake by power/control");
		host_wake[r] = now_ns() - t;
		write_attr("power/control", "auto");
		feature(VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, -1);
		close(efd);
	}
	report("entry_to_suspended", entry, WAKES, 1e6, "ms");
	report("wake_by_config_read", rd_wake, WAKES, 1e6, "ms");
	report("wake_by_power_control", host_wake, WAKES, 1e6, "ms");
}

/* How long ENTRY, a rejected second ENTRY and EXIT block their caller */
static void bench_ioctl_durations(void)
{
	static double entry[CYCLES], again[CYCLES], exit_[CYCLES];
	double t;
	int r;

	for (r = 0; r < CYCLES; r++) {
		t = now_ns();
		if (feature(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, -1))
			die("LOW_POWER_ENTRY");
		entry[r] = now_ns() - t;
		t = now_ns();
		if (!feature(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, -1) ||
		    errno != EINVAL) {
			errno = EPROTO;
			die("a second LOW_POWER_ENTRY was not refused");
		}
		again[r] = now_ns() - t;
		wait_suspended(now_ns());
		t = now_ns();
		if (feature(VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, -1))
			die("LOW_POWER_EXIT");
		exit_[r] = now_ns() - t;
	}
	report("entry_ioctl", entry, CYCLES, 1e6, "ms");
	report("entry_refused_ioctl", again, CYCLES, 1e6, "ms");
	report("exit_ioctl", exit_, CYCLES, 1e6, "ms");
}

/*
 * VFIO_DEVICE_PCI_HOT_RESET with the device's own group: 0, or -errno
 * (-EPERM if the reset would affect devices of other groups)
 */
static int hot_reset(void)
{
	struct {
		struct vfio_pci_hot_reset_info hdr;
		struct vfio_pci_dependent_device devs[8];
	} info = { .hdr.argsz = sizeof(info) };
	struct {
		struct vfio_pci_hot_reset hdr;
		__s32 fd;
	} reset = { .hdr.argsz = sizeof(reset), .hdr.count = 1, .fd = group };
	__u32 i;

	if (ioctl(device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info))
		return -errno;
	for (i = 0; i < info.hdr.count; i++)
		if (info.devs[i].group_id != info.devs[0].group_id)
			return -EPERM;
	return ioctl(device, VFIO_DEVICE_PCI_HOT_RESET, &reset) ? -errno : 0;
}

static volatile int stop;

static void *reset_loop(void *arg)
{
	int *resets = arg;
	int ret;

	while (!stop) {
		/* The reset only tries the locks that an entry or another holds */
		ret = hot_reset();
		if (ret == -EBUSY || ret == -EAGAIN) {
			usleep(1000);
			continue;
		}
		errno = -ret;
		if (ret)
			die("VFIO_DEVICE_PCI_HOT_RESET");
		++*resets;
	}
	return NULL;
}

static void *entry_exit_loop(void *arg)
{
	int *cycles = arg;

	while (!stop) {
		if (feature(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, -1) ||
		    feature(VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, -1))
			die("LOW_POWER_ENTRY and _EXIT");
		++*cycles;
		usleep(1000);
	}
	return NULL;
}

/*
 * GET_INFO in a loop for RESET_S seconds; print the worst call as NAME and
 * how many took more than a millisecond
 */
static void get_info_worst(const char *name)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	double worst = 0, t, end, d;
	int calls = 0, slow = 0;

	end = now_ns() + RESET_S * 1e9;
	while ((t = now_ns()) < end) {
		if (ioctl(device, VFIO_DEVICE_GET_INFO, &info))
			die("VFIO_DEVICE_GET_INFO");
		d = now_ns() - t;
		if (d > worst)
			worst = d;
		slow += d > 1e6;
		calls++;
	}
	printf("bench-sample %s %.3f ms\n", name, worst / 1e6);
	printf("bench %s median %.3f min %.3f max %.3f ms p99 %.3f\n", name,
	       worst / 1e6, worst / 1e6, worst / 1e6, worst / 1e6);
	printf("bench-note %s %d calls, %d over 1 ms\n", name, calls, slow);
}

/*
 * The worst GET_INFO alone, while one thread loops hot resets, and while one
 * thread loops hot resets and another entries and exits (@low_power: the
 * kernel has the features).  power/control is "on" meanwhile, so that the
 * device never suspends and no GET_INFO has to wake it.  The first two are
 * the reference: what the guest's scheduler, TCG and QEMU's emulation of
 * the reset cost a GET_INFO on any kernel; the third adds what it waits
 * behind the other threads' accesses.
 */
static void bench_get_info_under_reset(int low_power)
{
	pthread_t resetter, enterer;
	int resets = 0, cycles = 0, ret;

	ret = hot_reset();
	if (ret) {
		printf("bench get_info_worst_under_reset skipped: no hot reset of the device's own group: %s\n",
		       strerror(-ret));
		return;
	}
	write_attr("power/control", "on");
	get_info_worst("get_info_worst_alone");
	stop = 0;
	if (pthread_create(&resetter, NULL, reset_loop, &resets))
		die("pthread_create");
	get_info_worst("get_info_worst_resets_only");
	if (low_power) {
		if (pthread_create(&enterer, NULL, entry_exit_loop, &cycles))
			die("pthread_create");
		get_info_worst("get_info_worst_under_reset");
	}
	stop = 1;
	pthread_join(resetter, NULL);
	if (low_power)
		pthread_join(enterer, NULL);
	write_attr("power/control", "auto");
	printf("bench-note get_info_worst %d hot resets, %d entry/exit cycles\n",
	       resets, cycles);
}

/* The markers of bench/lp_insn_plugin.c */
#define MARK(op, kind) asm volatile(".byte 0x0f, 0x1f, 0x84, 0x00, " #kind \
				    ", " #op ", 0x50, 0x4c" ::: "memory")

/* An eventfd bound to a 4-byte write of @scratch ("BAR:OFFSET:VALUE") */
static int doorbell(const char *scratch)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_device_ioeventfd ioe = { .argsz = sizeof(ioe),
					     .flags = VFIO_DEVICE_IOEVENTFD_32 };
	unsigned int bar;
	unsigned long long off, val;
	int efd;

	if (sscanf(scratch, "%u:%lli:%lli", &bar, &off, &val) != 3 ||
	    bar > VFIO_PCI_BAR5_REGION_INDEX)
		die("bad -s BAR:OFFSET:VALUE");
	ri.index = VFIO_PCI_BAR0_REGION_INDEX + bar;
	if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("VFIO_DEVICE_GET_REGION_INFO");
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		die("eventfd");
	ioe.offset = ri.offset + off;
	ioe.data = val;
	ioe.fd = efd;
	if (ioctl(device, VFIO_DEVICE_IOEVENTFD, &ioe))
		die("VFIO_DEVICE_IOEVENTFD");
	return efd;
}

/* Operations for the instruction counting plugin: nothing is timed */
static void insn_windows(const char *scratch)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	const __u64 one = 1;
	cpu_set_t cpu;
	__u32 val;
	int i, efd;

	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	if (sched_setaffinity(0, sizeof(cpu), &cpu))
		die("sched_setaffinity");
	for (i = 0; i < INSNS; i++) {
		MARK(1, 1);
		if (ioctl(device, VFIO_DEVICE_GET_INFO, &info))
			die("VFIO_DEVICE_GET_INFO");
		MARK(1, 2);
	}
	for (i = 0; i < INSNS; i++) {
		MARK(2, 1);
		if (pread(device, &val, 4, cfg_off) != 4)
			die("config read");
		MARK(2, 2);
	}
	for (i = 0; i < INSNS; i++) {
		MARK(3, 1);
		if (pread(device, &val, 4, bar0_off) != 4)
			die("BAR0 read");
		MARK(3, 2);
	}
	if (!scratch) {
		printf("bench-insns get_info_ioctl 1 config_read_4b 2 bar_read_4b 3 windows %d\n",
		       INSNS);
		return;
	}
	efd = doorbell(scratch);
	for (i = 0; i < INSNS; i++) {
		MARK(4, 1);
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			die("eventfd write");
		MARK(4, 2);
	}
	printf("bench-insns get_info_ioctl 1 config_read_4b 2 bar_read_4b 3 ioeventfd_write 4 windows %d\n",
	       INSNS);
}

int main(int argc, char **argv)
{
	struct {
		struct vfio_device_feature hdr;
	} probe = { .hdr = { .argsz = sizeof(probe),
		.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
			 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY } };
	int insns = argc >= 3 && !strcmp(argv[1], "-i");
	const char *scratch = NULL;

	if (insns && argc == 5 && !strcmp(argv[2], "-s"))
		scratch = argv[3];
	if (argc != 2 + insns + 2 * !!scratch) {
		fprintf(stderr, "usage: vfio_lowpower_bench [-i [-s BAR:OFFSET:VALUE]] dddd:bb:dd.f\n");
		return 2;
	}
	bdf = argv[argc - 1];
	open_device();
	if (insns) {
		insn_windows(scratch);
		return 0;
	}
	printf("bench-setup rounds %d loops %d wakes %d\n", ROUNDS, LOOPS, WAKES);
	bench_unused();
	if (ioctl(device, VFIO_DEVICE_FEATURE, &probe)) {
		printf("bench low_power skipped: the kernel lacks the feature\n");
		bench_get_info_under_reset(0);
		return 0;
	}
	bench_low_power();
	bench_ioctl_durations();
	bench_get_info_under_reset(1);
	return 0;
}
