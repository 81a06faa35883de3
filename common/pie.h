/* Position-independent ELF images (ET_DYN), as OP-TEE's TA kit builds its
 * TAs: validation of an untrusted image and the relocations to apply when
 * it is loaded at some base. Pure code over bytes, used by init's loader
 * for the OP-TEE personality (services/utee) and run on the host by the
 * unit tests and the fuzzer. Every offset and address the image gives is
 * checked against the file and the loaded segments before it is used. */
#ifndef COMMON_PIE_H
#define COMMON_PIE_H
#include <stddef.h>
#include <stdint.h>

#include "elf.h"

#define PIE_MAX_PHDRS  16
#define PIE_MAX_RELA   8
#define PIE_MAX_NEEDED 2

struct pie_image {
	struct elf_image img; /* addresses relative to the load base; entry too */
	uint64_t span;        /* from 0 to the page end of the last segment */
	struct {
		uint64_t off, n; /* a SHT_RELA section: file offset, entries */
	} rel[PIE_MAX_RELA];
	unsigned nrel;
	uint64_t symtab_off, nsyms;      /* SHT_DYNSYM: file offset, entries */
	uint64_t strtab_off, strsz;      /* its string table */
	uint64_t needed[PIE_MAX_NEEDED]; /* DT_NEEDED: name offsets in the string table */
	unsigned nneeded;
	uint64_t phoff; /* the program headers in the file, */
	unsigned phnum; /* for a copy in the process (dl_iterate_phdr) */
};

/* Checks that buf[0..len) is a little-endian AArch64 ET_DYN image whose
 * loadable segments (at most ELF_MAX_SEGMENTS) start at 0 or above, are
 * ascending, never share a page, are never both writable and executable,
 * and end below max_span; with a PT_DYNAMIC inside a segment's file bytes
 * and relocation (SHT_RELA) and dynamic symbol sections (SHT_DYNSYM and its
 * strings) that lie in the file; and an entry point in an executable segment. MT_OK;
 * MT_EINVAL for a malformed image; MT_ENOSYS for a well-formed one this
 * loader cannot run: it needs an interpreter, TLS or more than
 * PIE_MAX_NEEDED libraries, or has a table it does not know (DT_REL,
 * DT_TEXTREL). The libraries it needs (DT_NEEDED) are named in the string
 * table of its dynamic symbols: pie_needed. */
int pie_parse(const void *buf, size_t len, uint64_t max_span, struct pie_image *pie);

/* The name of the i-th library the image needs (NUL-terminated, inside
 * buf), or 0 past the last. */
const char *pie_needed(const void *buf, const struct pie_image *pie, unsigned i);

/* The value of the (global or weak, defined) dynamic symbol `name` (relative to the base) and its
 * size: MT_OK, MT_ENOENT if there is none or it is not defined. */
int pie_symbol(const void *buf, size_t len, const struct pie_image *pie, const char *name,
               uint64_t *value, uint64_t *size);

/* Copies the n bytes at the image's address va, which must lie in one
 * segment's file bytes, to dst: MT_OK or MT_EINVAL. */
int pie_read(const void *buf, size_t len, const struct pie_image *pie, uint64_t va, void *dst,
             size_t n);

/* What a relocation writes (pie_reloc's *kind). */
#define PIE_FIX_BASE   0 /* base + *value */
#define PIE_FIX_ABS    1 /* *value itself (an undefined weak symbol's 0) */
#define PIE_FIX_IMPORT 2 /* another module's symbol pie_reloc_symbol() + *value */

/* Relocation i of pie_relocs(pie) (the SHT_RELA sections' in order): at base +
 * *where the loader writes 8 bytes, as *kind says. *where is checked to
 * lie, all 8 bytes, inside one loaded segment. Known types:
 * R_AARCH64_NONE (*where = UINT64_MAX: nothing to write),
 * R_AARCH64_RELATIVE, and R_AARCH64_ABS64, GLOB_DAT and JUMP_SLOT against
 * a symbol the image defines (its value inside the image), a weak one it
 * does not (0), or a named one it does not (an import). MT_EINVAL: outside
 * the image, a bad symbol; MT_ENOSYS: another type. */
int pie_reloc(const void *buf, size_t len, const struct pie_image *pie, uint64_t i, uint64_t *where,
              uint64_t *value, int *kind);
/* The symbol name of relocation i (an import's), or 0. */
const char *pie_reloc_symbol(const void *buf, const struct pie_image *pie, uint64_t i);
/* The name of the i-th library the image needs (NUL-terminated, inside
 * buf), or 0 past the last. */
const char *pie_needed(const void *buf, const struct pie_image *pie, unsigned i);
static inline uint64_t pie_relocs(const struct pie_image *pie)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < pie->nrel; i++)
		n += pie->rel[i].n;
	return n;
}

#endif
