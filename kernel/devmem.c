/* Device-memory capabilities: fixed physical ranges of a device (secure
 * flash0 today) that the holder of a handle may map into its own address
 * space, read-only with MT_R_MAP_R, read-write with MT_R_MAP_W as well.
 * The kernel creates them at boot from what it knows of the platform and
 * the firmware image, and gives them to init (kernel/main.c); no system
 * call creates one. */
#include "object.h"

static struct devmem devmems[MAX_DEVMEMS];

struct devmem *devmem_create(paddr_t base, size_t size, unsigned flags)
{
	paddr_t end;
	if ((base | size) & ~PAGE_MASK || size == 0 || __builtin_add_overflow(base, size, &end))
		return 0;
	for (unsigned i = 0; i < MAX_DEVMEMS; i++) {
		struct devmem *d = &devmems[i];
		if (d->obj.type != KOBJ_NONE)
			continue;
		d->obj.type = KOBJ_DEVMEM;
		d->obj.refs = 0;
		d->base = base;
		d->size = size;
		d->flags = flags;
		return d;
	}
	return 0;
}

int devmem_range(const struct devmem *d, uint64_t offset, uint64_t size, paddr_t *pa)
{
	if ((offset | size) & ~PAGE_MASK || size == 0 || offset >= d->size ||
	    size > d->size - offset)
		return MT_EINVAL;
	*pa = d->base + offset;
	return MT_OK;
}
