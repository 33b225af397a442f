// SPDX-License-Identifier: GPL-2.0
/*
 * The end-to-end test of the QEMU series (qemu/patches): a QEMU built from it
 * runs in the test VM with -accel qtest and one of the VM's devices assigned
 * with vfio-pci; this program plays its guest through the qtest protocol
 * (config cycles through 0xcf8/0xcfc, BAR reads) and checks the host device
 * from sysfs: runtime_status, runtime_usage, and PMCSR through the sysfs
 * config file, which does not wake a device in D3hot.
 *
 * Usage: qemu-lowpower QEMU BDF
 * Prints "lp: check PASS|FAIL NAME[: why]" per check (scripts/qemu-e2e.sh).
 *
 * Usage: qemu-lowpower -b N QEMU BDF
 * The VMM-level latencies instead, N samples of each (make bench): prints
 * "bench-qemu FIGURE VALUE ms" per sample, "bench-qemu failed: why" on error.
 *
 * Usage: qemu-lowpower -d QEMU BDF
 * A few lines that show the path for make run.
 *
 * Usage: qemu-lowpower -g QEMU BDF
 * The real-guest check instead: QEMU (built with TCG) boots the Linux guest in
 * /guest (bzImage, initramfs.cpio.gz; firmware in /guest/firmware) with the
 * device assigned, and guest/qemu-guest in it lets the guest's own PCI power
 * management put the device into D3hot and back; the checks are as above.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_EXP		0x10
#define PMCSR_STATE		0x0003
#define PMCSR_NO_SOFT_RESET	0x0008
#define PMCSR_PME_EN		0x0100
#define PMCSR_PME_STATUS	0x8000
#define SLTCTL_PIC_OFF		0x0300
#define SLTCTL_PCC_OFF		0x0400

/* The guest's topology: a root port at 00:02.0, the device behind it on bus 1 */
#define RP		0, 2
#define DEV		1, 0
#define MEM_WINDOW	0xe0000000u	/* non-prefetchable BARs */
#define PREF_WINDOW	0xe1000000u	/* prefetchable BARs */
#define PMTRACE_CYCLES	3

static const char *bdf, *qemu;
static int failures;

struct vm {
	pid_t pid;
	FILE *in, *out;
	char trace[64], err[64], qmp[64];
};

static void check(const char *name, const char *why)
{
	if (why) {
		printf("lp: check FAIL %s on %s: %s\n", name, bdf, why);
		failures++;
	} else {
		printf("lp: check PASS %s on %s\n", name, bdf);
	}
	fflush(stdout);
}

static char why_buf[512];

static const char *why(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	return why_buf;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Host sysfs */
static void sysfs_read(const char *attr, char *buf, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void sysfs_write(const char *attr, const char *val)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	f = fopen(path, "w");
	if (f) {
		fputs(val, f);
		fclose(f);
	}
}

static int runtime_usage(void)
{
	char buf[32];

	sysfs_read("power/runtime_usage", buf, sizeof(buf));
	return atoi(buf);
}

/* Wait up to 5 s for runtime_status; returns the last status seen */
static const char *wait_status(const char *want)
{
	static char buf[32];
	int i;

	for (i = 0; i < 50; i++) {
		sysfs_read("power/runtime_status", buf, sizeof(buf));
		if (!strcmp(buf, want))
			break;
		msleep(100);
	}
	return buf;
}

static uint16_t host_pmcsr(int pm)
{
	char path[256];
	uint16_t val = 0xffff;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		if (pread(fd, &val, 2, pm + 4) != 2)
			val = 0xffff;
		close(fd);
	}
	return val;
}

/* The offset of the host device's PM capability, 0 if none */
static int host_pm_cap(void)
{
	uint8_t cfg[256];
	char path[256];
	int fd, pos, n = 0;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	if (n != sizeof(cfg) || !(cfg[0x06] & PCI_STATUS_CAP_LIST))
		return 0;
	for (pos = cfg[0x34] & ~3, n = 0; pos && n < 48; pos = cfg[pos + 1] & ~3, n++)
		if (cfg[pos] == PCI_CAP_ID_PM)
			return pos;
	return 0;
}

/* The qtest protocol */
static uint64_t qtest(struct vm *vm, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vfprintf(vm->in, fmt, ap);
	va_end(ap);
	fputc('\n', vm->in);
	fflush(vm->in);
	while (fgets(line, sizeof(line), vm->out)) {
		if (!strncmp(line, "OK", 2))
			return strtoull(line + 2, NULL, 0);
		if (!strncmp(line, "FAIL", 4) || !strncmp(line, "ERR", 3))
			break;
	}
	fprintf(stderr, "qemu-lowpower: qtest command failed: %s", line);
	return ~0ull;
}

static void cf8(struct vm *vm, int bus, int dev, int reg)
{
	qtest(vm, "outl 0xcf8 0x%x", 0x80000000u | bus << 16 | dev << 11 | (reg & 0xfc));
}

static uint32_t cfg_read(struct vm *vm, int bus, int dev, int reg, int len)
{
	static const char *op[] = { [1] = "inb", [2] = "inw", [4] = "inl" };

	cf8(vm, bus, dev, reg);
	return qtest(vm, "%s 0x%x", op[len], 0xcfc + (reg & 3));
}

