#include "handle.h"

long ht_insert(struct handle_table *ht, struct kobj *obj, uint32_t rights, uint64_t badge)
{
	for (unsigned i = 1; i < HT_SIZE; i++) {
		if (ht->slot[i].obj)
			continue;
		ht->slot[i].obj = obj;
		ht->slot[i].rights = rights & MT_R_ALL;
		ht->slot[i].badge = badge;
		ht->used++;
		kobj_get(obj);
		return (long)i;
	}
	return MT_ENOSPACE;
}

int ht_remove(struct handle_table *ht, uint64_t h)
{
	if (h == 0 || h >= HT_SIZE || !ht->slot[h].obj)
		return MT_EBADH;
	struct kobj *o = ht->slot[h].obj;
	ht->slot[h].obj = 0;
	ht->slot[h].rights = 0;
	ht->slot[h].badge = 0;
	ht->used--;
	kobj_put(o);
	return MT_OK;
}

void ht_clear(struct handle_table *ht)
{
	for (unsigned i = 1; i < HT_SIZE; i++)
		if (ht->slot[i].obj)
			ht_remove(ht, i);
}
