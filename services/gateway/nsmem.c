/* Normal-world memory in the gateway (services/common/nsmem.h): mapped only
 * for as long as one call needs it, at fixed places. */
#include "gateway.h"

mt_handle_t gw_nsmem;

/* Fixed places for normal-world mappings: for each worker, one per use
 * that can overlap in time (the message; a page list read while handling
 * it). Addresses are reused instead of consuming the address space, and
 * no two workers share one. */
#define NS_SLOTS 2
#define NS_MAP_VA(w, slot) \
	(MT_USER_SHM + 0x08000000UL + ((w)->id * NS_SLOTS + (unsigned)(slot)) * 0x10000UL)

int ns_map(const struct gw_worker *w, uint64_t pa, size_t len, int slot, struct ns_map *m)
{
	return ns_map_at(gw_nsmem, pa, len, NS_MAP_VA(w, slot), m);
}
