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

/* One image of the process: the TA or a library it needs. */
struct module {
	const char *name;
	const uint8_t *elf;
	size_t len;
	uint64_t base;
	struct pie_image pie;
};

/* What the TA's image holds, checked: its layout, its ta_head. */
static long check_main(const char *name, struct module *m, const uint8_t uuid[16],
                       struct utee_info *info, uint64_t *phdr_info)
{
	int rc = pie_parse(m->elf, m->len, UTEE_TA_SPAN, &m->pie);
	if (rc != MT_OK) {
		printf("[init] TA %s: %s\n", name,
		       rc == MT_ENOSYS ? "an OP-TEE image this loader cannot run (TLS, too many "
		                         "libraries or unknown relocations)"
		                       : "malformed OP-TEE image");
		return rc;
	}
	uint64_t va, size;
	uint8_t u[16];
	if (pie_symbol(m->elf, m->len, &m->pie, "ta_head", &va, &size) != MT_OK ||
	    size < sizeof(info->head) ||
	    pie_read(m->elf, m->len, &m->pie, va, &info->head, sizeof(info->head)) != MT_OK) {
		printf("[init] TA %s: no ta_head\n", name);
		return MT_EINVAL;
	}
	head_uuid(&info->head, u);
	if (memcmp(u, uuid, 16) != 0 || (info->head.flags & ~UTEE_TA_FLAGS_MASK) ||
	    info->head.stack_size == 0 || info->head.stack_size > UTEE_STACK_MAX ||
	    m->pie.phnum > UTEE_MAX_PHDRS) {
		printf("[init] TA %s: bad ta_head (another UUID, flags 0x%x, stack %u)\n", name,
		       (unsigned)info->head.flags, (unsigned)info->head.stack_size);
		return MT_EINVAL;
	}
	*phdr_info = 0;
	if (pie_symbol(m->elf, m->len, &m->pie, "__elf_phdr_info", &va, &size) == MT_OK) {
		if (size < sizeof(struct utee_elf_phdr_info))
			return MT_EINVAL;
		*phdr_info = va;
	}
	return MT_OK;
}

