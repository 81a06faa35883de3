/* common/elf.c: validation of untrusted ELF64 images. Every image is parsed
 * from a heap buffer of exactly its length, so under AddressSanitizer any
 * read past the end is caught. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "common/elf.h"
#include "kernel/kernel.h"

/* The System V gABI layouts, written independently of elf.c's. */
struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct ehdr) == 64, "ehdr");
_Static_assert(sizeof(struct phdr) == 56, "phdr");

#define PT_NULL      0
#define PT_LOAD      1
#define PT_DYNAMIC   2
#define PT_INTERP    3
#define PT_NOTE      4
#define PT_GNU_STACK 0x6474e551
#define PF_X         1
#define PF_W         2
#define PF_R         4

#define LO    MT_USER_BASE /* the range process_load allows */
#define HI    MT_USER_HEAP
#define MAXPH 40
#define CAP   8192

/* An image as headers plus a length; serialised only to be parsed, so a
 * test can change any field and say what it means. */
struct elf {
	struct ehdr eh;
	struct phdr ph[MAXPH];
	unsigned nph; /* program headers written, at offset ph_at */
	uint64_t ph_at;
	uint64_t len; /* file length; may cut into anything */
};

static void set_phnum(struct elf *e, unsigned n)
{
	e->nph = n;
	e->eh.phnum = (uint16_t)n;
}

static void fit_len(struct elf *e)
{
	uint64_t len = e->ph_at + (uint64_t)e->nph * sizeof(struct phdr);
	for (unsigned i = 0; i < e->nph; i++)
		if (e->ph[i].offset + e->ph[i].filesz > len &&
		    e->ph[i].offset + e->ph[i].filesz <= CAP)
			len = e->ph[i].offset + e->ph[i].filesz;
	e->len = len;
}

static struct phdr load(uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz,
                        uint64_t memsz)
{
	return (struct phdr){.type = PT_LOAD,
	                     .flags = flags,
	                     .offset = offset,
	                     .vaddr = vaddr,
	                     .paddr = vaddr,
	                     .filesz = filesz,
	                     .memsz = memsz,
	                     .align = PAGE_SIZE};
}

/* The reference image: text (R+X) at LO+0x100, data+bss (R+W) on the next
 * page; the data segment's bytes end the file. */
#define TEXT_VA (LO + 0x100)
#define DATA_VA (LO + 0x1140)
static void valid(struct elf *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.ident, "\177ELF", 4);
	e->eh.ident[4] = 2;  /* ELFCLASS64 */
	e->eh.ident[5] = 1;  /* ELFDATA2LSB */
	e->eh.ident[6] = 1;  /* EV_CURRENT */
	e->eh.type = 2;      /* ET_EXEC */
	e->eh.machine = 183; /* EM_AARCH64 */
	e->eh.version = 1;
	e->eh.entry = TEXT_VA;
	e->eh.phoff = e->ph_at = 64;
	e->eh.ehsize = 64;
	e->eh.phentsize = sizeof(struct phdr);
	e->ph[0] = load(PF_R | PF_X, 0x100, TEXT_VA, 0x40, 0x40);
	e->ph[1] = load(PF_R | PF_W, 0x140, DATA_VA, 0x20, 0x1000);
	set_phnum(e, 2);
	e->len = 0x160;
}

static uint8_t *serialise(const struct elf *e, size_t len)
{
	static uint8_t tmp[CAP];
	if (len > CAP || e->ph_at + e->nph * sizeof(struct phdr) > CAP)
		abort();
	for (size_t i = 0; i < CAP; i++)
		tmp[i] = (uint8_t)(i * 7 + 1);
	memcpy(tmp, &e->eh, sizeof(e->eh));
	memcpy(tmp + e->ph_at, e->ph, e->nph * sizeof(struct phdr));
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	memcpy(buf, tmp, len);
	return buf;
}

/* Parses e from an exact-size heap copy. */
static int parse_len(const struct elf *e, size_t len, struct elf_image *img)
{
	uint8_t *buf = serialise(e, len);
	int rc = elf_parse(buf, len, LO, HI, img);
	free(buf);
	return rc;
}

static int parse(const struct elf *e)
{
	struct elf_image img;
	return parse_len(e, e->len, &img);
}

/* Builds the valid image, runs the statements given (on `e`) and expects
 * MT_EINVAL, or MT_OK. */
