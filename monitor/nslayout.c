/* The normal world's boot layout and its checks (see nslayout.h). Every sum
 * is checked before it is formed: an address is always `base + offset`
 * with `offset <= end - base` established first, so nothing wraps. */
#include "nslayout.h"

#include "../platform/qemu-virt/platform.h"

/* Normal RAM starts at PLAT_NSRAM_BASE and does not wrap (checked below), so
 * it lies wholly above secure RAM and flash. */
_Static_assert(PLAT_NSRAM_BASE >= PLAT_SRAM_BASE + PLAT_SRAM_SIZE, "normal RAM above secure RAM");
_Static_assert(PLAT_NSRAM_BASE >= PLAT_FLASH0_BASE + PLAT_FLASH0_SIZE, "normal RAM above flash");

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int fail(const char **why, const char *msg)
{
	*why = msg;
	return -1;
}

/* [a, a + n) inside [lo, hi), given lo <= hi: without forming a + n. */
static int inside(uint64_t a, uint64_t n, uint64_t lo, uint64_t hi)
{
	return a >= lo && a <= hi && n <= hi - a;
}

/* The next 2 MiB boundary at or above a, if it is at most limit. */
static int align_2m(uint64_t a, uint64_t limit, uint64_t *out)
{
	uint64_t rem = a & (NS_SZ_2M - 1);
	uint64_t up = rem ? NS_SZ_2M - rem : 0;
	if (a > limit || up > limit - a)
		return -1;
	*out = a + up;
	return 0;
}

int ns_layout_check_ram(const struct ns_boot_in *in, const char **why)
{
	if (in->ram_base != PLAT_NSRAM_BASE)
		return fail(why, "normal RAM does not start where the device tree is");
	if (in->ram_size == 0 || in->ram_size > UINT64_MAX - in->ram_base)
		return fail(why, "normal RAM size is zero or wraps");
	if (in->ram_size < NS_KERNEL_OFF)
		return fail(why, "normal RAM smaller than 2 MiB");
	if (in->qdtb_size < 40 || in->qdtb_size > NS_SCRATCH_OFF)
		return fail(why, "QEMU's device tree is empty or reaches the monitor's scratch page");
	return 0;
}

int ns_layout_plan(const struct ns_boot_in *in, struct ns_layout *out, const char **why)
{
	if (ns_layout_check_ram(in, why) != 0)
		return -1;
	const uint64_t end = in->ram_base + in->ram_size;
	const uint64_t kbase = in->ram_base + NS_KERNEL_OFF;
	out->ram_end = end;
	if (in->ksize == 0)
		return fail(why, "empty kernel image");
	if (in->clen > NS_CMDLINE_MAX - 1)
		return fail(why, "command line longer than 2047 bytes");

	uint64_t text_offset = 0, reserve = in->ksize;
	out->is_linux = in->hdr && in->ksize >= NS_IMAGE_HDR_SIZE && le32(in->hdr + 56) == NS_IMAGE_MAGIC;
	if (out->is_linux) {
		uint64_t image_size = le64(in->hdr + 16), flags = le64(in->hdr + 24);
		text_offset = le64(in->hdr + 8);
		if (flags & NS_IMAGE_FLAG_BE)
			return fail(why, "Image header: big-endian kernel");
		if (text_offset & 0xfff)
			return fail(why, "Image header: text_offset not 4 KiB aligned");
		if (text_offset > end - kbase)
			return fail(why, "Image header: text_offset beyond normal RAM");
		if (image_size == 0) /* pre-3.17 kernels: no size given */
			image_size = (uint64_t)in->ksize + NS_IMAGE_NOSIZE_PAD;
		if (image_size > reserve)
			reserve = image_size;
	}
	out->load = kbase + text_offset;
	if (!inside(out->load, reserve, kbase, end))
		return fail(why, "kernel image (image_size or file size) does not fit in normal RAM");
	out->kend = out->load + reserve;

	uint64_t next = out->kend;
	if (in->isize) {
		if (align_2m(out->kend, end, &out->initrd) != 0 ||
		    !inside(out->initrd, in->isize, out->initrd, end))
			return fail(why, "initrd does not fit in normal RAM");
		out->initrd_end = out->initrd + in->isize;
		next = out->initrd_end;
	} else {
		out->initrd = out->initrd_end = 0;
	}
	if (align_2m(next, end, &out->dtb) != 0 || !inside(out->dtb, NS_DTB_MAX, out->dtb, end))
		return fail(why, "no room for the device tree in normal RAM");
	out->dtb_end = out->dtb + NS_DTB_MAX;
	if (!in->isize)
		out->initrd = out->initrd_end = out->dtb; /* empty, for the checks below */
	/* The order the layout promises, checked once more as a whole. */
	if (!(in->ram_base + in->qdtb_size <= in->ram_base + NS_SCRATCH_OFF &&
	      in->ram_base + NS_SCRATCH_OFF < kbase && kbase <= out->load && out->load < out->kend &&
	      out->kend <= out->initrd && out->initrd <= out->initrd_end &&
	      out->initrd_end <= out->dtb && out->dtb < out->dtb_end && out->dtb_end <= end))
		return fail(why, "layout check failed");
	if (!in->isize)
		out->initrd = out->initrd_end = 0;
	return 0;
}
