/* test_flash: the flash driver's protocol seen by a client
 * (include/microtee/flash_ipc.h). init gives it two handles to the driver:
 * one under badge 0 (no region) and one badged to read the boot file system
 * only (scenario `flash`), and a third badged to read the secure-storage
 * region only (bits 24..31 of the argument). Nothing here writes flash:
 * the storage region belongs to the storage service's log.
 *
 * Argument: DEMO_ARG(0, none, ro) | store << 24. */
#include <string.h>

#include "../../../include/microtee/bootfs.h"
#include "../../../include/microtee/demo_ipc.h"
#include "../../../platform/qemu-virt/platform.h"
#include "../../../services/common/flash_client.h"
#include "mt.h"

#define TEST_NAME "test_flash"
#include "../check.h"

static long req(mt_handle_t ep, uint64_t op, uint64_t reg, uint64_t off, uint64_t len,
		mt_handle_t xfer)
{
	struct mt_msg m = {{op, reg, off, len}, xfer, 0};
	long rc = mt_call(ep, &m);
	return rc == MT_OK ? (long)m.w[0] : rc;
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t none = DEMO_ARG_ECHO(arg), ro = DEMO_ARG_COUNTER(arg), st = (arg >> 24) & 0xff;
	struct flash_buf b;
	uint64_t size = 0, block = 1, base = 0;
	if (flash_buf_init(&b, 8192, 0) != MT_OK) {
		printf("test_flash: no buffer\ntest_flash: FAIL\n");
		return 1;
	}
	/* No region under badge 0. */
	for (unsigned r = 0; r < FLASH_REGIONS; r++) {
		CHECK(req(none, FLASH_OP_INFO, r, 0, 0, 0) == MT_EPERM, "info %u, badge 0", r);
		CHECK(req(none, FLASH_OP_READ, r, 0, 4, b.shm) == MT_EPERM, "read %u, badge 0", r);
		CHECK(req(none, FLASH_OP_ERASE, r, 0, 0, 0) == MT_EPERM, "erase %u, badge 0", r);
	}
	/* The boot file system reads; nothing else does, and nothing writes. */
	CHECK(flash_info(ro, FLASH_REGION_BOOTFS, &size, &block, &base) == MT_OK && size >= 4096 &&
		  block == 0 && base > 0 && base < 0x04000000,
	      "bootfs info: size %lu block %lu base 0x%lx", (unsigned long)size,
	      (unsigned long)block, (unsigned long)base);
	struct bootfs_header h = {0, 0};
	CHECK(flash_read(ro, FLASH_REGION_BOOTFS, 0, &h, sizeof(h), &b) == MT_OK &&
		  h.magic == BOOTFS_MAGIC && h.count > 3,
	      "bootfs header: magic 0x%x count %u", h.magic, h.count);
	uint8_t one = 0;
	CHECK(flash_read(ro, FLASH_REGION_BOOTFS, 3, &one, 1, &b) == MT_OK &&
		  one == (uint8_t)(BOOTFS_MAGIC >> 24),
	      "an unaligned byte of the firmware: 0x%x", one);
	CHECK(req(ro, FLASH_OP_PROGRAM, FLASH_REGION_BOOTFS, 0, 4, b.shm) == MT_EPERM,
	      "program the boot file system");
	CHECK(req(ro, FLASH_OP_ERASE, FLASH_REGION_BOOTFS, 0, 0, 0) == MT_EPERM,
	      "erase the boot file system");
	for (unsigned r = 0; r < FLASH_REGIONS; r++)
		if (r != FLASH_REGION_BOOTFS)
			CHECK(req(ro, FLASH_OP_READ, r, 0, 4, b.shm) == MT_EPERM &&
				  req(ro, FLASH_OP_PROGRAM, r, 0, 4, b.shm) == MT_EPERM,
			      "region %u under the boot file system's badge", r);
	/* The secure-storage region: 13 erase blocks just below the rollback
	 * counters, readable under its badge, not writable under a read badge,
	 * and nothing else readable under it. */
	CHECK(flash_info(st, FLASH_REGION_STORAGE, &size, &block, &base) == MT_OK &&
		  size == PLAT_FLASH0_STORE_SIZE && size == 13 * PLAT_FLASH0_BLOCK &&
		  block == PLAT_FLASH0_BLOCK && base == PLAT_FLASH0_STORE_BASE &&
		  base + size == PLAT_FLASH0_RB_BASE,
	      "storage info: size %lu block %lu base 0x%lx", (unsigned long)size,
	      (unsigned long)block, (unsigned long)base);
	uint32_t words[2] = {1, 1};
	CHECK(flash_read(st, FLASH_REGION_STORAGE, size - 8, words, 8, &b) == MT_OK,
	      "read the storage region's last words");
	CHECK(req(st, FLASH_OP_READ, FLASH_REGION_STORAGE, size - 4, 8, b.shm) == MT_EINVAL,
	      "a read past the storage region's end");
	CHECK(req(st, FLASH_OP_READ, FLASH_REGION_STORAGE, 2, 4, b.shm) == MT_EINVAL,
	      "an unaligned read of the storage region");
	CHECK(req(st, FLASH_OP_PROGRAM, FLASH_REGION_STORAGE, 0, 4, b.shm) == MT_EPERM &&
		  req(st, FLASH_OP_ERASE, FLASH_REGION_STORAGE, 0, 0, 0) == MT_EPERM,
	      "program or erase storage under a read badge");
	CHECK(req(ro, FLASH_OP_INFO, FLASH_REGION_STORAGE, 0, 0, 0) == MT_EPERM,
	      "storage under the boot file system's badge");
	for (unsigned r = 0; r < FLASH_REGIONS; r++)
		if (r != FLASH_REGION_STORAGE)
			CHECK(req(st, FLASH_OP_INFO, r, 0, 0, 0) == MT_EPERM &&
				  req(st, FLASH_OP_READ, r, 0, 4, b.shm) == MT_EPERM,
			      "region %u under the storage badge", r);
	/* Bad requests. */
	CHECK(flash_info(ro, FLASH_REGION_BOOTFS, &size, &block, &base) == MT_OK, "bootfs info");
	CHECK(req(ro, FLASH_OP_READ, FLASH_REGION_BOOTFS, size - 4, 8, b.shm) == MT_EINVAL,
	      "a read past the region's end");
	CHECK(req(ro, FLASH_OP_READ, FLASH_REGION_BOOTFS, size + 4096, 4, b.shm) == MT_EINVAL,
	      "a read after the region");
	CHECK(req(ro, FLASH_OP_READ, FLASH_REGION_BOOTFS, 0, UINT64_MAX, b.shm) == MT_EINVAL,
	      "a read of 2^64 - 1 bytes");
	CHECK(req(ro, FLASH_OP_READ, FLASH_REGION_BOOTFS, 0, b.size + 1, b.shm) == MT_EINVAL,
	      "a read longer than the buffer");
	CHECK(req(ro, FLASH_OP_READ, FLASH_REGION_BOOTFS, 0, 4, 0) == MT_EBADH, "a read, no buffer");
	mt_handle_t rocopy = 0;
	CHECK(mt_handle_grant(0, b.shm, MT_R_MAP_R | MT_R_GRANT, 0, &rocopy) == MT_OK &&
		  req(ro, FLASH_OP_READ, FLASH_REGION_BOOTFS, 0, 4, rocopy) == MT_EBADH,
	      "a read into a buffer lent read-only");
	long e = req(ro, FLASH_OP_READ, FLASH_REGION_BOOTFS, 0, 4, rocopy << 16);
	CHECK(e == MT_EBADH, "a read with the buffer in the second place: %ld", e);
	CHECK(req(ro, 99, FLASH_REGION_BOOTFS, 0, 0, 0) == MT_ENOSYS, "an unknown operation");
	CHECK(req(ro, FLASH_OP_INFO, 99, 0, 0, 0) == MT_EINVAL, "an unknown region");
	CHECK(req(ro, 0, 0, 0, 0, 0) == MT_ENOSYS, "operation 0");
	/* Handles sent along are closed by the driver, not kept: many
	 * requests, each with four, and it still serves. */
	int ok = 1;
	for (int i = 0; i < 200 && ok; i++)
		ok = req(ro, FLASH_OP_INFO, FLASH_REGION_BOOTFS, 0, 0,
			 MT_XFER(b.shm, rocopy, b.shm, rocopy)) == MT_OK;
	CHECK(ok, "200 requests with four handles each");
	h.magic = 0;
	CHECK(flash_read(ro, FLASH_REGION_BOOTFS, 0, &h, sizeof(h), &b) == MT_OK &&
		  h.magic == BOOTFS_MAGIC,
	      "still serving");
	printf("test_flash: %d passed, %d failed\n", passed, failed);
	printf("test_flash: %s\n", failed || passed < 20 ? "FAIL" : "PASS");
	return failed != 0;
}
