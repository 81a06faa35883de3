/* Calls to the flash driver (flash_client.h). */
#include <string.h>

#include "flash_client.h"

long flash_buf_init(struct flash_buf *b, size_t size, uintptr_t va)
{
	unsigned long mapped = 0;
	long rc = mt_shm_create(size, &b->shm);
	if (rc != MT_OK)
		return rc;
	if (va)
		b->va = MT_SYS_R1(&mapped, SYS_SHM_MAP, b->shm, va, MT_PROT_R | MT_PROT_W) == MT_OK
				? (uint8_t *)va
				: 0;
	else
		b->va = mt_shm_map_any(b->shm, MT_PROT_R | MT_PROT_W, &mapped);
	if (!b->va) {
		mt_handle_close(b->shm);
		b->shm = 0;
		return MT_ENOMEM;
	}
	b->size = mapped;
	return MT_OK;
}

void flash_buf_free(struct flash_buf *b)
{
	if (b->va)
		mt_mem_unmap((uintptr_t)b->va, b->size);
	if (b->shm)
		mt_handle_close(b->shm);
	*b = (struct flash_buf){0, 0, 0};
}

long flash_info(mt_handle_t ep, unsigned region, uint64_t *size, uint64_t *block, uint64_t *base)
{
	struct mt_msg m = {{FLASH_OP_INFO, region, 0, 0}, 0, 0};
	long rc = mt_call(ep, &m);
	if (rc == MT_OK)
		rc = (long)m.w[0];
	if (rc == MT_OK) {
		*size = m.w[1];
		*block = m.w[2];
		if (base)
			*base = m.w[3];
	}
	return rc;
}

long flash_read_shm(mt_handle_t ep, unsigned region, uint64_t off, size_t len, mt_handle_t shm)
{
	struct mt_msg m = {{FLASH_OP_READ, region, off, len}, MT_XFER(shm, 0, 0, 0), 0};
	long rc = mt_call(ep, &m);
	return rc == MT_OK ? (long)m.w[0] : rc;
}

long flash_read(mt_handle_t ep, unsigned region, uint64_t off, void *dst, size_t len,
		struct flash_buf *b)
{
	uint8_t *d = dst;
	while (len) {
		size_t n = len < b->size ? len : b->size;
		long rc = flash_read_shm(ep, region, off, n, b->shm);
		if (rc != MT_OK)
			return rc;
		memcpy(d, b->va, n);
		d += n, off += n, len -= n;
	}
	return MT_OK;
}

long flash_program(mt_handle_t ep, unsigned region, uint64_t off, const void *src, size_t len,
		   struct flash_buf *b)
{
	const uint8_t *s = src;
	while (len) {
		size_t n = len < b->size ? len : b->size;
		memcpy(b->va, s, n);
		struct mt_msg m = {{FLASH_OP_PROGRAM, region, off, n}, MT_XFER(b->shm, 0, 0, 0), 0};
		long rc = mt_call(ep, &m);
		if (rc == MT_OK)
			rc = (long)m.w[0];
		if (rc != MT_OK)
			return rc;
		s += n, off += n, len -= n;
	}
	return MT_OK;
}

long flash_erase(mt_handle_t ep, unsigned region, uint64_t off)
{
	struct mt_msg m = {{FLASH_OP_ERASE, region, off, 0}, 0, 0};
	long rc = mt_call(ep, &m);
	return rc == MT_OK ? (long)m.w[0] : rc;
}
