/* Normal-world buffers registered with REGISTER_SHM. Linux describes each
 * by a list of physical pages; the gateway keeps the list (in secure
 * memory) and builds shared-memory objects from it for memory references. */
#include <stdlib.h>
#include <string.h>

#include "gateway.h"

/* shm_lock guards regs[] and the heap (picolibc's malloc is not
 * thread-safe); the lock order is in gateway.h. Mapping a page-list page
 * and vetting a registration take one object of the budget at a time,
 * taken before shm_lock. */
static struct gw_lock shm_lock;

struct shm_reg {
	uint64_t cookie;
	uint64_t size;   /* bytes */
	uint64_t offset; /* of the buffer in its first page */
	unsigned npages;
	uint64_t *pages;
};

static struct shm_reg regs[GW_MAX_SHM];

static struct shm_reg *find(uint64_t cookie)
{
	for (unsigned i = 0; i < GW_MAX_SHM; i++)
		if (regs[i].pages && regs[i].cookie == cookie)
			return &regs[i];
	return 0;
}

/* Reads the page list at `list` into pages[0..npages): 0 or a TEE error. */
static uint32_t read_page_list(const struct gw_worker *w, uint64_t list, uint64_t *pages,
			       unsigned npages)
{
	/* Walk the page list: each list page holds 511 data-page addresses and
	 * the address of the next list page. */
	unsigned got = 0;
	while (got < npages) {
		struct ns_map m;
		if (list & (OPTEE_MSG_NONCONTIG_PAGE_SIZE - 1) ||
		    ns_map(w, list, OPTEE_MSG_NONCONTIG_PAGE_SIZE, NS_SLOT_SCRATCH, &m) != MT_OK)
			return GW_TEE_ERROR_BAD_PARAMETERS;
		uint64_t entries[OPTEE_MSG_PAGELIST_ENTRIES + 1];
		memcpy(entries, m.ptr, sizeof(entries)); /* copied once, then checked */
		ns_unmap(&m);
		for (unsigned i = 0; i < OPTEE_MSG_PAGELIST_ENTRIES && got < npages; i++) {
			if (entries[i] & (MT_PAGE_SIZE - 1))
				return GW_TEE_ERROR_BAD_PARAMETERS;
			pages[got++] = entries[i];
		}
		list = entries[OPTEE_MSG_PAGELIST_ENTRIES];
	}
	/* Let the kernel vet every page now (normal-world RAM only), so a bad
	 * list fails at registration, not at first use. */
	mt_handle_t probe;
	if (ns_pages_object(gw_nsmem, pages, npages, &probe) != MT_OK)
		return GW_TEE_ERROR_BAD_PARAMETERS;
	mt_handle_close(probe);
	return GW_TEE_SUCCESS;
}

uint32_t shm_register(const struct gw_worker *w, const struct optee_msg_param *p)
{
	uint64_t attr = p->attr;
	if ((attr & OPTEE_MSG_ATTR_TYPE_MASK) != OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT ||
	    !(attr & OPTEE_MSG_ATTR_NONCONTIG))
		return GW_TEE_ERROR_BAD_PARAMETERS;
	uint64_t offset = p->u.tmem.buf_ptr & (OPTEE_MSG_NONCONTIG_PAGE_SIZE - 1);
	uint64_t list = p->u.tmem.buf_ptr & ~(uint64_t)(OPTEE_MSG_NONCONTIG_PAGE_SIZE - 1);
	uint64_t size = p->u.tmem.size, total;
	if (size == 0 || __builtin_add_overflow(size, offset, &total) ||
	    total > (uint64_t)GW_MAX_SHM_PAGES * MT_PAGE_SIZE)
		return GW_TEE_ERROR_BAD_PARAMETERS;
	unsigned npages = (unsigned)((total + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE);
	gw_lock_take(&shm_lock);
	uint64_t *pages = malloc(npages * sizeof(uint64_t));
	gw_lock_give(&shm_lock);
	if (!pages)
		return GW_TEE_ERROR_OUT_OF_MEMORY;
	gw_budget_take(1);
	uint32_t ret = read_page_list(w, list, pages, npages);
	gw_budget_give(1);
	struct shm_reg *r = 0;
	gw_lock_take(&shm_lock);
	if (ret == GW_TEE_SUCCESS && find(p->u.tmem.shm_ref))
		ret = GW_TEE_ERROR_BAD_PARAMETERS;
	for (unsigned i = 0; ret == GW_TEE_SUCCESS && i < GW_MAX_SHM && !r; i++)
		if (!regs[i].pages)
			r = &regs[i];
	if (ret == GW_TEE_SUCCESS && !r)
		ret = GW_TEE_ERROR_OUT_OF_MEMORY;
	if (ret == GW_TEE_SUCCESS) {
		r->cookie = p->u.tmem.shm_ref;
		r->size = size;
		r->offset = offset;
		r->npages = npages;
		r->pages = pages;
	} else {
		free(pages);
	}
	gw_lock_give(&shm_lock);
	return ret;
}

uint32_t shm_unregister(const struct optee_msg_param *p)
{
	if ((p->attr & OPTEE_MSG_ATTR_TYPE_MASK) != OPTEE_MSG_ATTR_TYPE_RMEM_INPUT)
		return GW_TEE_ERROR_BAD_PARAMETERS;
	gw_lock_take(&shm_lock);
	struct shm_reg *r = find(p->u.rmem.shm_ref);
	if (r) {
		free(r->pages);
		memset(r, 0, sizeof(*r));
	}
	gw_lock_give(&shm_lock);
	return r ? GW_TEE_SUCCESS : GW_TEE_ERROR_BAD_PARAMETERS;
}

uint32_t shm_range_object(uint64_t cookie, uint64_t offs, uint64_t size, mt_handle_t *shm,
			  uint64_t *obj_offset)
{
	uint64_t end;
	uint32_t ret = GW_TEE_ERROR_BAD_PARAMETERS;
	/* Under the lock: a concurrent UNREGISTER_SHM frees the page list. */
	gw_lock_take(&shm_lock);
	struct shm_reg *r = find(cookie);
	if (r && !__builtin_add_overflow(offs, size, &end) && end <= r->size && size != 0) {
		uint64_t start = r->offset + offs; /* from the start of the first page */
		unsigned first = (unsigned)(start / MT_PAGE_SIZE);
		unsigned last = (unsigned)((r->offset + end - 1) / MT_PAGE_SIZE);
		if (ns_pages_object(gw_nsmem, r->pages + first, last - first + 1, shm) == MT_OK) {
			*obj_offset = start % MT_PAGE_SIZE;
			ret = GW_TEE_SUCCESS;
		}
	}
	gw_lock_give(&shm_lock);
	return ret;
}
