/* Lookup of user programs in the boot file system (bootfs.h). */
#include "bootfs.h"
#include "kstring.h"

int bootfs_lookup(const uint8_t *fs, size_t fs_size, const char *name, size_t name_len,
		  size_t *offset, size_t *size)
{
	struct bootfs_header h;
	if (!fs || fs_size < sizeof(h) || name_len == 0 || name_len >= BOOTFS_NAME_MAX)
		return MT_ENOENT;
	memcpy(&h, fs, sizeof(h));
	if (h.magic != BOOTFS_MAGIC || h.count > (fs_size - sizeof(h)) / sizeof(struct bootfs_entry))
		return MT_ENOENT;
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		memcpy(&e, fs + sizeof(h) + i * sizeof(e), sizeof(e));
		if (memcmp(e.name, name, name_len) != 0 || e.name[name_len] != '\0')
			continue;
		if (e.offset > fs_size || e.size > fs_size - e.offset)
			return MT_ENOENT;
		*offset = e.offset;
		*size = e.size;
		return MT_OK;
	}
	return MT_ENOENT;
}

static const uint8_t *fs_base;
static size_t fs_size;

void bootfs_init(const void *base, size_t size)
{
	fs_base = base;
	fs_size = size;
}

int bootfs_find(const char *name, size_t name_len, const void **data, size_t *size)
{
	size_t off;
	int rc = bootfs_lookup(fs_base, fs_size, name, name_len, &off, size);
	if (rc == MT_OK)
		*data = fs_base + off;
	return rc;
}
