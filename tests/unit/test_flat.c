/* common/flat.c: the check of the flat image the kernel loads init from.
 * Images live in exact-size heap buffers, so reads past the end are caught
 * by ASan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "common/flat.h"

#define LO 0x40000000ULL
#define HI 0x50000000ULL
#define IMG_LEN 0x2000

/* text R|X (0x1800 bytes), rodata R (0x100), data R|W (0x100 of 0x3000). */
static void valid(struct mt_flat_header *h)
{
	memset(h, 0, sizeof(*h));
	h->magic = MT_FLAT_MAGIC;
	h->version = MT_FLAT_VERSION;
	h->nseg = 3;
	h->entry = LO + 0x40;
	h->seg[0] = (struct mt_flat_seg){LO, 0x1800, sizeof(*h), 0x1800, MT_PROT_R | MT_PROT_X, 0};
	h->seg[1] = (struct mt_flat_seg){LO + 0x2000, 0x100, sizeof(*h) + 0x1800, 0x100, MT_PROT_R, 0};
	h->seg[2] = (struct mt_flat_seg){LO + 0x3000, 0x3000, sizeof(*h) + 0x1900, 0x100,
					 MT_PROT_R | MT_PROT_W, 0};
}

static int check(const struct mt_flat_header *h, size_t len)
{
	uint8_t *buf = calloc(1, len ? len : 1);
	memcpy(buf, h, len < sizeof(*h) ? len : sizeof(*h));
	struct mt_flat_header out;
	int rc = flat_check(buf, len, LO, HI, &out);
	free(buf);
	return rc;
}

/* What an accepted image must satisfy, written independently of flat.c. */
static int sane(const struct mt_flat_header *h, size_t len)
{
	uint64_t prev_end = LO;
	int entry = 0;
	if (h->nseg < 1 || h->nseg > MT_FLAT_MAX_SEGS)
		return 0;
	for (unsigned i = 0; i < h->nseg; i++) {
		const struct mt_flat_seg *s = &h->seg[i];
		unsigned __int128 end = (unsigned __int128)s->vaddr + s->memsz;
		if (s->vaddr % 4096 || s->vaddr < prev_end || end > HI || s->memsz == 0 ||
		    s->filesz > s->memsz || (uint64_t)s->offset + s->filesz > len ||
		    s->offset < sizeof(*h))
			return 0;
		if ((s->prot & MT_PROT_W) && (s->prot & MT_PROT_X))
			return 0;
		if (!(s->prot & MT_PROT_R))
			return 0;
		if ((s->prot & MT_PROT_X) && h->entry >= s->vaddr && h->entry < (uint64_t)end)
			entry = 1;
		prev_end = ((uint64_t)end + 4095) & ~4095ULL;
	}
	return entry;
}

static void test_valid(void)
{
	struct mt_flat_header h, out;
	valid(&h);
	CHECK_EQ(check(&h, IMG_LEN), MT_OK);
	uint8_t *buf = calloc(1, IMG_LEN + 1);
	memcpy(buf + 1, &h, sizeof(h)); /* an unaligned image is read as well */
	CHECK_EQ(flat_check(buf + 1, IMG_LEN, LO, HI, &out), MT_OK);
	CHECK_EQ(out.entry, LO + 0x40);
	CHECK_EQ(out.nseg, 3);
	CHECK_EQ(out.seg[2].memsz, 0x3000);
	free(buf);
	CHECK_EQ(flat_check(0, IMG_LEN, LO, HI, &out), MT_EINVAL);
	/* The file bytes may end exactly at the image's end, not one byte after. */
	h.seg[2].filesz = IMG_LEN - h.seg[2].offset;
	CHECK_EQ(check(&h, IMG_LEN), MT_OK);
	h.seg[2].filesz++;
	CHECK_EQ(check(&h, IMG_LEN), MT_EINVAL);
}

