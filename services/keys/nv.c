/* The hardware-unique key in secure flash0's key area (its last erase
 * block, 256 KiB), through the flash driver (services/flash), which alone
 * drives the chip; the key service's badge there may read and write the
 * key area and nothing else of the non-volatile area.
 *
 * The record (struct key_nv_record in key_ipc.h) is programmed once, on the
 * first boot of a device whose key area is blank (all zeros: a new image
 * file, or all ones: erased flash). A record that is neither blank nor
 * valid is never overwritten: the device has lost its identity, and that is
 * reported (NV_FAILED), not papered over with a new one. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "../common/flash_client.h"
#include "keys.h"

static long read_record(mt_handle_t flash, struct key_nv_record *r, struct flash_buf *b)
{
	return flash_read(flash, FLASH_REGION_KEYS, 0, r, sizeof(*r), b);
}

static void record_check(const struct key_nv_record *r, uint8_t out[32])
{
	mbedtls_sha256((const uint8_t *)r, offsetof(struct key_nv_record, check), out, 0);
}

static int record_valid(const struct key_nv_record *r)
{
	uint8_t c[32];
	record_check(r, c);
	return r->magic == KEY_NV_MAGIC && r->version == KEY_NV_VERSION &&
	       memcmp(c, r->check, sizeof(c)) == 0;
}

static int blank(const struct key_nv_record *r)
{
	const uint8_t *p = (const uint8_t *)r;
	int zeros = 1, ones = 1;
	for (size_t i = 0; i < sizeof(*r); i++) {
		zeros &= p[i] == 0x00;
		ones &= p[i] == 0xFF;
	}
	return zeros || ones;
}

enum nv_state nv_huk(mt_handle_t flash, const uint8_t fresh[32], uint8_t huk[32])
{
	enum nv_state st = NV_FAILED;
	struct key_nv_record r;
	struct flash_buf b;
	if (flash_buf_init(&b, MT_PAGE_SIZE, KEYS_FLASH_VA) != MT_OK) {
		printf("[keys] no buffer for the flash driver\n");
		return NV_FAILED;
	}
	long rc = read_record(flash, &r, &b);
	if (rc != MT_OK) {
		printf("[keys] cannot read the key area: %ld\n", rc);
	} else if (record_valid(&r)) {
		memcpy(huk, r.huk, 32);
		st = NV_LOADED;
	} else if (!blank(&r)) {
		printf("[keys] the key area holds no valid key record: not overwriting it\n");
	} else {
		/* First boot of this device. */
		memset(&r, 0, sizeof(r));
		r.magic = KEY_NV_MAGIC;
		r.version = KEY_NV_VERSION;
		memcpy(r.huk, fresh, 32);
		record_check(&r, r.check);
		if (flash_erase(flash, FLASH_REGION_KEYS, 0) != MT_OK ||
		    flash_program(flash, FLASH_REGION_KEYS, 0, &r, sizeof(r), &b) != MT_OK) {
			printf("[keys] programming the key area failed\n");
		} else if (read_record(flash, &r, &b) == MT_OK && record_valid(&r) &&
			   memcmp(r.huk, fresh, 32) == 0) {
			/* What the flash holds is the key. */
			memcpy(huk, r.huk, 32);
			st = NV_PROVISIONED;
		} else {
			printf("[keys] the key area does not read back what was programmed\n");
		}
	}
	keys_wipe(&r, sizeof(r));
	keys_wipe(b.va, b.size);
	flash_buf_free(&b);
	return st;
}