#define REJECTS(...)                                                                               \
	do {                                                                                       \
		struct elf e_;                                                                     \
		valid(&e_);                                                                        \
		{                                                                                  \
			struct elf *e = &e_;                                                       \
			__VA_ARGS__;                                                               \
		}                                                                                  \
		harness_check_eq((unsigned long long)parse(&e_), (unsigned long long)MT_EINVAL,    \
		                 __FILE__, __LINE__, #__VA_ARGS__, "MT_EINVAL");                   \
	} while (0)
#define ACCEPTS(...)                                                                               \
	do {                                                                                       \
		struct elf e_;                                                                     \
		valid(&e_);                                                                        \
		{                                                                                  \
			struct elf *e = &e_;                                                       \
			__VA_ARGS__;                                                               \
		}                                                                                  \
		harness_check_eq((unsigned long long)parse(&e_), MT_OK, __FILE__, __LINE__,        \
		                 #__VA_ARGS__, "MT_OK");                                           \
	} while (0)

static void test_valid(void)
{
	struct elf e;
	struct elf_image img;
	valid(&e);
	memset(&img, 0xCC, sizeof(img));
	CHECK_EQ(parse_len(&e, e.len, &img), MT_OK);
	CHECK_EQ(img.entry, TEXT_VA);
	CHECK_EQ(img.nseg, 2);
	CHECK_EQ(img.seg[0].vaddr, TEXT_VA);
	CHECK_EQ(img.seg[0].memsz, 0x40);
	CHECK_EQ(img.seg[0].offset, 0x100);
	CHECK_EQ(img.seg[0].filesz, 0x40);
	CHECK_EQ(img.seg[0].prot, MT_PROT_R | MT_PROT_X);
	CHECK_EQ(img.seg[1].vaddr, DATA_VA);
	CHECK_EQ(img.seg[1].memsz, 0x1000);
	CHECK_EQ(img.seg[1].offset, 0x140);
	CHECK_EQ(img.seg[1].filesz, 0x20);
	CHECK_EQ(img.seg[1].prot, MT_PROT_R | MT_PROT_W);

	/* Trailing bytes (section headers, say) are fine. */
	CHECK_EQ(parse_len(&e, e.len + 100, &img), MT_OK);

	/* Any alignment of the buffer. */
	uint8_t *buf = serialise(&e, e.len);
	uint8_t *odd = malloc(e.len + 1);
	memcpy(odd + 1, buf, e.len);
	CHECK_EQ(elf_parse(odd + 1, e.len, LO, HI, &img), MT_OK);
	CHECK_EQ(img.nseg, 2);
	/* The range is the caller's: the same image outside it is refused. */
	CHECK_EQ(elf_parse(buf, e.len, LO + PAGE_SIZE, HI, &img), MT_EINVAL);
	CHECK_EQ(elf_parse(buf, e.len, LO, DATA_VA + 0x1000, &img), MT_OK);
	CHECK_EQ(elf_parse(buf, e.len, LO, DATA_VA + 0xFFF, &img), MT_EINVAL);
	free(odd);
	free(buf);

	/* Headers that are not loaded are skipped; so are empty PT_LOADs, even
	 * with nonsense offsets. */
	valid(&e);
	e.ph[2] = (struct phdr){.type = PT_NOTE, .offset = ~0ULL, .filesz = 99, .memsz = 99};
	e.ph[3] = (struct phdr){.type = PT_GNU_STACK, .flags = PF_R | PF_W | PF_X};
	e.ph[4] = (struct phdr){.type = PT_NULL};
	e.ph[5] = load(PF_R | PF_W | PF_X, ~0ULL, 0, 0, 0);
	e.ph[6] = load(PF_R, 0x100, LO + 0x3000, 0x10, 0x10); /* read-only data */
	set_phnum(&e, 7);
	fit_len(&e);
	CHECK_EQ(parse_len(&e, e.len, &img), MT_OK);
	CHECK_EQ(img.nseg, 3);
	CHECK_EQ(img.seg[2].prot, MT_PROT_R);
	CHECK_EQ(img.seg[2].vaddr, LO + 0x3000);

	/* Segments filling the whole range, touching page to page, a bss with
	 * nothing in the file, and the entry at the last instruction. */
	ACCEPTS(e->ph[0] = load(PF_R | PF_X, 0x100, LO, 0x40, 0x1000); e->eh.entry = LO + 0xFFC;
	        e->ph[1] = load(PF_R | PF_W, 0, LO + 0x1000, 0, HI - LO - 0x1000));
	/* A segment that is not readable is refused: every user page is
	 * readable (there is no EL0 no-access or execute-only encoding). */
	REJECTS(e->ph[1].flags = 0);
	REJECTS(e->ph[1].flags = PF_W);
	REJECTS(e->ph[0].flags = PF_X);
}

/* Every proper prefix of the image is refused. */
static void test_truncated(void)
{
	struct elf e;
	struct elf_image img;
	valid(&e);
	bool all = true;
	for (size_t len = 0; len < e.len; len++)
		all &= parse_len(&e, len, &img) == MT_EINVAL;
	CHECK(all);
	CHECK_EQ(elf_parse(0, 0, LO, HI, &img), MT_EINVAL);
	CHECK_EQ(elf_parse(0, 4096, LO, HI, &img), MT_EINVAL);
}

static void test_bad_header(void)
{
	for (int i = 0; i < 4; i++)
		REJECTS(e->eh.ident[i] ^= 0x20);
	REJECTS(e->eh.ident[4] = 1); /* ELFCLASS32 */
	REJECTS(e->eh.ident[4] = 0);
	REJECTS(e->eh.ident[4] = 3);
	REJECTS(e->eh.ident[5] = 2); /* big endian */
	REJECTS(e->eh.ident[5] = 0);
	REJECTS(e->eh.ident[6] = 0);
	REJECTS(e->eh.type = 1); /* ET_REL */
	REJECTS(e->eh.type = 3); /* ET_DYN */
	REJECTS(e->eh.type = 4); /* ET_CORE */
	REJECTS(e->eh.type = 0);
	REJECTS(e->eh.type = 0x0200); /* ET_EXEC, byte-swapped */
	REJECTS(e->eh.machine = 62);  /* x86-64 */
	REJECTS(e->eh.machine = 40);  /* 32-bit Arm */
	REJECTS(e->eh.machine = 0);
	REJECTS(e->eh.version = 0);
	REJECTS(e->eh.version = 2);
	REJECTS(e->eh.phentsize = 0);
	REJECTS(e->eh.phentsize = 32);
	REJECTS(e->eh.phentsize = 55);
	REJECTS(e->eh.phentsize = 57);
	REJECTS(e->eh.phentsize = 64);
	REJECTS(e->eh.phnum = 0);
	REJECTS(e->eh.phnum = 0xFFFF);
}

static void test_bad_phdr_table(void)
{
	/* Table offset overflowing, or running past the end. */
	REJECTS(e->eh.phoff = ~0ULL);
	REJECTS(e->eh.phoff = ~0ULL - 55);
	REJECTS(e->eh.phoff = ~0ULL - 2 * 56 + 2);
	REJECTS(e->eh.phoff = 1ULL << 63);
	REJECTS(e->eh.phoff = e->len);
	REJECTS(e->eh.phoff = e->len - 56); /* one of two fits */
	REJECTS(e->eh.phoff = e->len - 2 * 56 + 1);
	REJECTS(e->len = 64 + 2 * 56 - 1; e->ph[0].offset = 0; e->ph[0].filesz = 0;
	        e->ph[1].offset = 0; e->ph[1].filesz = 0);
	/* The table is read where phoff says, at any alignment; here the bytes
	 * at 64 are not headers. */
	ACCEPTS(e->eh.phoff = e->ph_at = 0x160; fit_len(e));
	ACCEPTS(e->eh.phoff = e->ph_at = 0x163; fit_len(e));
	REJECTS(e->eh.phoff = e->ph_at = 0x163; fit_len(e); e->len--);
	REJECTS(e->ph_at = 0x160; fit_len(e));
	/* Up to 32 headers are read; more are refused. */
	ACCEPTS(set_phnum(e, 32); fit_len(e));
	REJECTS(set_phnum(e, 33); fit_len(e));
	REJECTS(e->eh.phnum = 33; e->len = 64 + 33 * 56); /* 2 written, the rest is data */
}

static void test_bad_segment(void)
{
	/* File bytes beyond the file, directly or by overflow. */
	REJECTS(e->ph[1].filesz = 0x21);
	REJECTS(e->ph[1].offset = 0x141);
	REJECTS(e->ph[1].offset = e->len);
	REJECTS(e->ph[0].offset = ~0ULL - 0x10);
	REJECTS(e->ph[0].offset = ~0ULL);
	REJECTS(e->ph[1].offset = 1ULL << 63);
	REJECTS(e->ph[1].filesz = ~0ULL; e->ph[1].memsz = ~0ULL);
	REJECTS(e->ph[1].offset = 0x10; e->ph[1].filesz = ~0ULL - 0xF; e->ph[1].memsz = ~0ULL);
	ACCEPTS(e->ph[1].offset = e->len - 0x20); /* unchanged: the exact end is fine */
	/* Less memory than file. */
	REJECTS(e->ph[0].memsz = 0x3F);
	REJECTS(e->ph[1].memsz = 0x1F);
	/* Outside [LO, HI). */
	REJECTS(e->ph[0].vaddr = LO - PAGE_SIZE; e->eh.entry = LO - PAGE_SIZE);
	REJECTS(e->ph[0].vaddr = LO - 4; e->eh.entry = LO - 4);
	REJECTS(e->ph[0].vaddr = 0; e->eh.entry = 0);
	REJECTS(e->ph[1].vaddr = HI);
	REJECTS(e->ph[1].vaddr = HI - 0xFFF);
	REJECTS(e->ph[1].vaddr = HI + PAGE_SIZE);
	REJECTS(e->ph[1].vaddr = HI - 0x1000; e->ph[1].memsz = 0x1001);
	ACCEPTS(e->ph[1].vaddr = HI - 0x1000);
	REJECTS(e->ph[1].vaddr = 1ULL << 63);
	REJECTS(e->ph[1].vaddr = ~0ULL & PAGE_MASK);
	/* vaddr + memsz wrapping around: to 0 exactly, or back into [LO, HI)
	 * where only the overflow check can tell. */
	REJECTS(e->ph[1].vaddr = ~0ULL - 0xFFF; e->ph[1].memsz = 0x2000);
	REJECTS(e->ph[1].memsz = 0ULL - DATA_VA);
	REJECTS(e->ph[1].vaddr = 0ULL - PAGE_SIZE; e->ph[1].memsz = PAGE_SIZE + LO + 0x2000);
	REJECTS(e->ph[1].memsz = ~0ULL);
	/* Writable and executable. */
	REJECTS(e->ph[0].flags = PF_R | PF_W | PF_X);
	REJECTS(e->ph[0].flags = PF_W | PF_X);
	REJECTS(e->ph[1].flags = PF_R | PF_W | PF_X);
	REJECTS(e->ph[1].flags = 0xFFFFFFFF);
}

static void test_overlap(void)
{
	/* Overlapping, sharing a page, or out of order. */
	REJECTS(e->ph[1].vaddr = TEXT_VA + 0x20);
	REJECTS(e->ph[1].vaddr = TEXT_VA);
	REJECTS(e->ph[1].vaddr = TEXT_VA + 0x40); /* adjacent, same page */
	REJECTS(e->ph[1].vaddr = LO + 0xFFF;
	        e->ph[1].filesz = e->ph[1].memsz = 1); /* last byte of the page */
	ACCEPTS(e->ph[1].vaddr = LO + 0x1000);         /* first byte of the next */
	REJECTS(e->ph[0].memsz = 0x1000);              /* text now reaches data's page */
	REJECTS(struct phdr t = e->ph[0]; e->ph[0] = e->ph[1]; e->ph[1] = t);
	REJECTS(e->ph[2] = e->ph[1]; set_phnum(e, 3)); /* the same segment twice */
	REJECTS(e->ph[2] = load(PF_R, 0, LO + 0x5000, 0, 0x10);
	        e->ph[3] = load(PF_R, 0, LO + 0x4000, 0, 0x10); set_phnum(e, 4));
	ACCEPTS(e->ph[2] = load(PF_R, 0, LO + 0x3000, 0, 0x10);
	        e->ph[3] = load(PF_R, 0, LO + 0x4000, 0, 0x10); set_phnum(e, 4));
}

static void test_entry(void)
{
	REJECTS(e->eh.entry = DATA_VA);     /* in a non-executable segment */
	REJECTS(e->eh.entry = LO + 0x5000); /* in no segment */
	REJECTS(e->eh.entry = 0);
	REJECTS(e->eh.entry = TEXT_VA + 0x40); /* one past the end of text */
	REJECTS(e->eh.entry = TEXT_VA - 4);    /* just before it */
	REJECTS(e->eh.entry = TEXT_VA + 2);    /* not an instruction boundary */
	REJECTS(e->eh.entry = TEXT_VA + 1);
	REJECTS(e->ph[0].flags = PF_R);        /* no executable segment at all */
	ACCEPTS(e->eh.entry = TEXT_VA + 0x3C); /* last instruction */
	/* Entry in the bss part of an executable segment is in the segment. */
	ACCEPTS(e->ph[0].memsz = 0x80; e->eh.entry = TEXT_VA + 0x7C);
}

static void test_dynamic(void)
{
	/* Static executables only, wherever the header sits. */
	REJECTS(e->ph[2] = (struct phdr){.type = PT_INTERP, .offset = 0x100, .filesz = 1};
	        set_phnum(e, 3));
	REJECTS(e->ph[2] = e->ph[1]; e->ph[1] = e->ph[0];
	        e->ph[0] = (struct phdr){.type = PT_INTERP}; set_phnum(e, 3));
	REJECTS(e->ph[2] = (struct phdr){.type = PT_DYNAMIC}; set_phnum(e, 3));
	REJECTS(e->ph[2] = (struct phdr){.type = PT_DYNAMIC, .memsz = 0x100, .vaddr = DATA_VA};
	        set_phnum(e, 3));
}

/* n loadable one-page segments, one per page from LO. */
static void many(struct elf *e, unsigned n)
{
	valid(e);
	for (unsigned i = 0; i < n; i++)
		e->ph[i] = load(i ? PF_R : PF_R | PF_X, 0x100, LO + i * PAGE_SIZE, 0x10, 0x10);
	e->eh.entry = LO;
	set_phnum(e, n);
	fit_len(e);
}

static void test_too_many(void)
{
	struct elf e;
	struct elf_image img;
	many(&e, ELF_MAX_SEGMENTS);
	CHECK_EQ(parse_len(&e, e.len, &img), MT_OK);
	CHECK_EQ(img.nseg, ELF_MAX_SEGMENTS);
	CHECK_EQ(img.seg[ELF_MAX_SEGMENTS - 1].vaddr, LO + (ELF_MAX_SEGMENTS - 1) * PAGE_SIZE);
	many(&e, ELF_MAX_SEGMENTS + 1);
	CHECK_EQ(parse_len(&e, e.len, &img), MT_EINVAL);
	many(&e, 30);
	CHECK_EQ(parse_len(&e, e.len, &img), MT_EINVAL);
}

/* What an accepted image must satisfy, checked from the bytes themselves. */
static bool sound(const uint8_t *buf, size_t len, const struct elf_image *img)
{
	struct ehdr eh;
	if (len < sizeof(eh))
		return false;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF\2\1\1", 7) != 0 || eh.type != 2 || eh.machine != 183 ||
	    eh.version != 1 || eh.phentsize != 56 || eh.phnum == 0 ||
	    eh.phoff + eh.phnum * 56ULL > len || eh.phoff > len)
		return false;
	if (img->nseg == 0 || img->nseg > ELF_MAX_SEGMENTS || img->entry != eh.entry ||
	    (img->entry & 3))
		return false;
	bool entry_ok = false;
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t fend, mend;
		if (s->memsz == 0 || s->filesz > s->memsz ||
		    __builtin_add_overflow(s->offset, s->filesz, &fend) || fend > len ||
		    __builtin_add_overflow(s->vaddr, s->memsz, &mend) || s->vaddr < LO ||
		    mend > HI || (s->prot & ~(MT_PROT_R | MT_PROT_W | MT_PROT_X)) ||
		    ((s->prot & MT_PROT_W) && (s->prot & MT_PROT_X)))
			return false;
		if (i && (s->vaddr & PAGE_MASK) <
		             ALIGN_UP(img->seg[i - 1].vaddr + img->seg[i - 1].memsz, PAGE_SIZE))
			return false;
		if ((s->prot & MT_PROT_X) && img->entry >= s->vaddr && img->entry < mend)
			entry_ok = true;
	}
	return entry_ok;
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
	return harness_rand(&rng);
}

