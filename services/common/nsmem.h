/* Normal-world memory in a service's address space: the kernel checks that
 * every page is normal-world RAM (SYS_NSSHM_CREATE, which needs the NSMEM
 * capability); the service maps it only for as long as it needs it. Used by
 * the gateway (messages, page lists) and the RPC service (RPC buffers). */
#ifndef SERVICES_COMMON_NSMEM_H
#define SERVICES_COMMON_NSMEM_H

#include <stddef.h>
#include <stdint.h>

#include "mt.h"

#define NS_MAP_MAX_PAGES 4

struct ns_map {
	mt_handle_t shm;
	uint8_t *base; /* start of the mapping (page aligned) */
	size_t size;
	uint8_t *ptr; /* the requested address inside it */
};

/* A shared-memory object over the normal-world pages[0..n). */
int ns_pages_object(mt_handle_t nsmem, const uint64_t *pages, unsigned n, mt_handle_t *shm);
/* Maps [pa, pa + len) (at most NS_MAP_MAX_PAGES pages) read-write at va, a
 * page-aligned address the caller reserves for it. */
int ns_map_at(mt_handle_t nsmem, uint64_t pa, size_t len, uintptr_t va, struct ns_map *m);
void ns_unmap(struct ns_map *m);

#endif
