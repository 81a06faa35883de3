/* libFuzzer harness: common/elf.c elf_parse (and common/pie.c's checks, below), the checks the kernel and
 * init's TA loader run on an untrusted ELF file, over the user window both
 * use, and elf_build_id, which init's loader runs on the files it loads. Every image it accepts must keep the promises of common/elf.h; a
 * broken promise aborts, which the fuzzer reports like a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/elf.h"
#include "common/pie.h"

#define PAGE_DOWN(x) ((x) & ~(ELF_PAGE_SIZE - 1))
#define PAGE_UP(x) PAGE_DOWN((x) + ELF_PAGE_SIZE - 1)

/* A broken promise: say which, then abort (the fuzzer saves the input). */
static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_elf.c:%d: broken: %s\n", line, what);
	abort();
}
#define require(ok) ((ok) ? (void)0 : broken(#ok, __LINE__))

/* common/pie.c over the same bytes (init's loader for OP-TEE's TAs):
 * segments inside the span, every relocation's 8-byte target inside a
 * segment and its value inside the image, every symbol and read in bounds. */
#define PIE_SPAN 0x07000000UL
static void fuzz_pie(const uint8_t *data, size_t size)
{
	struct pie_image p;
	if (pie_parse(data, size, PIE_SPAN, &p) != MT_OK)
		return;
	require(p.img.nseg >= 1 && p.img.nseg <= ELF_MAX_SEGMENTS && p.span <= PIE_SPAN);
	for (unsigned i = 0; i < p.img.nseg; i++) {
		const struct elf_segment *s = &p.img.seg[i];
		require(s->filesz <= s->memsz && s->offset <= size && s->filesz <= size - s->offset);
		require(s->vaddr + s->memsz <= p.span);
		require((s->prot & (MT_PROT_W | MT_PROT_X)) != (MT_PROT_W | MT_PROT_X));
	}
	uint64_t va, sz;
	uint8_t head[32];
	for (unsigned i = 0; pie_needed(data, &p, i); i++)
		require(i < PIE_MAX_NEEDED);
	if (pie_symbol(data, size, &p, "ta_head", &va, &sz) == MT_OK)
		(void)pie_read(data, size, &p, va, head, sizeof(head));
	uint64_t n = pie_relocs(&p);
	for (uint64_t i = 0; i < n && i < 4096; i++) {
		uint64_t w, v;
		int a;
		if (pie_reloc(data, size, &p, i, &w, &v, &a) != MT_OK || w == UINT64_MAX)
			continue;
		int in = 0;
		for (unsigned k = 0; k < p.img.nseg; k++) {
			const struct elf_segment *s = &p.img.seg[k];
			in |= w >= s->vaddr && w + 8 <= s->vaddr + s->memsz;
		}
		require(in);
		require(a == PIE_FIX_IMPORT || (a == PIE_FIX_ABS ? v == 0 : v <= p.span));
		if (a == PIE_FIX_IMPORT)
			require(pie_reloc_symbol(data, &p, i) != 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_pie(data, size);
	struct elf_image img;
	const uint8_t *id;
	size_t id_len;
	/* libFuzzer's buffer is exactly `size` bytes: ASan sees any over-read. */
	if (elf_build_id(data, size, &id, &id_len) == MT_OK)
		require(id >= data && id_len <= size && (size_t)(id - data) <= size - id_len);
	if (elf_parse(data, size, MT_USER_BASE, MT_USER_HEAP, &img) != MT_OK)
		return 0;
	require(img.nseg >= 1 && img.nseg <= ELF_MAX_SEGMENTS);
	require((img.entry & 3) == 0);
	int entry_in_x = 0;
	for (unsigned i = 0; i < img.nseg; i++) {
		const struct elf_segment *s = &img.seg[i];
		require(s->memsz > 0 && s->filesz <= s->memsz);
		require(s->offset <= size && s->filesz <= size - s->offset);
		require(s->vaddr >= MT_USER_BASE && s->vaddr <= MT_USER_HEAP &&
			s->memsz <= MT_USER_HEAP - s->vaddr);
		require(s->prot & MT_PROT_R);
		require((s->prot & (MT_PROT_W | MT_PROT_X)) != (MT_PROT_W | MT_PROT_X));
		require((s->prot & ~(unsigned)(MT_PROT_R | MT_PROT_W | MT_PROT_X)) == 0);
		if (i > 0) {
			const struct elf_segment *p = &img.seg[i - 1];
			require(PAGE_DOWN(s->vaddr) >= PAGE_UP(p->vaddr + p->memsz));
		}
		if ((s->prot & MT_PROT_X) && img.entry >= s->vaddr && img.entry - s->vaddr < s->memsz)
			entry_in_x = 1;
	}
	require(entry_in_x);
	return 0;
}
