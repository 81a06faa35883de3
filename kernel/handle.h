/* Capabilities: each process names kernel objects only through its own
 * handle table. A handle carries rights and, for endpoints, a badge. */
#ifndef KERNEL_HANDLE_H
#define KERNEL_HANDLE_H
#include "kernel.h"

enum kobj_type {
	KOBJ_NONE = 0,
	KOBJ_ENDPOINT,
	KOBJ_PROCESS,
	KOBJ_THREAD,
	KOBJ_SHM,
	KOBJ_SPAWNER, /* authority to create processes and power off: init only */
	KOBJ_NSMEM,   /* authority to map normal-world RAM: the gateway */
	KOBJ_DEVMEM,  /* a physical device range the holder may map (secure flash) */
	KOBJ_NWRPC,   /* authority to ask the normal world (OP-TEE RPCs): the RPC service */
};

/* Header at the start of every kernel object. */
struct kobj {
	uint8_t type;
	uint32_t refs; /* handles (and mappings) that keep it alive */
};

struct handle {
	struct kobj *obj;
	uint32_t rights;
	uint64_t badge;
};

#define HT_SIZE 64 /* handles 1..HT_SIZE-1; 0 is never valid */

struct handle_table {
	struct handle slot[HT_SIZE];
	unsigned used;
};

/* Called when the last reference to an object goes away. */
void kobj_release(struct kobj *obj);

static inline void kobj_get(struct kobj *o)
{
	o->refs++;
}
static inline void kobj_put(struct kobj *o)
{
	kassert(o->refs > 0);
	if (--o->refs == 0)
		kobj_release(o);
}

/* Installs obj; returns the new handle (> 0) or MT_ENOSPACE. */
long ht_insert(struct handle_table *ht, struct kobj *obj, uint32_t rights, uint64_t badge);
/* Resolves h to an object of `type` (KOBJ_NONE: any) whose rights include
 * `need`. On failure returns 0 and sets *err to MT_EBADH or MT_EPERM.
 * Inline: it is on the IPC path. */
static inline struct handle *ht_lookup(struct handle_table *ht, uint64_t h, enum kobj_type type,
				       uint32_t need, int *err)
{
	if (h == 0 || h >= HT_SIZE || !ht->slot[h].obj ||
	    (type != KOBJ_NONE && ht->slot[h].obj->type != type)) {
		*err = MT_EBADH;
		return 0;
	}
	if ((ht->slot[h].rights & need) != need) {
		*err = MT_EPERM;
		return 0;
	}
	return &ht->slot[h];
}
/* Drops a handle. MT_EBADH if it names nothing. */
int ht_remove(struct handle_table *ht, uint64_t h);
/* Drops every handle. */
void ht_clear(struct handle_table *ht);

#endif
