/* The flash driver: the one process that touches secure flash0
 * (include/microtee/flash_ipc.h has the protocol and who may do what).
 *
 * QEMU's flash0 is a CFI chip (pflash_cfi01, Intel command set) made of two
 * 16-bit chips side by side: commands go to both halves of a 32-bit word,
 * so the non-volatile area is driven with 32-bit accesses only, through a
 * Device mapping kept for the driver's life. While a program or erase
 * command runs, the whole chip answers reads with status, so the driver
 * serves one request at a time (one thread) and maps a firmware range
 * (Normal memory) only while it copies from it: no mapping of the array
 * exists while the chip is out of read-array mode, so nothing can be
 * fetched from it, speculatively or not, then. Every operation leaves the
 * chip in read-array mode. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/flash_ipc.h"
#include "../../platform/qemu-virt/platform.h"
#include "mt.h"

#define NV_VA 0x88000000UL  /* the non-volatile area, Device, for good */
#define RO_VA 0x90000000UL  /* part of a firmware range, while it is read */
#define BUF_VA 0xA0000000UL /* a client's buffer, while a request lasts */

#define CFI_PROGRAM 0x00400040U /* word program, then the data word */
#define CFI_ERASE 0x00200020U   /* block erase, then confirm */
#define CFI_CONFIRM 0x00D000D0U
#define CFI_READ_ARRAY 0x00FF00FFU
#define CFI_READ_STATUS 0x00700070U
#define CFI_CLEAR_STATUS 0x00500050U
#define SR_READY 0x80U
#define SR_ERROR 0x3AU /* erase, program, Vpp and block-lock errors */
#define POLL_MAX 1000000

struct region {
	const char *name;
	mt_handle_t devmem; /* a firmware range; 0 for a part of the NV area */
	uint64_t nv_off;    /* where in the NV area */
	uint64_t size;
	uint64_t block; /* erase block size; 0: read-only */
	uint64_t base;  /* where it starts in flash0 */
};

static struct region regions[FLASH_REGIONS] = {
    [FLASH_REGION_MONITOR] = {"monitor", 0, 0, 0, 0},
    [FLASH_REGION_KERNEL] = {"kernel", 0, 0, 0, 0},
    [FLASH_REGION_BOOTFS] = {"bootfs", 0, 0, 0, 0},
    [FLASH_REGION_KEYS] = {"keys", 0, PLAT_FLASH0_KEYS_BASE - PLAT_FLASH0_NV_BASE,
			   PLAT_FLASH0_KEYS_SIZE, PLAT_FLASH0_BLOCK},
    [FLASH_REGION_ROLLBACK] = {"rollback", 0, PLAT_FLASH0_RB_BASE - PLAT_FLASH0_NV_BASE,
			       PLAT_FLASH0_RB_SIZE, PLAT_FLASH0_BLOCK},
    [FLASH_REGION_STORAGE] = {"storage", 0, PLAT_FLASH0_STORE_BASE - PLAT_FLASH0_NV_BASE,
			      PLAT_FLASH0_STORE_SIZE, PLAT_FLASH0_BLOCK},
};

static volatile uint32_t *nv;

static long wait_ready(volatile uint32_t *at)
{
	*at = CFI_READ_STATUS;
	for (int i = 0; i < POLL_MAX; i++) {
		uint32_t sr = *at;
		if (sr & SR_READY) {
			*at = CFI_CLEAR_STATUS;
			*at = CFI_READ_ARRAY;
			return (sr & SR_ERROR) ? MT_EIO : MT_OK;
		}
	}
	*at = CFI_READ_ARRAY;
	return MT_EIO;
}

/* The region's word at byte offset off (NV regions only). */
static volatile uint32_t *nv_word(const struct region *r, uint64_t off)
{
	return nv + (r->nv_off + off) / 4;
}

