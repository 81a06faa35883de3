/* QEMU fw_cfg, MMIO interface: how the monitor learns its boot arguments. */
#include <stdint.h>

#include "../common/kstring.h"
#include "../platform/qemu-virt/platform.h"
#include "monitor.h"

#define FWCFG_DATA (PLAT_FWCFG_BASE + 0)
#define FWCFG_SEL (PLAT_FWCFG_BASE + 8)
#define FWCFG_SIG 0x0000
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
