/* GICv3 set-up that only firmware can do. With two security states the
 * interrupt group registers are Secure-only, and QEMU resets every
 * interrupt to Group 0 when it boots firmware, so the monitor hands the
 * normal world its interrupts: every SPI, SGI and PPI becomes Non-secure
 * Group 1 except
 *   - INTID 29 (secure physical timer): Secure Group 1, the microkernel's;
 *   - INTID 40 (UART1, the secure console): Secure Group 1, left disabled;
 *   - SGI 9 (PLAT_SGI_SECURE_KICK): Secure Group 1, the microkernel's
 *     signal from one CPU to another.
 * A Secure Group 1 interrupt pending while the normal world runs comes to
 * EL3 as an FIQ; the monitor passes it to that CPU's secure kernel.
 * Each CPU's redistributor is woken before that CPU runs anything. */
#include <stdint.h>

#include "../platform/qemu-virt/platform.h"
#include "monitor.h"

#define GICD_CTLR         0x0000
#define GICD_TYPER        0x0004
#define GICD_IGROUPR      0x0080
#define GICD_IGRPMODR     0x0D00
#define GICD_CTLR_EN_GRP0 (1U << 0)
#define GICD_CTLR_ARE_S   (1U << 4)
#define GICD_CTLR_ARE_NS  (1U << 5)
#define GICD_CTLR_RWP     (1U << 31)

#define GICR_CTLR         0x0000
#define GICR_TYPER        0x0008
#define GICR_WAKER        0x0014
#define GICR_WAKER_SLEEP  (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_TYPER_LAST   (1U << 4)
#define GICR_SGI          0x10000
#define GICR_IGROUPR0     (GICR_SGI + 0x0080)
#define GICR_ISENABLER0   (GICR_SGI + 0x0100)
#define GICR_ICENABLER0   (GICR_SGI + 0x0180)
#define GICR_IPRIORITYR   (GICR_SGI + 0x0400)
#define GICR_IGRPMODR0    (GICR_SGI + 0x0D00)

#define INTID_SEC_TIMER PLAT_INTID_SEC_PHYS_TIMER
#define INTID_UART1     40

#define ICC_IAR0_EL1    s3_0_c12_c8_0
#define ICC_EOIR0_EL1   s3_0_c12_c8_1
#define ICC_SGI0R_EL1   s3_0_c12_c11_7
#define ICC_IGRPEN0_EL1 s3_0_c12_c12_6
#define ICC_PMR_EL1     s3_0_c4_c6_0

static volatile uint32_t *reg32(uintptr_t a)
{
	return (volatile uint32_t *)a;
}

static void dist_wait(void)
{
	while (*reg32(PLAT_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

/* The redistributor frame whose affinity is this CPU's MPIDR. */
static uintptr_t redist_of(uint64_t mpidr)
{
	uint32_t aff = (uint32_t)((mpidr & 0xffffffUL) | ((mpidr >> 8) & 0xff000000UL));
	uintptr_t rd = PLAT_GICR_BASE;
	for (int i = 0; i < 64; i++, rd += PLAT_GICR_STRIDE) {
		uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

void gic_init_global(void)
{
	/* Affinity routing for both states (the microkernel sets it too). */
	*reg32(PLAT_GICD_BASE + GICD_CTLR) = GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS;
	dist_wait();
	unsigned lines = ((*reg32(PLAT_GICD_BASE + GICD_TYPER) & 0x1f) + 1) * 32;
	for (unsigned id = 32; id < lines && id < 1020; id += 32) {
		uint32_t grp = ~0U, mod = 0;
		if (id / 32 == INTID_UART1 / 32) {
			grp &= ~(1U << (INTID_UART1 % 32));
			mod |= 1U << (INTID_UART1 % 32);
		}
		*reg32(PLAT_GICD_BASE + GICD_IGROUPR + id / 8) = grp;
		*reg32(PLAT_GICD_BASE + GICD_IGRPMODR + id / 8) = mod;
	}
}

/* Per CPU, on that CPU, before it enters any lower EL. */
int gic_init_cpu(void)
{
	uintptr_t rd = redist_of(SYSREG_READ(mpidr_el1));
	if (!rd)
		return -1;
	*reg32(rd + GICR_WAKER) &= ~GICR_WAKER_SLEEP;
	while (*reg32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	uint32_t secure = (1U << INTID_SEC_TIMER) | (1U << PLAT_SGI_SECURE_KICK);
	*reg32(rd + GICR_ICENABLER0) = secure;
	*reg32(rd + GICR_IGROUPR0) = ~secure;
	*reg32(rd + GICR_IGRPMODR0) = secure;
	/* The priority mask resets to 0 (mask all), a value in the Secure
	 * half that the normal world cannot overwrite: open it. */
	SYSREG_WRITE(ICC_PMR_EL1, 0xff);
	__asm__ volatile("isb");
	return 0;
}

/* Acknowledges a pending Group 0 interrupt (ours); returns its INTID, or
 * 1020..1023 when the pending one belongs to another group (1020: Secure
 * Group 1, for the microkernel) or nothing is pending. */
unsigned gic_ack_group0(void)
{
	unsigned id = (unsigned)(SYSREG_READ(ICC_IAR0_EL1) & 0xffffff);
	if (id < 1020) {
		SYSREG_WRITE(ICC_EOIR0_EL1, id);
		__asm__ volatile("isb");
	}
	return id;
}
