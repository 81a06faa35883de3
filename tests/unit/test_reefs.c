/* services/storage/reefs.c: the REE-FS backend, over a fake normal-world
 * file system (files in RAM, named as tee-supplicant names them), a real
 * flash store (flashstore.c) on a RAM flash as its anchor, and the toy seal
 * of fs_toy.h. Both the file system and the flash can lose power after any
 * operation (a write cut short keeps a prefix); the checks after each cut
 * reboot: mount the flash again, start the backend again, and require each
 * object to be exactly its old or its new contents, and no stray file to
 * survive the next use. Tampering is done the way Linux could: bits, sizes,
 * files copied over files, an older copy put back, a file removed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs_toy.h"
#include "harness.h"
#include "services/storage/flashstore.h"
#include "services/storage/reefs.h"

/* ---- power: shared by the flash and the file system ---- */

static long budget = -1; /* operations left before the power goes; < 0: never */
static int dead;         /* the power went: every operation fails until reboot */
static unsigned long nops;
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static int spend(void)
{
	if (dead)
		return -1;
	nops++;
	if (budget >= 0 && budget-- == 0) {
		dead = 1;
		return -1;
	}
	return 0;
}

/* ---- a RAM flash (NOR-like: programming clears bits) ---- */

#define NB 6
#define BS 8192
static uint8_t flash[NB * BS];

static int f_read(void *ctx, unsigned b, uint32_t off, void *dst, uint32_t len)
{
	(void)ctx;
	if (dead || b >= NB || off + len > BS)
		return -1;
	memcpy(dst, flash + (size_t)b * BS + off, len);
	return 0;
}

static int f_program(void *ctx, unsigned b, uint32_t off, const void *src, uint32_t len)
{
	(void)ctx;
	if (b >= NB || off + len > BS || spend())
		return -1;
	for (uint32_t i = 0; i < len; i++)
		flash[(size_t)b * BS + off + i] &= ((const uint8_t *)src)[i];
	return 0;
}

static int f_erase(void *ctx, unsigned b)
{
	(void)ctx;
	if (b >= NB || spend())
		return -1;
	memset(flash + (size_t)b * BS, 0xFF, BS);
	return 0;
}

static const struct fs_ops fops = {0,         BS,      NB,       TOY_OVERHEAD, f_read,
                                   f_program, f_erase, toy_seal, toy_unseal};

/* ---- the fake normal-world file system ---- */

#define NFILES   96
#define FILE_CAP (RF_FILE_MAX + 64)
struct file {
	int used;
	char name[RF_NAME_MAX];
	uint32_t len;
	uint8_t data[FILE_CAP];
};
static struct file files[NFILES];
static int fds[8];     /* open file: index + 1, or 0 */
static int dirs[4][2]; /* open directory: used, next file index */
static char dir_names[4][RF_NAME_MAX];
static int nw_up = 1; /* 0: no normal world (every call RF_ENOTAVAIL) */
static unsigned nw_calls;

static struct file *find(const char *name)
{
	for (int i = 0; i < NFILES; i++)
		if (files[i].used && strcmp(files[i].name, name) == 0)
			return &files[i];
	return 0;
}

static int nw_spend(void)
{
	nw_calls++;
	if (!nw_up)
		return RF_ENOTAVAIL;
	return spend() ? RF_ENOTAVAIL : 0;
}

static int n_open(void *ctx, const char *name, int create, uint32_t *fd)
{
	(void)ctx;
	int rc = nw_spend();
	if (rc)
		return rc;
	struct file *f = find(name);
	if (!f && !create)
		return FS_ENOENT;
	if (!f) {
		for (int i = 0; i < NFILES && !f; i++)
			if (!files[i].used)
				f = &files[i];
		if (!f)
			return FS_ENOSPC;
		f->used = 1;
		strcpy(f->name, name);
	}
	if (create)
		f->len = 0;
	for (uint32_t i = 0; i < 8; i++)
		if (!fds[i]) {
			fds[i] = (int)(f - files) + 1;
			*fd = i + 100;
			return 0;
		}
	return -9;
}

static struct file *by_fd(uint32_t fd)
{
	return fd >= 100 && fd < 108 && fds[fd - 100] ? &files[fds[fd - 100] - 1] : 0;
}

