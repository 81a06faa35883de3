/* Measurements of the firmware, taken once when the service starts, from
 * secure flash0 through the flash driver (the key service's badge may read
 * the three firmware regions): the monitor, the kernel and the boot file
 * system as the kernel found them in the image (kernel/main.c), and each
 * program and TA image inside the boot file system
 * (include/microtee/bootfs.h). Each is hashed as it streams through a
 * 64 KiB buffer. The boot file system is parsed with every offset checked
 * against the region's size. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "../../include/microtee/bootfs.h"
#include "../common/flash_client.h"
#include "keys.h"

struct meas meas[KEY_REPORT_MEAS_MAX];
unsigned nmeas;

/* Hashing goes through a buffer of this size. */
#define MEAS_CHUNK (64 * 1024)
static struct flash_buf buf;

/* SHA-256 of the region's bytes [off, off + len). */
static long hash_range(mt_handle_t flash, unsigned region, uint64_t off, uint64_t len,
		       uint8_t out[32])
{
	mbedtls_sha256_context c;
	mbedtls_sha256_init(&c);
	long rc = mbedtls_sha256_starts(&c, 0) == 0 ? MT_OK : MT_EINVAL;
	while (rc == MT_OK && len) {
		size_t n = len < buf.size ? len : buf.size;
		rc = flash_read_shm(flash, region, off, n, buf.shm);
		if (rc == MT_OK && mbedtls_sha256_update(&c, buf.va, n) != 0)
			rc = MT_EINVAL;
		off += n, len -= n;
	}
	if (rc == MT_OK && mbedtls_sha256_finish(&c, out) != 0)
		rc = MT_EINVAL;
	mbedtls_sha256_free(&c);
	return rc;
}

static struct meas *add(mt_handle_t flash, uint32_t kind, const char *name, unsigned region,
                        unsigned long base, uint64_t off, size_t size)
{
	if (nmeas == KEY_REPORT_MEAS_MAX)
		return 0;
	struct meas *m = &meas[nmeas++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->offset = (uint32_t)(base + off);
	m->size = (uint32_t)size;
	strncpy(m->name, name, sizeof(m->name) - 1);
	if (hash_range(flash, region, off, size, m->sha256) != MT_OK) {
		nmeas--;
		return 0;
	}
	return m;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Each program and TA image in the boot file system, its offsets checked
 * against the region's size. */
static int measure_bootfs(mt_handle_t flash, unsigned long base, uint64_t size)
{
	struct bootfs_header h;
	if (size < sizeof(h) || flash_read_shm(flash, FLASH_REGION_BOOTFS, 0, sizeof(h), buf.shm) != MT_OK)
		return -1;
	memcpy(&h, buf.va, sizeof(h));
	if (h.magic != BOOTFS_MAGIC ||
	    h.count > (size - sizeof(h)) / sizeof(struct bootfs_entry))
		return -1;
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		if (flash_read_shm(flash, FLASH_REGION_BOOTFS, sizeof(h) + i * sizeof(e), sizeof(e),
		                   buf.shm) != MT_OK)
			return -1;
		memcpy(&e, buf.va, sizeof(e));
		e.name[sizeof(e.name) - 1] = '\0';
		if (e.offset > size || e.size > size - e.offset)
			return -1;
		if (nmeas == KEY_REPORT_MEAS_MAX) {
			printf("[keys] more than %u measurements: the rest are not reported\n",
			       (unsigned)KEY_REPORT_MEAS_MAX);
			return 0;
		}
		if (!add(flash, ends_with(e.name, ".ta") ? KEY_MEAS_TA : KEY_MEAS_PROGRAM, e.name,
		         FLASH_REGION_BOOTFS, base, e.offset, e.size))
			return -1;
	}
	return 0;
}

static int measure_all(mt_handle_t flash)
{
	static const struct {
		uint32_t kind;
		const char *name;
		unsigned region;
	} regions[] = {{KEY_MEAS_MONITOR, "monitor", FLASH_REGION_MONITOR},
	               {KEY_MEAS_KERNEL, "kernel", FLASH_REGION_KERNEL},
	               {KEY_MEAS_BOOTFS, "bootfs", FLASH_REGION_BOOTFS}};
	for (unsigned i = 0; i < 3; i++) {
		uint64_t size, block, base;
		long rc = flash_info(flash, regions[i].region, &size, &block, &base);
		if (rc != MT_OK || !add(flash, regions[i].kind, regions[i].name, regions[i].region,
		                        base, 0, size)) {
			printf("[keys] cannot read the %s in flash: %ld\n", regions[i].name, rc);
			return -1;
		}
		if (regions[i].kind == KEY_MEAS_BOOTFS && measure_bootfs(flash, base, size) != 0) {
			printf("[keys] the boot file system is malformed\n");
			return -1;
		}
	}
	return 0;
}

int measure_firmware(mt_handle_t flash)
{
	nmeas = 0;
	if (flash_buf_init(&buf, MEAS_CHUNK, KEYS_FLASH_VA) != MT_OK) {
		printf("[keys] no buffer to measure the firmware\n");
		return -1;
	}
	int rc = measure_all(flash);
	flash_buf_free(&buf);
	return rc;
}

const struct meas *measure_ta(const uint8_t uuid[16])
{
	static const char hex[] = "0123456789abcdef";
	char name[48], *p = name;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[uuid[i] >> 4];
		*p++ = hex[uuid[i] & 15];
	}
	strcpy(p, ".ta");
	for (unsigned i = 0; i < nmeas; i++)
		if (meas[i].kind == KEY_MEAS_TA && strcmp(meas[i].name, name) == 0)
			return &meas[i];
	return 0;
}
