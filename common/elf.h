/* ELF64 program loading: validation of an untrusted image. Pure code over
 * bytes, used by init's user-level loader (every program but init, and
 * every TA) and by host/mkflat at build time, and run on the host by the
 * unit tests and the fuzzer. The kernel has no ELF code: it loads init from
 * a flat image (include/microtee/flat.h). */
#ifndef COMMON_ELF_H
#define COMMON_ELF_H
#include <stddef.h>
#include <stdint.h>

#include "../include/microtee/syscall.h"

#define ELF_MAX_SEGMENTS 8
#define ELF_PAGE_SIZE 4096UL

struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	unsigned prot; /* MT_PROT_* */
};

struct elf_image {
	uint64_t entry;
	unsigned nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* Checks that buf[0..len) is a static AArch64 executable whose loadable
 * segments lie inside [va_lo, va_hi), do not share pages, are never both
 * writable and executable, and whose entry point is in an executable
 * segment. Fills *img on success; returns MT_OK or MT_EINVAL. */
int elf_parse(const void *buf, size_t len, uint64_t va_lo, uint64_t va_hi, struct elf_image *img);

/* Finds the GNU build id (the NT_GNU_BUILD_ID note of a PT_NOTE segment:
 * `ld --build-id`) of the ELF file buf[0..len): *id points into buf, at
 * *id_len bytes. MT_OK, MT_ENOENT if it has none, MT_EINVAL if buf is no
 * ELF64 file whose program headers it holds. Every note is checked against
 * its segment and the file. */
int elf_build_id(const void *buf, size_t len, const uint8_t **id, size_t *id_len);

#endif