static void cfg_write(struct vm *vm, int bus, int dev, int reg, int len, uint32_t val)
{
	static const char *op[] = { [1] = "outb", [2] = "outw", [4] = "outl" };

	cf8(vm, bus, dev, reg);
	qtest(vm, "%s 0x%x 0x%x", op[len], 0xcfc + (reg & 3), val);
}

static int find_cap(struct vm *vm, int bus, int dev, int id)
{
	int pos, n;

	if (!(cfg_read(vm, bus, dev, 0x06, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = cfg_read(vm, bus, dev, 0x34, 1) & ~3;
	for (n = 0; pos && n < 48; n++) {
		if (cfg_read(vm, bus, dev, pos, 1) == (uint32_t)id)
			return pos;
		pos = cfg_read(vm, bus, dev, pos + 1, 1) & ~3;
	}
	return 0;
}

static int vm_start(struct vm *vm, bool low_power)
{
	static int n;
	char dev[128], qmp[128];
	int in[2], out[2];

	n++;
	snprintf(vm->trace, sizeof(vm->trace), "/tmp/qemu-%d.trace", n);
	snprintf(vm->err, sizeof(vm->err), "/tmp/qemu-%d.err", n);
	snprintf(vm->qmp, sizeof(vm->qmp), "/tmp/qemu-%d.qmp", n);
	snprintf(dev, sizeof(dev), "vfio-pci,host=%s,bus=rp,id=lp%s", bdf,
		 low_power ? ",x-low-power=on" : "");
	/* QMP over a pair of FIFOs: the test VM's kernel has no Unix sockets */
	snprintf(qmp, sizeof(qmp), "%s.in", vm->qmp);
	unlink(qmp);
	if (mkfifo(qmp, 0600))
		return -1;
	snprintf(qmp, sizeof(qmp), "%s.out", vm->qmp);
	unlink(qmp);
	if (mkfifo(qmp, 0600))
		return -1;
	snprintf(qmp, sizeof(qmp), "pipe:%s", vm->qmp);
	if (pipe(in) || pipe(out))
		return -1;
	vm->pid = fork();
	if (vm->pid < 0)
		return -1;
	if (!vm->pid) {
		int err = open(vm->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err, 2);
		close(in[1]);
		close(out[0]);
		execl(qemu, qemu, "-machine", "q35", "-accel", "qtest", "-m", "64",
		      "-nodefaults", "-display", "none", "-global", "apic-common.vapic=off", "-bios", "/tmp/qemu-bios.bin",
		      "-qtest", "stdio", "-qtest-log", "/dev/null", "-qmp", qmp,
		      "-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
		      "-D", vm->trace, "-trace", "vfio_pci_low_power_*", "-msg", "timestamp=on",
		      "-device", "pcie-root-port,id=rp,chassis=1,slot=1,addr=02.0",
		      "-device", dev, NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	vm->in = fdopen(in[1], "w");
	vm->out = fdopen(out[0], "r");
	/* The first answer says QEMU is up and the device realized */
	if (qtest(vm, "endianness") == ~0ull)
		return -1;

	/* What firmware would do: bus numbers and windows of the root port */
	cfg_write(vm, RP, 0x18, 4, 0x00010100);
	cfg_write(vm, RP, 0x20, 4, (MEM_WINDOW >> 16) | ((MEM_WINDOW + 0xf00000) & 0xfff00000));
	cfg_write(vm, RP, 0x24, 4, (PREF_WINDOW >> 16) | ((PREF_WINDOW + 0xf00000) & 0xfff00000));
	cfg_write(vm, RP, 0x28, 4, 0);
	cfg_write(vm, RP, 0x2c, 4, 0);
	cfg_write(vm, RP, 0x04, 2, 0x0006);
	return 0;
}

static void vm_kill(struct vm *vm)
{
	if (vm->pid <= 0)
		return;
	kill(vm->pid, SIGKILL);
	waitpid(vm->pid, NULL, 0);
	fclose(vm->in);
	fclose(vm->out);
	vm->pid = 0;
}

/* Wait up to 5 s for a line of the trace log that contains what */
static bool traced(struct vm *vm, const char *what)
{
	char line[256];
	bool found = false;
	int i;

	for (i = 0; i < 50 && !found; i++) {
		FILE *f = fopen(vm->trace, "r");

		while (f && !found && fgets(line, sizeof(line), f))
			found = strstr(line, what);
		if (f)
			fclose(f);
		if (!found)
			msleep(100);
	}
	return found;
}

/* Place BAR bar (from the device's own type) in the root port's windows */
static uint64_t map_bar(struct vm *vm, int bar)
{
	int reg = 0x10 + 4 * bar;
	uint32_t val = cfg_read(vm, DEV, reg, 4);
	uint32_t addr = (val & 0x8) ? PREF_WINDOW : MEM_WINDOW;

	cfg_write(vm, DEV, reg, 4, addr);
	if ((val & 0x6) == 0x4)
		cfg_write(vm, DEV, reg + 4, 4, 0);
	cfg_write(vm, DEV, 0x04, 2, cfg_read(vm, DEV, 0x04, 2) | 0x2);
	return addr;
}

/*
 * One QMP session: send each command of cmds in turn, its answer ("return" or
 * "error") in reply[i].  Returns how many were answered.
 */
static int qmp_session(struct vm *vm, const char *const *cmds, int n, char (*reply)[512])
{
	char line[1024] = "", path[80];
	FILE *in, *out;
	int i = 0;

	snprintf(path, sizeof(path), "%s.in", vm->qmp);
	in = fopen(path, "w");
	snprintf(path, sizeof(path), "%s.out", vm->qmp);
	out = fopen(path, "r");
	if (!in || !out || !fgets(line, sizeof(line), out))	/* the greeting */
		goto out;
	for (i = 0; i < n; i++) {
		fputs(cmds[i], in);
		fputc('\n', in);
		fflush(in);
		do {
			if (!fgets(line, sizeof(line), out))
				goto out;
		} while (!strstr(line, "\"return\"") && !strstr(line, "\"error\""));
		snprintf(reply[i], sizeof(reply[i]), "%s", line);
		reply[i][strcspn(reply[i], "\r\n")] = '\0';
	}
out:
	if (i < n)
		fprintf(stderr, "qemu-lowpower: QMP broke off at %s: %s", cmds[i], line);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	return i;
}

struct dev_bar {
	const char *id;
	int bar, offset;
} bars[] = {
	{ "0x8086 0x10d3", 0, 0x08 },	/* e1000e STATUS */
	{ "0x1af4 0x1041", 4, 0x10 },	/* virtio common cfg: msix_config, num_queues */
};

/* The guest puts the device into D3hot (with PME_En) */
static void guest_d3hot(struct vm *vm, int pm)
{
	uint16_t pmcsr = cfg_read(vm, DEV, pm + 4, 2);

	cfg_write(vm, DEV, pm + 4, 2, (pmcsr & ~PMCSR_STATE) | PMCSR_PME_EN);
	cfg_write(vm, DEV, pm + 4, 2, (pmcsr & ~PMCSR_STATE) | PMCSR_PME_EN | 3);
}

static void guest_d0(struct vm *vm, int pm)
{
	uint16_t pmcsr = cfg_read(vm, DEV, pm + 4, 2);

	cfg_write(vm, DEV, pm + 4, 2, pmcsr & ~PMCSR_STATE & ~PMCSR_PME_EN);
}

static const char *suspended_in_d3hot(int pm)
{
	const char *st = wait_status("suspended");
	uint16_t pmcsr;

	if (strcmp(st, "suspended"))
		return why("runtime_status %s", st);
	pmcsr = host_pmcsr(pm);
	if ((pmcsr & PMCSR_STATE) != 3)
		return why("host PMCSR 0x%04x, not D3hot", pmcsr);
	return NULL;
}

static const char *usage_back(int want)
{
	const char *st = wait_status("suspended");

	if (strcmp(st, "suspended"))
		return why("runtime_status %s, not back to idle", st);
	if (runtime_usage() != want)
		return why("runtime_usage %d, was %d", runtime_usage(), want);
	return NULL;
}

/*
 * PMTRACE_CYCLES guest D3hot/D0 cycles between two marks that
 * scripts/qemu-e2e.sh finds in the console: it counts the state changes
 * the kernel wrote to the device's PMCSR in between (the VM's QEMU traces
 * them) and checks one each way per cycle, calling the check what.
 */
static void pm_cycles(struct vm *vm, int pm, bool suspends, const char *what)
{
	int i;

	/*
	 * The VM's QEMU writes its trace lines into the same log as the serial
	 * console, where they can cut a console line in two: let the device's
	 * config writes settle before a mark, and a mark drain before more come.
	 */
	msleep(300);
	printf("lp: pmtrace begin %s 0x%x %d %s\n", bdf, pm + 4, PMTRACE_CYCLES, what);
	fflush(stdout);
	msleep(300);
	for (i = 0; i < PMTRACE_CYCLES; i++) {
		guest_d3hot(vm, pm);
		if (suspends)
			suspended_in_d3hot(pm);
		else
			msleep(100);
		guest_d0(vm, pm);
		wait_status("active");
	}
	msleep(300);
	printf("lp: pmtrace end %s\n", bdf);
	fflush(stdout);
	msleep(300);
}

static void test_pm_device(int bar, int offset)
{
	int usage0 = runtime_usage();
	uint64_t addr;
	uint32_t v0, v;
	struct vm vm;
	const char *st;
	char again[160];
	uint16_t pmcsr;
	int pm, rp_exp, i;

	if (vm_start(&vm, true)) {
		check("qemu starts with x-low-power=on", "QEMU did not answer (see its stderr)");
		return;
	}
	pm = find_cap(&vm, DEV, PCI_CAP_ID_PM);
	st = wait_status("active");
	check("qemu starts with x-low-power=on", !pm ? "the guest sees no PM capability" :
	      strcmp(st, "active") ? why("runtime_status %s while open", st) : NULL);
	if (!pm) {
		vm_kill(&vm);
		return;
	}
	addr = map_bar(&vm, bar);
	v0 = qtest(&vm, "readl 0x%llx", (unsigned long long)addr + offset);

	/* Whether D3hot resets the device is the device's: the guest may rely on it */
	pmcsr = cfg_read(&vm, DEV, pm + 4, 2);
	check("the guest sees the device's own NoSoftRst bit",
	      (pmcsr ^ host_pmcsr(pm)) & PMCSR_NO_SOFT_RESET ?
	      why("guest PMCSR 0x%04x, host 0x%04x", pmcsr, host_pmcsr(pm)) : NULL);

	/* 1. guest D3hot: the host device suspends */
	guest_d3hot(&vm, pm);
	check("guest D3hot suspends the host device in D3hot", suspended_in_d3hot(pm) ?:
	      !traced(&vm, "vfio_pci_low_power_entry") ? "no vfio_pci_low_power_entry trace" : NULL);
	pmcsr = cfg_read(&vm, DEV, pm + 4, 2);
	msleep(200);
	st = wait_status("suspended");
	check("the guest's PMCSR read-back says D3hot and does not wake the device",
	      (pmcsr & PMCSR_STATE) != 3 ? why("guest PMCSR 0x%04x", pmcsr) :
	      strcmp(st, "suspended") ? why("runtime_status %s after the read", st) : NULL);

	/* 2. guest D0: the device is back, its BAR reads as before */
	guest_d0(&vm, pm);
	st = wait_status("active");
	v = qtest(&vm, "readl 0x%llx", (unsigned long long)addr + offset);
	pmcsr = host_pmcsr(pm);
	check("guest D0 resumes the device and its BAR works",
	      strcmp(st, "active") ? why("runtime_status %s", st) :
	      (pmcsr & PMCSR_STATE) ? why("host PMCSR 0x%04x", pmcsr) :
	      !traced(&vm, "vfio_pci_low_power_exit") ? "no vfio_pci_low_power_exit trace" :
	      v != v0 || v == 0 || v == ~0u ? why("BAR%d+0x%x reads 0x%x, 0x%x before D3hot",
						  bar, offset, v, v0) : NULL);

	/*
	 * 3. each guest D3hot is one transition of the host device, D0 to
	 * D3hot, and each guest D0 one back: the outer QEMU traces the config
	 * writes of this kernel, scripts/qemu-e2e.sh counts them between the marks
	 */
	pm_cycles(&vm, pm, true, "each guest D3hot/D0 is one host transition each way");

	/*
	 * The same with runtime PM forbidden on the host: ENTRY succeeds but the
	 * device stays in D0.  A guest's D3hot and D0 reset a NoSoftRst- device
	 * (a guest may rely on it to reset the device), so QEMU must make both
	 * transitions on the device at the guest's D0.
	 */
	sysfs_write("power/control", "on");
	pm_cycles(&vm, pm, false,
		  "with host runtime PM forbidden, each guest D3hot/D0 still reaches the device");
	sysfs_write("power/control", "auto");

	/*
	 * 4. the host resumes the device for its own use while the guest keeps
	 * it in D3hot (power/control=on, then a config read through sysfs), and
	 * the device must suspend again afterwards, each time
	 */
	guest_d3hot(&vm, pm);
	st = suspended_in_d3hot(pm);
	for (i = 0; !st && i < 2; i++) {
		if (i)
			msleep(5000);
		sysfs_write("power/control", "on");
		if (strcmp(wait_status("active"), "active"))
			st = "power/control=on did not resume the device";
		host_pmcsr(pm);
		sysfs_write("power/control", "auto");
		if (!st && suspended_in_d3hot(pm)) {
			snprintf(again, sizeof(again), "not suspended again after host access %d: %s",
				 i + 1, suspended_in_d3hot(pm) ?: "it was, later");
			st = again;
		}
	}
	check("the device suspends again after each host access while engaged", st);
	guest_d0(&vm, pm);
	v = qtest(&vm, "readl 0x%llx", (unsigned long long)addr + offset);
	check("after the host's accesses the guest's D0 brings the BAR back",
	      v != v0 ? why("BAR%d+0x%x reads 0x%x, 0x%x before", bar, offset, v, v0) : NULL);

	/* 5. system reset while engaged */
	guest_d3hot(&vm, pm);
	st = suspended_in_d3hot(pm);
	qtest(&vm, "outb 0xcf9 0x6");
	if (!st && strcmp(wait_status("active"), "active"))
		st = why("runtime_status %s after the reset", wait_status("active"));
	check("system reset while engaged leaves low power", st);

	/* device_del while engaged: the guest's part of it is to power the slot off */
	vm_kill(&vm);
	if (vm_start(&vm, true)) {
		check("device_del while engaged", "QEMU did not start");
		return;
	}
	guest_d3hot(&vm, pm);
	st = suspended_in_d3hot(pm);
	rp_exp = find_cap(&vm, RP, PCI_CAP_ID_EXP);
	if (!st) {
		const char *const cmds[] = {
			"{\"execute\":\"qmp_capabilities\"}",
			"{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"file:/tmp/qemu-migrate\"}}",
			"{\"execute\":\"device_del\",\"arguments\":{\"id\":\"lp\"}}",
		};
		char reply[3][512];
		int n = qmp_session(&vm, cmds, 3, reply);

		/* The device cannot migrate anyway: the low power blocker must be the one named */
		check("migration while engaged is refused, naming x-low-power",
		      n < 2 ? "QMP broke off" :
		      !strstr(reply[1], "\"error\"") ? why("migrate answered %s", reply[1]) :
		      !strstr(reply[1], "x-low-power") ? why("refused for another reason: %s", reply[1]) :
		      NULL);
		if (n < 3 || !strstr(reply[2], "\"return\""))
			st = why("QMP device_del failed: %s", n < 3 ? "no answer" : reply[2]);
	}
	if (!st)
		cfg_write(&vm, RP, rp_exp + 0x18, 2,
			  cfg_read(&vm, RP, rp_exp + 0x18, 2) | SLTCTL_PIC_OFF | SLTCTL_PCC_OFF);
	check("device_del while engaged: the device is released, usage balanced",
	      st ?: !traced(&vm, "vfio_pci_low_power_exit") ? "no vfio_pci_low_power_exit trace" :
	      usage_back(usage0));
	vm_kill(&vm);

	/* QEMU killed while engaged */
	if (vm_start(&vm, true)) {
		check("QEMU killed while engaged", "QEMU did not start");
		return;
	}
	guest_d3hot(&vm, pm);
	st = suspended_in_d3hot(pm);
	vm_kill(&vm);
	check("QEMU killed while engaged: the device is back to idle, usage balanced",
	      st ?: usage_back(usage0));

	/* 6. negative control: without the property the device stays active */
	if (vm_start(&vm, false)) {
		check("x-low-power off: D3hot does not suspend the device", "QEMU did not start");
		return;
	}
	guest_d3hot(&vm, pm);
	msleep(1000);
	st = wait_status("active");
	pmcsr = host_pmcsr(pm);
	check("x-low-power off: D3hot does not suspend the device",
	      strcmp(st, "active") ? why("runtime_status %s", st) :
	      (pmcsr & PMCSR_STATE) != 3 ? why("host PMCSR 0x%04x: the guest's D3hot did not reach it", pmcsr) :
	      traced(&vm, "vfio_pci_low_power") ? "a low power call was traced" : NULL);
	vm_kill(&vm);
	check("every QEMU gone: usage balanced", usage_back(usage0));
}

/* A device with no PM capability (edu): the property makes no call, no warning */
static void test_no_pm(void)
{
	int usage0 = runtime_usage();
	char line[256], said[256] = "";
	struct vm vm;
	FILE *f;

	if (vm_start(&vm, true)) {
		check("no PM capability: x-low-power=on starts", "QEMU did not answer");
		return;
	}
	f = fopen(vm.err, "r");
	while (f && !said[0] && fgets(line, sizeof(line), f))
		if (strcasestr(line, "low power") || strstr(line, "low-power"))
			strcpy(said, line);
	if (f)
		fclose(f);
	check("no PM capability: x-low-power=on makes no call and says nothing",
	      find_cap(&vm, DEV, PCI_CAP_ID_PM) ? "the guest sees a PM capability" :
	      said[0] ? why("QEMU said: %s", said) :
	      traced(&vm, "vfio_pci_low_power") ? "a low power call was traced" : NULL);
	vm_kill(&vm);
	check("no PM capability: usage balanced", usage_back(usage0));
}

static double now_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The figure before " us" on the n-th (from 1) trace line of event; -1 if none within 5 s */
static double trace_us(struct vm *vm, const char *event, int n)
{
	char line[256], *us;
	int i, seen;

	for (i = 0; i < 500; i++) {
		FILE *f = fopen(vm->trace, "r");

		seen = 0;
		while (f && fgets(line, sizeof(line), f)) {
			if (!strstr(line, event) || ++seen < n)
				continue;
			fclose(f);
			us = strstr(line, " us");
			if (!us)
				return -1;
			while (us > line && us[-1] >= '0' && us[-1] <= '9')
				us--;
			return atof(us);
		}
		if (f)
			fclose(f);
		msleep(10);
	}
	return -1;
}

/* Poll runtime_status every 0.2 ms for up to 5 s; returns the time it read want */
static double status_time(const char *want)
{
	char buf[32];
	double start = now_ms(CLOCK_MONOTONIC), t;

	do {
		sysfs_read("power/runtime_status", buf, sizeof(buf));
		t = now_ms(CLOCK_MONOTONIC);
		if (!strcmp(buf, want))
			return t;
		usleep(200);
	} while (t - start < 5000);
	return 0;
}

/*
 * The guest's config write of PMCSR, timed: the qtest outw returns when the
 * vCPU would go on, after QEMU's write handler (and the ioctls it makes) has
 * run.  Returns the ms it took.
 */
static double pmcsr_write(struct vm *vm, int pm, uint16_t val)
{
	double t0;

	cf8(vm, DEV, pm + 4);
	t0 = now_ms(CLOCK_MONOTONIC);
	qtest(vm, "outw 0x%x 0x%x", 0xcfc + ((pm + 4) & 3), val);
	return now_ms(CLOCK_MONOTONIC) - t0;
}

static int bench(int samples, int bar, int offset)
{
	double t0, t1, stall, us;
	uint64_t addr;
	uint32_t v0;
	struct vm vm;
	int pm, i;

	if (vm_start(&vm, true))
		return printf("bench-qemu failed: QEMU did not start\n"), 1;
	pm = find_cap(&vm, DEV, PCI_CAP_ID_PM);
	addr = map_bar(&vm, bar) + offset;
	v0 = qtest(&vm, "readl 0x%llx", (unsigned long long)addr);
	for (i = 1; i <= samples; i++) {
		/* The guest's D3hot write until the host device is suspended */
		pmcsr_write(&vm, pm, PMCSR_PME_EN);
		t0 = now_ms(CLOCK_MONOTONIC);
		stall = pmcsr_write(&vm, pm, PMCSR_PME_EN | 3);
		t1 = status_time("suspended");
		if (!t1)
			return printf("bench-qemu failed: not suspended after D3hot\n"), 1;
		printf("bench-qemu guest_d3hot_to_suspended %.3f ms\n", t1 - t0);
		printf("bench-qemu d3hot_write_vcpu_stall %.3f ms\n", stall);

		/* The guest's D0 write until a BAR read gives the device's value */
		t0 = now_ms(CLOCK_MONOTONIC);
		stall = pmcsr_write(&vm, pm, 0);
		while (qtest(&vm, "readl 0x%llx", (unsigned long long)addr) != v0)
			if (now_ms(CLOCK_MONOTONIC) - t0 > 5000)
				return printf("bench-qemu failed: BAR not back after D0\n"), 1;
		printf("bench-qemu guest_d0_to_bar_read %.3f ms\n", now_ms(CLOCK_MONOTONIC) - t0);
		printf("bench-qemu d0_write_vcpu_stall %.3f ms\n", stall);

		/* The ioctls' own share, as QEMU traces it (a QEMU that traces it) */
		us = trace_us(&vm, "vfio_pci_low_power_entry", i);
		if (us >= 0)
			printf("bench-qemu entry_ioctl_in_qemu %.3f ms\n", us / 1e3);
		us = trace_us(&vm, "vfio_pci_low_power_exit", i);
		if (us >= 0)
			printf("bench-qemu exit_ioctl_in_qemu %.3f ms\n", us / 1e3);
		fflush(stdout);
	}
	vm_kill(&vm);
	return 0;
}

static void show(const char *what, int pm)
{
	char st[32];

	sysfs_read("power/runtime_status", st, sizeof(st));
	printf("qemu: %-44s -> host device %s, PMCSR 0x%04x (sysfs)\n", what, st, host_pmcsr(pm));
	fflush(stdout);
}

static int demo(void)
{
	struct vm vm;
	uint16_t pmcsr;
	int pm;

	if (vm_start(&vm, true))
		return printf("qemu: QEMU did not start\n"), 1;
	pm = find_cap(&vm, DEV, PCI_CAP_ID_PM);
	if (!pm)
		return printf("qemu: %s has no PM capability\n", bdf), vm_kill(&vm), 1;
	wait_status("active");
	show("QEMU x-low-power=on has the device open", pm);
	cfg_write(&vm, DEV, pm + 4, 2, 3);
	wait_status("suspended");
	show("guest writes D3hot to PMCSR", pm);
	pmcsr = cfg_read(&vm, DEV, pm + 4, 2);
	printf("qemu: guest reads PMCSR back: 0x%04x, answered by QEMU\n", pmcsr);
	show("after the guest's read", pm);
	cfg_write(&vm, DEV, pm + 4, 2, 0);
	show("guest writes D0 to PMCSR", pm);
	vm_kill(&vm);
	return 0;
}

/*
 * The real-guest check (-g): QEMU with TCG boots a Linux guest with the device
 * assigned, x-low-power=on.  guest/qemu-guest in it says what it did at each
 * step on its console (GUEST_LOG) and waits for a line on its second serial
 * port (the FIFOs GUEST_CTL.in and .out) to go on.
 */
#define GUEST_LOG	"/tmp/guest.log"
#define GUEST_CTL	"/tmp/guest-ctl"
#define GUEST_BOOT_S	300	/* it takes about 30 s: TCG in the test VM's TCG */
#define GUEST_STEP_S	120

static const char *guest_start(struct vm *vm, const char *id, int bar, int offset)
{
	char dev[128], append[256], path[80];
	int i, fd = -1;

	memset(vm, 0, sizeof(*vm));
	strcpy(vm->trace, "/tmp/qemu-guest.trace");
	strcpy(vm->err, "/tmp/qemu-guest.err");
	unlink(GUEST_LOG);
	unlink(GUEST_CTL ".in");
	unlink(GUEST_CTL ".out");
	if (mkfifo(GUEST_CTL ".in", 0600) || mkfifo(GUEST_CTL ".out", 0600))
		return "cannot create the control FIFOs";
	snprintf(dev, sizeof(dev), "vfio-pci,host=%s,x-low-power=on", bdf);
	snprintf(append, sizeof(append),
		 "console=ttyS0 loglevel=4 vfio.enable_unsafe_noiommu_mode=1 lp.devs=none lp.run=qemu-guest,%s,%d,0x%x",
		 id, bar, offset);
	vm->pid = fork();
	if (vm->pid < 0)
		return "cannot fork";
	if (!vm->pid) {
		int err = open(vm->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(err, 1);
		dup2(err, 2);
		close(0);
		execl(qemu, qemu, "-machine", "pc", "-accel", "tcg", "-m", "128", "-smp", "1",
		      "-nodefaults", "-display", "none", "-no-reboot", "-L", "/guest/firmware",
		      "-global", "apic-common.vapic=off",
		      "-kernel", "/guest/bzImage", "-initrd", "/guest/initramfs.cpio.gz",
		      "-append", append, "-serial", "file:" GUEST_LOG, "-serial", "pipe:" GUEST_CTL,
		      "-D", vm->trace, "-trace", "vfio_pci_low_power_*", "-msg", "timestamp=on",
		      "-device", dev, NULL);
		_exit(127);
	}
	/* QEMU opens its end of the FIFO when it starts; until then there is no reader */
	snprintf(path, sizeof(path), "%s.in", GUEST_CTL);
	for (i = 0; i < 600 && fd < 0; i++) {
		fd = open(path, O_WRONLY | O_NONBLOCK);
		if (fd < 0 && waitpid(vm->pid, NULL, WNOHANG) == vm->pid) {
			vm->pid = 0;
			return "QEMU exited at start (see its stderr)";
		}
		if (fd < 0)
			msleep(100);
	}
	if (fd < 0)
		return "QEMU did not open the control FIFO in 60 s";
	vm->in = fdopen(fd, "w");
	return NULL;
}

/*
 * Wait up to secs for the guest's "lp: guest STEP ..." line; its rest into
 * rest.  Returns why not, NULL once it came.
 */
static const char *guest_wait(struct vm *vm, const char *step, int secs, char *rest, size_t size)
{
	char line[256];
	size_t n = strlen(step);
	int i, status;

	for (i = 0; i < secs * 10; i++) {
		FILE *f = fopen(GUEST_LOG, "r");

		while (f && fgets(line, sizeof(line), f)) {
			/* A line QEMU has not written out to its end yet is not read */
			if (!strchr(line, '\n') && feof(f))
				break;
			line[strcspn(line, "\r\n")] = '\0';
			if (!strncmp(line, "lp: guest failed", 16)) {
				fclose(f);
				return why("%s", line + 4);
			}
			if (strncmp(line, "lp: guest ", 10) || strncmp(line + 10, step, n) ||
			    line[10 + n] != ' ')
				continue;
			snprintf(rest, size, "%s", line + 11 + n);
			fclose(f);
			return NULL;
		}
		if (f)
			fclose(f);
		if (waitpid(vm->pid, &status, WNOHANG) == vm->pid) {
			vm->pid = 0;
			return why("QEMU exited (status 0x%x) before the guest said \"%s\"", status, step);
		}
		msleep(100);
	}
	return why("the guest did not say \"%s\" within %d s", step, secs);
}

static void guest_go(struct vm *vm)
{
	fputs("go\n", vm->in);
	fflush(vm->in);
}

/* Wait up to GUEST_STEP_S for QEMU to exit (the guest reboots: -no-reboot), else kill it */
static const char *guest_stop(struct vm *vm)
{
	const char *st = NULL;
	int i;

	for (i = 0; vm->pid > 0 && i < GUEST_STEP_S * 10; i++) {
		if (waitpid(vm->pid, NULL, WNOHANG) == vm->pid)
			vm->pid = 0;
		else
			msleep(100);
	}
	if (vm->pid > 0) {
		kill(vm->pid, SIGKILL);
		waitpid(vm->pid, NULL, 0);
		st = "QEMU did not exit after the guest was done";
	}
	if (vm->in)
		fclose(vm->in);
	vm->pid = 0;
	vm->in = NULL;
	return st;
}

/* The guest's "BDF STATUS PMCSR" of a step: why it is not what state wants */
static const char *guest_state(const char *rest, const char *want, unsigned int state)
{
	char gbdf[32], status[32], pmcsr[16];

	if (sscanf(rest, "%31s %31s %15s", gbdf, status, pmcsr) != 3)
		return why("the guest said \"%s\"", rest);
	if (strcmp(status, want))
		return why("in the guest runtime_status %s, PMCSR %s", status, pmcsr);
	if ((strtoul(pmcsr, NULL, 16) & PMCSR_STATE) != state)
		return why("in the guest PMCSR %s", pmcsr);
	return NULL;
}

/* How many trace lines of event QEMU wrote so far */
static int trace_count(struct vm *vm, const char *event)
{
	FILE *f = fopen(vm->trace, "r");
	char line[256];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n += !!strstr(line, event);
	if (f)
		fclose(f);
	return n;
}

static void real_guest(const char *id, int bar, int offset)
{
	int usage0 = runtime_usage(), pm = host_pm_cap(), cycles;
	unsigned int v0 = 0, v = 0;
	char rest[160], gbdf[32];
	const char *st;
	struct vm vm;
	double t0;

	if (!pm) {
		check("a Linux guest's PM cycles the device", "the device has no PM capability");
		return;
	}
	t0 = now_ms(CLOCK_MONOTONIC);
	st = guest_start(&vm, id, bar, offset) ?:
	     guest_wait(&vm, "ready", GUEST_BOOT_S, rest, sizeof(rest));
	if (!st && sscanf(rest, "%31s %x", gbdf, &v0) != 2)
		st = why("the guest said \"ready %s\"", rest);
	if (!st)
		printf("lp: the real guest booted in %.0f s\n", (now_ms(CLOCK_MONOTONIC) - t0) / 1e3);
	check("a Linux guest boots with the device assigned, x-low-power=on", st);
	if (st) {
		guest_stop(&vm);
		return;
	}

	/* From the guest's bind to its unbind: one host transition each way */
	msleep(300);
	printf("lp: pmtrace begin %s 0x%x 0 each D3hot/D0 cycle of the guest's own PM is one host transition each way\n",
	       bdf, pm + 4);
	fflush(stdout);
	msleep(300);

	/* The guest binds vfio-pci, which runtime-suspends the idle device to D3hot */
	guest_go(&vm);
	st = guest_wait(&vm, "suspended", GUEST_STEP_S, rest, sizeof(rest)) ?:
	     guest_state(rest, "suspended", 3) ?: suspended_in_d3hot(pm) ?:
	     !traced(&vm, "vfio_pci_low_power_entry") ? "no vfio_pci_low_power_entry trace" : NULL;
	check("the guest's runtime PM puts the device into D3hot: the host device suspends", st);

	/* The guest unbinds vfio-pci: the driver core resumes the device to D0 */
	guest_go(&vm);
	st = guest_wait(&vm, "resumed", GUEST_STEP_S, rest, sizeof(rest)) ?:
	     guest_state(rest, "active", 0);
	if (!st && strcmp(wait_status("active"), "active"))
		st = why("host runtime_status %s", wait_status("active"));
	if (!st && (host_pmcsr(pm) & PMCSR_STATE))
		st = why("host PMCSR 0x%04x", host_pmcsr(pm));
	if (!st && !traced(&vm, "vfio_pci_low_power_exit"))
		st = "no vfio_pci_low_power_exit trace";
	check("the guest's unbind resumes it: the host device is back in D0", st);
	/*
	 * Linux's unbind resumes the device, lets it suspend again and resumes
	 * it once more (driver core, then PCI core): the cycles are what the
	 * guest asked QEMU for, each one host transition each way
	 */
	cycles = trace_count(&vm, "vfio_pci_low_power_entry");
	msleep(300);
	printf("lp: pmtrace end %s %d\n", bdf, cycles);
	fflush(stdout);
	msleep(300);

	/* The guest reads its register again */
	guest_go(&vm);
	st = guest_wait(&vm, "register", GUEST_STEP_S, rest, sizeof(rest));
	if (!st && sscanf(rest, "%31s %x", gbdf, &v) != 2)
		st = why("the guest said \"register %s\"", rest);
	if (!st && (v != v0 || v == ~0u))
		st = why("BAR%d+0x%x reads 0x%x in the guest, 0x%x before", bar, offset, v, v0);
	check("the guest's device works after: its register reads as before", st);
	guest_go(&vm);
	st = guest_stop(&vm);
	check("the guest gone: the host device is idle again, usage balanced", st ?: usage_back(usage0));
}

int main(int argc, char **argv)
{
	char ids[64], vendor[16], device[16];
	int fd, i, samples = 0;

	bool show_path = argc == 4 && !strcmp(argv[1], "-d");
	bool guest = argc == 4 && !strcmp(argv[1], "-g");

	if (argc == 5 && !strcmp(argv[1], "-b")) {
		samples = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	} else if (show_path || guest) {
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: qemu-lowpower [-b SAMPLES | -d | -g] QEMU BDF\n");
		return 2;
	}
	qemu = argv[1];
	bdf = argv[2];
	/* Firmware is never run under qtest; QEMU only wants a BIOS image */
	fd = open("/tmp/qemu-bios.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 65536))
		return 2;
	close(fd);

	if (show_path)
		return demo();
	sysfs_read("vendor", vendor, sizeof(vendor));
	sysfs_read("device", device, sizeof(device));
	snprintf(ids, sizeof(ids), "%s %s", vendor, device);
	for (i = 0; i < (int)(sizeof(bars) / sizeof(bars[0])); i++)
		if (!strcmp(ids, bars[i].id))
			break;
	if (guest && i < (int)(sizeof(bars) / sizeof(bars[0]))) {
		snprintf(ids, sizeof(ids), "%s:%s", vendor + 2, device + 2);
		real_guest(ids, bars[i].bar, bars[i].offset);
		return failures ? 1 : 0;
	}
	if (guest)
		return printf("lp: check FAIL a Linux guest's PM cycles %s: not a PM device\n", bdf), 1;
	if (samples > 0 && i < (int)(sizeof(bars) / sizeof(bars[0])))
		return bench(samples, bars[i].bar, bars[i].offset);
	if (samples > 0)
		return printf("bench-qemu failed: %s has no PM capability\n", bdf), 1;
	if (i < (int)(sizeof(bars) / sizeof(bars[0])))
		test_pm_device(bars[i].bar, bars[i].offset);
	else
		test_no_pm();
	return failures ? 1 : 0;
}
