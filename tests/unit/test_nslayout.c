/* monitor/nslayout.c: the checks on what the normal world gives the monitor
 * at boot (Image header, initrd and command-line sizes, QEMU's device tree
 * and RAM). Crafted headers must be refused; good ones laid out inside
 * normal RAM, in order, never touching secure RAM. A randomized run
 * compares every answer with a model in 128-bit arithmetic. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "monitor/nslayout.h"
#include "platform/qemu-virt/platform.h"

#define GIB 0x40000000ULL
#define MIB 0x100000ULL
#define KBASE (PLAT_NSRAM_BASE + 2 * MIB)

static uint8_t hdr[NS_IMAGE_HDR_SIZE];

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* An arm64 Image header with these fields. */
static const uint8_t *image(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(hdr, 0, sizeof(hdr));
	put64(hdr + 8, text_offset);
	put64(hdr + 16, image_size);
	put64(hdr + 24, flags);
	hdr[56] = 'A', hdr[57] = 'R', hdr[58] = 'M', hdr[59] = 0x64;
	return hdr;
}

/* Debian's 6.1 Image, roughly, in 1 GiB with a 2 MiB initrd. */
static struct ns_boot_in good(void)
{
	struct ns_boot_in in = {.ram_base = PLAT_NSRAM_BASE, .ram_size = GIB, .qdtb_size = 0x2000,
	                        .ksize = 32956352, .isize = 2044915, .clen = 28};
	in.hdr = image(0, 0x2010000, 0xa);
	return in;
}

static int plan(const struct ns_boot_in *in, struct ns_layout *out)
{
	const char *why = "unset";
	int r = ns_layout_plan(in, out, &why);
	if (r != 0)
		CHECK(why != 0 && strcmp(why, "unset") != 0); /* a refusal always says why */
	return r;
}

/* Everything a plan promises. */
static int plan_sound(const struct ns_boot_in *in, const struct ns_layout *l)
{
	uint64_t end = in->ram_base + in->ram_size;
	int ok = l->ram_end == end && l->load >= KBASE && (l->load & 0xfff) == 0 &&
	         l->kend > l->load && l->kend - l->load >= in->ksize && l->kend <= end &&
	         (l->dtb & (2 * MIB - 1)) == 0 && l->dtb_end - l->dtb == NS_DTB_MAX &&
	         l->dtb_end <= end && l->dtb >= l->kend;
	if (in->isize)
		ok = ok && (l->initrd & (2 * MIB - 1)) == 0 && l->initrd >= l->kend &&
		     l->initrd_end - l->initrd == in->isize && l->initrd_end <= l->dtb;
	else
		ok = ok && l->initrd == 0 && l->initrd_end == 0;
	/* Secure RAM and flash are below normal RAM: nothing planned reaches them. */
	ok = ok && l->load > PLAT_SRAM_BASE + PLAT_SRAM_SIZE && l->dtb > PLAT_SRAM_BASE + PLAT_SRAM_SIZE;
	return ok;
}

