/* Position-independent ELF images (pie.h). */
#include "pie.h"
#include "kstring.h"

#define PIE_PAGE_MASK   (~(ELF_PAGE_SIZE - 1))
#define PIE_ALIGN_UP(x) (((x) + ELF_PAGE_SIZE - 1) & PIE_PAGE_MASK)

/* The ELF64 layouts we read (System V gABI, AArch64 ELF ABI). */
struct pie_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct pie_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
struct pie_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};
struct pie_dyn {
	int64_t tag;
	uint64_t val;
};
struct pie_rela {
	uint64_t offset, info;
	int64_t addend;
};
struct pie_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};
_Static_assert(sizeof(struct pie_ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct pie_phdr) == 56, "ELF64 program header");
_Static_assert(sizeof(struct pie_shdr) == 64, "ELF64 section header");
_Static_assert(sizeof(struct pie_dyn) == 16, "ELF64 dynamic entry");
_Static_assert(sizeof(struct pie_rela) == 24, "ELF64 RELA entry");
_Static_assert(sizeof(struct pie_sym) == 24, "ELF64 symbol");

#define ET_DYN              3
#define EM_AARCH64          183
#define PT_LOAD             1
#define PT_DYNAMIC          2
#define PT_INTERP           3
#define PT_TLS              7
#define PF_X                1
#define PF_W                2
#define PF_R                4
#define SHT_STRTAB          3
#define SHT_RELA            4
#define SHT_REL             9
#define SHT_DYNSYM          11
#define PIE_MAX_SHDRS       64
#define STB_LOCAL           0
#define STB_WEAK            2
#define DT_NULL             0
#define DT_NEEDED           1
#define DT_STRTAB           5
#define DT_RELA             7
#define DT_RELAENT          9
#define DT_SYMENT           11
#define DT_REL              17
#define DT_PLTREL           20
#define DT_TEXTREL          22
#define R_AARCH64_NONE      0
#define R_AARCH64_ABS64     257
#define R_AARCH64_GLOB_DAT  1025
#define R_AARCH64_JUMP_SLOT 1026
#define R_AARCH64_RELATIVE  1027
#define PIE_MAX_DYN         256

/* Whether p[0..n) holds a NUL (common/kstring.h has no memchr). */
static int has_nul(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (!p[i])
			return 1;
	return 0;
}

static int overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

/* The file offset of [va, va + n) if a segment's file bytes hold all of it. */
static int va_to_off(const struct pie_image *pie, uint64_t va, uint64_t n, uint64_t *off)
{
	for (unsigned i = 0; i < pie->img.nseg; i++) {
		const struct elf_segment *s = &pie->img.seg[i];
		uint64_t end;
		if (va >= s->vaddr && !overflows(va, n, &end) && end <= s->vaddr + s->filesz) {
			*off = s->offset + (va - s->vaddr);
			return 1;
		}
	}
	return 0;
}

/* Whether [va, va + n) lies inside one segment's memory. */
static int in_segment(const struct pie_image *pie, uint64_t va, uint64_t n)
{
	for (unsigned i = 0; i < pie->img.nseg; i++) {
		const struct elf_segment *s = &pie->img.seg[i];
		uint64_t end;
		if (va >= s->vaddr && !overflows(va, n, &end) && end <= s->vaddr + s->memsz)
			return 1;
	}
	return 0;
}

