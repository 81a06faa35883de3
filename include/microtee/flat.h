/* The flat image: the one program format the kernel reads, for init alone.
 *
 * host/mkflat makes it at build time from init's ELF file (every ELF parser
 * runs at S-EL0 or on the build host, none in the kernel). It is part of the
 * firmware's boot file system, under the name "init": a fixed header, then
 * each segment's file bytes at the offset the header gives. The kernel
 * copies the segments to fresh pages, maps them with the rights the header
 * gives, and starts a thread at the entry point (kernel/process.c,
 * checked by common/flat.c). */
#ifndef MICROTEE_FLAT_H
#define MICROTEE_FLAT_H

#include <stdint.h>

#define MT_FLAT_MAGIC 0x54414C46U /* "FLAT" */
#define MT_FLAT_VERSION 1U
#define MT_FLAT_MAX_SEGS 4U

struct mt_flat_seg {
	uint64_t vaddr;  /* page-aligned */
	uint64_t memsz;  /* bytes mapped from vaddr (zero-filled past filesz) */
	uint32_t offset; /* of the file bytes in the image */
	uint32_t filesz;
	uint32_t prot; /* MT_PROT_R, R|W or R|X */
	uint32_t reserved;
};

struct mt_flat_header {
	uint32_t magic;
	uint32_t version;
	uint32_t nseg;
	uint32_t reserved;
	uint64_t entry;
	struct mt_flat_seg seg[MT_FLAT_MAX_SEGS];
};

_Static_assert(sizeof(struct mt_flat_seg) == 32, "flat segment is a wire struct");
_Static_assert(sizeof(struct mt_flat_header) == 24 + 32 * MT_FLAT_MAX_SEGS,
	       "flat header is a wire struct");

#endif