static void test_good_images(void)
{
	struct ns_layout l;
	struct ns_boot_in in = good();
	CHECK_EQ(plan(&in, &l), 0);
	CHECK(l.is_linux);
	CHECK_EQ(l.load, KBASE);
	CHECK_EQ(l.kend, KBASE + 0x2010000);
	CHECK_EQ(l.initrd, 0x42400000);
	CHECK_EQ(l.initrd_end, 0x42400000 + 2044915);
	CHECK_EQ(l.dtb, 0x42600000);
	CHECK(plan_sound(&in, &l));

	/* An older kernel: text_offset 0x80000. */
	in.hdr = image(0x80000, 0x1000000, 0);
	CHECK_EQ(plan(&in, &l), 0);
	CHECK_EQ(l.load, KBASE + 0x80000);
	CHECK(plan_sound(&in, &l));

	/* image_size 0 (before 3.17): the file plus 32 MiB is reserved. */
	in.hdr = image(0, 0, 0);
	CHECK_EQ(plan(&in, &l), 0);
	CHECK_EQ(l.kend, KBASE + in.ksize + 32 * MIB);
	CHECK(plan_sound(&in, &l));

	/* image_size below the file size: the file is what is reserved. */
	in.hdr = image(0, 4096, 0);
	CHECK_EQ(plan(&in, &l), 0);
	CHECK_EQ(l.kend, KBASE + in.ksize);

	/* No initrd: the tree follows the kernel. */
	in = good();
	in.isize = 0;
	CHECK_EQ(plan(&in, &l), 0);
	CHECK_EQ(l.dtb, 0x42400000);
	CHECK(plan_sound(&in, &l));

	/* Not an Image: raw at the kernel base (tests/nwtest). A file shorter
	 * than a header is raw even if the magic happens to be there. */
	in = good();
	hdr[56] = 'X';
	in.ksize = 40000;
	CHECK_EQ(plan(&in, &l), 0);
	CHECK(!l.is_linux);
	CHECK_EQ(l.load, KBASE);
	CHECK_EQ(l.kend, KBASE + 40000);
	in.hdr = image(0x100000000ULL, 0, 0);
	in.ksize = 63;
	CHECK_EQ(plan(&in, &l), 0);
	CHECK(!l.is_linux);
	in.hdr = 0;
	in.ksize = 4096;
	CHECK_EQ(plan(&in, &l), 0);
	CHECK(!l.is_linux);

	/* The longest command line. */
	in = good();
	in.clen = NS_CMDLINE_MAX - 1;
	CHECK_EQ(plan(&in, &l), 0);
}

static void test_crafted_headers(void)
{
	struct ns_layout l;
	struct ns_boot_in in = good();
	/* Huge sizes. */
	static const uint64_t huge[] = {UINT64_MAX, UINT64_MAX - 0xfff, 1ULL << 63, 1ULL << 32,
	                                GIB, GIB - 2 * MIB};
	for (unsigned i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		in.hdr = image(0, huge[i], 0);
		CHECK_EQ(plan(&in, &l), -1);
	}
	/* Wrapping: the attack. The end of the kernel wraps to the
	 * start of secure RAM, so that the tree would be written there. */
	in.hdr = image(0, 0 - KBASE + PLAT_SRAM_BASE, 0);
	CHECK_EQ(plan(&in, &l), -1);
	in.hdr = image(0, 0 - KBASE + PLAT_KERNEL_BASE, 0);
	CHECK_EQ(plan(&in, &l), -1);
	/* A text_offset that wraps the load address into secure RAM, or
	 * into RAM below the kernel base, or just past the end. */
	in.hdr = image(0 - (KBASE - PLAT_SRAM_BASE), 0x100000, 0);
	CHECK_EQ(plan(&in, &l), -1);
	in.hdr = image(0 - 2 * MIB, 0x100000, 0);
	CHECK_EQ(plan(&in, &l), -1);
	in.hdr = image(0xFFFFFFFFFFE00000ULL, 0x100000, 0);
	CHECK_EQ(plan(&in, &l), -1);
	in.hdr = image(GIB - 2 * MIB, 0x100000, 0);
	CHECK_EQ(plan(&in, &l), -1);
	/* Both wrapping together. */
	in.hdr = image(0x8000000000000000ULL, 0x8000000000000000ULL, 0);
	CHECK_EQ(plan(&in, &l), -1);
	/* Misaligned text_offset. */
	static const uint64_t mis[] = {1, 4, 0x800, 0x80001, 0x7ffff};
	for (unsigned i = 0; i < sizeof(mis) / sizeof(mis[0]); i++) {
		in.hdr = image(mis[i], 0x2000000, 0);
		CHECK_EQ(plan(&in, &l), -1);
	}
	/* Big-endian kernel. */
	in.hdr = image(0, 0x2000000, 1);
	CHECK_EQ(plan(&in, &l), -1);
	/* image_size 0 where the file plus 32 MiB does not fit. */
	in = good();
	in.ram_size = 64 * MIB;
	in.hdr = image(0, 0, 0);
	CHECK_EQ(plan(&in, &l), -1);
	/* Zero-length kernel. */
	in = good();
	in.ksize = 0;
	CHECK_EQ(plan(&in, &l), -1);
	/* A raw image bigger than RAM. */
	in.hdr = 0;
	in.ksize = 0xFFFFFFFFU;
	in.isize = 0;
	CHECK_EQ(plan(&in, &l), -1);
	in.ram_size = 8 * GIB;
	CHECK_EQ(plan(&in, &l), 0);
	CHECK(plan_sound(&in, &l));
}

