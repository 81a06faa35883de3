/* The hardware-unique key in secure flash0's key area (its last 256 KiB,
 * one erase block), through the DEVMEM capability init granted: the first
 * page mapped read-write as Device memory, driven with the commands of
 * QEMU's CFI flash (pflash_cfi01, Intel command set; two 16-bit chips side
 * by side, so commands go to both halves of a 32-bit word and the service
 * uses 32-bit accesses only).
 *
 * The record (struct key_nv_record in key_ipc.h) is programmed once, on the
 * first boot of a device whose key area is blank (all zeros: a new image
 * file, or all ones: erased flash). A record that is neither blank nor
 * valid is never overwritten: the device has lost its identity, and that is
 * reported (NV_FAILED), not papered over with a new one.
 *
 * While the flash is out of read-array mode it answers every read of the
 * whole chip, firmware included, with status; so each operation ends with
 * read-array, and the service programs only at its start, before init
 * lets anything else load programs from the boot file system. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "keys.h"

#define CFI_PROGRAM      0x00400040U /* word program, then the data word */
#define CFI_ERASE        0x00200020U /* block erase, then confirm */
#define CFI_CONFIRM      0x00D000D0U
#define CFI_READ_ARRAY   0x00FF00FFU
#define CFI_READ_STATUS  0x00700070U
#define CFI_CLEAR_STATUS 0x00500050U
#define SR_READY         0x80U
#define SR_ERROR         0x3AU /* erase, program, Vpp and block-lock errors */

#define POLL_MAX 1000000

static volatile uint32_t *nv;

static int wait_ready(void)
{
	nv[0] = CFI_READ_STATUS;
	for (int i = 0; i < POLL_MAX; i++) {
		uint32_t sr = nv[0];
		if (sr & SR_READY) {
			nv[0] = CFI_CLEAR_STATUS;
			nv[0] = CFI_READ_ARRAY;
			return (sr & SR_ERROR) ? -1 : 0;
		}
	}
	nv[0] = CFI_READ_ARRAY;
	return -1;
}

static int erase_block(void)
{
	nv[0] = CFI_ERASE;
	nv[0] = CFI_CONFIRM;
	return wait_ready();
}

static int program(const void *data, size_t len)
{
	const uint8_t *p = data;
	for (size_t i = 0; i < len / 4; i++) {
		uint32_t w;
		memcpy(&w, p + 4 * i, 4);
		nv[i] = CFI_PROGRAM;
		nv[i] = w;
		if (wait_ready() != 0)
			return -1;
	}
	return 0;
}

static void read_record(struct key_nv_record *r)
{
	uint32_t w[sizeof(*r) / 4] = {0};
	nv[0] = CFI_READ_ARRAY;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		w[i] = nv[i];
	memcpy(r, w, sizeof(*r));
	keys_wipe(w, sizeof(w));
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

enum nv_state nv_huk(mt_handle_t nv_h, const uint8_t fresh[32], uint8_t huk[32])
{
	enum nv_state st = NV_FAILED;
	struct key_nv_record r;
	long rc = MT_SYS(SYS_DEVMEM_MAP, nv_h, KEYS_NV_VA, 0, MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W);
	if (rc != MT_OK) {
		printf("[keys] cannot map the key area: %ld\n", rc);
		return NV_FAILED;
	}
	nv = (volatile uint32_t *)KEYS_NV_VA;
	read_record(&r);
	if (record_valid(&r)) {
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
		if (erase_block() != 0 || program(&r, sizeof(r)) != 0) {
			printf("[keys] programming the key area failed\n");
		} else {
			/* Read back what the flash holds: that is the key. */
			read_record(&r);
			if (record_valid(&r) && memcmp(r.huk, fresh, 32) == 0) {
				memcpy(huk, r.huk, 32);
				st = NV_PROVISIONED;
			} else {
				printf(
				    "[keys] the key area does not read back what was programmed\n");
			}
		}
	}
	keys_wipe(&r, sizeof(r));
	nv[0] = CFI_READ_ARRAY;
	/* The page stays out of the address space but while it is used. */
	mt_mem_unmap(KEYS_NV_VA, MT_PAGE_SIZE);
	nv = 0;
	return st;
}