/* Each of these breaks one rule; every one is refused. */
static void test_refused(void)
{
	struct mt_flat_header h;
#define BAD(stmt)                                                                                  \
	do {                                                                                       \
		valid(&h);                                                                         \
		stmt;                                                                              \
		CHECK_EQ(check(&h, IMG_LEN), MT_EINVAL);                                           \
	} while (0)
	BAD(h.magic ^= 1);
	BAD(h.version = 2);
	BAD(h.reserved = 1);
	BAD(h.nseg = 0);
	BAD(h.nseg = MT_FLAT_MAX_SEGS + 1);
	BAD(h.nseg = 0xFFFFFFFFU);
	BAD(h.seg[0].vaddr += 8);          /* not page-aligned */
	BAD(h.seg[1].memsz = 0);           /* empty */
	BAD(h.seg[1].filesz = 0x101);      /* more file bytes than it maps */
	BAD(h.seg[1].prot = MT_PROT_W);    /* write-only */
	BAD(h.seg[1].prot = 0);            /* no rights */
	BAD(h.seg[0].prot = MT_PROT_R | MT_PROT_W | MT_PROT_X); /* W^X */
	BAD(h.seg[0].prot = MT_PROT_X);    /* execute-only */
	BAD(h.seg[1].prot |= 8);           /* an unknown bit */
	BAD(h.seg[1].reserved = 1);
	BAD(h.seg[1].vaddr = LO + 0x1000); /* shares text's last page */
	BAD(h.seg[1].vaddr = LO);          /* overlaps text */
	BAD(h.seg[0].vaddr = LO - 0x1000); /* below the user range */
	BAD(h.seg[2].vaddr = HI - 0x1000); /* runs past its end */
	BAD(h.seg[2].memsz = UINT64_MAX);  /* wraps */
	BAD(h.seg[2].memsz = UINT64_MAX - LO - 0x2FFF); /* ends at the top of memory */
	BAD(h.seg[2].offset = IMG_LEN);    /* file bytes outside the image */
	BAD(h.seg[2].offset = 0xFFFFFFFFU);
	BAD(h.seg[0].offset = 0);          /* file bytes in the header */
	BAD(h.entry = LO + 0x2000);        /* entry in a segment that does not execute */
	BAD(h.entry = LO + 0x1800);        /* entry past text's bytes */
	BAD(h.entry = LO + 0x41);          /* unaligned entry */
	BAD(h.nseg = 2; h.seg[3].vaddr = LO + 0x9000); /* junk in an unused slot */
#undef BAD
	valid(&h);
	CHECK_EQ(check(&h, sizeof(h) - 1), MT_EINVAL); /* shorter than its header */
	CHECK_EQ(check(&h, 0), MT_EINVAL);
}

/* 200000 mutants of the valid header: whatever is accepted is sane. */
static void test_mutants(void)
{
	uint64_t rng = 0xC0FFEE1234567ULL;
	unsigned accepted = 0, insane = 0;
	static const uint64_t edges[] = {0, 1, 0xFFF, 0x1000, LO, HI, HI - 1, UINT32_MAX, UINT64_MAX};
	for (unsigned n = 0; n < 200000; n++) {
		struct mt_flat_header h;
		valid(&h);
		uint8_t *b = (uint8_t *)&h;
		unsigned k = 1 + harness_rand(&rng) % 4;
		for (unsigned j = 0; j < k; j++) {
			uint64_t r = harness_rand(&rng);
			unsigned at = (unsigned)(r % sizeof(h));
			if (r & (1ULL << 40)) {
				b[at] ^= (uint8_t)(1u << (r >> 48) % 8);
			} else {
				uint64_t v = edges[(r >> 32) % (sizeof(edges) / sizeof(edges[0]))];
				at &= ~7u;
				memcpy(b + at, &v, at + 8 <= sizeof(h) ? 8 : sizeof(h) - at);
			}
		}
		size_t len = harness_rand(&rng) % 8 ? IMG_LEN : harness_rand(&rng) % (IMG_LEN + 1);
		if (check(&h, len) == MT_OK) {
			accepted++;
			insane += !sane(&h, len);
		}
	}
	printf("flat: 200000 mutants, %u accepted, %u rejected\n", accepted, 200000 - accepted);
	CHECK_EQ(insane, 0);
	CHECK(accepted > 0); /* some mutants (e.g. of a file byte count) are valid */
}

int main(void)
{
	test_valid();
	test_refused();
	test_mutants();
	return harness_report("flat");
}