static void test_sizes_and_ram(void)
{
	struct ns_layout l;
	struct ns_boot_in in = good();
	/* Initrd too big; command line too long. */
	in.isize = 0xFFFFFFFFU;
	CHECK_EQ(plan(&in, &l), -1);
	in = good();
	in.clen = NS_CMDLINE_MAX;
	CHECK_EQ(plan(&in, &l), -1);
	in.clen = 0xFFFFFFFFU;
	CHECK_EQ(plan(&in, &l), -1);

	/* The tree's buffer exactly at the end of RAM fits; a byte less of
	 * RAM does not. */
	in = good();
	in.ram_size = 0x42600000 + NS_DTB_MAX - PLAT_NSRAM_BASE;
	CHECK_EQ(plan(&in, &l), 0);
	CHECK_EQ(l.dtb_end, l.ram_end);
	in.ram_size--;
	CHECK_EQ(plan(&in, &l), -1);
	/* The initrd exactly up to a 2 MiB boundary. */
	in = good();
	in.isize = 2 * MIB;
	CHECK_EQ(plan(&in, &l), 0);
	CHECK_EQ(l.dtb, l.initrd_end);

	/* RAM itself. */
	const char *why;
	in = good();
	CHECK_EQ(ns_layout_check_ram(&in, &why), 0);
	in.ram_base = PLAT_SRAM_BASE;
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	CHECK_EQ(plan(&in, &l), -1);
	in.ram_base = 0;
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	in = good();
	in.ram_size = 0;
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	in.ram_size = UINT64_MAX;
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	in.ram_size = 0 - PLAT_NSRAM_BASE + PLAT_SRAM_BASE; /* wraps onto secure RAM */
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	in.ram_size = 2 * MIB - 1;
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	in.ram_size = 2 * MIB;
	CHECK_EQ(ns_layout_check_ram(&in, &why), 0);
	CHECK_EQ(plan(&in, &l), -1); /* but nothing fits in it */
	/* QEMU's tree: empty, or reaching the scratch page. */
	in = good();
	in.qdtb_size = 0;
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	in.qdtb_size = NS_SCRATCH_OFF + 1;
	CHECK_EQ(ns_layout_check_ram(&in, &why), -1);
	in.qdtb_size = NS_SCRATCH_OFF;
	CHECK_EQ(ns_layout_check_ram(&in, &why), 0);
}

/* ---- randomized, against a model without overflow ---- */

typedef unsigned __int128 u128;

static u128 up2m(u128 a)
{
	return (a + 2 * MIB - 1) & ~(u128)(2 * MIB - 1);
}

