/* init's program loader (loader.h). */
#include <string.h>

#include "../../common/bootfs.h"
#include "../../common/elf.h"
#include "loader.h"

#define BOOTFS_VA (MT_USER_SHM + 0x38000000UL)

static const uint8_t *fs;
static size_t fs_size;

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
	fs = (const uint8_t *)BOOTFS_VA;
	fs_size = size;
	/* The page tables under each scratch place, made now and kept: loads
	 * later then cost init no page (init's leak check counts them). */
	for (int slot = LOADER_SLOT_MAIN; slot <= LOADER_SLOT_SUP; slot++) {
		rc = mt_mem_map(LOADER_VA(slot), MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W);
		if (rc != MT_OK)
			return rc;
		mt_mem_unmap(LOADER_VA(slot), MT_PAGE_SIZE);
	}
	return MT_OK;
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
	}
	return rc;
}

long loader_spawn(const char *name, unsigned prio, const struct mt_quota *quota, unsigned flags,
		  int slot, mt_handle_t *proc)
{
	size_t off, size;
	if (bootfs_lookup(fs, fs_size, name, strlen(name), &off, &size) != MT_OK)
		return MT_ENOENT;
	/* A copy in RAM: what is checked is what is loaded. */
	mt_handle_t scratch;
	long rc = mt_shm_create(size, &scratch);
	if (rc != MT_OK)
		return rc;
	unsigned long mapped = 0;
	rc = MT_SYS_R1(&mapped, SYS_SHM_MAP, scratch, LOADER_VA(slot), MT_PROT_R | MT_PROT_W);
	if (rc == MT_OK) {
		memcpy((void *)LOADER_VA(slot), fs + off, size);
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
	if (!fs || fs_size < sizeof(h))
		return 0;
	memcpy(&h, fs, sizeof(h));
	if (h.magic != BOOTFS_MAGIC || h.count > (fs_size - sizeof(h)) / sizeof(struct bootfs_entry))
		return 0;
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		memcpy(&e, fs + sizeof(h) + i * sizeof(e), sizeof(e));
		unsigned long pages = (e.size + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE;
		if (pages > max)
			max = pages;
	}
	return max;
}
