/* Kernel entry: memory, MMU, interrupts, then the first process, init. */
#include "../include/microtee/smc.h"
#include "../platform/qemu-virt/platform.h"
#include "arch.h"
#include "../common/bootfs.h"
#include "object.h"
#include "pmm.h"
#include "smp.h"

struct pmm kpmm;
struct kobj spawner_obj = {KOBJ_SPAWNER, 1};
static struct kobj nsmem_obj = {KOBJ_NSMEM, 1};
struct endpoint *nw_endpoint;
static char cmdline[256];
static size_t cmdline_len;
static uint64_t monitor_bytes; /* secure RAM the monitor occupies */

extern char __kernel_start[], __kernel_end[], __image_end[], __text_start[], __text_end[];
void mmu_init(void);
void gic_init(void);
void timer_init(void);
void kernel_exit(struct thread *t) __attribute__((noreturn));

#define INIT_PRIO 20

void kernel_pool_free(size_t free[MT_Q_KINDS])
{
	free[MT_Q_PAGES] = kpmm.nfree;
	free[MT_Q_THREADS] = thread_pool_free();
	free[MT_Q_ENDPOINTS] = endpoint_pool_free();
	free[MT_Q_SHMS] = shm_pool_free();
	free[MT_Q_PROCS] = process_pool_free();
}

uint64_t kernel_image_bytes(void)
{
	return (uint64_t)(__image_end - __kernel_start);
}

uint64_t kernel_secure_ram_used(void)
{
	/* The monitor's region, the kernel image with its static data, and
	 * every page handed out since. */
	return monitor_bytes + (uint64_t)(__kernel_end - __kernel_start) +
	       (kpmm.npages - kpmm.nfree) * PAGE_SIZE;
}

static int cmdline_has(const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= cmdline_len; i++)
		if ((i == 0 || cmdline[i - 1] == ' ') && memcmp(cmdline + i, word, n) == 0 &&
		    (i + n == cmdline_len || cmdline[i + n] == ' '))
			return 1;
	return 0;
}

/* Checks the monitor's SMC dispatch from the secure side. */
static void selftest_smc(void)
{
	static const uint32_t unknown[] = {0x82000000, 0xC2000000, 0x83000010, 0x86000000,
					   0xB0000000, 0x01000000, 0x84000FFF, 0x8400001F};
	int pass = 1;
	for (unsigned i = 0; i < ARRAY_SIZE(unknown); i++) {
		uint64_t r[8] = {unknown[i], 11, 22, 33, 44, 55, 66, 77};
		arch_smc(r);
		int ok = r[0] == ~0UL && r[1] == 11 && r[2] == 22 && r[3] == 33 && r[7] == 77;
		printk("[kernel] selftest smc 0x%x -> 0x%lx %s\n", unknown[i], (unsigned long)r[0],
		       ok ? "ok" : "WRONG");
		pass &= ok;
	}
	uint64_t v[8] = {PSCI_VERSION};
	arch_smc(v);
	pass &= v[0] == 0x10001;
	uint64_t e[8] = {MT_SMC_SELFTEST_ECHO, 1, 2, 3, 4, 5, 6, 7};
	arch_smc(e);
	pass &= e[0] == 0 && e[1] == 7 && e[2] == 6 && e[3] == 5 && e[4] == 4 && e[7] == 1;
	uint64_t f[8] = {PSCI_FEATURES, PSCI_SYSTEM_OFF};
	arch_smc(f);
	pass &= f[0] == 0;
	printk("[kernel] selftest smc: %s\n", pass ? "PASS" : "FAIL");
}

/* Device ranges for init, in handle order 4.. (MT_DEVMEM_*_HANDLE): the
 * parts of the firmware image in secure flash0, so that a service can
 * measure them, and the key area behind it. */
static struct devmem *flash_devmem[4];

