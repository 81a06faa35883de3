/* The kernel's own translation tables and the MMU switch-on.
 *
 * Every address space shares one level-2 table for the first GiB, which
 * holds only EL1 mappings: secure flash (read-only), the GIC and UART
 * devices, and secure RAM from the kernel image up, page by page so text
 * is RX, rodata RO and everything else RW+XN. The monitor's RAM below the
 * kernel is not mapped at all. User space lives from 1 GiB up. */
#include "../../../platform/qemu-virt/platform.h"
#include "../../arch.h"
#include "../../smp.h"
#include "sysreg.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];

static pte_t kernel_l1[PT_ENTRIES] __attribute__((aligned(4096)));
static pte_t kernel_l2[PT_ENTRIES] __attribute__((aligned(4096)));
static pte_t kernel_l3[PLAT_SRAM_SIZE >> 21][PT_ENTRIES] __attribute__((aligned(4096)));

#define BLOCK_2M (1UL << 21)
#define KERN_COMMON (PTE_AF | PTE_SH_INNER | PTE_UXN) /* global, EL1 only, never EL0-exec */
#define APTABLE_NO_EL0 (1ULL << 61)
#define UXNTABLE (1ULL << 60)

static void map_blocks(paddr_t base, size_t size, pte_t attrs)
{
	for (paddr_t a = base; a < base + size; a += BLOCK_2M)
		kernel_l2[a >> 21] = a | attrs | PTE_BLOCK;
}

void arch_vspace_init(pte_t *l1)
{
	/* EL0 is denied everything below the kernel's table, whatever the
	 * lower levels say. */
	l1[0] = va_to_pa(kernel_l2) | PTE_VALID | PTE_TABLE | APTABLE_NO_EL0 | UXNTABLE;
}

void mmu_init(void)
{
	map_blocks(PLAT_FLASH0_BASE, 0x04000000UL,
		   PTE_ATTR(MAIR_IDX_NORMAL) | KERN_COMMON | PTE_AP_RO | PTE_PXN);
	map_blocks(PLAT_GICD_BASE & ~(BLOCK_2M - 1), BLOCK_2M,
		   PTE_ATTR(MAIR_IDX_DEVICE) | KERN_COMMON | PTE_PXN);
	map_blocks(PLAT_UART0_BASE & ~(BLOCK_2M - 1), BLOCK_2M,
		   PTE_ATTR(MAIR_IDX_DEVICE) | KERN_COMMON | PTE_PXN);

	for (unsigned t = 0; t < ARRAY_SIZE(kernel_l3); t++) {
		paddr_t base = PLAT_SRAM_BASE + t * BLOCK_2M;
		for (unsigned i = 0; i < PT_ENTRIES; i++) {
			paddr_t pa = base + i * PAGE_SIZE;
			pte_t attrs = PTE_ATTR(MAIR_IDX_NORMAL) | KERN_COMMON | PTE_PAGE;
			if (pa < PLAT_KERNEL_BASE)
				continue; /* the monitor's */
			if (pa >= (paddr_t)__text_start && pa < (paddr_t)__text_end)
				attrs |= PTE_AP_RO;
			else if (pa >= (paddr_t)__rodata_start && pa < (paddr_t)__rodata_end)
				attrs |= PTE_AP_RO | PTE_PXN;
			else
				attrs |= PTE_PXN;
			kernel_l3[t][i] = pa | attrs;
		}
		kernel_l2[base >> 21] = va_to_pa(kernel_l3[t]) | PTE_VALID | PTE_TABLE;
	}
	arch_vspace_init(kernel_l1);
	mmu_enable();
}

/* On every CPU: the MMU on, over the tables mmu_init built. */
void mmu_enable(void)
{
	write_sysreg(mair_el1, (0x04UL << (8 * MAIR_IDX_DEVICE)) | (0xFFUL << (8 * MAIR_IDX_NORMAL)));
	uint64_t tcr = (64 - PT_VA_BITS) | (1UL << 8) | (1UL << 10) | (3UL << 12) | /* TTBR0: WB, inner */
		       (1UL << 23) |                                                /* EPD1: no TTBR1 */
		       (2UL << 32);                                                 /* IPS 40 bits */
	write_sysreg(tcr_el1, tcr);
	write_sysreg(ttbr0_el1, va_to_pa(kernel_l1));
	dsb(ish);
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(ish);
	isb();
	uint64_t sctlr = (1UL << 0) |  /* M */
			 (1UL << 2) |  /* C */
			 (1UL << 3) |  /* SA */
			 (1UL << 4) |  /* SA0 */
			 (1UL << 12) | /* I */
			 (1UL << 14) | /* DZE: EL0 may DC ZVA (memset) */
			 (1UL << 15) | /* UCT: EL0 may read CTR_EL0 */
			 (1UL << 19) | /* WXN: writable implies execute-never */
			 (1UL << 11) | (1UL << 20) | (1UL << 22) | (1UL << 28) | (1UL << 29); /* RES1 */
	/* SPAN (bit 23) stays 0: PSTATE.PAN is set on every exception entry,
	 * so the kernel cannot touch user memory by accident. */
	write_sysreg(sctlr_el1, sctlr);
	isb();
	if ((read_sysreg(id_aa64mmfr1_el1) >> 20) & 0xf)
		__asm__ volatile(".inst 0xd500419f" ::: "memory"); /* msr pan, #1 */
}

void arch_vspace_release(pte_t *l1)
{
	if ((read_sysreg(ttbr0_el1) & PTE_ADDR_MASK) == va_to_pa(l1))
		arch_vspace_leave();
}

void arch_vspace_leave(void)
{
	write_sysreg(ttbr0_el1, va_to_pa(kernel_l1));
	isb();
	cpu_this()->vspace = 0;
}

void arch_tlb_flush_page(uint16_t asid, vaddr_t va)
{
	dsb(ishst);
	__asm__ volatile("tlbi vae1is, %0" ::"r"(((uint64_t)asid << 48) | (va >> 12)) : "memory");
	dsb(ish);
	isb();
}

void arch_tlb_flush_asid(uint16_t asid)
{
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" ::"r"((uint64_t)asid << 48) : "memory");
	dsb(ish);
	isb();
}
