/* init's loader for OP-TEE TA binaries (loader.h, include/microtee/utee.h):
 * the image is untrusted even once its signature is checked (a signed
 * image may still be malformed), so common/pie.c checks every segment,
 * table and relocation, and every write goes through SYS_PROC_WRITE into
 * pages mapped for the TA: the kernel refuses any outside them. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../../common/pie.h"
#include "../../include/microtee/utee.h"
#include "loader.h"

int loader_is_pie(const uint8_t *elf, size_t len)
{
	/* e_type, little-endian, at offset 16 of an ELF64 header. */
	return len >= 64 && memcmp(elf, "\177ELF", 4) == 0 && elf[16] == 3 && elf[17] == 0;
}

/* The ta_head's UUID (TEE_UUID, little-endian fields) in GP's byte order. */
static void head_uuid(const struct utee_ta_head *h, uint8_t out[16])
{
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(h->time_low >> (24 - 8 * i));
	out[4] = (uint8_t)(h->time_mid >> 8);
	out[5] = (uint8_t)h->time_mid;
	out[6] = (uint8_t)(h->time_hi_and_version >> 8);
	out[7] = (uint8_t)h->time_hi_and_version;
	memcpy(out + 8, h->clock_seq_and_node, 8);
}

/* What the image holds, checked: its layout, its ta_head. */
static long check_image(const char *name, const uint8_t *elf, size_t len, const uint8_t uuid[16],
                        struct pie_image *pie, struct utee_info *info, uint64_t *phdr_info)
{
	int rc = pie_parse(elf, len, UTEE_TA_SPAN, pie);
	if (rc != MT_OK) {
		printf("[init] TA %s: %s\n", name,
		       rc == MT_ENOSYS ? "an OP-TEE image this loader cannot run (shared library, "
		                         "TLS or unknown relocations)"
		                       : "malformed OP-TEE image");
		return rc;
	}
	uint64_t va, size;
	uint8_t u[16];
	if (pie_symbol(elf, len, pie, "ta_head", &va, &size) != MT_OK ||
	    size < sizeof(info->head) ||
	    pie_read(elf, len, pie, va, &info->head, sizeof(info->head)) != MT_OK) {
		printf("[init] TA %s: no ta_head\n", name);
		return MT_EINVAL;
	}
	head_uuid(&info->head, u);
	if (memcmp(u, uuid, 16) != 0 || (info->head.flags & ~UTEE_TA_FLAGS_MASK) ||
	    info->head.stack_size == 0 || info->head.stack_size > UTEE_STACK_MAX ||
	    pie->phnum > UTEE_MAX_PHDRS || pie->img.nseg > UTEE_MAX_SEGS) {
		printf("[init] TA %s: bad ta_head (another UUID, flags 0x%x, stack %u)\n", name,
		       (unsigned)info->head.flags, (unsigned)info->head.stack_size);
		return MT_EINVAL;
	}
	*phdr_info = 0;
	if (pie_symbol(elf, len, pie, "__elf_phdr_info", &va, &size) == MT_OK) {
		if (size < sizeof(struct utee_elf_phdr_info))
			return MT_EINVAL;
		*phdr_info = va;
	}
	/* Every relocation, before anything is built. */
	for (uint64_t i = 0; i < pie_relocs(pie); i++) {
		uint64_t where, value;
		int abs;
		rc = pie_reloc(elf, len, pie, i, &where, &value, &abs);
		if (rc != MT_OK) {
			printf("[init] TA %s: relocation %lu %s\n", name, (unsigned long)i,
			       rc == MT_ENOSYS ? "not supported" : "outside the image");
			return rc;
		}
	}
	return MT_OK;
}