static int load_segments(const uint8_t *b, size_t len, const struct pie_ehdr *eh, uint64_t max_span,
                         struct pie_image *pie, struct pie_phdr *dyn)
{
	int entry_ok = 0, have_dyn = 0;
	struct elf_image *img = &pie->img;
	for (unsigned i = 0; i < eh->phnum; i++) {
		struct pie_phdr ph;
		memcpy(&ph, b + eh->phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_INTERP || ph.type == PT_TLS)
			return MT_ENOSYS;
		if (ph.type == PT_DYNAMIC) {
			if (have_dyn++)
				return MT_EINVAL;
			*dyn = ph;
			continue;
		}
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		uint64_t file_end, mem_end;
		if (ph.filesz > ph.memsz || overflows(ph.offset, ph.filesz, &file_end) ||
		    file_end > len || overflows(ph.vaddr, ph.memsz, &mem_end) ||
		    PIE_ALIGN_UP(mem_end) > max_span || mem_end > max_span)
			return MT_EINVAL;
		/* The file offset and the address agree within a page, so that
		 * what is mapped is what the linker laid out. */
		if ((ph.offset ^ ph.vaddr) & (ELF_PAGE_SIZE - 1))
			return MT_EINVAL;
		if (((ph.flags & PF_W) && (ph.flags & PF_X)) || !(ph.flags & PF_R))
			return MT_EINVAL;
		if (img->nseg == ELF_MAX_SEGMENTS)
			return MT_EINVAL;
		if (img->nseg) {
			const struct elf_segment *prev = &img->seg[img->nseg - 1];
			if ((ph.vaddr & PIE_PAGE_MASK) < PIE_ALIGN_UP(prev->vaddr + prev->memsz))
				return MT_EINVAL;
		}
		struct elf_segment *s = &img->seg[img->nseg++];
		s->vaddr = ph.vaddr;
		s->memsz = ph.memsz;
		s->offset = ph.offset;
		s->filesz = ph.filesz;
		s->prot = MT_PROT_R | ((ph.flags & PF_W) ? MT_PROT_W : 0) |
		          ((ph.flags & PF_X) ? MT_PROT_X : 0);
		if ((ph.flags & PF_X) && eh->entry >= ph.vaddr && eh->entry < mem_end)
			entry_ok = 1;
		pie->span = PIE_ALIGN_UP(mem_end);
	}
	if (img->nseg == 0 || !entry_ok || (eh->entry & 3) || !have_dyn)
		return MT_EINVAL;
	return MT_OK;
}

/* A table of the file: [off, off + size) inside it, whole entries. */
static int file_table(size_t len, uint64_t off, uint64_t size, uint64_t ent, uint64_t *n)
{
	uint64_t end;
	if (size % ent || overflows(off, size, &end) || end > len)
		return MT_EINVAL;
	*n = size / ent;
	return MT_OK;
}

/* The relocation tables and the dynamic symbols, from the section headers
 * (as OP-TEE's loader reads them: its kit's DT_RELASZ may span two
 * sections in different segments). */
static int sections(const uint8_t *b, size_t len, const struct pie_ehdr *eh, struct pie_image *pie)
{
	uint64_t sh_end;
	if (eh->shnum == 0)
		return MT_OK;
	if (eh->shentsize != sizeof(struct pie_shdr) || eh->shnum > PIE_MAX_SHDRS ||
	    overflows(eh->shoff, (uint64_t)eh->shnum * sizeof(struct pie_shdr), &sh_end) ||
	    sh_end > len)
		return MT_EINVAL;
	int have_sym = 0;
	for (unsigned i = 0; i < eh->shnum; i++) {
		struct pie_shdr sh;
		memcpy(&sh, b + eh->shoff + i * sizeof(sh), sizeof(sh));
		if (sh.type == SHT_REL)
			return MT_ENOSYS;
		if (sh.type == SHT_RELA) {
			if (pie->nrel == PIE_MAX_RELA || sh.entsize != sizeof(struct pie_rela))
				return MT_EINVAL;
			uint64_t n;
			if (file_table(len, sh.offset, sh.size, sizeof(struct pie_rela), &n) !=
			    MT_OK)
				return MT_EINVAL;
			pie->rel[pie->nrel].off = sh.offset;
			pie->rel[pie->nrel].n = n;
			pie->nrel++;
		} else if (sh.type == SHT_DYNSYM) {
			struct pie_shdr st;
			if (have_sym++ || sh.entsize != sizeof(struct pie_sym) ||
			    sh.link >= eh->shnum ||
			    file_table(len, sh.offset, sh.size, sizeof(struct pie_sym),
			               &pie->nsyms) != MT_OK)
				return MT_EINVAL;
			memcpy(&st, b + eh->shoff + sh.link * sizeof(st), sizeof(st));
			uint64_t n;
			if (st.type != SHT_STRTAB ||
			    file_table(len, st.offset, st.size, 1, &n) != MT_OK)
				return MT_EINVAL;
			pie->symtab_off = sh.offset;
			pie->strtab_off = st.offset;
			pie->strsz = st.size;
		}
	}
	return MT_OK;
}

