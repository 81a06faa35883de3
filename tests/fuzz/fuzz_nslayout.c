/* libFuzzer harness: monitor/nslayout.c, the monitor's checks of the
 * normal world's boot sizes and the arm64 Image header. The input gives the
 * RAM range, QEMU's tree size, the kernel, initrd and command-line sizes and
 * the Image header's 64 bytes. A refusal must say why; an accepted plan must
 * keep every promise of monitor/nslayout.h, checked in 128-bit arithmetic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/nslayout.h"
#include "platform/qemu-virt/platform.h"

typedef unsigned __int128 u128;

/* A broken promise: say which, then abort (the fuzzer saves the input). */
static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_nslayout.c:%d: broken: %s\n", line, what);
	abort();
}
#define require(ok) ((ok) ? (void)0 : broken(#ok, __LINE__))

static uint64_t take(const uint8_t **p, size_t *left, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n && *left; i++, (*p)++, (*left)--)
		v |= (uint64_t)**p << (8 * i);
	return v;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t left = size;
	unsigned flags = (unsigned)take(&p, &left, 1);
	struct ns_boot_in in;
	memset(&in, 0, sizeof(in));
	/* Mostly the real base (anything else must be refused). */
	in.ram_base = (flags & 1) ? take(&p, &left, 8) : PLAT_NSRAM_BASE;
	in.ram_size = take(&p, &left, 8);
	in.qdtb_size = (uint32_t)take(&p, &left, 4);
	in.ksize = (uint32_t)take(&p, &left, 4);
	in.isize = (uint32_t)take(&p, &left, 4);
	in.clen = (uint32_t)take(&p, &left, 4);
	/* The header in a block of exactly its 64 bytes, when there is one. */
	uint8_t *hdr = 0;
	if (!(flags & 2) && left >= NS_IMAGE_HDR_SIZE) {
		hdr = malloc(NS_IMAGE_HDR_SIZE);
		memcpy(hdr, p, NS_IMAGE_HDR_SIZE);
		in.hdr = hdr;
	}

	const char *why_ram = 0, *why = 0;
	int ram = ns_layout_check_ram(&in, &why_ram);
	require(ram == 0 || (ram == -1 && why_ram && why_ram[0]));
	struct ns_layout l;
	int rc = ns_layout_plan(&in, &l, &why);
	require(rc == 0 || (rc == -1 && why && why[0]));
	if (ram != 0)
		require(rc != 0);
	if (rc == 0) {
		u128 base = in.ram_base, end = base + in.ram_size;
		require(in.ram_base == PLAT_NSRAM_BASE && in.ram_size >= NS_KERNEL_OFF);
		require(end > base);
		require((u128)l.ram_end == end);
		require(in.ksize > 0 && in.clen < NS_CMDLINE_MAX);
		/* Order, bounds and sizes. */
		require(base + in.qdtb_size <= base + NS_SCRATCH_OFF);
		require((u128)l.load >= base + NS_KERNEL_OFF && (l.load & 0xfff) == 0);
		require(l.kend > l.load && (u128)l.kend - l.load >= in.ksize);
		if (in.isize) {
			require((l.initrd & (NS_SZ_2M - 1)) == 0 && l.initrd >= l.kend);
			require((u128)l.initrd_end - l.initrd == in.isize);
		} else {
			require(l.initrd == 0 && l.initrd_end == 0);
		}
		uint64_t before_dtb = in.isize ? l.initrd_end : l.kend;
		require((l.dtb & (NS_SZ_2M - 1)) == 0 && l.dtb >= before_dtb);
		require((u128)l.dtb_end - l.dtb == NS_DTB_MAX && (u128)l.dtb_end <= end);
		/* Never secure RAM or flash. */
		require(l.load >= PLAT_SRAM_BASE + PLAT_SRAM_SIZE && l.load >= PLAT_FLASH0_BASE + PLAT_FLASH0_SIZE);
		/* An arm64 Image: what its header asked for. */
		require(l.is_linux == (hdr && in.ksize >= NS_IMAGE_HDR_SIZE && hdr[56] == 'A' &&
				       hdr[57] == 'R' && hdr[58] == 'M' && hdr[59] == 0x64));
		if (l.is_linux) {
			uint64_t text = le64(hdr + 8), isz = le64(hdr + 16), fl = le64(hdr + 24);
			require(!(fl & NS_IMAGE_FLAG_BE) && (text & 0xfff) == 0);
			require((u128)l.load == base + NS_KERNEL_OFF + text);
			u128 want = isz ? isz : (u128)in.ksize + NS_IMAGE_NOSIZE_PAD;
			if (want < in.ksize)
				want = in.ksize;
			require((u128)l.kend - l.load == want);
		} else {
			require((u128)l.load == base + NS_KERNEL_OFF && l.kend - l.load == in.ksize);
		}
	}
	free(hdr);
	return 0;
}
