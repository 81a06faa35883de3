/* QEMU fw_cfg, MMIO interface: how the monitor learns its boot arguments.
 * Small items are read a byte at a time through the data register; the
 * normal-world kernel and initrd (tens of MiB) go through the DMA
 * interface, which copies a whole item in one register write. */
#include <stdint.h>

#include "../common/kstring.h"
#include "../platform/qemu-virt/platform.h"
#include "monitor.h"

#define FWCFG_DATA     (PLAT_FWCFG_BASE + 0)
#define FWCFG_SEL      (PLAT_FWCFG_BASE + 8)
#define FWCFG_DMA      (PLAT_FWCFG_BASE + 16)
#define FWCFG_ID       0x0001
#define FWCFG_ID_DMA   (1U << 1)
#define FWCFG_SIG      0x0000
#define FWCFG_FILE_DIR 0x0019

static void fw_select(uint16_t key)
{
	*(volatile uint16_t *)FWCFG_SEL = __builtin_bswap16(key);
}

static uint8_t fw_byte(void)
{
	return *(volatile uint8_t *)FWCFG_DATA;
}

static uint32_t fw_be32(void)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = (v << 8) | fw_byte();
	return v;
}

uint32_t fwcfg_item_u32(uint16_t key)
{
	fw_select(key);
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)fw_byte() << (8 * i); /* legacy items are little-endian */
	return v;
}

void fwcfg_read_item(uint16_t key, void *buf, uint32_t size)
{
	fw_select(key);
	for (uint32_t i = 0; i < size; i++)
		((uint8_t *)buf)[i] = fw_byte();
}

int fwcfg_read_file(const char *name, void *buf, uint32_t max, uint32_t *size)
{
	fw_select(FWCFG_SIG);
	if (fw_byte() != 'Q' || fw_byte() != 'E' || fw_byte() != 'M' || fw_byte() != 'U')
		return -1;
	fw_select(FWCFG_FILE_DIR);
	uint32_t count = fw_be32();
	size_t nlen = strlen(name);
	for (uint32_t i = 0; i < count && i < 4096; i++) {
		uint32_t fsize = fw_be32();
		uint16_t sel = (uint16_t)((fw_byte() << 8) | fw_byte());
		fw_byte();
		fw_byte();
		char fname[56];
		for (int j = 0; j < 56; j++)
			fname[j] = (char)fw_byte();
		if (nlen < sizeof(fname) && memcmp(fname, name, nlen + 1) == 0) {
			uint32_t n = fsize < max ? fsize : max;
			fw_select(sel);
			for (uint32_t j = 0; j < n; j++)
				((uint8_t *)buf)[j] = fw_byte();
			*size = n;
			return 0;
		}
	}
	return -1;
}

/* The DMA interface: the guest writes the (big-endian) physical address of
 * a descriptor to the DMA register; the device performs the transfer it
 * describes and clears `control` (or leaves the error bit set). The device
 * sees only the normal-world address space, so the descriptor and the
 * destination must be in normal RAM. */
struct fwcfg_dma_access {
	uint32_t control; /* big-endian, like the rest */
	uint32_t length;
	uint64_t address;
};
#define DMA_CTL_ERROR  0x01U
#define DMA_CTL_READ   0x02U
#define DMA_CTL_SKIP   0x04U
#define DMA_CTL_SELECT 0x08U

static volatile struct fwcfg_dma_access *dma_desc;

int fwcfg_dma_init(uint64_t desc_ns_addr)
{
	dma_desc = 0;
	if (!(fwcfg_item_u32(FWCFG_ID) & FWCFG_ID_DMA))
		return -1;
	dma_desc = (volatile struct fwcfg_dma_access *)desc_ns_addr;
	return 0;
}

static int dma_op(uint32_t control, uint64_t addr, uint32_t len)
{
	dma_desc->control = __builtin_bswap32(control);
	dma_desc->length = __builtin_bswap32(len);
	dma_desc->address = __builtin_bswap64(addr);
	__asm__ volatile("dsb sy" ::: "memory");
	*(volatile uint64_t *)FWCFG_DMA = __builtin_bswap64((uint64_t)(uintptr_t)dma_desc);
	__asm__ volatile("dsb sy" ::: "memory");
	uint32_t c;
	while ((c = __builtin_bswap32(dma_desc->control)) & ~DMA_CTL_ERROR)
		;
	return (c & DMA_CTL_ERROR) ? -1 : 0;
}

/* Reads `size` bytes of item `key`, starting `skip` bytes in, to normal-RAM
 * address dst. Falls back to the data register without DMA. */
int fwcfg_dma_read(uint16_t key, uint64_t skip, uint64_t dst, uint64_t size)
{
	if (!dma_desc) {
		fw_select(key);
		for (uint64_t i = 0; i < skip; i++)
			fw_byte();
		for (uint64_t i = 0; i < size; i++)
			((volatile uint8_t *)dst)[i] = fw_byte();
		return 0;
	}
	/* Select resets the item's offset; SKIP with no READ moves it. */
	if (dma_op((uint32_t)key << 16 | DMA_CTL_SELECT | (skip ? DMA_CTL_SKIP : 0), 0,
	           (uint32_t)skip) != 0)
		return -1;
	while (size) {
		uint32_t n = size > 0x40000000U ? 0x40000000U : (uint32_t)size;
		if (dma_op(DMA_CTL_READ, dst, n) != 0)
			return -1;
		dst += n;
		size -= n;
	}
	return 0;
}
