/* The flash-driver process's IPC protocol (services/flash).
 *
 * The flash driver is the one process that holds secure flash0: the
 * firmware's three read-only ranges (monitor, kernel, boot file system) and
 * the non-volatile area at the chip's end (platform.h). While the chip
 * carries out a program or erase command it answers every read, anywhere
 * on the chip, with status, so one process serialises every access: reads
 * of the firmware and the commands that change the non-volatile regions.
 *
 * Its clients hold badged handles to its endpoint; the badge is the set of
 * regions a client may read (FLASH_READS(mask)) and write (FLASH_WRITES),
 * chosen by init:
 *   init's loader    read BOOTFS; write ROLLBACK (the TA version counters)
 *   the key service  read MONITOR, KERNEL, BOOTFS (it measures them);
 *                    write KEYS (the hardware-unique key)
 *   storage          write STORAGE (the secure-flash backend of GP storage,
 *                    services/storage; docs/storage.md)
 * A write right includes reading the region.
 *
 * Requests: w[0] = FLASH_OP_*, w[1] = region, then the operation's words;
 * data moves in a shared-memory object of the client's, handle 0 of the
 * message. Replies: w[0] = MT_OK or an MT_E* code:
 *   MT_EPERM     the badge does not allow this region or operation
 *   MT_EINVAL    an offset or length outside the region or the buffer, or
 *                not aligned as the operation needs
 *   MT_EBADH     no usable shared-memory object came with the request
 *   MT_EIO       the chip reported an error, or did not read back what was
 *                programmed
 *   MT_ENOSYS    an unknown operation */
#ifndef MICROTEE_FLASH_IPC_H
#define MICROTEE_FLASH_IPC_H

#include <stdint.h>

#define FLASH_REGION_MONITOR 0 /* flash0 [0, kernel): the monitor's load image */
#define FLASH_REGION_KERNEL 1  /* kernel.bin, page-rounded */
#define FLASH_REGION_BOOTFS 2  /* the boot file system */
#define FLASH_REGION_KEYS 3    /* the key area: one erase block */
#define FLASH_REGION_ROLLBACK 4 /* the TA anti-rollback counters: two erase blocks */
#define FLASH_REGION_STORAGE 5 /* secure storage: 13 erase blocks (PLAT_FLASH0_STORE_*) */
#define FLASH_REGIONS 6

#define FLASH_READS(mask) ((uint64_t)(mask))
#define FLASH_WRITES(mask) ((uint64_t)(mask) << 8)
#define FLASH_R(region) (1U << (region))

/* (region) -> (st, size, erase block size (0: a read-only region), where
 * the region starts in flash0) */
#define FLASH_OP_INFO 1
/* (region, offset, length) + shm: copies the region's bytes [offset,
 * offset + length) to the start of the shared-memory object (mapped
 * writable). In the non-volatile regions, offset and length are multiples
 * of 4 (the chip is read in 32-bit words there). */
#define FLASH_OP_READ 2
/* (region, offset, length) + shm: programs the first `length` bytes of the
 * object at the region's offset, 32-bit word by word, in order, and reads
 * each back. offset and length multiples of 4. Programming can only clear
 * bits on a real chip: program only erased words. */
#define FLASH_OP_PROGRAM 3
/* (region, offset) -> (st): erases the erase block at offset (a multiple
 * of the block size) to all ones. */
#define FLASH_OP_ERASE 4

/* The driver's start argument (init): its endpoint (RECV) and the four
 * DEVMEM handles of flash0 (monitor, kernel, boot file system, the
 * non-volatile area), 8 bits each. */
#define FLASH_START_ARG(ep, mon, kern, fs, nv)                                           \
	((unsigned long)(ep) | (unsigned long)(mon) << 8 | (unsigned long)(kern) << 16 | \
	 (unsigned long)(fs) << 24 | (unsigned long)(nv) << 32)
#define FLASH_START_ARG_HANDLE(a, i) (((a) >> (8 * (i))) & 0xFFUL) /* 0 ep, 1..4 ranges */

#endif
