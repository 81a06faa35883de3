/* Boots the normal world the way QEMU's `-kernel/-initrd/-append` ask for
 * with our firmware in `-bios`: QEMU leaves the kernel, initrd and command
 * line in fw_cfg and its generated device tree at the start of normal RAM;
 * the monitor loads them, describes itself (PSCI, OP-TEE) and the initrd in
 * a copy of the device tree, and sets up CPU 0's normal-world entry.
 *
 * Where each piece goes, and the checks that it fits (every size and
 * address here comes from the normal world's side: the Image header, the
 * initrd and command line sizes, QEMU's device tree), are in nslayout.c. An
 * image that fails them is refused before anything is written: the monitor
 * says why and the secure world boots without a normal world. */
#include <stdint.h>

#include "../common/kstring.h"
#include "../platform/qemu-virt/platform.h"
#include "dtpatch.h"
#include "fdt.h"
#include "nslayout.h"
#include "monitor.h"

#define FWCFG_INITRD_SIZE  0x0b
#define FWCFG_INITRD_DATA  0x12
#define FWCFG_CMDLINE_SIZE 0x14
#define FWCFG_CMDLINE_DATA 0x15

#define NS_QEMU_DTB PLAT_NSRAM_BASE
#define NS_SCRATCH  (PLAT_NSRAM_BASE + NS_SCRATCH_OFF) /* fw_cfg DMA descriptor, header peek */

uint64_t ns_ram_base = PLAT_NSRAM_BASE, ns_ram_end = PLAT_NSRAM_BASE; /* end: until known */
unsigned mon_ncpus = 1;
uint64_t mon_cpu_mpidr[PLAT_MAX_CPUS];

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 2 ? fdt_be64(p) : fdt_be32(p);
}

static uint32_t cells_of(const struct fdt *f, int node, const char *name, uint32_t dflt)
{
	uint32_t len;
	const uint8_t *v = fdt_getprop(f, node, name, &len);
	return v && len == 4 ? fdt_be32(v) : dflt;
}

/* Normal RAM from the first /memory node (checked by the caller); the CPUs
 * from /cpus. */
static int scan_platform(const struct fdt *f, uint64_t *ram_base, uint64_t *ram_size)
{
	uint32_t ac = cells_of(f, 0, "#address-cells", 2), sc = cells_of(f, 0, "#size-cells", 1);
	int mem = fdt_path_offset(f, "/memory");
	uint32_t len;
	const uint8_t *reg = mem >= 0 ? fdt_getprop(f, mem, "reg", &len) : 0;
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < 4 * (ac + sc))
		return -1;
	*ram_base = read_cells(reg, ac);
	*ram_size = read_cells(reg + 4 * ac, sc);

	int cpus = fdt_path_offset(f, "/cpus");
	if (cpus < 0)
		return -1;
	uint32_t cac = cells_of(f, cpus, "#address-cells", 1);
	unsigned n = 0;
	for (int c = fdt_first_subnode(f, cpus); c >= 0; c = fdt_next_subnode(f, c)) {
		const char *type = fdt_getprop(f, c, "device_type", &len);
		const uint8_t *r = fdt_getprop(f, c, "reg", 0);
		if (!type || len != 4 || memcmp(type, "cpu", 4) != 0 || !r || cac < 1 || cac > 2)
			continue;
		if (n < PLAT_MAX_CPUS)
			mon_cpu_mpidr[n] = read_cells(r, cac);
		n++;
	}
	mon_ncpus = n == 0 ? 1 : n > PLAT_MAX_CPUS ? PLAT_MAX_CPUS : n;
	return 0;
}

static char ns_cmdline[NS_CMDLINE_MAX];

/* A normal-world image the monitor will not load: says why, loads nothing. */
static int refuse(const char *why)
{
	mon_printf("[mon] refusing the normal-world image: %s\n", why);
	return -1;
}

