/* libFuzzer harness: common/elf.c elf_parse, the checks the kernel and
 * init's TA loader run on an untrusted ELF file, over the user window both
 * use, and elf_build_id, which init's loader runs on the files it loads. Every image it accepts must keep the promises of common/elf.h; a
 * broken promise aborts, which the fuzzer reports like a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/elf.h"

#define PAGE_DOWN(x) ((x) & ~(ELF_PAGE_SIZE - 1))
#define PAGE_UP(x) PAGE_DOWN((x) + ELF_PAGE_SIZE - 1)

/* A broken promise: say which, then abort (the fuzzer saves the input). */
static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_elf.c:%d: broken: %s\n", line, what);
	abort();
}
#define require(ok) ((ok) ? (void)0 : broken(#ok, __LINE__))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
