/* nwtest's assembly (start.S) as C sees it. */
#ifndef NWTEST_H
#define NWTEST_H

/* Offsets into struct nw_exc, shared with start.S. */
#define NW_EXC_ESR   0
#define NW_EXC_ELR   8
#define NW_EXC_SPSR  16
#define NW_EXC_COUNT 24

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* main.c, entered from start.S with x0 as the monitor left it: the
 * device tree's address (the Linux boot protocol). */
void nw_main(uint64_t dtb);

/* SMC with x0..x17 from r, all written back. */
void nw_smc18(uint64_t r[18]);
void fpsimd_save(void *fp);          /* common/fpsimd.S */
void fpsimd_restore(const void *fp); /* common/fpsimd.S */

/* The EL1 vector table: a synchronous exception from EL1 (SP_EL1) is
 * recorded in nw_sync_seen and resumed at the next instruction; any other
 * exception spins (the test then times out). */
extern char nw_vectors[];
struct nw_exc {
	uint64_t esr, elr, spsr, count;
};
extern struct nw_exc nw_sync_seen;
_Static_assert(offsetof(struct nw_exc, esr) == NW_EXC_ESR, "nw_exc layout");
_Static_assert(offsetof(struct nw_exc, elr) == NW_EXC_ELR, "nw_exc layout");
_Static_assert(offsetof(struct nw_exc, spsr) == NW_EXC_SPSR, "nw_exc layout");
_Static_assert(offsetof(struct nw_exc, count) == NW_EXC_COUNT, "nw_exc layout");

/* Reads ICC_IGRPEN0_EL1, a Group 0 GIC register: with SCR_EL3.FIQ set the
 * access traps to EL3. nw_trap_insn is that instruction's address. */
uint64_t nw_trap_to_el3(void);
extern char nw_trap_insn[];
#endif
#endif
