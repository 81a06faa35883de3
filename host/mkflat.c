/* mkflat ELF OUT: makes the flat image (include/microtee/flat.h) the kernel
 * loads init from. The ELF file is checked here, on the build host, with the
 * same code init's loader uses (common/elf.c); the result is checked with
 * the kernel's own check (common/flat.c) before it is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/elf.h"
#include "../common/flat.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	unsigned char *buf = 0;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n > 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
		    fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = 0;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s ELF OUT\n", argv[0]);
		return 2;
	}
	size_t len = 0;
	unsigned char *elf = slurp(argv[1], &len);
	struct elf_image img;
	if (!elf) {
		fprintf(stderr, "mkflat: cannot read %s\n", argv[1]);
		return 1;
	}
	if (elf_parse(elf, len, MT_USER_BASE, MT_USER_HEAP, &img) != MT_OK ||
	    img.nseg > MT_FLAT_MAX_SEGS) {
		fprintf(stderr, "mkflat: %s is not a program with at most %u segments\n", argv[1],
			MT_FLAT_MAX_SEGS);
		return 1;
	}
	struct mt_flat_header h = {.magic = MT_FLAT_MAGIC, .version = MT_FLAT_VERSION,
				   .nseg = img.nseg, .entry = img.entry};
	size_t total = sizeof(h);
	for (unsigned i = 0; i < img.nseg; i++) {
		const struct elf_segment *s = &img.seg[i];
		uint64_t pad = s->vaddr & (ELF_PAGE_SIZE - 1);
		h.seg[i] = (struct mt_flat_seg){.vaddr = s->vaddr - pad, .memsz = s->memsz + pad,
						.offset = (uint32_t)total,
						.filesz = (uint32_t)(s->filesz + pad), .prot = s->prot};
		total += s->filesz + pad;
	}
	unsigned char *out = calloc(1, total);
	if (!out)
		return 1;
	memcpy(out, &h, sizeof(h));
	for (unsigned i = 0; i < img.nseg; i++) {
		const struct elf_segment *s = &img.seg[i];
		uint64_t pad = s->vaddr & (ELF_PAGE_SIZE - 1);
		memcpy(out + h.seg[i].offset + pad, elf + s->offset, s->filesz);
	}
	struct mt_flat_header back;
	if (flat_check(out, total, MT_USER_BASE, MT_USER_HEAP, &back) != MT_OK) {
		fprintf(stderr, "mkflat: %s does not make a valid flat image\n", argv[1]);
		return 1;
	}
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(out, 1, total, f) != total || fclose(f) != 0) {
		fprintf(stderr, "mkflat: cannot write %s\n", argv[2]);
		return 1;
	}
	free(out);
	free(elf);
	return 0;
}
