/* common/pie.c: OP-TEE-style position-independent images, untrusted input
 * of init's loader. Each test builds an image in an exact-size heap buffer
 * (ASan sees any read past it), from the gABI layouts written here
 * independently of pie.c: two segments (text R|X, data R|W with bss), a
 * dynamic section, a dynsym/dynstr pair with ta_head and a weak undefined
 * symbol, and two RELA sections (as OP-TEE's kit makes .rela.dyn and
 * .rela.got). Then one field at a time is broken; libraries it needs and
 * symbols it imports are named. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pie.h"
#include "harness.h"

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
struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};
struct dyn {
	int64_t tag;
	uint64_t val;
};
struct rela {
	uint64_t offset, info;
	int64_t addend;
};
struct sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

/* The file: text at file 0x1000 = va 0 (0x2000 bytes), data at file 0x3000
 * = va 0x3000 (0x1000 bytes of 0x5000). Tables inside text: dynsym at va
 * 0x1000, dynstr at 0x1100, .rela.dyn at 0x1200; in data: .dynamic at
 * 0x3000, .rela.got at 0x3200. Section headers at file 0x4000. */
#define LEN      0x4000 + 8 * 64
#define SPAN_MAX 0x100000
enum { SH_NULL, SH_DYNSYM, SH_DYNSTR, SH_RELADYN, SH_RELAGOT, SH_DYNAMIC, SH_N };

struct img {
	uint8_t b[LEN];
	size_t len;
};

static struct ehdr *eh(struct img *m)
{
	return (struct ehdr *)m->b;
}
static struct phdr *ph(struct img *m, unsigned i)
{
	return (struct phdr *)(m->b + 64) + i;
}
static struct shdr *sh(struct img *m, unsigned i)
{
	return (struct shdr *)(m->b + 0x4000) + i;
}
static struct rela *rela(struct img *m, unsigned i) /* 0..2 .rela.dyn, 3 .rela.got */
{
	return i < 3 ? (struct rela *)(m->b + 0x1000 + 0x1200) + i
	             : (struct rela *)(m->b + 0x3000 + 0x200);
}
static struct sym *sym(struct img *m, unsigned i)
{
	return (struct sym *)(m->b + 0x1000 + 0x1000) + i;
}
static struct dyn *dyn(struct img *m, unsigned i)
{
	return (struct dyn *)(m->b + 0x3000) + i;
}

static void valid(struct img *m)
{
	memset(m, 0, sizeof(*m));
	m->len = LEN;
	struct ehdr *e = eh(m);
	memcpy(e->ident, "\177ELF\2\1\1", 7);
	e->type = 3;
	e->machine = 183;
	e->version = 1;
	e->entry = 0x40;
	e->phoff = 64;
	e->phentsize = 56;
	e->phnum = 3;
	e->shoff = 0x4000;
	e->shentsize = 64;
	e->shnum = SH_N;
	*ph(m, 0) = (struct phdr){1, 5, 0x1000, 0, 0, 0x2000, 0x2000, 0x1000};
	*ph(m, 1) = (struct phdr){1, 6, 0x3000, 0x3000, 0, 0x1000, 0x5000, 0x1000};
	*ph(m, 2) = (struct phdr){2, 6, 0x3000, 0x3000, 0, 4 * 16, 4 * 16, 8};
	/* .dynamic: RELAENT, SYMENT, then the end. */
	*dyn(m, 0) = (struct dyn){9, 24};
	*dyn(m, 1) = (struct dyn){11, 24};
	*dyn(m, 2) = (struct dyn){0, 0};
	/* Symbols: 0 null, 1 ta_head (defined, va 0x1800, 32 bytes), 2 weak
	 * undefined "gprof", 3 "__elf_phdr_info" (va 0x4000 in bss, 16). */
	memcpy(m->b + 0x1000 + 0x1100, "\0ta_head\0gprof\0__elf_phdr_info\0", 32);
	*sym(m, 1) = (struct sym){1, 0x11, 0, 5, 0x1800, 32};
	*sym(m, 2) = (struct sym){9, 0x20, 0, 0, 0, 0};
	*sym(m, 3) = (struct sym){15, 0x11, 0, 6, 0x4000, 16};
	/* Relocations: RELATIVE, ABS64 against ta_head, GLOB_DAT against the
	 * weak one; in .rela.got a RELATIVE into bss. */
	*rela(m, 0) = (struct rela){0x3100, 1027, 0x1800};
	*rela(m, 1) = (struct rela){0x3108, ((uint64_t)1 << 32) | 257, 8};
	*rela(m, 2) = (struct rela){0x3110, ((uint64_t)2 << 32) | 1025, 0};
	*rela(m, 3) = (struct rela){0x7ff8, 1027, 0x7000};
	*sh(m, SH_DYNSYM) = (struct shdr){0, 11, 2, 0x1000, 0x2000, 4 * 24, SH_DYNSTR, 1, 8, 24};
	*sh(m, SH_DYNSTR) = (struct shdr){0, 3, 2, 0x1100, 0x2100, 32, 0, 0, 1, 0};
	*sh(m, SH_RELADYN) = (struct shdr){0, 4, 2, 0x1200, 0x2200, 3 * 24, SH_DYNSYM, 0, 8, 24};
	*sh(m, SH_RELAGOT) = (struct shdr){0, 4, 2, 0x3200, 0x3200, 24, SH_DYNSYM, 0, 8, 24};
	*sh(m, SH_DYNAMIC) = (struct shdr){0, 6, 3, 0x3000, 0x3000, 4 * 16, SH_DYNSTR, 0, 8, 16};
}