static int n_close(void *ctx, uint32_t fd)
{
	(void)ctx;
	if (!by_fd(fd))
		return -9;
	fds[fd - 100] = 0;
	return nw_spend();
}

static int n_read(void *ctx, uint32_t fd, uint64_t off, void *dst, uint32_t len, uint32_t *got)
{
	(void)ctx;
	int rc = nw_spend();
	struct file *f = by_fd(fd);
	if (rc || !f)
		return rc ? rc : -9;
	uint32_t n = off >= f->len ? 0 : f->len - (uint32_t)off;
	if (n > len)
		n = len;
	memcpy(dst, f->data + off, n);
	*got = n;
	return 0;
}

static int n_write(void *ctx, uint32_t fd, uint64_t off, const void *src, uint32_t len)
{
	(void)ctx;
	struct file *f = by_fd(fd);
	if (!f || off + len > FILE_CAP)
		return -9;
	if (nw_spend()) {
		if (dead && nw_up) { /* cut in the middle: a prefix landed */
			uint32_t part = len ? (uint32_t)(harness_rand(&rng) % len) : 0;
			memcpy(f->data + off, src, part);
			if (off + part > f->len)
				f->len = (uint32_t)off + part;
		}
		return RF_ENOTAVAIL;
	}
	memcpy(f->data + off, src, len);
	if (off + len > f->len)
		f->len = (uint32_t)(off + len);
	return 0;
}

static int n_remove(void *ctx, const char *name)
{
	(void)ctx;
	int rc = nw_spend();
	if (rc)
		return rc;
	struct file *f = find(name);
	if (!f)
		return FS_ENOENT;
	f->used = 0;
	return 0;
}

static int in_dir(const struct file *f, const char *dir)
{
	size_t n = strlen(dir);
	return f->used && strncmp(f->name, dir, n) == 0 && f->name[n] == '/';
}

static int n_opendir(void *ctx, const char *name, uint32_t *dir)
{
	(void)ctx;
	int rc = nw_spend();
	if (rc)
		return rc;
	int any = 0;
	for (int i = 0; i < NFILES; i++)
		any |= in_dir(&files[i], name);
	if (!any)
		return FS_ENOENT; /* the supplicant removes empty directories */
	for (uint32_t i = 0; i < 4; i++)
		if (!dirs[i][0]) {
			dirs[i][0] = 1;
			dirs[i][1] = 0;
			strcpy(dir_names[i], name);
			*dir = i;
			return 0;
		}
	return -9;
}

static int n_readdir(void *ctx, uint32_t dir, char *name, uint32_t cap)
{
	(void)ctx;
	int rc = nw_spend();
	if (rc)
		return rc;
	if (dir >= 4 || !dirs[dir][0])
		return -9;
	while (dirs[dir][1] < NFILES) {
		struct file *f = &files[dirs[dir][1]++];
		if (!in_dir(f, dir_names[dir]))
			continue;
		const char *base = f->name + strlen(dir_names[dir]) + 1;
		if (strlen(base) + 1 > cap)
			return -9;
		strcpy(name, base);
		return 0;
	}
	return FS_ENOENT;
}

static int n_closedir(void *ctx, uint32_t dir)
{
	(void)ctx;
	if (dir >= 4 || !dirs[dir][0])
		return -9;
	dirs[dir][0] = 0;
	return nw_spend();
}

static const struct rf_ops rops = {
    0,         n_open,     n_close,      n_read,       n_write,  n_remove,  n_opendir,
    n_readdir, n_closedir, TOY_OVERHEAD, TOY_OVERHEAD, toy_seal, toy_unseal};

/* ---- the store under test ---- */

static struct fs_store fs;
static struct fs_entry tab[128];
static struct rf_store rf;
static uint8_t buf[RF_DATA_MAX + 16], data[RF_DATA_MAX];
static uint64_t seed = 1;

static void owner(uint8_t o[16], unsigned n)
{
	memset(o, 0, 16);
	o[0] = 0xD2;
	o[15] = (uint8_t)(n + 1);
}

static void fill(uint8_t *p, uint32_t n, unsigned salt)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + salt * 7 + (i >> 8));
}

/* A new device: blank flash, no files. */
static void wipe(void)
{
	memset(flash, 0xFF, sizeof(flash));
	memset(files, 0, sizeof(files));
	memset(fds, 0, sizeof(fds));
	memset(dirs, 0, sizeof(dirs));
	budget = -1;
	dead = 0;
	nw_up = 1;
}