/* Random byte flips, overwrites with boundary values and truncations of a
 * valid image (seeded, so reproducible): never a crash or an out-of-bounds
 * read, never anything but MT_OK or MT_EINVAL, and never an unsound image
 * accepted. */
static void test_mutations(unsigned rounds)
{
	static const uint64_t special[] = {0,          1,          0x38,         0x40, 0x1000,
	                                   0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,   LO,   HI,
	                                   1ULL << 63, ~0ULL,      ~0ULL - 0xFFF};
	struct elf e;
	valid(&e);
	e.ph[2] = load(PF_R, 0x100, LO + 0x4000, 0x10, 0x3000);
	e.ph[3] = (struct phdr){.type = PT_NOTE, .offset = 0x100, .filesz = 8};
	set_phnum(&e, 4);
	fit_len(&e);
	const size_t base_len = e.len, hdr_len = 64 + 4 * 56;
	uint8_t *base = serialise(&e, base_len);
	struct elf_image img;
	CHECK_EQ(elf_parse(base, base_len, LO, HI, &img), MT_OK);

	unsigned accepted = 0, rejected = 0, odd_rc = 0, unsound = 0;
	uint8_t scratch[1024];
	for (unsigned r = 0; r < rounds; r++) {
		size_t len = base_len;
		memcpy(scratch, base, base_len);
		if (rnd() % 8 == 0) { /* trailing garbage */
			size_t extra = rnd() % 64;
			for (size_t i = 0; i < extra; i++)
				scratch[len++] = (uint8_t)rnd();
		}
		unsigned nmut = 1 + rnd() % 4;
		for (unsigned m = 0; m < nmut; m++) {
			/* Mostly the headers: that is where the checks are. */
			size_t at = rnd() % 4 ? rnd() % hdr_len : rnd() % len;
			switch (rnd() % 4) {
			case 0:
				scratch[at] ^= (uint8_t)(1u << rnd() % 8);
				break;
			case 1:
				scratch[at] = (uint8_t)rnd();
				break;
			default: { /* a whole field, 2, 4 or 8 bytes, to a boundary value */
				size_t w = (size_t)2 << rnd() % 3;
				at &= ~(w - 1);
				uint64_t v = special[rnd() % ARRAY_SIZE(special)];
				if (rnd() % 2)
					v += (uint64_t)(int64_t)(int8_t)(rnd() % 32 - 16);
				if (at + w <= len)
					memcpy(scratch + at, &v, w);
				break;
			}
			}
		}
		if (rnd() % 16 == 0)
			len = rnd() % (len + 1);

		uint8_t *buf = malloc(len ? len : 1);
		if (!buf)
			abort();
		memcpy(buf, scratch, len);
		int rc = elf_parse(buf, len, LO, HI, &img);
		if (rc == MT_OK) {
			accepted++;
			if (!sound(buf, len, &img)) {
				if (unsound++ < 5)
					fprintf(stderr, "elf: round %u: unsound image accepted\n",
					        r);
			}
		} else if (rc == MT_EINVAL) {
			rejected++;
		} else {
			odd_rc++;
		}
		free(buf);
	}
	free(base);
	CHECK_EQ(unsound, 0);
	CHECK_EQ(odd_rc, 0);
	CHECK_EQ(accepted + rejected, rounds);
	/* The loop explores both sides: some mutants still load, most do not. */
	CHECK(accepted > rounds / 100);
	CHECK(rejected > rounds / 2);
	printf("elf: %u mutants, %u accepted, %u rejected\n", rounds, accepted, rejected);
}

