#ifndef MONITOR_H
#define MONITOR_H
#include <stdint.h>

#include "context.h"

#define SYSREG_READ(reg)                                                                           \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_));                                      \
		v_;                                                                                \
	})
#define SYSREG_WRITE(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)))

/* SCR_EL3 bits */
#define SCR_NS    (1UL << 0)
#define SCR_IRQ   (1UL << 1)
#define SCR_FIQ   (1UL << 2)
#define SCR_EA    (1UL << 3)
#define SCR_RES1  (3UL << 4)
#define SCR_SMD   (1UL << 7)
#define SCR_SIF   (1UL << 9) /* secure state: no instruction fetch from Non-secure memory */
#define SCR_HCE   (1UL << 8)
#define SCR_RW    (1UL << 10)
#define SCR_ST    (1UL << 11)
#define SCR_APK   (1UL << 16)
#define SCR_API   (1UL << 17)
#define SCR_ATA   (1UL << 26)
#define SCR_FGTEN (1UL << 27)
#define SCR_HXEN  (1UL << 38)

/* The normal world: AArch64, secure interrupts and Group 0 (FIQ) come to the
 * monitor; pointer authentication keys and instructions do not trap; SIF as
 * in the secure world (it only matters there). It is
 * entered at EL2 when the CPU has EL2 (QEMU virtualization=on), else at EL1;
 * main.c adds the SCR_EL3 enables for the features the CPU has. */
#define MON_NS_SCR_BASE (SCR_RES1 | SCR_NS | SCR_RW | SCR_FIQ | SCR_SIF | SCR_APK | SCR_API)
extern uint64_t mon_ns_scr;  /* SCR_EL3 for the normal world */
extern uint64_t mon_ns_spsr; /* its entry PSTATE: EL2h or EL1h, DAIF masked */
extern int mon_ns_el2;

void mon_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mon_system_off(void) __attribute__((noreturn));
void mon_system_reset(void) __attribute__((noreturn));

/* Answers a PSCI call; returns 0 if `fid` is not PSCI. */
int psci_handle(struct world_ctx *ctx, uint32_t fid);
int fwcfg_read_file(const char *name, void *buf, uint32_t max, uint32_t *size);
uint32_t fwcfg_item_u32(uint16_t key);
void fwcfg_read_item(uint16_t key, void *buf, uint32_t size);
void mon_set_ns_entry(uint64_t entry);
int fwcfg_dma_init(uint64_t desc_ns_addr);
int fwcfg_dma_read(uint16_t key, uint64_t skip, uint64_t dst, uint64_t size);

/* nsboot.c: loads the normal-world kernel, initrd and device tree. Returns
 * 1 with `ns` ready to enter, 0 without a normal-world image, <0 on error. */
int ns_boot_prepare(struct world_ctx *ns);
extern uint64_t ns_ram_base, ns_ram_end;
extern unsigned mon_ncpus;
extern uint64_t mon_cpu_mpidr[];
extern uint64_t mon_cpu0_mpidr; /* the boot CPU, where the secure kernel boots */

/* gic.c */
void gic_init_global(void);
int gic_init_cpu(void);
unsigned gic_ack_group0(void);

/* smc.c */
extern unsigned long mon_tos_calls[]; /* per CPU */
/* PSCI CPU_ON on CPU n: the context to enter first (the secure kernel's
 * start there, or the normal world). */
struct world_ctx *mon_cpu_start(unsigned n);
/* PSCI CPU_OFF on CPU n. */
void mon_cpu_stopped(unsigned n);

/* psci.c */
void psci_init(void);
void psci_cpu_started(unsigned cpu);

/* main.c */
void mon_el3_setup(void);
void mon_el2_reset(void);
void mon_secondary_main(uint64_t cpu) __attribute__((noreturn));

#define FWCFG_KERNEL_SIZE 0x08
#define FWCFG_KERNEL_DATA 0x11

extern struct cpu_state mon_cpu[];
extern volatile uint64_t mon_pen[];
#endif