static int parse(struct img *m, struct pie_image *p)
{
	uint8_t *buf = malloc(m->len ? m->len : 1);
	memcpy(buf, m->b, m->len);
	int rc = pie_parse(buf, m->len, SPAN_MAX, p);
	free(buf);
	return rc;
}

/* All relocations of an image pie_parse accepted; the first error or MT_OK. */
static int relocs(struct img *m, uint64_t where[8], uint64_t value[8], int absolute[8])
{
	struct pie_image p;
	int rc = parse(m, &p);
	if (rc != MT_OK)
		return rc;
	uint8_t *buf = malloc(m->len);
	memcpy(buf, m->b, m->len);
	for (uint64_t i = 0; i < pie_relocs(&p) && rc == MT_OK; i++)
		rc = pie_reloc(buf, m->len, &p, i, &where[i & 7], &value[i & 7], &absolute[i & 7]);
	free(buf);
	return rc;
}

static void test_valid(void)
{
	struct img *m = malloc(sizeof(*m));
	struct pie_image p;
	valid(m);
	CHECK_EQ(parse(m, &p), MT_OK);
	CHECK_EQ(p.img.nseg, 2);
	CHECK_EQ(p.span, 0x8000);
	CHECK_EQ(p.img.entry, 0x40);
	CHECK_EQ(p.img.seg[0].prot, MT_PROT_R | MT_PROT_X);
	CHECK_EQ(p.img.seg[1].prot, MT_PROT_R | MT_PROT_W);
	CHECK_EQ(p.nrel, 2);
	CHECK_EQ(pie_relocs(&p), 4);
	CHECK_EQ(p.phnum, 3);
	uint64_t va = 0, size = 0;
	CHECK_EQ(pie_symbol(m->b, m->len, &p, "ta_head", &va, &size), MT_OK);
	CHECK_EQ(va, 0x1800);
	CHECK_EQ(size, 32);
	CHECK_EQ(pie_symbol(m->b, m->len, &p, "__elf_phdr_info", &va, &size), MT_OK);
	CHECK_EQ(va, 0x4000);
	CHECK_EQ(pie_symbol(m->b, m->len, &p, "gprof", &va, &size), MT_ENOENT); /* undefined */
	CHECK_EQ(pie_symbol(m->b, m->len, &p, "ta_hea", &va, &size), MT_ENOENT);
	CHECK_EQ(pie_symbol(m->b, m->len, &p, "nothing", &va, &size), MT_ENOENT);
	uint8_t head[32];
	memset(m->b + 0x1000 + 0x1800, 0xa5, 32);
	CHECK_EQ(pie_read(m->b, m->len, &p, 0x1800, head, 32), MT_OK);
	CHECK(head[0] == 0xa5 && head[31] == 0xa5);
	CHECK_EQ(pie_read(m->b, m->len, &p, 0x1ff0, head, 32), MT_EINVAL); /* past text */
	CHECK_EQ(pie_read(m->b, m->len, &p, 0x4000, head, 16), MT_EINVAL); /* bss: no bytes */

	uint64_t where[8], value[8];
	int abs[8];
	CHECK_EQ(relocs(m, where, value, abs), MT_OK);
	CHECK(where[0] == 0x3100 && value[0] == 0x1800 && abs[0] == PIE_FIX_BASE);
	CHECK(where[1] == 0x3108 && value[1] == 0x1808 && abs[1] == PIE_FIX_BASE);
	CHECK(where[2] == 0x3110 && value[2] == 0 && abs[2] == PIE_FIX_ABS);
	CHECK(where[3] == 0x7ff8 && value[3] == 0x7000 && abs[3] == PIE_FIX_BASE);
	free(m);
}