/* A library's name is its UUID, as text: its image is <uuid>.ta. */
static int parse_uuid(const char *s, uint8_t out[16])
{
	unsigned n = 0;
	for (unsigned i = 0; s[i]; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		char c = s[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		             : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
		                                    : 16U;
		if (d == 16 || n == 32 || i >= 36)
			return -1;
		out[n / 2] = (uint8_t)(n % 2 ? out[n / 2] | d : d << 4);
		n++;
	}
	return n == 32 ? 0 : -1;
}

/* The value an import of module `from` resolves to: a global symbol of
 * another module, the TA first, then the libraries in order. */
static int resolve(const struct module *mods, unsigned nmod, unsigned from, const char *sym,
                   uint64_t *out)
{
	for (unsigned k = 0; k < nmod; k++) {
		uint64_t v, size;
		if (k != from &&
		    pie_symbol(mods[k].elf, mods[k].len, &mods[k].pie, sym, &v, &size) == MT_OK) {
			*out = mods[k].base + v;
			return MT_OK;
		}
	}
	return MT_ENOENT;
}

/* Every relocation of every module, checked (and its value computed)
 * before anything is built; with `proc`, written. */
static long relocate(const struct module *mods, unsigned nmod, const char *name, mt_handle_t proc)
{
	for (unsigned k = 0; k < nmod; k++) {
		const struct module *m = &mods[k];
		for (uint64_t i = 0; i < pie_relocs(&m->pie); i++) {
			uint64_t where, value, v = 0;
			int kind;
			long rc = pie_reloc(m->elf, m->len, &m->pie, i, &where, &value, &kind);
			if (rc == MT_OK && where == UINT64_MAX)
				continue;
			if (rc == MT_OK && kind == PIE_FIX_IMPORT) {
				const char *sym = pie_reloc_symbol(m->elf, &m->pie, i);
				if (!sym || resolve(mods, nmod, k, sym, &v) != MT_OK) {
					printf("[init] TA %s: %s needs '%s', which no module has\n",
					       name, m->name, sym ? sym : "?");
					return MT_EINVAL;
				}
				v += value;
			} else if (rc == MT_OK) {
				v = kind == PIE_FIX_ABS ? value : m->base + value;
			} else {
				printf("[init] TA %s: %s: relocation %lu %s\n", name, m->name,
				       (unsigned long)i,
				       rc == MT_ENOSYS ? "not supported" : "outside the image");
				return rc;
			}
			if (proc && (rc = MT_SYS(SYS_PROC_WRITE, proc, m->base + where,
			                         (unsigned long)&v, sizeof(v))) != MT_OK)
				return rc;
		}
	}
	return MT_OK;
}

static long build(mt_handle_t proc, const struct module *mods, unsigned nmod,
                  struct utee_info *info, uint64_t phdr_info, const char *name)
{
	long rc = MT_OK;
	info->nseg = 0;
	for (unsigned k = 0; k < nmod && rc == MT_OK; k++) {
		const struct module *m = &mods[k];
		for (unsigned i = 0; i < m->pie.img.nseg && rc == MT_OK; i++) {
			const struct elf_segment *s = &m->pie.img.seg[i];
			uint64_t start = (m->base + s->vaddr) & ~(MT_PAGE_SIZE - 1);
			uint64_t end = (m->base + s->vaddr + s->memsz + MT_PAGE_SIZE - 1) &
			               ~(MT_PAGE_SIZE - 1);
			rc = MT_SYS(SYS_PROC_MAP, proc, start, end - start, s->prot);
			if (rc == MT_OK && s->filesz)
				rc = MT_SYS(SYS_PROC_WRITE, proc, m->base + s->vaddr,
				            (unsigned long)(m->elf + s->offset), s->filesz);
			info->seg[info->nseg++] = (struct utee_seg){start, end, s->prot, 0};
		}
		/* What dl_iterate_phdr reports of it: its program headers are
		 * not loaded, so a copy goes in the info page. */
		memcpy(info->phdrs[k], m->elf + m->pie.phoff, m->pie.phnum * 56UL);
		strncpy(info->name[k], k ? m->name : "ta", sizeof(info->name[k]) - 1);
		info->dlpi[k] = (struct utee_dl_phdr_info){
		    .addr = m->base,
		    .name =
		        UTEE_INFO_VA + offsetof(struct utee_info, name) + k * sizeof(info->name[0]),
		    .phdr = UTEE_INFO_VA + offsetof(struct utee_info, phdrs) +
		            k * sizeof(info->phdrs[0]),
		    .phnum = (uint16_t)m->pie.phnum,
		    .adds = nmod,
		};
	}
	if (rc == MT_OK)
		rc = relocate(mods, nmod, name, proc);
	info->magic = UTEE_INFO_MAGIC;
	info->nmod = nmod;
	info->base = UTEE_TA_BASE;
	info->span = mods[0].pie.span;
	info->entry = UTEE_TA_BASE + mods[0].pie.img.entry;
	if (rc == MT_OK)
		rc = MT_SYS(SYS_PROC_MAP, proc, UTEE_INFO_VA, MT_PAGE_SIZE, MT_PROT_R);
	if (rc == MT_OK)
		rc = MT_SYS(SYS_PROC_WRITE, proc, UTEE_INFO_VA, (unsigned long)info, sizeof(*info));
	if (rc == MT_OK && phdr_info) {
		struct utee_elf_phdr_info epi = {.count = (uint16_t)nmod,
		                                 .dlpi = UTEE_INFO_VA +
		                                         offsetof(struct utee_info, dlpi)};
		rc = MT_SYS(SYS_PROC_WRITE, proc, UTEE_TA_BASE + phdr_info, (unsigned long)&epi,
		            sizeof(epi));
	}
	return rc;
}

/* The libraries the TA needs, fetched and checked, placed one above the
 * other after it. On success *nmod counts the TA too. */
static long load_libs(const char *name, struct module *mods, unsigned *nmod, loader_fetch_fn fetch)
{
	uint64_t next = mods[0].base + mods[0].pie.span;
	*nmod = 1;
	for (unsigned i = 0; i < mods[0].pie.nneeded; i++) {
		struct module *l = &mods[*nmod];
		uint8_t u[16];
		l->name = pie_needed(mods[0].elf, &mods[0].pie, i);
		if (!l->name || parse_uuid(l->name, u) != 0) {
			printf("[init] TA %s: needs a library that is no UUID\n", name);
			return MT_EINVAL;
		}
		long rc = fetch ? fetch(u, i, &l->elf, &l->len) : MT_ENOSYS;
		if (rc != MT_OK) {
			printf("[init] TA %s: its library %s: %ld\n", name, l->name, rc);
			return rc == MT_ENOMEM ? rc : MT_ENOSYS;
		}
		next = (next + 0xFFFFUL) & ~0xFFFFUL;
		l->base = next;
		if (next >= UTEE_TA_BASE + UTEE_TA_SPAN)
			return MT_ENOMEM;
		rc = pie_parse(l->elf, l->len, UTEE_TA_BASE + UTEE_TA_SPAN - next, &l->pie);
		if (rc == MT_OK && (l->pie.nneeded || l->pie.phnum > UTEE_MAX_PHDRS))
			rc = MT_ENOSYS; /* a library of a library */
		if (rc != MT_OK) {
			printf("[init] TA %s: its library %s: %s\n", name, l->name,
			       rc == MT_ENOSYS ? "not supported" : "malformed");
			return rc;
		}
		next += l->pie.span;
		(*nmod)++;
	}
	unsigned nseg = 0;
	for (unsigned k = 0; k < *nmod; k++)
		nseg += mods[k].pie.img.nseg;
	return nseg <= UTEE_MAX_SEGS ? MT_OK : MT_ENOSYS;
}

long loader_load_utee(const char *name, const uint8_t *elf, size_t len, const uint8_t uuid[16],
                      unsigned prio, const struct mt_quota *quota, unsigned flags,
                      mt_handle_t *proc, loader_fetch_fn fetch)
{
	static struct utee_info info; /* the supervisor thread's alone: it loads TAs */
	static struct module mods[UTEE_MAX_MODULES];
	uint64_t phdr_info;
	unsigned nmod = 0;
	memset(&info, 0, sizeof(info));
	memset(mods, 0, sizeof(mods));
	mods[0] = (struct module){.name = name, .elf = elf, .len = len, .base = UTEE_TA_BASE};
	long rc = check_main(name, &mods[0], uuid, &info, &phdr_info);
	if (rc == MT_OK)
		rc = load_libs(name, mods, &nmod, fetch);
	if (rc == MT_OK)
		rc = relocate(mods, nmod, name, 0);
	if (rc != MT_OK)
		return rc;
	/* The quota: a TA instance's, or more for a TA whose images are larger
	 * than what it leaves besides the personality (its own fails cleanly
	 * if init has not that much left). */
	struct mt_quota q = *quota;
	unsigned long pages = 0;
	for (unsigned k = 0; k < nmod; k++)
		pages += mods[k].pie.span / MT_PAGE_SIZE;
	if (pages + UTEE_RUNTIME_PAGES > q.n[MT_Q_PAGES])
		q.n[MT_Q_PAGES] = pages + UTEE_RUNTIME_PAGES;
	rc = loader_spawn(UTEE_PROGRAM, prio, &q, flags, LOADER_SLOT_UTEE, proc);
	if (rc != MT_OK) {
		printf("[init] TA %s: the OP-TEE personality (%s, %lu pages): %ld\n", name,
		       UTEE_PROGRAM, q.n[MT_Q_PAGES], rc);
		return rc;
	}
	rc = build(*proc, mods, nmod, &info, phdr_info, name);
	if (rc != MT_OK) {
		mt_proc_kill(*proc);
		mt_handle_close(*proc);
		return rc;
	}
	unsigned long nrel = 0;
	for (unsigned k = 0; k < nmod; k++)
		nrel += pie_relocs(&mods[k].pie);
	printf("[init] TA %s: OP-TEE binary, %lu bytes at 0x%lx, %u module(s), %lu relocations\n",
	       name, (unsigned long)mods[0].pie.span, UTEE_TA_BASE, nmod, nrel);
	return MT_OK;
}