/* Power back: the RAM state is gone, the flash and the files stay. */
static int boot(void)
{
	budget = -1;
	dead = 0;
	memset(fds, 0, sizeof(fds));
	memset(dirs, 0, sizeof(dirs));
	int rc = fs_mount(&fs, &fops, tab, 128);
	if (rc == FS_OK)
		rc = rf_init(&rf, &rops, &fs, seed++ << 32);
	return rc;
}

static unsigned count_files(const uint8_t o[16])
{
	char dir[RF_NAME_MAX];
	rf_file_name(o, 0, dir);
	unsigned n = 0;
	for (int i = 0; i < NFILES; i++)
		n += in_dir(&files[i], dir);
	return n;
}

static struct file *file_of(const uint8_t o[16], const char *id)
{
	/* The entry says which: the only file of a one-object owner. */
	char dir[RF_NAME_MAX];
	rf_file_name(o, 0, dir);
	struct file *f = 0;
	(void)id;
	for (int i = 0; i < NFILES; i++)
		if (in_dir(&files[i], dir))
			f = f ? (struct file *)-1 : &files[i];
	return f == (struct file *)-1 ? 0 : f;
}

static int get(const uint8_t o[16], const char *id, uint32_t *len)
{
	return rf_get(&rf, o, id, (unsigned)strlen(id), buf, sizeof(buf), len);
}

static int has(const uint8_t o[16], const char *id, const uint8_t *want, uint32_t want_len)
{
	uint32_t len = 0;
	return get(o, id, &len) == FS_OK && len == want_len && memcmp(buf, want, len) == 0;
}

