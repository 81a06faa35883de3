/* ELF64 validation (elf.h). */
#include "elf.h"
#include "kstring.h"

#define ELF_PAGE_MASK (~(ELF_PAGE_SIZE - 1))
#define ELF_ALIGN_UP(x) (((x) + ELF_PAGE_SIZE - 1) & ELF_PAGE_MASK)

/* The ELF64 layouts we read (System V gABI). */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

#define ET_EXEC 2
#define EM_AARCH64 183
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define NT_GNU_BUILD_ID 3
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define ELF_MAX_PHDRS 32

static int add_overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

int elf_parse(const void *buf, size_t len, uint64_t va_lo, uint64_t va_hi, struct elf_image *img)
{
	struct elf64_ehdr eh;

	if (!buf || len < sizeof(eh))
		return MT_EINVAL;
	memcpy(&eh, buf, sizeof(eh)); /* the image may be unaligned */
	if (memcmp(eh.ident, "\177ELF", 4) != 0 || eh.ident[4] != 2 /* 64-bit */ ||
	    eh.ident[5] != 1 /* little endian */ || eh.ident[6] != 1 || eh.type != ET_EXEC ||
	    eh.machine != EM_AARCH64 || eh.version != 1 || eh.phentsize != sizeof(struct elf64_phdr) ||
	    eh.phnum == 0 || eh.phnum > ELF_MAX_PHDRS)
		return MT_EINVAL;
	uint64_t ph_end;
	if (add_overflows(eh.phoff, (uint64_t)eh.phnum * sizeof(struct elf64_phdr), &ph_end) ||
	    ph_end > len)
		return MT_EINVAL;

	img->nseg = 0;
	img->entry = eh.entry;
	int entry_ok = 0;
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, (const uint8_t *)buf + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_INTERP || ph.type == PT_DYNAMIC)
			return MT_EINVAL; /* static executables only */
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		uint64_t file_end, mem_end;
		if (ph.filesz > ph.memsz || add_overflows(ph.offset, ph.filesz, &file_end) ||
		    file_end > len || add_overflows(ph.vaddr, ph.memsz, &mem_end) ||
		    ph.vaddr < va_lo || mem_end > va_hi)
			return MT_EINVAL;
		if ((ph.flags & PF_W) && (ph.flags & PF_X))
			return MT_EINVAL; /* W^X */
		if (!(ph.flags & PF_R))
			return MT_EINVAL; /* user pages are always readable */
		if (img->nseg == ELF_MAX_SEGMENTS)
			return MT_EINVAL;
		/* Segments must be in ascending order and never share a page,
		 * since a page has one set of permissions. */
		if (img->nseg) {
			const struct elf_segment *prev = &img->seg[img->nseg - 1];
			if ((ph.vaddr & ELF_PAGE_MASK) < ELF_ALIGN_UP(prev->vaddr + prev->memsz))
				return MT_EINVAL;
		}
		struct elf_segment *s = &img->seg[img->nseg++];
		s->vaddr = ph.vaddr;
		s->memsz = ph.memsz;
		s->offset = ph.offset;
		s->filesz = ph.filesz;
		s->prot = ((ph.flags & PF_R) ? MT_PROT_R : 0) | ((ph.flags & PF_W) ? MT_PROT_W : 0) |
			  ((ph.flags & PF_X) ? MT_PROT_X : 0);
		if ((ph.flags & PF_X) && eh.entry >= ph.vaddr && eh.entry < mem_end)
			entry_ok = 1;
	}
	if (img->nseg == 0 || !entry_ok || (eh.entry & 3))
		return MT_EINVAL;
	return MT_OK;
}

/* One note (gABI): namesz, descsz, type, then the name and the descriptor,
 * each padded to 4 bytes. */
struct elf_note {
	uint32_t namesz, descsz, type;
};

static uint64_t note_pad(uint64_t n)
{
	return (n + 3) & ~(uint64_t)3;
}

int elf_build_id(const void *buf, size_t len, const uint8_t **id, size_t *id_len)
{
	struct elf64_ehdr eh;
	uint64_t ph_end;
	if (!buf || len < sizeof(eh))
		return MT_EINVAL;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF", 4) != 0 || eh.ident[4] != 2 || eh.ident[5] != 1 ||
	    eh.phentsize != sizeof(struct elf64_phdr) || eh.phnum > ELF_MAX_PHDRS ||
	    add_overflows(eh.phoff, (uint64_t)eh.phnum * sizeof(struct elf64_phdr), &ph_end) ||
	    ph_end > len)
		return MT_EINVAL;
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		uint64_t end;
		memcpy(&ph, (const uint8_t *)buf + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_NOTE || add_overflows(ph.offset, ph.filesz, &end) || end > len)
			continue;
		/* Each step moves on by at least a header: the walk ends. */
		for (uint64_t at = ph.offset; end - at >= sizeof(struct elf_note);) {
			struct elf_note n;
			memcpy(&n, (const uint8_t *)buf + at, sizeof(n));
			uint64_t name_at = at + sizeof(n), desc_at = name_at + note_pad(n.namesz);
			if (desc_at > end || note_pad(n.descsz) > end - desc_at)
				break;
			if (n.type == NT_GNU_BUILD_ID && n.namesz == 4 &&
			    memcmp((const uint8_t *)buf + name_at, "GNU", 4) == 0 && n.descsz) {
				*id = (const uint8_t *)buf + desc_at;
				*id_len = n.descsz;
				return MT_OK;
			}
			at = desc_at + note_pad(n.descsz);
		}
	}
	return MT_ENOENT;
}