/* The firmware image in flash0 is laid out by monitor/monitor.ld and
 * monitor/payload.S: the monitor's load image from 0, then page-aligned
 * kernel.bin (our own image, .text to .data), then the page-aligned boot
 * file system the monitor passed us. So the kernel starts a page-rounded
 * kernel image before the boot file system; its text there must be ours. */
static void flash_layout(const void *bootfs, size_t bootfs_size)
{
	paddr_t fs = (paddr_t)bootfs, fs_end = ALIGN_UP(fs + bootfs_size, PAGE_SIZE);
	size_t kimg = ALIGN_UP(kernel_image_bytes(), PAGE_SIZE);
	size_t text = (size_t)(__text_end - __text_start);
	if ((fs & ~PAGE_MASK) || fs < PLAT_FLASH0_BASE + kimg + PAGE_SIZE ||
	    fs_end > PLAT_FLASH0_NV_BASE || bootfs_size == 0 ||
	    memcmp(pa_to_va(fs - kimg), __text_start, text) != 0)
		panic("firmware image layout in flash0 not recognised");
	flash_devmem[0] = devmem_create(PLAT_FLASH0_BASE, fs - kimg - PLAT_FLASH0_BASE, 0);
	flash_devmem[1] = devmem_create(fs - kimg, kimg, 0);
	flash_devmem[2] = devmem_create(fs, fs_end - fs, 0);
	flash_devmem[3] = devmem_create(PLAT_FLASH0_NV_BASE, PLAT_FLASH0_NV_SIZE, MT_DEVMEM_DEVICE);
	for (unsigned i = 0; i < ARRAY_SIZE(flash_devmem); i++)
		if (!flash_devmem[i])
			panic("flash device ranges");
}

static void start_init(void)
{
	const void *image;
	size_t size;
	int err;
	if (bootfs_find("init", 4, &image, &size) != MT_OK)
		panic("no init in the boot file system");
	/* init's quota is everything that is free: every page of the pool and
	 * every object slot (init's own slot and the normal-world endpoint are
	 * the kernel's). Every other quota is carved out of it, so quotas
	 * never add up to more than exists. */
	size_t quota[MT_Q_KINDS];
	kernel_pool_free(quota);
	quota[MT_Q_PROCS]--;
	struct process *p = process_create("init", 0, quota, INIT_PRIO, &err);
	if (!p || process_load(p, image, size) != MT_OK)
		panic("cannot load init");
	p->console = 1; /* init hands the console right on (MT_SPAWN_CONSOLE) */
	/* init's first handles, in this order (lib/rt/mt.h names them): the
	 * spawner, the normal-world call endpoint, normal-world memory. */
	if (ht_insert(&p->ht, &spawner_obj, MT_R_CONTROL, 0) != 1 ||
	    ht_insert(&p->ht, &nw_endpoint->obj, MT_R_RECV | MT_R_GRANT, 0) != 2 ||
	    ht_insert(&p->ht, &nsmem_obj, MT_R_CONTROL | MT_R_GRANT, 0) != 3)
		panic("init handle table");
	/* Then the flash ranges (syscall.h names them): the firmware
	 * read-only, the key area read-write. */
	for (unsigned i = 0; i < ARRAY_SIZE(flash_devmem); i++) {
		uint32_t rights = MT_R_MAP_R | MT_R_GRANT |
				  (flash_devmem[i]->flags & MT_DEVMEM_DEVICE ? MT_R_MAP_W : 0);
		if (ht_insert(&p->ht, &flash_devmem[i]->obj, rights, 0) != MT_DEVMEM_MONITOR_HANDLE + i)
			panic("init handle table");
	}
	/* And the authority to ask the normal world (RPCs), for init to pass on. */
	if (ht_insert(&p->ht, &nwrpc_obj, MT_R_CONTROL | MT_R_GRANT, 0) != MT_NWRPC_HANDLE)
		panic("init handle table");
	/* init gets the boot command line on top of its stack. */
	struct thread *t = p->main_thread;
	_Static_assert(sizeof(cmdline) == MT_USER_ARGS_MAX,
		       "init's command line fills MT_USER_ARGS");
	vaddr_t at = MT_USER_ARGS;
	if (copy_to_user(p, at, cmdline, cmdline_len + 1) != MT_OK)
		panic("init stack");
	t->regs.sp = at;
	t->regs.x[0] = at;
	t->regs.x[1] = cmdline_len;
	/* What init was given is all there is. */
	size_t left[MT_Q_KINDS];
	kernel_pool_free(left);
	for (unsigned k = 0; k < MT_Q_KINDS; k++)
		if (quota_room(&p->quota, k) != left[k])
			panic("init's quota of kind %u: %zu left, %zu free", k,
			      quota_room(&p->quota, k), left[k]);
	printk("[kernel] init's quota, every pool: %zu pages, %zu threads, %zu endpoints, "
	       "%zu shared-memory objects, %zu processes\n",
	       quota[MT_Q_PAGES], quota[MT_Q_THREADS], quota[MT_Q_ENDPOINTS], quota[MT_Q_SHMS],
	       quota[MT_Q_PROCS]);
	sched_ready(t);
}