int ns_boot_prepare(struct world_ctx *ns)
{
	uint32_t ksize = fwcfg_item_u32(FWCFG_KERNEL_SIZE);
	if (ksize == 0)
		return 0;

	/* QEMU's tree, read in place: it must end below the scratch page. */
	static struct fdt qdtb;
	const uint8_t *q = (const uint8_t *)NS_QEMU_DTB;
	if (fdt_check(q, (uint32_t)NS_SCRATCH_OFF) != 0) {
		mon_printf("[mon] no valid device tree at 0x%lx\n", (unsigned long)NS_QEMU_DTB);
		return -1;
	}
	qdtb.buf = (uint8_t *)NS_QEMU_DTB;
	qdtb.cap = fdt_be32(q + 4);
	struct ns_boot_in in = {.qdtb_size = qdtb.cap, .ksize = ksize};
	if (scan_platform(&qdtb, &in.ram_base, &in.ram_size) != 0) {
		mon_printf("[mon] device tree: no /memory or /cpus\n");
		return -1;
	}
	const char *why;
	if (ns_layout_check_ram(&in, &why) != 0)
		return refuse(why);

	/* Now the scratch page is known to be normal RAM: the DMA descriptor
	 * and a look at the kernel's header. */
	int dma = fwcfg_dma_init(NS_SCRATCH) == 0;
	volatile uint8_t *peek = (volatile uint8_t *)(NS_SCRATCH + 0x100);
	if (fwcfg_dma_read(FWCFG_KERNEL_DATA, 0, (uint64_t)(uintptr_t)peek, NS_IMAGE_HDR_SIZE) != 0)
		return -1;
	uint8_t hdr[NS_IMAGE_HDR_SIZE];
	for (int i = 0; i < NS_IMAGE_HDR_SIZE; i++)
		hdr[i] = peek[i];
	in.hdr = hdr;
	in.isize = fwcfg_item_u32(FWCFG_INITRD_SIZE);
	in.clen = fwcfg_item_u32(FWCFG_CMDLINE_SIZE);
	struct ns_layout lay;
	if (ns_layout_plan(&in, &lay, &why) != 0)
		return refuse(why);

	if (fwcfg_dma_read(FWCFG_KERNEL_DATA, 0, lay.load, ksize) != 0 ||
	    (in.isize && fwcfg_dma_read(FWCFG_INITRD_DATA, 0, lay.initrd, in.isize) != 0)) {
		mon_printf("[mon] fw_cfg read failed\n");
		return -1;
	}
	fwcfg_read_item(FWCFG_CMDLINE_DATA, ns_cmdline, in.clen);
	ns_cmdline[in.clen] = '\0';

	struct fdt f;
	int err = fdt_open_into(&f, q, in.qdtb_size, (void *)lay.dtb, (uint32_t)NS_DTB_MAX);
	if (!err)
		err = ns_patch_dtb(&f, lay.initrd, lay.initrd_end, ns_cmdline);
	if (err) {
		mon_printf("[mon] device tree edit failed: %d\n", err);
		return -1;
	}
	/* QEMU's original tree stays in normal RAM, /secure-chosen (the secure
	 * world's seeds) and all: now that the edited copy exists, nothing
	 * needs it, so it is wiped. (The copy lost /secure-chosen in ns_patch_dtb,
	 * and the editor zeroes what an edit frees.) */
	memset((void *)NS_QEMU_DTB, 0, in.qdtb_size);
	ns_ram_base = in.ram_base;
	ns_ram_end = lay.ram_end;

	ns->elr = lay.load;
	ns->spsr = mon_ns_spsr;
	ns->x[0] = lay.dtb;
	mon_printf(
	    "[mon] normal-world image: %s %u bytes at 0x%lx-0x%lx (%s), initrd %u bytes at 0x%lx, "
	    "dtb %u bytes at 0x%lx, %u cpu(s)\n",
	    lay.is_linux ? "Linux Image" : "raw image", ksize, (unsigned long)lay.load,
	    (unsigned long)lay.kend, dma ? "fw_cfg DMA" : "fw_cfg bytes", in.isize,
	    (unsigned long)lay.initrd, fdt_totalsize(&f), (unsigned long)lay.dtb, mon_ncpus);
	return 1;
}