static long build(mt_handle_t proc, const uint8_t *elf, size_t len, const struct pie_image *pie,
                  struct utee_info *info, uint64_t phdr_info)
{
	long rc = MT_OK;
	for (unsigned i = 0; i < pie->img.nseg && rc == MT_OK; i++) {
		const struct elf_segment *s = &pie->img.seg[i];
		uint64_t start = (UTEE_TA_BASE + s->vaddr) & ~(MT_PAGE_SIZE - 1);
		uint64_t end =
		    (UTEE_TA_BASE + s->vaddr + s->memsz + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
		rc = MT_SYS(SYS_PROC_MAP, proc, start, end - start, s->prot);
		if (rc == MT_OK && s->filesz)
			rc = MT_SYS(SYS_PROC_WRITE, proc, UTEE_TA_BASE + s->vaddr,
			            (unsigned long)(elf + s->offset), s->filesz);
		info->seg[i] = (struct utee_seg){start, end, s->prot, 0};
	}
	info->nseg = pie->img.nseg;
	for (uint64_t i = 0; i < pie_relocs(pie) && rc == MT_OK; i++) {
		uint64_t where, value;
		int abs;
		pie_reloc(elf, len, pie, i, &where, &value, &abs); /* checked before */
		if (where == UINT64_MAX)
			continue;
		uint64_t v = abs ? value : UTEE_TA_BASE + value;
		rc = MT_SYS(SYS_PROC_WRITE, proc, UTEE_TA_BASE + where, (unsigned long)&v,
		            sizeof(v));
	}
	/* What dl_iterate_phdr reports: one module, its program headers in
	 * the info page (the TA's own are not loaded). */
	info->magic = UTEE_INFO_MAGIC;
	info->base = UTEE_TA_BASE;
	info->span = pie->span;
	info->entry = UTEE_TA_BASE + pie->img.entry;
	memcpy(info->phdrs, elf + pie->phoff, pie->phnum * 56UL);
	memcpy(info->name, "ta", 3);
	info->dlpi = (struct utee_dl_phdr_info){
	    .addr = UTEE_TA_BASE,
	    .name = UTEE_INFO_VA + offsetof(struct utee_info, name),
	    .phdr = UTEE_INFO_VA + offsetof(struct utee_info, phdrs),
	    .phnum = (uint16_t)pie->phnum,
	    .adds = 1,
	};
	if (rc == MT_OK)
		rc = MT_SYS(SYS_PROC_MAP, proc, UTEE_INFO_VA, MT_PAGE_SIZE, MT_PROT_R);
	if (rc == MT_OK)
		rc = MT_SYS(SYS_PROC_WRITE, proc, UTEE_INFO_VA, (unsigned long)info, sizeof(*info));
	if (rc == MT_OK && phdr_info) {
		struct utee_elf_phdr_info epi = {
		    .count = 1, .dlpi = UTEE_INFO_VA + offsetof(struct utee_info, dlpi)};
		rc = MT_SYS(SYS_PROC_WRITE, proc, UTEE_TA_BASE + phdr_info, (unsigned long)&epi,
		            sizeof(epi));
	}
	return rc;
}

long loader_load_utee(const char *name, const uint8_t *elf, size_t len, const uint8_t uuid[16],
                      unsigned prio, const struct mt_quota *quota, unsigned flags,
                      mt_handle_t *proc)
{
	static struct utee_info info; /* the supervisor thread's alone: it loads TAs */
	struct pie_image pie;
	uint64_t phdr_info;
	memset(&info, 0, sizeof(info));
	long rc = check_image(name, elf, len, uuid, &pie, &info, &phdr_info);
	if (rc != MT_OK)
		return rc;
	rc = loader_spawn(UTEE_PROGRAM, prio, quota, flags, LOADER_SLOT_UTEE, proc);
	if (rc != MT_OK) {
		printf("[init] TA %s: no OP-TEE personality (%s): %ld\n", name, UTEE_PROGRAM, rc);
		return rc;
	}
	rc = build(*proc, elf, len, &pie, &info, phdr_info);
	if (rc != MT_OK) {
		mt_proc_kill(*proc);
		mt_handle_close(*proc);
		return rc;
	}
	printf("[init] TA %s: OP-TEE binary, %lu bytes at 0x%lx, %lu relocations\n", name,
	       (unsigned long)pie.span, UTEE_TA_BASE, (unsigned long)pie_relocs(&pie));
	return MT_OK;
}