#define BROKEN(what, want, ...)                                                                    \
	do {                                                                                       \
		struct img *m = malloc(sizeof(*m));                                                \
		struct pie_image p;                                                                \
		valid(m);                                                                          \
		__VA_ARGS__;                                                                       \
		int rc_ = parse(m, &p);                                                            \
		harness_check(rc_ == (want), __FILE__, __LINE__, what);                            \
		free(m);                                                                           \
	} while (0)

#define BAD_RELOC(what, want, ...)                                                                 \
	do {                                                                                       \
		struct img *m = malloc(sizeof(*m));                                                \
		uint64_t w_[8], v_[8];                                                             \
		int a_[8];                                                                         \
		valid(m);                                                                          \
		__VA_ARGS__;                                                                       \
		harness_check(relocs(m, w_, v_, a_) == (want), __FILE__, __LINE__, what);          \
		free(m);                                                                           \
	} while (0)

static void test_malformed(void)
{
	BROKEN("short file", MT_EINVAL, m->len = 63);
	BROKEN("not ELF", MT_EINVAL, m->b[1] = 'X');
	BROKEN("ET_EXEC", MT_EINVAL, eh(m)->type = 2);
	BROKEN("big endian", MT_EINVAL, m->b[5] = 2);
	BROKEN("other machine", MT_EINVAL, eh(m)->machine = 62);
	BROKEN("phentsize", MT_EINVAL, eh(m)->phentsize = 32);
	BROKEN("no phdrs", MT_EINVAL, eh(m)->phnum = 0);
	BROKEN("phdrs past the end", MT_EINVAL, eh(m)->phoff = LEN - 100);
	BROKEN("phoff wraps", MT_EINVAL, eh(m)->phoff = UINT64_MAX - 8);
	BROKEN("filesz > memsz", MT_EINVAL, ph(m, 1)->filesz = 0x6000);
	BROKEN("segment past the file", MT_EINVAL, ph(m, 1)->filesz = 0x2000,
	       ph(m, 1)->memsz = 0x5000);
	BROKEN("segment above the span", MT_EINVAL, ph(m, 1)->memsz = SPAN_MAX);
	BROKEN("vaddr wraps", MT_EINVAL, ph(m, 1)->vaddr = UINT64_MAX - 0x1000);
	BROKEN("offset and vaddr disagree", MT_EINVAL, ph(m, 1)->vaddr = 0x3100);
	BROKEN("W+X", MT_EINVAL, ph(m, 1)->flags = 7);
	BROKEN("not readable", MT_EINVAL, ph(m, 0)->flags = 1);
	BROKEN("overlapping pages", MT_EINVAL, ph(m, 1)->vaddr = 0x1000, ph(m, 1)->offset = 0x3000,
	       ph(m, 2)->vaddr = 0x1000);
	BROKEN("descending segments", MT_EINVAL, *ph(m, 0) = *ph(m, 1),
	       *ph(m, 1) = (struct phdr){1, 5, 0x1000, 0, 0, 0x2000, 0x2000, 0x1000});
	BROKEN("entry outside text", MT_EINVAL, eh(m)->entry = 0x3000);
	BROKEN("entry misaligned", MT_EINVAL, eh(m)->entry = 0x42);
	BROKEN("no PT_DYNAMIC", MT_EINVAL, ph(m, 2)->type = 6);
	BROKEN("two PT_DYNAMIC", MT_EINVAL, ph(m, 0)->type = 2);
	BROKEN("PT_DYNAMIC outside the file bytes", MT_EINVAL, ph(m, 2)->vaddr = 0x3f00,
	       ph(m, 2)->offset = 0x3f00, ph(m, 2)->filesz = 0x200);
	BROKEN("PT_DYNAMIC offset disagrees", MT_EINVAL, ph(m, 2)->offset = 0x3010);
	BROKEN("PT_DYNAMIC odd size", MT_EINVAL, ph(m, 2)->filesz = 20);
	BROKEN("RELAENT", MT_EINVAL, dyn(m, 0)->val = 16);
	BROKEN("SYMENT", MT_EINVAL, dyn(m, 1)->val = 16);
	BROKEN("PLTREL = REL", MT_EINVAL, *dyn(m, 2) = (struct dyn){20, 17});
	BROKEN("shentsize", MT_EINVAL, eh(m)->shentsize = 40);
	BROKEN("shdrs past the end", MT_EINVAL, eh(m)->shnum = 20);
	BROKEN("RELA section past the end", MT_EINVAL, sh(m, SH_RELAGOT)->size = 0x100000);
	BROKEN("RELA size not whole entries", MT_EINVAL, sh(m, SH_RELAGOT)->size = 25);
	BROKEN("RELA entsize", MT_EINVAL, sh(m, SH_RELAGOT)->entsize = 16);
	BROKEN("RELA offset wraps", MT_EINVAL, sh(m, SH_RELAGOT)->offset = UINT64_MAX - 10);
	BROKEN("dynsym past the end", MT_EINVAL, sh(m, SH_DYNSYM)->size = 0x100000 * 24);
	BROKEN("dynsym entsize", MT_EINVAL, sh(m, SH_DYNSYM)->entsize = 16);
	BROKEN("dynsym link out of range", MT_EINVAL, sh(m, SH_DYNSYM)->link = 40);
	BROKEN("dynsym link not a string table", MT_EINVAL, sh(m, SH_DYNSYM)->link = SH_RELADYN);
	BROKEN("dynstr past the end", MT_EINVAL, sh(m, SH_DYNSTR)->size = 0x100000);
	BROKEN("two dynsym", MT_EINVAL, *sh(m, SH_DYNAMIC) = *sh(m, SH_DYNSYM));
}