/* ---- elf_build_id ---- */

/* An ELF header, one PT_NOTE program header (file offset 120) and the
 * notes: a file of 120 + notes_len bytes, on the heap at exactly that size. */
static uint8_t *note_file(const uint8_t *notes, size_t notes_len, uint64_t filesz)
{
	struct ehdr eh = {0};
	memcpy(eh.ident, "\177ELF", 4);
	eh.ident[4] = 2;
	eh.ident[5] = 1;
	eh.ident[6] = 1;
	eh.type = 2;
	eh.machine = 183;
	eh.version = 1;
	eh.phoff = sizeof(eh);
	eh.phentsize = sizeof(struct phdr);
	eh.phnum = 1;
	struct phdr ph = {PT_NOTE, PF_R, sizeof(eh) + sizeof(ph), 0, 0, filesz, filesz, 4};
	uint8_t *buf = malloc(sizeof(eh) + sizeof(ph) + notes_len);
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	memcpy(buf + sizeof(eh) + sizeof(ph), notes, notes_len);
	return buf;
}

/* Appends a note: namesz, descsz, type, name padded, desc padded. */
static size_t put_note(uint8_t *at, const char *name, uint32_t namesz, uint32_t type,
		       const uint8_t *desc, uint32_t descsz)
{
	uint32_t h[3] = {namesz, descsz, type};
	memcpy(at, h, 12);
	size_t n = 12;
	memset(at + n, 0, (namesz + 3) & ~3U);
	memcpy(at + n, name, namesz);
	n += (namesz + 3) & ~3U;
	memset(at + n, 0, (descsz + 3) & ~3U);
	memcpy(at + n, desc, descsz);
	return n + ((descsz + 3) & ~3U);
}

