/* ELF64 program loading: validation of an untrusted image. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H
#include "kernel.h"

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
	vaddr_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	unsigned prot; /* MT_PROT_* */
};

struct elf_image {
	vaddr_t entry;
	unsigned nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* Checks that buf[0..len) is a static AArch64 executable whose loadable
 * segments lie inside [va_lo, va_hi), do not share pages, are never both
 * writable and executable, and whose entry point is in an executable
 * segment. Fills *img on success; returns MT_OK or MT_EINVAL. */
int elf_parse(const void *buf, size_t len, vaddr_t va_lo, vaddr_t va_hi, struct elf_image *img);

#endif
