/* QEMU virt (AArch64, secure=on, gic-version=3): the memory map MicroTEE relies on. */
#ifndef PLATFORM_QEMU_VIRT_H
#define PLATFORM_QEMU_VIRT_H

#define PLAT_FLASH0_BASE 0x00000000UL
#define PLAT_FLASH0_SIZE 0x04000000UL /* 64 MiB, secure-only with secure=on */
/* The last 4 MiB of flash0 (16 erase blocks of QEMU's CFI flash, 256 KiB
 * each) hold secure non-volatile data; the firmware image must end below
 * it, and a build never rewrites it. Only the flash-driver process
 * (services/flash) maps it; it serves these regions of it:
 *   the last block       the key area (the key service's hardware-unique key)
 *   the two before it    the TA anti-rollback counters (init's loader)
 *   the 13 below those   secure storage (services/storage/flashstore.c; the
 *                        driver does not serve them yet: docs/storage.md) */
#define PLAT_FLASH0_BLOCK 0x00040000UL
#define PLAT_FLASH0_NV_SIZE 0x00400000UL
#define PLAT_FLASH0_NV_BASE (PLAT_FLASH0_BASE + PLAT_FLASH0_SIZE - PLAT_FLASH0_NV_SIZE)
#define PLAT_FLASH0_KEYS_BASE (PLAT_FLASH0_BASE + PLAT_FLASH0_SIZE - PLAT_FLASH0_BLOCK)
#define PLAT_FLASH0_KEYS_SIZE PLAT_FLASH0_BLOCK
#define PLAT_FLASH0_RB_SIZE (2 * PLAT_FLASH0_BLOCK)
#define PLAT_FLASH0_RB_BASE (PLAT_FLASH0_KEYS_BASE - PLAT_FLASH0_RB_SIZE)
#define PLAT_FLASH0_STORE_BASE PLAT_FLASH0_NV_BASE
#define PLAT_FLASH0_STORE_SIZE (PLAT_FLASH0_RB_BASE - PLAT_FLASH0_NV_BASE) /* 13 blocks */
#define PLAT_GICD_BASE 0x08000000UL
#define PLAT_GICR_BASE 0x080A0000UL
#define PLAT_GICR_STRIDE 0x20000UL
#define PLAT_UART0_BASE 0x09000000UL /* normal world console */
#define PLAT_FWCFG_BASE 0x09020000UL
#define PLAT_UART1_BASE 0x09040000UL /* secure console (second -serial) */
#define PLAT_SGPIO_BASE 0x090B0000UL /* secure PL061: pin 0 reset, pin 1 power-off */
#define PLAT_SRAM_BASE 0x0E000000UL  /* secure-only RAM */
#define PLAT_SRAM_SIZE 0x01000000UL
#define PLAT_NSRAM_BASE 0x40000000UL

#define PLAT_MAX_CPUS 8
/* The SGI the secure kernel sends between CPUs (Secure Group 1; the
 * monitor keeps it from the normal world, which uses SGIs 0..7). */
#define PLAT_SGI_SECURE_KICK 9

/* Secure RAM split: the monitor's own region, then the microkernel. */
#define PLAT_MON_BASE PLAT_SRAM_BASE
#define PLAT_MON_SIZE 0x00080000UL /* 512 KiB: monitor image, stacks, contexts */
#define PLAT_KERNEL_BASE (PLAT_SRAM_BASE + PLAT_MON_SIZE)
#define PLAT_KERNEL_END (PLAT_SRAM_BASE + PLAT_SRAM_SIZE)

/* Interrupt IDs (GICv3) */
#define PLAT_INTID_SEC_PHYS_TIMER 29
#define PLAT_INTID_NS_PHYS_TIMER 30

#endif
