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

#define PIE_MAX_PHDRS 16
#define PIE_MAX_RELA  8

struct pie_image {
	struct elf_image img; /* addresses relative to the load base; entry too */
	uint64_t span;        /* from 0 to the page end of the last segment */
	struct {
		uint64_t off, n; /* a SHT_RELA section: file offset, entries */
	} rel[PIE_MAX_RELA];
	unsigned nrel;
	uint64_t symtab_off, nsyms; /* SHT_DYNSYM: file offset, entries */
	uint64_t strtab_off, strsz; /* its string table */
	uint64_t phoff;             /* the program headers in the file, */
	unsigned phnum;             /* for a copy in the process (dl_iterate_phdr) */
};

/* Checks that buf[0..len) is a little-endian AArch64 ET_DYN image whose
 * loadable segments (at most ELF_MAX_SEGMENTS) start at 0 or above, are
 * ascending, never share a page, are never both writable and executable,
 * and end below max_span; with a PT_DYNAMIC inside a segment's file bytes
 * and relocation (SHT_RELA) and dynamic symbol sections (SHT_DYNSYM and its
 * strings) that lie in the file; and an entry point in an executable segment. MT_OK;
 * MT_EINVAL for a malformed image; MT_ENOSYS for a well-formed one this
 * loader cannot run: it needs a shared library (DT_NEEDED), an interpreter
 * or TLS, or has a table it does not know (DT_REL, DT_TEXTREL). */
int pie_parse(const void *buf, size_t len, uint64_t max_span, struct pie_image *pie);

/* The value of the dynamic symbol `name` (relative to the base) and its
 * size: MT_OK, MT_ENOENT if there is none or it is not defined. */
int pie_symbol(const void *buf, size_t len, const struct pie_image *pie, const char *name,
               uint64_t *value, uint64_t *size);

/* Copies the n bytes at the image's address va, which must lie in one
 * segment's file bytes, to dst: MT_OK or MT_EINVAL. */
int pie_read(const void *buf, size_t len, const struct pie_image *pie, uint64_t va, void *dst,
             size_t n);

/* Relocation i of pie_relocs(pie) (the SHT_RELA sections' in order): at base +
 * *where the loader writes 8 bytes, base + *value (*value itself if
 * *absolute: an undefined weak symbol's 0). *where is checked to lie,
 * all 8 bytes, inside one loaded segment. Known types: R_AARCH64_NONE
 * (*where = UINT64_MAX: nothing to write), R_AARCH64_RELATIVE, and
 * R_AARCH64_ABS64, GLOB_DAT and JUMP_SLOT against a symbol the image
 * defines. MT_EINVAL: outside the image, bad symbol; MT_ENOSYS: another
 * type, or a symbol the image does not define (from a shared library). */
int pie_reloc(const void *buf, size_t len, const struct pie_image *pie, uint64_t i, uint64_t *where,
              uint64_t *value, int *absolute);
static inline uint64_t pie_relocs(const struct pie_image *pie)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < pie->nrel; i++)
		n += pie->rel[i].n;
	return n;
}

#endif