void kmain(const void *bootfs, size_t bootfs_size, const char *cmd, size_t cmd_len,
	   uint64_t mon_bytes, int ns_present, paddr_t ns_ram_base, paddr_t ns_ram_end)
{
	/* Normal-world RAM as the monitor found it in the device tree; it
	 * must not overlap anything secure. */
	if (ns_present && ns_ram_base >= PLAT_NSRAM_BASE && ns_ram_end > ns_ram_base) {
		nsram_base = ns_ram_base;
		nsram_end = ns_ram_end;
	}
	cpu_init_this(0);
	sched_init_cpu(cpu_this());
	monitor_bytes = mon_bytes;
	nw_present = ns_present;
	printk("[kernel] MicroTEE microkernel (S-EL1)\n");
	cmdline_len = cmd_len < sizeof(cmdline) - 1 ? cmd_len : sizeof(cmdline) - 1;
	memcpy(cmdline, cmd, cmdline_len);
	cmdline[cmdline_len] = '\0';

	paddr_t pool = ALIGN_UP((paddr_t)__kernel_end, PAGE_SIZE);
	pmm_init(&kpmm, pool, (PLAT_KERNEL_END - pool) / PAGE_SIZE);
	mmu_init();
	gic_init();
	timer_init();
	smp_probe_cpus();
	bkl_acquire(); /* held while the kernel runs here (smp.c) */
	nw_init();
	nw_cpu_start();
	bootfs_init(bootfs, bootfs_size);
	flash_layout(bootfs, bootfs_size);
	printk("[kernel] image %lu KiB, %zu free pages, MMU on\n",
	       (unsigned long)(kernel_image_bytes() / 1024), kpmm.nfree);
	if (cmdline_has("selftest=smc"))
		selftest_smc();
	nw_endpoint = endpoint_create_kernel();
	if (!nw_endpoint)
		panic("no endpoint for normal-world calls");
	start_init();
	if (kernel_ncpus > 1)
		printk("[kernel] %u CPUs: each enters the kernel on its own (big kernel lock)\n",
		       kernel_ncpus);
	kernel_exit(sched_next());
}

/* Any CPU after PSCI CPU_ON, before the normal world starts there
 * (entry.S kernel_cpu_entry). The CPU then waits in the normal world for
 * calls, like CPU 0 after boot. */
void kmain_secondary(uint64_t cpu)
{
	mmu_enable(); /* first: the lock and the per-CPU block want it on */
	cpu_init_this((unsigned)cpu);
	arch_cpu_init();
	bkl_acquire();
	sched_init_cpu(cpu_this());
	nw_cpu_start();
	nw_idle();
	kernel_exit(sched_next());
}
