/* Checks of a flat image (include/microtee/flat.h). Pure code over bytes:
 * the kernel runs it on init's image, host/mkflat on what it wrote, and the
 * unit tests on mutants. */
#ifndef COMMON_FLAT_H
#define COMMON_FLAT_H

#include <stddef.h>
#include <stdint.h>

#include "../include/microtee/flat.h"
#include "../include/microtee/syscall.h"

/* MT_OK if buf[0..len) is a flat image whose segments are page-aligned, in
 * ascending order without sharing a page, inside [va_lo, va_hi), each R,
 * R|W or R|X, with their file bytes inside the image and no more of them
 * than the segment maps, and whose entry point lies in an R|X segment.
 * *hdr receives a copy of the header (buf need not be aligned). MT_EINVAL
 * otherwise. */
int flat_check(const void *buf, size_t len, uint64_t va_lo, uint64_t va_hi,
	       struct mt_flat_header *hdr);

#endif
