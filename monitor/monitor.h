#ifndef MONITOR_H
#define MONITOR_H
#include <stdint.h>

#include "context.h"

#define SYSREG_READ(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define SYSREG_WRITE(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)))

/* SCR_EL3 bits */
#define SCR_NS (1UL << 0)
#define SCR_IRQ (1UL << 1)
#define SCR_FIQ (1UL << 2)
#define SCR_EA (1UL << 3)
#define SCR_RES1 (3UL << 4)
#define SCR_SMD (1UL << 7)
#define SCR_HCE (1UL << 8)
#define SCR_RW (1UL << 10)
#define SCR_ST (1UL << 11)
#define SCR_APK (1UL << 16)
#define SCR_API (1UL << 17)

void mon_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mon_system_off(void) __attribute__((noreturn));
void mon_system_reset(void) __attribute__((noreturn));

/* Answers a PSCI call; returns 0 if `fid` is not PSCI. */
int psci_handle(struct world_ctx *ctx, uint32_t fid);
int fwcfg_read_file(const char *name, void *buf, uint32_t max, uint32_t *size);
uint32_t fwcfg_item_u32(uint16_t key);
void fwcfg_read_item(uint16_t key, void *buf, uint32_t size);
void mon_set_ns_entry(uint64_t entry);

#define FWCFG_KERNEL_SIZE 0x08
#define FWCFG_KERNEL_DATA 0x11

extern struct cpu_state mon_cpu[];
extern volatile uint64_t mon_pen[];
#endif
