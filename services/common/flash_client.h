/* Calls to the flash driver (include/microtee/flash_ipc.h), for its
 * clients: init's loader and rollback counters, the key service. Data
 * moves through a buffer of the client's, a shared-memory object that is
 * lent to the driver for each request. */
#ifndef SERVICES_COMMON_FLASH_CLIENT_H
#define SERVICES_COMMON_FLASH_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/microtee/flash_ipc.h"
#include "mt.h"

struct flash_buf {
	mt_handle_t shm;
	uint8_t *va; /* mapped read-write here */
	size_t size;
};

/* A buffer of at least `size` bytes (whole pages), mapped at va, or at a
 * free place of the shared region if va is 0. MT_OK or an error. */
long flash_buf_init(struct flash_buf *b, size_t size, uintptr_t va);
/* Unmaps and frees it. */
void flash_buf_free(struct flash_buf *b);
/* The region's size, erase block size (0: read-only) and place in flash0;
 * base may be 0. */
long flash_info(mt_handle_t ep, unsigned region, uint64_t *size, uint64_t *block, uint64_t *base);
/* The region's bytes [off, off + len) into dst, through b, in pieces of at
 * most b->size bytes. */
long flash_read(mt_handle_t ep, unsigned region, uint64_t off, void *dst, size_t len,
		struct flash_buf *b);
/* Programs src[0..len) at the region's off, through b. */
long flash_program(mt_handle_t ep, unsigned region, uint64_t off, const void *src, size_t len,
		   struct flash_buf *b);
/* Erases the erase block at the region's off. */
long flash_erase(mt_handle_t ep, unsigned region, uint64_t off);
/* The region's bytes [off, off + len) straight into a shared-memory object
 * of the caller's (its first len bytes), without a copy. */
long flash_read_shm(mt_handle_t ep, unsigned region, uint64_t off, size_t len, mt_handle_t shm);

#endif
