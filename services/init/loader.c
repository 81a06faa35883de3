/* init's program loader (loader.h). */
#include <string.h>

#include "../../common/bootfs.h"
#include "../../common/elf.h"
#include "../common/flash_client.h"
#include "crash.h"
#include "loader.h"

#define BOOTFS_VA (MT_USER_SHM + 0x38000000UL)

/* What init keeps of the boot file system: a copy of its header and entry
 * table, and of the flash driver's program (to restart the driver, which
 * every other read of flash goes through). */
static mt_handle_t table_shm, driver_shm;
static const uint8_t *table;
static const uint8_t *driver_elf;
static size_t fs_size, driver_size;
static mt_handle_t flash; /* init's handle to the flash driver; 0 before it runs */

/* A shared-memory copy of src[0..len), mapped read-only at a free place. */
static long keep_copy(const uint8_t *src, size_t len, mt_handle_t *shm, const uint8_t **at)
{
	long rc = mt_shm_create(len ? len : 1, shm);
	if (rc != MT_OK)
		return rc;
	uint8_t *p = mt_shm_map_any(*shm, MT_PROT_R | MT_PROT_W, 0);
	if (!p)
		return MT_ENOMEM;
	memcpy(p, src, len);
	*at = p;
	return MT_OK;
}

long loader_init(void)
{
	unsigned long a[7] = {MT_DEVMEM_BOOTFS_HANDLE};
	long rc = mt_syscall(SYS_DEVMEM_INFO, a);
	if (rc != MT_OK)
		return rc;
	size_t size = a[2];
	rc = MT_SYS(SYS_DEVMEM_MAP, MT_DEVMEM_BOOTFS_HANDLE, BOOTFS_VA, 0, size, MT_PROT_R);
	if (rc != MT_OK)
		return rc;
	/* The only time init reads flash itself: nothing drives the chip yet. */
	const uint8_t *fs = (const uint8_t *)BOOTFS_VA;
	struct bootfs_header h;
	size_t off, dsize;
	if (size >= sizeof(h))
		memcpy(&h, fs, sizeof(h));
	if (size < sizeof(h) || h.magic != BOOTFS_MAGIC ||
	    h.count > (size - sizeof(h)) / sizeof(struct bootfs_entry) ||
	    bootfs_lookup(fs, size, "flash", 5, &off, &dsize) != MT_OK)
		rc = MT_EINVAL;
	if (rc == MT_OK)
		rc = keep_copy(fs, sizeof(h) + h.count * sizeof(struct bootfs_entry), &table_shm, &table);
	if (rc == MT_OK)
		rc = keep_copy(fs + off, dsize, &driver_shm, &driver_elf);
	mt_mem_unmap(BOOTFS_VA, size);
	if (rc != MT_OK)
		return rc;
	fs_size = size;
	driver_size = dsize;
	/* The page tables under each scratch place, made now and kept: loads
	 * later then cost init no page (init's leak check counts them). */
	for (int slot = LOADER_SLOT_MAIN; slot < LOADER_SLOTS; slot++) {
		rc = mt_mem_map(LOADER_VA(slot), MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W);
		if (rc != MT_OK)
			return rc;
		mt_mem_unmap(LOADER_VA(slot), MT_PAGE_SIZE);
	}
	for (unsigned i = 0; i < PIE_LIBS_MAX; i++) {
		rc = mt_mem_map(LOADER_LIB_VA(i), MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W);
		if (rc != MT_OK)
			return rc;
		mt_mem_unmap(LOADER_LIB_VA(i), MT_PAGE_SIZE);
	}
	return MT_OK;
}

void loader_use_flash(mt_handle_t ep)
{
	flash = ep;
}

long loader_load_elf(const char *name, const uint8_t *elf, size_t len, unsigned prio,
		     const struct mt_quota *quota, unsigned flags, mt_handle_t *proc)
{
	struct elf_image img;
	if (elf_parse(elf, len, MT_USER_BASE, MT_USER_HEAP, &img) != MT_OK)
		return MT_EINVAL;
	long rc = MT_SYS_R1(proc, SYS_PROC_CREATE, MT_SPAWNER_HANDLE, (unsigned long)name,
			    strlen(name), prio, (unsigned long)quota, img.entry, flags);
	if (rc != MT_OK)
		return rc;
	for (unsigned i = 0; i < img.nseg && rc == MT_OK; i++) {
		const struct elf_segment *s = &img.seg[i];
		uint64_t start = s->vaddr & ~(MT_PAGE_SIZE - 1);
		uint64_t end = (s->vaddr + s->memsz + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
		rc = MT_SYS(SYS_PROC_MAP, *proc, start, end - start, s->prot);
		if (rc == MT_OK && s->filesz)
			rc = MT_SYS(SYS_PROC_WRITE, *proc, s->vaddr, (unsigned long)(elf + s->offset),
				    s->filesz);
	}
	if (rc != MT_OK) {
		mt_proc_kill(*proc);
		mt_handle_close(*proc);
		return rc;
	}
	crash_note_image(*proc, name, elf, len);
	return rc;
}

long loader_spawn(const char *name, unsigned prio, const struct mt_quota *quota, unsigned flags,
		  int slot, mt_handle_t *proc)
{
	size_t off, size;
	/* The table holds the header and every entry; the sizes it gives are
	 * checked against the whole file system's. */
	if (bootfs_lookup(table, fs_size, name, strlen(name), &off, &size) != MT_OK)
		return MT_ENOENT;
	if (strcmp(name, "flash") == 0)
		return loader_load_elf(name, driver_elf, driver_size, prio, quota, flags, proc);
	if (!flash)
		return MT_ESTATE;
	/* A copy in RAM, from the flash driver: what is checked is what is
	 * loaded. */
	mt_handle_t scratch;
	long rc = mt_shm_create(size ? size : 1, &scratch);
	if (rc != MT_OK)
		return rc;
	rc = flash_read_shm(flash, FLASH_REGION_BOOTFS, off, size, scratch);
	unsigned long mapped = 0;
	if (rc == MT_OK)
		rc = MT_SYS_R1(&mapped, SYS_SHM_MAP, scratch, LOADER_VA(slot), MT_PROT_R);
	if (rc == MT_OK) {
		rc = loader_load_elf(name, (const uint8_t *)LOADER_VA(slot), size, prio, quota, flags,
				     proc);
		mt_mem_unmap(LOADER_VA(slot), mapped);
	}
	mt_handle_close(scratch);
	return rc;
}

unsigned long loader_max_pages(void)
{
	struct bootfs_header h;
	unsigned long max = 0;
	if (!table || fs_size < sizeof(h))
		return 0;
	memcpy(&h, table, sizeof(h));
	if (h.magic != BOOTFS_MAGIC || h.count > (fs_size - sizeof(h)) / sizeof(struct bootfs_entry))
		return 0;
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		memcpy(&e, table + sizeof(h) + i * sizeof(e), sizeof(e));
		unsigned long pages = (e.size + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE;
		if (pages > max)
			max = pages;
	}
	return max;
}