static long do_read(const struct region *r, uint64_t off, uint64_t len, uint8_t *buf)
{
	if (!r->devmem) {
		if ((off | len) & 3)
			return MT_EINVAL;
		for (uint64_t i = 0; i < len; i += 4) {
			uint32_t w = *nv_word(r, off + i);
			memcpy(buf + i, &w, 4);
		}
		return MT_OK;
	}
	if (len == 0)
		return MT_OK;
	uint64_t start = off & ~(MT_PAGE_SIZE - 1);
	uint64_t end = (off + len + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
	long rc = MT_SYS(SYS_DEVMEM_MAP, r->devmem, RO_VA, start, end - start, MT_PROT_R);
	if (rc != MT_OK)
		return rc;
	memcpy(buf, (const uint8_t *)RO_VA + (off - start), len);
	mt_mem_unmap(RO_VA, end - start);
	return MT_OK;
}

static long do_program(const struct region *r, uint64_t off, uint64_t len, const uint8_t *buf)
{
	if ((off | len) & 3)
		return MT_EINVAL;
	for (uint64_t i = 0; i < len; i += 4) {
		volatile uint32_t *w = nv_word(r, off + i);
		uint32_t v;
		memcpy(&v, buf + i, 4);
		*w = CFI_PROGRAM;
		*w = v;
		long rc = wait_ready(w);
		if (rc != MT_OK || *w != v) {
			printf("[flash] %s: programming the word at 0x%lx failed\n", r->name,
			       (unsigned long)(off + i));
			return MT_EIO;
		}
	}
	return MT_OK;
}

static long do_erase(const struct region *r, uint64_t off)
{
	if (off % r->block)
		return MT_EINVAL;
	volatile uint32_t *b = nv_word(r, off);
	*b = CFI_ERASE;
	*b = CFI_CONFIRM;
	long rc = wait_ready(b);
	for (uint64_t i = 0; rc == MT_OK && i < r->block / 4; i++)
		if (b[i] != 0xFFFFFFFFU)
			rc = MT_EIO;
	if (rc != MT_OK)
		printf("[flash] %s: erasing the block at 0x%lx failed\n", r->name, (unsigned long)off);
	return rc;
}

/* One request, with the shared-memory object it brought (or 0); out[]
 * becomes the reply's words 1..3. */
static long serve(const struct mt_msg *m, mt_handle_t shm, uint64_t out[3])
{
	uint64_t op = m->w[0], reg = m->w[1], off = m->w[2], len = m->w[3];
	if (op < FLASH_OP_INFO || op > FLASH_OP_ERASE)
		return MT_ENOSYS;
	if (reg >= FLASH_REGIONS)
		return MT_EINVAL;
	const struct region *r = &regions[reg];
	int can_write = (m->badge & FLASH_WRITES(FLASH_R(reg))) && r->block;
	int can_read = can_write || (m->badge & FLASH_READS(FLASH_R(reg)));
	if (!can_read || (op >= FLASH_OP_PROGRAM && !can_write))
		return MT_EPERM;
	if (op == FLASH_OP_INFO) {
		out[0] = r->size;
		out[1] = r->block;
		out[2] = r->base;
		return MT_OK;
	}
	if (off > r->size || (op != FLASH_OP_ERASE && len > r->size - off))
		return MT_EINVAL;
	if (op == FLASH_OP_ERASE)
		return off < r->size ? do_erase(r, off) : MT_EINVAL;
	if (!shm)
		return MT_EBADH;
	unsigned long mapped = 0;
	long rc = MT_SYS_R1(&mapped, SYS_SHM_MAP, shm, BUF_VA,
			    op == FLASH_OP_READ ? MT_PROT_R | MT_PROT_W : MT_PROT_R);
	if (rc != MT_OK)
		return MT_EBADH;
	if (len > mapped)
		rc = MT_EINVAL;
	else if (op == FLASH_OP_READ)
		rc = do_read(r, off, len, (uint8_t *)BUF_VA);
	else
		rc = do_program(r, off, len, (const uint8_t *)BUF_VA);
	mt_mem_unmap(BUF_VA, mapped);
	return rc;
}

static long range_info(mt_handle_t h, uint64_t *base, uint64_t *size)
{
	unsigned long a[7] = {h};
	long rc = mt_syscall(SYS_DEVMEM_INFO, a);
	*base = a[1];
	*size = a[2];
	return rc;
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t ep = FLASH_START_ARG_HANDLE(arg, 0), nv_h = FLASH_START_ARG_HANDLE(arg, 4);
	uint64_t base, size;
	for (unsigned i = 0; i < 3; i++) {
		regions[i].devmem = FLASH_START_ARG_HANDLE(arg, 1 + i);
		if (range_info(regions[i].devmem, &regions[i].base, &regions[i].size) != MT_OK) {
			printf("[flash] no %s range\n", regions[i].name);
			return 1;
		}
	}
	if (range_info(nv_h, &base, &size) != MT_OK || base != PLAT_FLASH0_NV_BASE ||
	    size != PLAT_FLASH0_NV_SIZE ||
	    MT_SYS(SYS_DEVMEM_MAP, nv_h, NV_VA, 0, size, MT_PROT_R | MT_PROT_W) != MT_OK) {
		printf("[flash] cannot map the non-volatile area\n");
		return 1;
	}
	nv = (volatile uint32_t *)NV_VA;
	regions[FLASH_REGION_KEYS].base = PLAT_FLASH0_KEYS_BASE;
	regions[FLASH_REGION_ROLLBACK].base = PLAT_FLASH0_RB_BASE;
	regions[FLASH_REGION_STORAGE].base = PLAT_FLASH0_STORE_BASE;
	nv[0] = CFI_READ_ARRAY;
	printf("[flash] serving on handle %lu: firmware %lu KiB, non-volatile area %lu KiB\n", ep,
	       (unsigned long)((regions[0].size + regions[1].size + regions[2].size) / 1024),
	       (unsigned long)(size / 1024));

	struct mt_msg m;
	long st = mt_recv(ep, &m);
	for (;;) {
		if (st != MT_OK) {
			printf("[flash] receive failed: %ld\n", st);
			return 1;
		}
		mt_handle_t shm = MT_XFER_GET(m.handle, 0);
		uint64_t out[3] = {0, 0, 0};
		long rc = serve(&m, shm, out);
		for (unsigned i = 0; i < MT_XFER_MAX; i++)
			if (MT_XFER_GET(m.handle, i))
				mt_handle_close(MT_XFER_GET(m.handle, i));
		m = (struct mt_msg){{(uint64_t)rc, out[0], out[1], out[2]}, 0, 0};
		st = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}