static void test_build_id(void)
{
	static const uint8_t id[20] = {0xc1, 0x34, 0xe7, 0xe3, 0x44, 0x24, 0xf6, 0x83, 0x65, 0x44,
				       0xc9, 0xb5, 0xb6, 0x8b, 0x2e, 0x50, 0xc4, 0xd7, 0x22, 0xc9};
	uint8_t notes[256];
	const uint8_t *got;
	size_t got_len, hdr = sizeof(struct ehdr) + sizeof(struct phdr);

	/* One note: found, pointing into the file. */
	size_t n = put_note(notes, "GNU", 4, 3, id, sizeof(id));
	uint8_t *f = note_file(notes, n, n);
	CHECK_EQ(elf_build_id(f, hdr + n, &got, &got_len), MT_OK);
	CHECK_EQ(got_len, sizeof(id));
	CHECK(got == f + hdr + 16 && memcmp(got, id, sizeof(id)) == 0);
	/* Cut anywhere: never found past the end (ASan watches the reads). */
	for (size_t len = 0; len < hdr + n; len++) {
		uint8_t *c = malloc(len ? len : 1);
		memcpy(c, f, len);
		CHECK(elf_build_id(c, len, &got, &got_len) != MT_OK);
		free(c);
	}
	free(f);
	/* Another note first (another name, another type), then the id. */
	size_t m = put_note(notes, "Xen", 4, 3, id, 8);
	m += put_note(notes + m, "GNU", 4, 1, id, 16); /* NT_GNU_ABI_TAG */
	m += put_note(notes + m, "GNU", 4, 3, id, sizeof(id));
	f = note_file(notes, m, m);
	CHECK_EQ(elf_build_id(f, hdr + m, &got, &got_len), MT_OK);
	CHECK_EQ(got_len, sizeof(id));
	free(f);
	/* A segment that claims more than the file, and a note that claims
	 * more than its segment. */
	f = note_file(notes, m, m + 1);
	CHECK(elf_build_id(f, hdr + m, &got, &got_len) != MT_OK);
	free(f);
	n = put_note(notes, "GNU", 4, 3, id, sizeof(id));
	uint32_t huge = 0xfffffff0U;
	memcpy(notes + 4, &huge, 4); /* descsz */
	f = note_file(notes, n, n);
	CHECK(elf_build_id(f, hdr + n, &got, &got_len) != MT_OK);
	free(f);
	memcpy(notes, &huge, 4); /* namesz */
	f = note_file(notes, n, n);
	CHECK(elf_build_id(f, hdr + n, &got, &got_len) != MT_OK);
	free(f);
	/* No note segment at all; not an ELF file. */
	n = put_note(notes, "GNU", 4, 3, id, sizeof(id));
	f = note_file(notes, n, n);
	((struct phdr *)(void *)(f + sizeof(struct ehdr)))->type = PT_LOAD;
	CHECK_EQ(elf_build_id(f, hdr + n, &got, &got_len), MT_ENOENT);
	f[0] = 0;
	CHECK_EQ(elf_build_id(f, hdr + n, &got, &got_len), MT_EINVAL);
	free(f);
}

int main(void)
{
	test_build_id();
	test_valid();
	test_truncated();
	test_bad_header();
	test_bad_phdr_table();
	test_bad_segment();
	test_overlap();
	test_entry();
	test_dynamic();
	test_too_many();
	test_mutations(200000);
	return harness_report("elf");
}
