/* Lookup of user programs in the boot file system. The image comes from
 * secure flash, but every offset is still checked against its size. */
#include "bootfs.h"

static const uint8_t *fs_base;
static size_t fs_size;

void bootfs_init(const void *base, size_t size)
{
	fs_base = base;
	fs_size = size;
}

int bootfs_find(const char *name, size_t name_len, const void **data, size_t *size)
{
	struct bootfs_header h;
	if (!fs_base || fs_size < sizeof(h) || name_len == 0 || name_len >= BOOTFS_NAME_MAX)
		return MT_ENOENT;
	memcpy(&h, fs_base, sizeof(h));
	if (h.magic != BOOTFS_MAGIC || h.count > (fs_size - sizeof(h)) / sizeof(struct bootfs_entry))
		return MT_ENOENT;
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		memcpy(&e, fs_base + sizeof(h) + i * sizeof(e), sizeof(e));
		if (memcmp(e.name, name, name_len) != 0 || e.name[name_len] != '\0')
			continue;
		if (e.offset > fs_size || e.size > fs_size - e.offset)
			return MT_ENOENT;
		*data = fs_base + e.offset;
		*size = e.size;
		return MT_OK;
	}
	return MT_ENOENT;
}