static int contains(const uint8_t *hay, uint32_t n, const uint8_t *needle, uint32_t m)
{
	for (uint32_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

/* ---- tests ---- */

static void test_basic(void)
{
	uint8_t a[16], b[16];
	owner(a, 0);
	owner(b, 1);
	wipe();
	CHECK_EQ(boot(), FS_OK);
	uint32_t len = 0;
	CHECK_EQ(get(a, "x", &len), FS_ENOENT);
	fill(data, sizeof(data), 1);
	CHECK_EQ(rf_put(&rf, a, "x", 1, data, 100), FS_OK);
	CHECK(has(a, "x", data, 100));
	CHECK_EQ(count_files(a), 1);
	/* The file: "<uuid>/<16 hex>", and holds no plaintext. */
	struct file *f = file_of(a, "x");
	CHECK(f && strncmp(f->name, "d2000000-0000-0000-0000-000000000001/", 37) == 0 &&
	      strlen(f->name) == 37 + 16);
	CHECK(f && f->len == sizeof(struct rf_header) + 100 + 2 * TOY_OVERHEAD);
	CHECK(f && !contains(f->data, f->len, data + 10, 16));
	/* Replaced: a new file, the old one gone. */
	char old_name[RF_NAME_MAX];
	strcpy(old_name, f ? f->name : "");
	CHECK_EQ(rf_put(&rf, a, "x", 1, data + 5, 9000), FS_OK);
	CHECK(has(a, "x", data + 5, 9000));
	CHECK_EQ(count_files(a), 1);
	CHECK(!find(old_name));
	CHECK_EQ(rf_stat(&rf, a, "x", 1, &len), FS_OK);
	CHECK_EQ(len, 9000);
	/* The caller's aux: kept in the directory entry's record. */
	uint32_t aux = 1;
	CHECK_EQ(rf_stat_aux(&rf, a, "x", 1, &len, &aux), FS_OK);
	CHECK(len == 9000 && aux == 0);
	CHECK_EQ(rf_put_aux(&rf, a, "y", 1, data, 300, 200), FS_OK);
	CHECK_EQ(rf_rename(&rf, a, "y", 1, "y2", 2), FS_OK);
	CHECK_EQ(boot(), FS_OK);
	CHECK_EQ(rf_stat_aux(&rf, a, "y2", 2, &len, &aux), FS_OK);
	CHECK(len == 300 && aux == 200);
	CHECK(has(a, "y2", data, 300));
	aux = 0;
	CHECK_EQ(rf_get_aux(&rf, a, "y2", 2, buf, sizeof(buf), &len, &aux), FS_OK);
	CHECK(len == 300 && aux == 200 && memcmp(buf, data, 300) == 0);
	CHECK_EQ(rf_delete(&rf, a, "y2", 2), FS_OK);
	CHECK_EQ(rf_get(&rf, a, "x", 1, buf, 8999, &len), FS_ESHORT);
	CHECK_EQ(len, 9000);
	/* Empty and largest objects; one byte more is refused. */
	CHECK_EQ(rf_put(&rf, a, "empty", 5, 0, 0), FS_OK);
	CHECK(has(a, "empty", data, 0));
	CHECK_EQ(rf_put(&rf, a, "big", 3, data, RF_DATA_MAX), FS_OK);
	CHECK(has(a, "big", data, RF_DATA_MAX));
	CHECK_EQ(rf_put(&rf, a, "big", 3, data, RF_DATA_MAX + 1), FS_EINVAL);
	CHECK(has(a, "big", data, RF_DATA_MAX));
	/* Isolation: the same id for another owner is another object, in
	 * another directory; a flash object of the same id is another one. */
	CHECK_EQ(get(b, "x", &len), FS_ENOENT);
	CHECK_EQ(rf_put(&rf, b, "x", 1, "bee", 3), FS_OK);
	CHECK(has(b, "x", (const uint8_t *)"bee", 3));
	CHECK(has(a, "x", data + 5, 9000));
	CHECK_EQ(count_files(b), 1);
	CHECK_EQ(fs_put(&fs, a, "x", 1, "flash", 5), FS_OK);
	CHECK(has(a, "x", data + 5, 9000));
	CHECK_EQ(fs_get(&fs, a, "x", 1, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == 5 && memcmp(buf, "flash", 5) == 0);
	/* Enumeration: the owner's REE ids only, each once. */
	uint8_t id[RF_ID_MAX], after[RF_ID_MAX];
	unsigned n = 0, al = 0, seen = 0, seen_x = 0;
	while (rf_next(&rf, a, after, al, id, &n) == FS_OK && seen < 10) {
		seen++;
		seen_x += n == 1 && id[0] == 'x';
		memcpy(after, id, n);
		al = n;
	}
	CHECK_EQ(seen, 3);
	CHECK_EQ(seen_x, 1);
	CHECK_EQ(rf_next(&rf, b, 0, 0, id, &n), FS_OK);
	CHECK(n == 1 && id[0] == 'x');
	CHECK_EQ(rf_next(&rf, b, "x", 1, id, &n), FS_ENOENT);
	/* Rename: the data follows, a taken id is refused, no file moves. */
	CHECK_EQ(rf_rename(&rf, a, "x", 1, "empty", 5), FS_EEXIST);
	CHECK_EQ(rf_rename(&rf, a, "x", 1, "y", 1), FS_OK);
	CHECK_EQ(get(a, "x", &len), FS_ENOENT);
	CHECK(has(a, "y", data + 5, 9000));
	CHECK_EQ(count_files(a), 3);
	/* Delete: the entry and the file. */
	CHECK_EQ(rf_delete(&rf, a, "y", 1), FS_OK);
	CHECK_EQ(rf_delete(&rf, a, "y", 1), FS_ENOENT);
	CHECK_EQ(get(a, "y", &len), FS_ENOENT);
	CHECK_EQ(count_files(a), 2);
	/* The empty id (GP allows it): an object of its own, the first in
	 * the order, renamed to and from, there after a reboot. */
	CHECK_EQ(rf_put(&rf, a, "", 0, "e0", 2), FS_OK);
	CHECK(has(a, "", (const uint8_t *)"e0", 2));
	CHECK_EQ(get(b, "", &len), FS_ENOENT);
	n = 99;
	CHECK_EQ(rf_next(&rf, a, 0, 0, id, &n), FS_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(rf_next(&rf, a, id, 0, id, &n), FS_OK);
	CHECK(n > 0);
	CHECK_EQ(rf_rename(&rf, a, "", 0, "e", 1), FS_OK);
	CHECK(has(a, "e", (const uint8_t *)"e0", 2));
	CHECK_EQ(get(a, "", &len), FS_ENOENT);
	CHECK_EQ(rf_rename(&rf, a, "e", 1, "", 0), FS_OK);
	CHECK_EQ(boot(), FS_OK);
	CHECK(has(a, "", (const uint8_t *)"e0", 2));
	CHECK_EQ(rf_delete(&rf, a, "", 0), FS_OK);
	CHECK_EQ(get(a, "", &len), FS_ENOENT);
	CHECK_EQ(count_files(a), 2);
	/* Bad arguments. */
	uint8_t nil[16] = {0}, id65[65];
	memset(id65, 'i', sizeof(id65));
	CHECK_EQ(rf_put(&rf, nil, "x", 1, data, 1), FS_EINVAL);
	CHECK_EQ(rf_put(&rf, a, 0, 0, data, 1), FS_EINVAL); /* an id needs a pointer */
	CHECK_EQ(rf_put(&rf, a, id65, 65, data, 1), FS_EINVAL);
	CHECK_EQ(rf_put(&rf, a, id65, 64, data, 1), FS_OK);
	CHECK(has(a, "empty", data, 0));
	/* After a reboot everything is there. */
	CHECK_EQ(boot(), FS_OK);
	CHECK(has(a, "big", data, RF_DATA_MAX));
	CHECK(has(b, "x", (const uint8_t *)"bee", 3));
}

static void test_no_normal_world(void)
{
	uint8_t a[16];
	owner(a, 2);
	wipe();
	CHECK_EQ(boot(), FS_OK);
	CHECK_EQ(rf_put(&rf, a, "k", 1, "old", 3), FS_OK);
	nw_up = 0;
	uint32_t len = 0;
	CHECK_EQ(rf_put(&rf, a, "k", 1, "new", 3), RF_ENOTAVAIL);
	CHECK_EQ(rf_put(&rf, a, "k2", 2, "new", 3), RF_ENOTAVAIL);
	CHECK_EQ(get(a, "k", &len), RF_ENOTAVAIL);
	/* What the flash alone knows still works. */
	CHECK_EQ(rf_stat(&rf, a, "k", 1, &len), FS_OK);
	CHECK_EQ(len, 3);
	CHECK_EQ(rf_stat(&rf, a, "k2", 2, &len), FS_ENOENT);
	nw_up = 1;
	CHECK(has(a, "k", (const uint8_t *)"old", 3));
	CHECK_EQ(count_files(a), 1);
}

/* Every kind of damage Linux can do to a file is CORRUPT, and nothing
 * else changes. */
static void test_tamper(void)
{
	uint8_t a[16], b[16];
	owner(a, 3);
	owner(b, 4);
	wipe();
	CHECK_EQ(boot(), FS_OK);
	fill(data, sizeof(data), 3);
	CHECK_EQ(rf_put(&rf, a, "t", 1, data, 10000), FS_OK); /* 3 blocks */
	struct file *f = file_of(a, "t");
	CHECK(f != 0);
	if (!f)
		return;
	static struct file saved, older;
	saved = *f;
	uint32_t len = 0;
	/* One flipped bit at many places of the file: every one caught. */
	unsigned flips = 0, caught = 0;
	for (uint32_t at = 0; at < saved.len; at += 37) {
		f->data[at] ^= (uint8_t)(1u << (at % 8));
		flips++;
		caught += get(a, "t", &len) == FS_ECORRUPT;
		*f = saved;
	}
	CHECK_EQ(caught, flips);
	CHECK(has(a, "t", data, 10000));
	/* Cut short (at each block boundary and by a byte), grown, emptied,
	 * removed. */
	uint32_t cuts[] = {saved.len - 1, saved.len - 100, sizeof(struct rf_header) + TOY_OVERHEAD,
	                   0, 1};
	for (unsigned i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		f->len = cuts[i];
		CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
		*f = saved;
	}
	f->data[f->len++] = 0;
	CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
	*f = saved;
	f->used = 0;
	CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
	*f = saved;
	CHECK(has(a, "t", data, 10000));
	/* Two data blocks of one file swapped (blocks 0 and 1 are both full). */
	uint32_t h = sizeof(struct rf_header) + TOY_OVERHEAD, bl = RF_BLOCK + TOY_OVERHEAD;
	uint8_t tmp[RF_BLOCK + TOY_OVERHEAD];
	memcpy(tmp, f->data + h, bl);
	memcpy(f->data + h, f->data + h + bl, bl);
	memcpy(f->data + h + bl, tmp, bl);
	CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
	*f = saved;
	/* Rollback: an older copy of the object put back in place of the new
	 * one (same size, so only the binding to the entry can tell). */
	older = *f;
	fill(data + 1, 10000, 9);
	CHECK_EQ(rf_put(&rf, a, "t", 1, data + 1, 10000), FS_OK);
	f = file_of(a, "t");
	CHECK(f != 0);
	if (!f)
		return;
	saved = *f;
	memcpy(f->data, older.data, older.len);
	f->len = older.len;
	CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
	/* ... and the whole old state of the directory back (the new file
	 * gone, the old one under its own name): the entry names the new. */
	*f = older;
	CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
	*f = saved;
	CHECK(has(a, "t", data + 1, 10000));
	/* Another object's file, of the same owner and of another. */
	CHECK_EQ(rf_put(&rf, a, "u", 1, data, 10000), FS_OK);
	CHECK_EQ(rf_put(&rf, b, "t", 1, data + 1, 10000), FS_OK);
	struct file *fb = file_of(b, "t");
	CHECK(fb != 0);
	if (fb) {
		memcpy(f->data, fb->data, fb->len);
		f->len = fb->len;
		CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
		*f = saved;
	}
	char dir[RF_NAME_MAX];
	rf_file_name(a, 0, dir);
	for (int i = 0; i < NFILES; i++)
		if (in_dir(&files[i], dir) && &files[i] != f) { /* u's file */
			memcpy(f->data, files[i].data, files[i].len);
			f->len = files[i].len;
			CHECK_EQ(get(a, "t", &len), FS_ECORRUPT);
			*f = saved;
		}
	CHECK(has(a, "t", data + 1, 10000));
}

/* A leftover of the same gen with other contents, the case the nonce is
 * for: two stores on copies of one flash commit different data under the
 * same gen; the file of one put in place of the other's is refused. */
static void test_same_gen(void)
{
	uint8_t a[16];
	owner(a, 5);
	wipe();
	CHECK_EQ(boot(), FS_OK);
	CHECK_EQ(rf_put(&rf, a, "s", 1, "base", 4), FS_OK);
	static uint8_t flash0[sizeof(flash)];
	static struct file files0[NFILES];
	memcpy(flash0, flash, sizeof(flash));
	memcpy(files0, files, sizeof(files));
	/* One history: "s" becomes 100 bytes of pattern 1 (a cut before its
	 * put would leave just this file; here it is committed on a copy). */
	fill(data, 100, 1);
	CHECK_EQ(rf_put(&rf, a, "s", 1, data, 100), FS_OK);
	struct file *f = file_of(a, "s");
	static struct file first;
	CHECK(f != 0);
	if (!f)
		return;
	first = *f;
	/* The other: from the same state, 100 bytes of pattern 2 under the
	 * same gen (the same head), in another run (another nonce seed). */
	memcpy(flash, flash0, sizeof(flash));
	memcpy(files, files0, sizeof(files));
	CHECK_EQ(boot(), FS_OK);
	fill(data, 100, 2);
	CHECK_EQ(rf_put(&rf, a, "s", 1, data, 100), FS_OK);
	f = file_of(a, "s");
	CHECK(f != 0 && strcmp(f->name, first.name) == 0 && f->len == first.len);
	if (!f)
		return;
	struct file second = *f;
	*f = first;
	uint32_t len = 0;
	CHECK_EQ(get(a, "s", &len), FS_ECORRUPT);
	*f = second;
	CHECK(has(a, "s", data, 100));
}

/* Power cuts at every operation of an update (flash programs and erases,
 * file calls): after each, the object is its old or its new contents,
 * and after the next use no stray file is left. */
static void cut_run(int kind, unsigned *points, unsigned *consistent)
{
	uint8_t a[16];
	owner(a, 6);
	static uint8_t oldd[RF_DATA_MAX], newd[RF_DATA_MAX];
	fill(oldd, sizeof(oldd), 11);
	fill(newd, sizeof(newd), 12);
	for (long k = 0;; k++) {
		wipe();
		CHECK_EQ(boot(), FS_OK);
		CHECK_EQ(rf_put(&rf, a, "obj", 3, oldd, 6000), FS_OK);
		CHECK_EQ(rf_put(&rf, a, "other", 5, oldd, 10), FS_OK);
		CHECK_EQ(boot(), FS_OK); /* a fresh run: the next use sweeps */
		budget = k;
		int rc;
		switch (kind) {
		case 0:
			rc = rf_put(&rf, a, "obj", 3, newd, 9000);
			break;
		case 1:
			rc = rf_delete(&rf, a, "obj", 3);
			break;
		case 2:
			rc = rf_rename(&rf, a, "obj", 3, "moved", 5);
			break;
		default:
			rc = rf_put(&rf, a, "fresh", 5, newd, 100);
			break;
		}
		int cut = dead;
		if (boot() != FS_OK) {
			CHECK(0);
			return;
		}
		if (!cut) { /* the update ran to the end with power to spare */
			CHECK_EQ(rc, FS_OK);
			break;
		}
		(*points)++;
		int old_state, new_state;
		uint32_t len = 0;
		switch (kind) {
		case 0:
			old_state = has(a, "obj", oldd, 6000);
			new_state = has(a, "obj", newd, 9000);
			break;
		case 1:
			old_state = has(a, "obj", oldd, 6000);
			new_state = get(a, "obj", &len) == FS_ENOENT;
			break;
		case 2:
			old_state = has(a, "obj", oldd, 6000) && get(a, "moved", &len) == FS_ENOENT;
			new_state = has(a, "moved", oldd, 6000) && get(a, "obj", &len) == FS_ENOENT;
			break;
		default:
			old_state = get(a, "fresh", &len) == FS_ENOENT && has(a, "obj", oldd, 6000);
			new_state = has(a, "fresh", newd, 100) && has(a, "obj", oldd, 6000);
			break;
		}
		int other_ok = has(a, "other", oldd, 10);
		/* The gets above swept: exactly one file per live object. */
		unsigned live = 0;
		uint8_t id[RF_ID_MAX], after[RF_ID_MAX];
		unsigned n = 0, al = 0;
		while (rf_next(&rf, a, after, al, id, &n) == FS_OK && live < 10) {
			live++;
			memcpy(after, id, n);
			al = n;
		}
		int no_strays = count_files(a) == live;
		if ((old_state || new_state) && other_ok && no_strays)
			(*consistent)++;
		else
			printf("reefs: cut %ld of update kind %d: old %d new %d other %d files %u "
			       "live %u\n",
			       k, kind, old_state, new_state, other_ok, count_files(a), live);
	}
}

static void test_power_cuts(void)
{
	unsigned points = 0, consistent = 0;
	for (int kind = 0; kind < 4; kind++)
		cut_run(kind, &points, &consistent);
	CHECK(points >= 20);
	CHECK_EQ(consistent, points);
	printf("# reefs: %u power-cut points, %u consistent\n", points, consistent);
}

/* Strays: a sweep removes every "<16 hex>" file no entry names, in batches,
 * and leaves other names alone. */
static void test_sweep(void)
{
	uint8_t a[16];
	owner(a, 7);
	wipe();
	CHECK_EQ(boot(), FS_OK);
	CHECK_EQ(rf_put(&rf, a, "keep", 4, "k", 1), FS_OK);
	for (unsigned i = 0; i < 50; i++) {
		char name[RF_NAME_MAX];
		rf_file_name(a, 0x1000 + i, name);
		uint32_t fd;
		CHECK_EQ(n_open(0, name, 1, &fd), 0);
		n_write(0, fd, 0, "junk", 4);
		n_close(0, fd);
	}
	char other[RF_NAME_MAX];
	rf_file_name(a, 0, other);
	strcat(other, "/notes.txt");
	uint32_t fd;
	CHECK_EQ(n_open(0, other, 1, &fd), 0);
	n_close(0, fd);
	CHECK_EQ(count_files(a), 52);
	CHECK_EQ(boot(), FS_OK);
	uint32_t len = 0;
	CHECK_EQ(get(a, "keep", &len), FS_OK); /* the first use sweeps */
	CHECK_EQ(rf.strays_removed, 50);
	CHECK_EQ(count_files(a), 2);
	CHECK(find(other) != 0);
	CHECK(has(a, "keep", (const uint8_t *)"k", 1));
	/* Only once per run. */
	unsigned calls = nw_calls;
	CHECK_EQ(get(a, "keep", &len), FS_OK);
	CHECK_EQ(nw_calls - calls, 3); /* open, read, close */
}

int main(void)
{
	test_basic();
	test_no_normal_world();
	test_tamper();
	test_same_gen();
	test_power_cuts();
	test_sweep();
	return harness_report("reefs");
}
