/* Flat image checks (flat.h). */
#include "flat.h"
#include "kstring.h"

#define FLAT_PAGE 4096ULL

static int flat_prot_ok(uint32_t prot)
{
	return prot == MT_PROT_R || prot == (MT_PROT_R | MT_PROT_W) ||
	       prot == (MT_PROT_R | MT_PROT_X);
}

int flat_check(const void *buf, size_t len, uint64_t va_lo, uint64_t va_hi,
	       struct mt_flat_header *hdr)
{
	if (!buf || len < sizeof(*hdr))
		return MT_EINVAL;
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->magic != MT_FLAT_MAGIC || hdr->version != MT_FLAT_VERSION || hdr->nseg == 0 ||
	    hdr->nseg > MT_FLAT_MAX_SEGS || hdr->reserved != 0)
		return MT_EINVAL;
	uint64_t next = va_lo; /* the lowest address the next segment may use */
	int entry_ok = 0;
	for (uint32_t i = 0; i < hdr->nseg; i++) {
		const struct mt_flat_seg *s = &hdr->seg[i];
		uint64_t end, fend;
		if ((s->vaddr & (FLAT_PAGE - 1)) || s->memsz == 0 || s->filesz > s->memsz ||
		    !flat_prot_ok(s->prot) || s->reserved != 0 || s->vaddr < next ||
		    __builtin_add_overflow(s->vaddr, s->memsz, &end) || end > va_hi ||
		    (uint64_t)s->offset + s->filesz > len || s->offset < sizeof(*hdr))
			return MT_EINVAL;
		if ((s->prot & MT_PROT_X) && hdr->entry >= s->vaddr && hdr->entry < end &&
		    (hdr->entry & 3) == 0)
			entry_ok = 1;
		fend = (end + FLAT_PAGE - 1) & ~(FLAT_PAGE - 1);
		if (fend < end)
			return MT_EINVAL;
		next = fend;
	}
	for (uint32_t i = hdr->nseg; i < MT_FLAT_MAX_SEGS; i++) {
		const uint8_t *z = (const uint8_t *)&hdr->seg[i];
		for (size_t k = 0; k < sizeof(hdr->seg[i]); k++)
			if (z[k])
				return MT_EINVAL;
	}
	return entry_ok ? MT_OK : MT_EINVAL;
}