/* The rules in 128 bits, where nothing wraps: accept or not. */
static int model(const struct ns_boot_in *in)
{
	u128 base = in->ram_base, end = base + in->ram_size;
	if (in->ram_base != PLAT_NSRAM_BASE || in->ram_size == 0 || end >= ((u128)1 << 64) ||
	    in->ram_size < 2 * MIB || in->qdtb_size < 40 || in->qdtb_size > NS_SCRATCH_OFF ||
	    in->ksize == 0 || in->clen > NS_CMDLINE_MAX - 1)
		return -1;
	u128 load = base + 2 * MIB, reserve = in->ksize;
	if (in->hdr && in->ksize >= 64 && memcmp(in->hdr + 56, "ARM\x64", 4) == 0) {
		uint64_t to, is, fl;
		memcpy(&to, in->hdr + 8, 8); /* the host is little-endian, as the header */
		memcpy(&is, in->hdr + 16, 8);
		memcpy(&fl, in->hdr + 24, 8);
		if ((fl & 1) || (to & 0xfff))
			return -1;
		load += to;
		u128 s = is ? is : (u128)in->ksize + 32 * MIB;
		if (s > reserve)
			reserve = s;
	}
	u128 next = load + reserve;
	if (next > end)
		return -1;
	if (in->isize)
		next = up2m(next) + in->isize;
	if (up2m(next) + NS_DTB_MAX > end)
		return -1;
	return 0;
}

static uint64_t rnd64(void)
{
	uint64_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 16 ^ (uint64_t)(rand() & 0xffff);
	return v;
}

/* Mostly edge values: around 0, 2 MiB multiples, RAM and 2^64. */
static uint64_t edgy(void)
{
	static const uint64_t pts[] = {0, 1, 0x1000, 0x80000, 2 * MIB, 32 * MIB, GIB, 2 * GIB,
	                               1ULL << 32, 1ULL << 63, 0 - KBASE, 0 - KBASE + PLAT_SRAM_BASE,
	                               0 - 2 * MIB, UINT64_MAX};
	uint64_t p = pts[rand() % (int)(sizeof(pts) / sizeof(pts[0]))];
	switch (rand() % 4) {
	case 0: return p;
	case 1: return p + (uint64_t)(rand() % 8192) - 4096;
	case 2: return p + ((uint64_t)(rand() % 64) << 21);
	default: return rnd64();
	}
}

static void test_random(void)
{
	srand(13);
	unsigned accepted = 0, agreed = 0, sound = 0, said = 0;
	const unsigned n = 200000;
	for (unsigned i = 0; i < n; i++) {
		struct ns_boot_in in = good();
		in.ram_base = rand() % 16 ? PLAT_NSRAM_BASE : edgy();
		in.ram_size = rand() % 2 ? GIB : edgy();
		in.qdtb_size = rand() % 8 ? 0x2000 : (uint32_t)edgy();
		in.ksize = rand() % 2 ? in.ksize : (uint32_t)edgy();
		in.isize = rand() % 2 ? 0 : (uint32_t)edgy();
		in.clen = rand() % 8 ? 10 : (uint32_t)edgy();
		in.hdr = rand() % 8 ? image(edgy() & ~(rand() % 4 ? 0xfffULL : 0), edgy(),
		                            rand() % 8 ? 0 : edgy())
		                    : 0;
		struct ns_layout l;
		const char *why = 0;
		int r = ns_layout_plan(&in, &l, &why);
		if (r != model(&in) && agreed + 5 > i)
			fprintf(stderr, "disagree: plan %d: ram %llx+%llx q %x k %x i %x c %x hdr %d why %s\n", r,
			        (unsigned long long)in.ram_base, (unsigned long long)in.ram_size,
			        in.qdtb_size, in.ksize, in.isize, in.clen, in.hdr != 0, why);
		agreed += r == model(&in);
		said += r == 0 || why != 0;
		if (r == 0) {
			accepted++;
			sound += plan_sound(&in, &l);
		}
	}
	CHECK_EQ(agreed, n);
	CHECK_EQ(sound, accepted);
	CHECK_EQ(said, n); /* every refusal says why */
	CHECK(accepted > n / 50); /* the run did reach the accepting paths */
	CHECK(accepted < n / 2);
}

int main(void)
{
	test_good_images();
	test_crafted_headers();
	test_sizes_and_ram();
	test_random();
	return harness_report("nslayout");
}