int pie_parse(const void *buf, size_t len, uint64_t max_span, struct pie_image *pie)
{
	const uint8_t *b = buf;
	struct pie_ehdr eh;
	memset(pie, 0, sizeof(*pie));
	if (!buf || len < sizeof(eh))
		return MT_EINVAL;
	memcpy(&eh, b, sizeof(eh));
	uint64_t ph_end;
	if (memcmp(eh.ident, "\177ELF", 4) != 0 || eh.ident[4] != 2 || eh.ident[5] != 1 ||
	    eh.ident[6] != 1 || eh.type != ET_DYN || eh.machine != EM_AARCH64 || eh.version != 1 ||
	    eh.phentsize != sizeof(struct pie_phdr) || eh.phnum == 0 || eh.phnum > PIE_MAX_PHDRS ||
	    overflows(eh.phoff, (uint64_t)eh.phnum * sizeof(struct pie_phdr), &ph_end) ||
	    ph_end > len)
		return MT_EINVAL;
	pie->phoff = eh.phoff;
	pie->phnum = eh.phnum;
	pie->img.entry = eh.entry;
	struct pie_phdr dyn = {0};
	int rc = load_segments(b, len, &eh, max_span, pie, &dyn);
	if (rc != MT_OK)
		return rc;

	/* The dynamic section, inside a segment's file bytes: what it needs
	 * that this loader does not do. */
	uint64_t dyn_off;
	if (dyn.filesz % sizeof(struct pie_dyn) ||
	    dyn.filesz / sizeof(struct pie_dyn) > PIE_MAX_DYN ||
	    !va_to_off(pie, dyn.vaddr, dyn.filesz, &dyn_off) || dyn_off != dyn.offset)
		return MT_EINVAL;
	uint64_t strtab_va = 0;
	int have_strtab = 0;
	for (uint64_t i = 0; i < dyn.filesz / sizeof(struct pie_dyn); i++) {
		struct pie_dyn d;
		memcpy(&d, b + dyn_off + i * sizeof(d), sizeof(d));
		if (d.tag == DT_NULL)
			break;
		if (d.tag == DT_REL || d.tag == DT_TEXTREL)
			return MT_ENOSYS;
		if (d.tag == DT_NEEDED) {
			if (pie->nneeded == PIE_MAX_NEEDED)
				return MT_ENOSYS;
			pie->needed[pie->nneeded++] = d.val;
		}
		if (d.tag == DT_STRTAB) {
			strtab_va = d.val;
			have_strtab = 1;
		}
		if ((d.tag == DT_RELAENT && d.val != sizeof(struct pie_rela)) ||
		    (d.tag == DT_SYMENT && d.val != sizeof(struct pie_sym)) ||
		    (d.tag == DT_PLTREL && d.val != DT_RELA))
			return MT_EINVAL;
	}
	rc = sections(b, len, &eh, pie);
	if (rc != MT_OK || !pie->nneeded)
		return rc;
	/* The names of the libraries it needs: in the dynamic string table,
	 * which must be the dynamic symbols' one, each with its NUL. */
	uint64_t off;
	if (!have_strtab || !pie->strsz || !va_to_off(pie, strtab_va, pie->strsz, &off) ||
	    off != pie->strtab_off)
		return MT_EINVAL;
	for (unsigned i = 0; i < pie->nneeded; i++) {
		uint64_t at = pie->needed[i];
		if (at >= pie->strsz || !has_nul(b + pie->strtab_off + at, pie->strsz - at))
			return MT_EINVAL;
	}
	return MT_OK;
}

const char *pie_needed(const void *buf, const struct pie_image *pie, unsigned i)
{
	return i < pie->nneeded ? (const char *)buf + pie->strtab_off + pie->needed[i] : 0;
}

static int get_sym(const uint8_t *b, const struct pie_image *pie, uint64_t i, struct pie_sym *s)
{
	if (i >= pie->nsyms)
		return MT_EINVAL;
	memcpy(s, b + pie->symtab_off + i * sizeof(*s), sizeof(*s));
	return MT_OK;
}

