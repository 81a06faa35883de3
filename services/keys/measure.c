/* Measurements of the firmware, taken once when the service starts, from
 * secure flash0 through the read-only DEVMEM capabilities init granted: the
 * monitor, the kernel and the boot file system as the kernel found them in
 * the image (kernel/main.c), and each program and TA image inside the boot
 * file system (include/microtee/bootfs.h). Each range is mapped read-only
 * while it is hashed, then unmapped. The boot file system is parsed with
 * every offset checked against the range it was read from. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "../../include/microtee/bootfs.h"
#include "keys.h"

struct meas meas[KEY_REPORT_MEAS_MAX];
unsigned nmeas;

struct range {
	const uint8_t *p;
	unsigned long base, size;
};

static int map_range(mt_handle_t h, struct range *r)
{
	unsigned long a[7] = {h};
	long rc = mt_syscall(SYS_DEVMEM_INFO, a);
	if (rc != MT_OK)
		return (int)rc;
	r->base = a[1];
	r->size = a[2];
	rc = MT_SYS(SYS_DEVMEM_MAP, h, KEYS_FW_VA, 0, r->size, MT_PROT_R);
	r->p = (const uint8_t *)KEYS_FW_VA;
	return (int)rc;
}

static void unmap_range(const struct range *r)
{
	mt_mem_unmap(KEYS_FW_VA, r->size);
}

static struct meas *add(uint32_t kind, const char *name, unsigned long offset, const uint8_t *p,
                        size_t size)
{
	if (nmeas == KEY_REPORT_MEAS_MAX)
		return 0;
	struct meas *m = &meas[nmeas++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->offset = (uint32_t)offset;
	m->size = (uint32_t)size;
	strncpy(m->name, name, sizeof(m->name) - 1);
	mbedtls_sha256(p, size, m->sha256, 0);
	return m;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int measure_bootfs(const struct range *r)
{
	struct bootfs_header h;
	if (r->size < sizeof(h))
		return -1;
	memcpy(&h, r->p, sizeof(h));
	if (h.magic != BOOTFS_MAGIC ||
	    h.count > (r->size - sizeof(h)) / sizeof(struct bootfs_entry))
		return -1;
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		memcpy(&e, r->p + sizeof(h) + i * sizeof(e), sizeof(e));
		e.name[sizeof(e.name) - 1] = '\0';
		if (e.offset > r->size || e.size > r->size - e.offset)
			return -1;
		if (!add(ends_with(e.name, ".ta") ? KEY_MEAS_TA : KEY_MEAS_PROGRAM, e.name,
		         r->base + e.offset, r->p + e.offset, e.size)) {
			printf("[keys] more than %u measurements: the rest are not reported\n",
			       (unsigned)KEY_REPORT_MEAS_MAX);
			return 0;
		}
	}
	return 0;
}

int measure_firmware(mt_handle_t mon, mt_handle_t kern, mt_handle_t fs)
{
	static const struct {
		uint32_t kind;
		const char *name;
	} regions[] = {{KEY_MEAS_MONITOR, "monitor"},
	               {KEY_MEAS_KERNEL, "kernel"},
	               {KEY_MEAS_BOOTFS, "bootfs"}};
	mt_handle_t h[] = {mon, kern, fs};
	nmeas = 0;
	for (unsigned i = 0; i < 3; i++) {
		struct range r = {0, 0, 0};
		int rc = map_range(h[i], &r);
		if (rc != MT_OK) {
			printf("[keys] cannot map the %s in flash: %d\n", regions[i].name, rc);
			return -1;
		}
		add(regions[i].kind, regions[i].name, r.base, r.p, r.size);
		if (regions[i].kind == KEY_MEAS_BOOTFS && measure_bootfs(&r) != 0) {
			printf("[keys] the boot file system is malformed\n");
			unmap_range(&r);
			return -1;
		}
		unmap_range(&r);
	}
	return 0;
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
