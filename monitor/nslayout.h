/* Where the normal world's boot pieces go in normal RAM, and whether they
 * fit: the checks on every size and address the normal world (QEMU's
 * -kernel, -initrd, -append and its device tree) gives the monitor at boot.
 * Pure arithmetic, freestanding and allocation-free; also built on the host
 * for its unit test (tests/unit/test_nslayout.c).
 *
 * Layout (all in the first /memory range, which must start at
 * PLAT_NSRAM_BASE, where QEMU put its device tree):
 *   ram_base            QEMU's device tree, qdtb_size bytes
 *   ram_base + 2M - 4K  the monitor's scratch page (fw_cfg DMA descriptor)
 *   ram_base + 2M       kernel: an arm64 Image at + text_offset, reserving
 *                       max(image_size, file size); any other file is raw
 *   next 2 MiB boundary initrd (if any)
 *   next 2 MiB boundary the edited device tree, NS_DTB_MAX bytes
 * Every region lies inside [ram_base, ram_base + ram_size), the regions are
 * in this order and do not overlap, and none overlaps secure RAM. */
#ifndef MONITOR_NSLAYOUT_H
#define MONITOR_NSLAYOUT_H
#include <stdint.h>

#define NS_SZ_2M          0x200000ULL
#define NS_DTB_MAX        NS_SZ_2M /* Linux's limit for the blob */
#define NS_SCRATCH_OFF    (NS_SZ_2M - 0x1000ULL)
#define NS_KERNEL_OFF     NS_SZ_2M
#define NS_IMAGE_HDR_SIZE 64
#define NS_CMDLINE_MAX    2048 /* bytes with the final NUL, Linux's arm64 limit */
/* arm64 Image header (the kernel's Documentation/arm64/booting), little-endian. */
#define NS_IMAGE_MAGIC      0x644d5241U /* "ARM\x64" at offset 56 */
#define NS_IMAGE_FLAG_BE    1ULL        /* flags bit 0: big-endian kernel */
#define NS_IMAGE_NOSIZE_PAD (16 * NS_SZ_2M) /* reserve for image_size 0 (pre-3.17) */

/* What the monitor was given. */
struct ns_boot_in {
	uint64_t ram_base, ram_size; /* the first /memory range */
	uint32_t qdtb_size;          /* QEMU's device tree at ram_base (totalsize) */
	uint32_t ksize;              /* the -kernel file's size */
	const uint8_t *hdr;          /* its first NS_IMAGE_HDR_SIZE bytes, or 0 */
	uint32_t isize;              /* the -initrd file's size, 0 without */
	uint32_t clen;               /* the -append string's length (no NUL) */
};

/* Where everything goes: [start, end) ranges in normal RAM. */
struct ns_layout {
	int is_linux;               /* an arm64 Image (else a raw image) */
	uint64_t ram_end;
	uint64_t load, kend;        /* kernel: entered at load, reserved to kend */
	uint64_t initrd, initrd_end; /* equal when there is no initrd */
	uint64_t dtb, dtb_end;      /* the edited device tree's buffer */
};

/* Checks the RAM range and QEMU's tree alone (before the monitor uses its
 * scratch page). 0 if good, else -1 with *why saying what is wrong. */
int ns_layout_check_ram(const struct ns_boot_in *in, const char **why);
/* Checks everything and plans the layout: 0 with *out filled in, else -1
 * with *why set (and *out unusable). */
int ns_layout_plan(const struct ns_boot_in *in, struct ns_layout *out, const char **why);
#endif