static void test_unsupported(void)
{
	BROKEN("DT_NEEDED without DT_STRTAB", MT_EINVAL, *dyn(m, 2) = (struct dyn){1, 1});
	BROKEN("three DT_NEEDED", MT_ENOSYS, *dyn(m, 0) = (struct dyn){1, 1},
	       *dyn(m, 1) = (struct dyn){1, 1}, *dyn(m, 2) = (struct dyn){1, 1});
	BROKEN("DT_TEXTREL", MT_ENOSYS, *dyn(m, 2) = (struct dyn){22, 0});
	BROKEN("DT_REL", MT_ENOSYS, *dyn(m, 2) = (struct dyn){17, 0x1200});
	BROKEN("SHT_REL", MT_ENOSYS, sh(m, SH_RELAGOT)->type = 9);
	BROKEN("PT_INTERP", MT_ENOSYS, *ph(m, 2) = (struct phdr){3, 4, 0, 0, 0, 0, 0, 0});
	BROKEN("PT_TLS", MT_ENOSYS, ph(m, 0)->type = 7, ph(m, 0)->memsz = 0);
}

/* A library it needs: DT_NEEDED names a string of .dynstr (DT_STRTAB). */
static void test_needed(void)
{
	struct img *m = malloc(sizeof(*m));
	struct pie_image p;
	valid(m);
	*dyn(m, 2) = (struct dyn){5, 0x1100}; /* DT_STRTAB */
	*dyn(m, 3) = (struct dyn){1, 9};      /* DT_NEEDED "gprof" */
	ph(m, 2)->filesz = ph(m, 2)->memsz = 5 * 16;
	CHECK_EQ(parse(m, &p), MT_OK);
	CHECK_EQ(p.nneeded, 1);
	CHECK_STR(pie_needed(m->b, &p, 0), "gprof");
	CHECK(pie_needed(m->b, &p, 1) == 0);
	dyn(m, 3)->val = 32; /* past the string table */
	CHECK_EQ(parse(m, &p), MT_EINVAL);
	dyn(m, 3)->val = 9;
	m->b[0x1000 + 0x1100 + 31] = 'x'; /* the last string loses its NUL */
	memset(m->b + 0x1000 + 0x1100 + 9, 'x', 23);
	CHECK_EQ(parse(m, &p), MT_EINVAL);
	valid(m);
	*dyn(m, 2) = (struct dyn){5, 0x1200}; /* DT_STRTAB is not the symbols' table */
	*dyn(m, 3) = (struct dyn){1, 9};
	ph(m, 2)->filesz = ph(m, 2)->memsz = 5 * 16;
	CHECK_EQ(parse(m, &p), MT_EINVAL);
	free(m);

	/* An undefined strong symbol: an import, by name, with its addend. */
	m = malloc(sizeof(*m));
	valid(m);
	sym(m, 2)->info = 0x10;
	rela(m, 2)->addend = 16;
	CHECK_EQ(parse(m, &p), MT_OK);
	uint64_t w, v;
	int k;
	CHECK_EQ(pie_reloc(m->b, m->len, &p, 2, &w, &v, &k), MT_OK);
	CHECK(w == 0x3110 && v == 16 && k == PIE_FIX_IMPORT);
	CHECK_STR(pie_reloc_symbol(m->b, &p, 2), "gprof");
	CHECK(pie_reloc_symbol(m->b, &p, 0) == 0); /* RELATIVE: no symbol */
	/* Exported symbols only: a local one is not found. */
	sym(m, 1)->info = 0x01;
	uint64_t va, sz;
	CHECK_EQ(pie_symbol(m->b, m->len, &p, "ta_head", &va, &sz), MT_ENOENT);
	free(m);
}