int pie_symbol(const void *buf, size_t len, const struct pie_image *pie, const char *name,
               uint64_t *value, uint64_t *size)
{
	(void)len; /* every table was checked against it by pie_parse */
	const uint8_t *b = buf;
	size_t n = strlen(name);
	for (uint64_t i = 1; i < pie->nsyms; i++) {
		struct pie_sym s;
		get_sym(b, pie, i, &s);
		/* The name, with its NUL, inside the string table. */
		if (s.name >= pie->strsz || pie->strsz - s.name <= n)
			continue;
		const char *sn = (const char *)b + pie->strtab_off + s.name;
		if (memcmp(sn, name, n) != 0 || sn[n] != '\0' || s.shndx == 0 ||
		    (s.info >> 4) == STB_LOCAL)
			continue;
		if (!in_segment(pie, s.value, s.size ? s.size : 1))
			return MT_EINVAL;
		*value = s.value;
		*size = s.size;
		return MT_OK;
	}
	return MT_ENOENT;
}

/* The name of a dynamic symbol, NUL-terminated inside the string table. */
static const char *sym_name(const uint8_t *b, const struct pie_image *pie, const struct pie_sym *s)
{
	if (s->name == 0 || s->name >= pie->strsz ||
	    !has_nul(b + pie->strtab_off + s->name, pie->strsz - s->name))
		return 0;
	return (const char *)b + pie->strtab_off + s->name;
}

int pie_reloc(const void *buf, size_t len, const struct pie_image *pie, uint64_t i, uint64_t *where,
              uint64_t *value, int *kind)
{
	*kind = PIE_FIX_BASE;
	(void)len;
	const uint8_t *b = buf;
	struct pie_rela r;
	unsigned t = 0;
	while (t < pie->nrel && i >= pie->rel[t].n)
		i -= pie->rel[t++].n;
	if (t == pie->nrel)
		return MT_EINVAL;
	memcpy(&r, b + pie->rel[t].off + i * sizeof(r), sizeof(r));
	uint32_t type = (uint32_t)r.info, symi = (uint32_t)(r.info >> 32);
	if (type == R_AARCH64_NONE) {
		*where = UINT64_MAX;
		return MT_OK;
	}
	if (!in_segment(pie, r.offset, 8))
		return MT_EINVAL;
	uint64_t base_rel;
	switch (type) {
	case R_AARCH64_RELATIVE:
		if (symi != 0)
			return MT_EINVAL;
		base_rel = 0;
		break;
	case R_AARCH64_ABS64:
	case R_AARCH64_GLOB_DAT:
	case R_AARCH64_JUMP_SLOT: {
		struct pie_sym s;
		if (symi == 0 || get_sym(b, pie, symi, &s) != MT_OK)
			return MT_EINVAL;
		if (s.shndx == 0 && (s.info >> 4) == STB_WEAK) {
			/* An undefined weak reference: 0, not an address. */
			*where = r.offset;
			*value = 0;
			*kind = PIE_FIX_ABS;
			return MT_OK;
		}
		if (s.shndx == 0) {
			/* Another module's: the loader resolves it by name. */
			if (!sym_name(b, pie, &s))
				return MT_EINVAL;
			*where = r.offset;
			*value = (uint64_t)r.addend;
			*kind = PIE_FIX_IMPORT;
			return MT_OK;
		}
		if (!in_segment(pie, s.value, 1) && s.value != pie->span)
			return MT_EINVAL;
		base_rel = s.value;
		break;
	}
	default:
		return MT_ENOSYS;
	}
	uint64_t v = base_rel + (uint64_t)r.addend;
	/* What is written points into the image (or just past a segment: an
	 * end symbol). */
	if (v > pie->span)
		return MT_EINVAL;
	*where = r.offset;
	*value = v;
	return MT_OK;
}

const char *pie_reloc_symbol(const void *buf, const struct pie_image *pie, uint64_t i)
{
	const uint8_t *b = buf;
	struct pie_rela r;
	struct pie_sym s;
	unsigned t = 0;
	while (t < pie->nrel && i >= pie->rel[t].n)
		i -= pie->rel[t++].n;
	if (t == pie->nrel)
		return 0;
	memcpy(&r, b + pie->rel[t].off + i * sizeof(r), sizeof(r));
	if (get_sym(b, pie, (uint32_t)(r.info >> 32), &s) != MT_OK)
		return 0;
	return sym_name(b, pie, &s);
}

int pie_read(const void *buf, size_t len, const struct pie_image *pie, uint64_t va, void *dst,
             size_t n)
{
	uint64_t off, end;
	if (!va_to_off(pie, va, n, &off) || overflows(off, n, &end) || end > len)
		return MT_EINVAL;
	memcpy(dst, (const uint8_t *)buf + off, n);
	return MT_OK;
}