static void test_relocations(void)
{
	BAD_RELOC("target in no segment (gap)", MT_EINVAL, rela(m, 0)->offset = 0x2800);
	BAD_RELOC("target past the span", MT_EINVAL, rela(m, 0)->offset = 0x8000);
	BAD_RELOC("target straddles the end", MT_EINVAL, rela(m, 3)->offset = 0x7ffc);
	BAD_RELOC("target wraps", MT_EINVAL, rela(m, 0)->offset = UINT64_MAX - 3);
	BAD_RELOC("value past the image", MT_EINVAL, rela(m, 0)->addend = 0x8001);
	BAD_RELOC("value wraps below", MT_EINVAL, rela(m, 0)->addend = -8);
	BAD_RELOC("RELATIVE with a symbol", MT_EINVAL,
	          rela(m, 0)->info = ((uint64_t)1 << 32) | 1027);
	BAD_RELOC("ABS64 without a symbol", MT_EINVAL, rela(m, 1)->info = 257);
	BAD_RELOC("symbol index out of range", MT_EINVAL,
	          rela(m, 1)->info = ((uint64_t)9 << 32) | 257);
	BAD_RELOC("symbol outside the image", MT_EINVAL, sym(m, 1)->value = 0x9000);
	BAD_RELOC("import without a name", MT_EINVAL, sym(m, 2)->info = 0x10, sym(m, 2)->name = 0);
	BAD_RELOC("unknown type", MT_ENOSYS, rela(m, 0)->info = 1028 /* TLS_DTPMOD */);
	BAD_RELOC("R_AARCH64_NONE is fine", MT_OK, rela(m, 0)->info = 0,
	          rela(m, 0)->offset = 0x2800);

	/* Random relocations never give a target outside a segment or a value
	 * past the image. */
	uint64_t seed = 0x7574656570696531ULL;
	unsigned ok = 0, bad_target = 0;
	for (int n = 0; n < 20000; n++) {
		struct img *m = malloc(sizeof(*m));
		valid(m);
		struct rela *r = rela(m, (unsigned)(harness_rand(&seed) % 4));
		r->offset = harness_rand(&seed) % 0x10000;
		r->addend = (int64_t)(harness_rand(&seed) % 0x10000) - 0x800;
		static const uint32_t types[] = {0, 257, 1025, 1026, 1027, 1028};
		r->info = ((harness_rand(&seed) % 5) << 32) | types[harness_rand(&seed) % 6];
		struct pie_image p;
		if (parse(m, &p) == MT_OK) {
			for (uint64_t i = 0; i < pie_relocs(&p); i++) {
				uint64_t w, v;
				int a;
				if (pie_reloc(m->b, m->len, &p, i, &w, &v, &a) != MT_OK ||
				    w == UINT64_MAX)
					continue;
				int in = (w + 8 <= 0x2000) || (w >= 0x3000 && w + 8 <= 0x8000);
				if (!in || (a == PIE_FIX_BASE && v > p.span) ||
				    (a == PIE_FIX_ABS && v != 0))
					bad_target++;
				else
					ok++;
			}
		}
		free(m);
	}
	CHECK_EQ(bad_target, 0);
	CHECK(ok > 10000);
}

int main(void)
{
	test_valid();
	test_malformed();
	test_unsupported();
	test_needed();
	test_relocations();
	return harness_report("pie");
}
