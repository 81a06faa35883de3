/* common/bootfs.c: program lookup in the boot file system. Images live in
 * exact-size heap buffers, so reads past the end are caught by ASan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "common/bootfs.h"
#include "kernel/kernel.h"

#define MAXFILES 8

/* The in-memory form of an image; written out by build(). */
struct fs {
	struct bootfs_header h;
	struct bootfs_entry e[MAXFILES];
	unsigned nent; /* entries written (h.count may claim otherwise) */
	size_t size;
	uint8_t *img;
};

/* Files "init" (100 bytes), "echo" (7), "a-name-of-exactly-31-characters"
 * (1) and "empty" (0), data after the entry table. */
static void fs_valid(struct fs *fs)
{
	static const struct {
		const char *name;
		uint32_t size;
	} files[] = {
	    {"init", 100}, {"echo", 7}, {"a-name-of-exactly-31-characters", 1}, {"empty", 0}};
	memset(fs, 0, sizeof(*fs));
	fs->h.magic = BOOTFS_MAGIC;
	fs->nent = fs->h.count = ARRAY_SIZE(files);
	uint32_t off = sizeof(fs->h) + ARRAY_SIZE(files) * sizeof(struct bootfs_entry);
	for (unsigned i = 0; i < ARRAY_SIZE(files); i++) {
		strncpy(fs->e[i].name, files[i].name, BOOTFS_NAME_MAX);
		fs->e[i].offset = off;
		fs->e[i].size = files[i].size;
		off += files[i].size;
	}
	fs->size = off;
}

/* Lays the image out in a fresh buffer of exactly fs->size bytes, each file
 * filled with its index + 1, and hands it to bootfs_init. */
static void fs_load(struct fs *fs)
{
	fs->img = malloc(fs->size ? fs->size : 1);
	if (!fs->img)
		abort();
	size_t hdr = sizeof(fs->h) + fs->nent * sizeof(struct bootfs_entry);
	uint8_t *tmp = calloc(1, hdr > fs->size ? hdr : fs->size);
	memcpy(tmp, &fs->h, sizeof(fs->h));
	memcpy(tmp + sizeof(fs->h), fs->e, fs->nent * sizeof(struct bootfs_entry));
	for (unsigned i = 0; i < fs->nent; i++)
		for (uint64_t b = fs->e[i].offset;
		     b < (uint64_t)fs->e[i].offset + fs->e[i].size && b < fs->size; b++)
			tmp[b] = (uint8_t)(i + 1);
	memcpy(fs->img, tmp, fs->size);
	free(tmp);
	bootfs_init(fs->img, fs->size);
}

static void fs_unload(struct fs *fs)
{
	bootfs_init(0, 0);
	free(fs->img);
}

static int find(const char *name, const void **data, size_t *size)
{
	return bootfs_find(name, strlen(name), data, size);
}

/* Finds name; true if it is file i, whole and in place. */
static bool finds_file(const struct fs *fs, const char *name, unsigned i)
{
	const void *data = 0;
	size_t size = 12345;
	if (find(name, &data, &size) != MT_OK)
		return false;
	if (data != fs->img + fs->e[i].offset || size != fs->e[i].size)
		return false;
	for (size_t b = 0; b < size; b++)
		if (((const uint8_t *)data)[b] != i + 1)
			return false;
	return true;
}

static void test_lookup(void)
{
	struct fs fs;
	const void *data;
	size_t size;

	/* Nothing before init. */
	CHECK_EQ(find("init", &data, &size), MT_ENOENT);

	fs_valid(&fs);
	fs_load(&fs);
	CHECK(finds_file(&fs, "init", 0));
	CHECK(finds_file(&fs, "echo", 1));
	CHECK(finds_file(&fs, "a-name-of-exactly-31-characters", 2));
	CHECK(finds_file(&fs, "empty", 3));

	/* Only exact names: no prefixes, extensions, case changes. */
	data = 0;
	CHECK_EQ(find("ini", &data, &size), MT_ENOENT);
	CHECK(data == 0);
	CHECK_EQ(find("init2", &data, &size), MT_ENOENT);
	CHECK_EQ(find("INIT", &data, &size), MT_ENOENT);
	CHECK_EQ(find("missing", &data, &size), MT_ENOENT);
	CHECK_EQ(find("a-name-of-exactly-31-character", &data, &size), MT_ENOENT);
	/* The length decides, not a NUL in the caller's buffer. */
	CHECK_EQ(bootfs_find("initx", 4, &data, &size), MT_OK);
	CHECK_EQ(size, 100);
	CHECK_EQ(bootfs_find("init", 3, &data, &size), MT_ENOENT);
	/* Empty and over-long names. */
	CHECK_EQ(bootfs_find("init", 0, &data, &size), MT_ENOENT);
	CHECK_EQ(find("a-name-of-exactly-32-characters!", &data, &size), MT_ENOENT);
	char longname[200];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_EQ(find(longname, &data, &size), MT_ENOENT);
	fs_unload(&fs);

	/* An entry whose name fills all 32 bytes, no NUL: never matches, and
	 * the comparison stays inside the entry. */
	fs_valid(&fs);
	memset(fs.e[1].name, 'y', BOOTFS_NAME_MAX);
	fs_load(&fs);
	char ys[BOOTFS_NAME_MAX];
	memset(ys, 'y', sizeof(ys));
	CHECK_EQ(bootfs_find(ys, BOOTFS_NAME_MAX - 1, &data, &size), MT_ENOENT);
	CHECK(finds_file(&fs, "a-name-of-exactly-31-characters", 2));
	fs_unload(&fs);

	/* A 32-byte name whose next byte (the offset's low byte) is 0: a
	 * 32-character lookup must not read on into it and match. */
	fs_valid(&fs);
	memset(fs.e[1].name, 'y', BOOTFS_NAME_MAX);
	fs.e[1].offset = 0x100;
	fs_load(&fs);
	CHECK_EQ(bootfs_find(ys, BOOTFS_NAME_MAX, &data, &size), MT_ENOENT);
	fs_unload(&fs);

	/* An entry with an empty name is not found by an empty lookup. */
	fs_valid(&fs);
	memset(fs.e[1].name, 0, BOOTFS_NAME_MAX);
	fs_load(&fs);
	CHECK_EQ(bootfs_find("", 0, &data, &size), MT_ENOENT);
	CHECK(finds_file(&fs, "init", 0));
	fs_unload(&fs);

	/* Found from an unaligned image too. */
	fs_valid(&fs);
	fs_load(&fs);
	uint8_t *odd = malloc(fs.size + 1);
	memcpy(odd + 1, fs.img, fs.size);
	bootfs_init(odd + 1, fs.size);
	CHECK_EQ(find("echo", &data, &size), MT_OK);
	CHECK(data == odd + 1 + fs.e[1].offset && size == 7);
	free(odd);
	fs_unload(&fs);
}

static void test_bad_images(void)
{
	struct fs fs;
	const void *data;
	size_t size;

	/* Entries pointing past the end, directly or by 32-bit wrap-around. */
	fs_valid(&fs);
	fs.e[1].size = (uint32_t)(fs.size - fs.e[1].offset + 1);
	fs_load(&fs);
	CHECK_EQ(find("echo", &data, &size), MT_ENOENT);
	CHECK(finds_file(&fs, "init", 0)); /* the others are still fine */
	fs_unload(&fs);

	fs_valid(&fs);
	fs.e[1].size = (uint32_t)(fs.size - fs.e[1].offset); /* up to the last byte: fine */
	fs_load(&fs);
	CHECK_EQ(find("echo", &data, &size), MT_OK);
	CHECK_EQ(size, fs.size - fs.e[1].offset);
	fs_unload(&fs);

	static const uint32_t bad[][2] = {
	    {0xFFFFFFF0u, 0x20}, /* offset + size wraps to a small number */
	    {0x10, 0xFFFFFFF8u}, /* likewise */
	    {0xFFFFFFFFu, 1},    /* offset past the end */
	    {0xFFFFFFFFu, 0},    /* likewise, even for an empty file */
	    {1000, 0},           /* likewise, not by much */
	    {0, 0xFFFFFFFFu},    /* size past the end */
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		fs_valid(&fs);
		fs.e[0].offset = bad[i][0];
		fs.e[0].size = bad[i][1];
		fs_load(&fs);
		CHECK_EQ(find("init", &data, &size), MT_ENOENT);
		fs_unload(&fs);
	}
	/* An empty file right at the end is in bounds. */
	fs_valid(&fs);
	fs.e[0].offset = (uint32_t)fs.size;
	fs.e[0].size = 0;
	fs_load(&fs);
	CHECK_EQ(find("init", &data, &size), MT_OK);
	CHECK(data == fs.img + fs.size && size == 0);
	fs_unload(&fs);

	/* Counts larger than the image holds, up to the largest. The image
	 * has room for exactly five entries (the fifth all zero), and the files
	 * are emptied so they are in bounds. */
	static const uint32_t counts[] = {4, 5, 6, 1000, 0x7FFFFFFF, 0xFFFFFFFF};
	for (unsigned i = 0; i < ARRAY_SIZE(counts); i++) {
		fs_valid(&fs);
		fs.h.count = counts[i];
		fs.size = sizeof(fs.h) + 5 * sizeof(struct bootfs_entry);
		for (unsigned j = 0; j < fs.nent; j++)
			fs.e[j].offset = 0, fs.e[j].size = 0;
		fs_load(&fs);
		CHECK_EQ(find("missing", &data, &size), MT_ENOENT);
		CHECK_EQ(find("empty", &data, &size), counts[i] <= 5 ? MT_OK : MT_ENOENT);
		fs_unload(&fs);
	}

	/* Bad magic; an image too small for its header; a header alone. */
	fs_valid(&fs);
	fs.h.magic ^= 1;
	fs_load(&fs);
	CHECK_EQ(find("init", &data, &size), MT_ENOENT);
	fs_unload(&fs);
	for (size_t n = 0; n <= sizeof(fs.h); n++) {
		fs_valid(&fs);
		fs.h.count = 0;
		fs.size = n;
		fs_load(&fs);
		CHECK_EQ(find("init", &data, &size), MT_ENOENT);
		fs_unload(&fs);
	}
	/* Every truncation of a valid image: lookups never read past the end,
	 * and succeed exactly when the entry and its file are still there. */
	fs_valid(&fs);
	size_t full = fs.size;
	bool right = true;
	for (size_t n = 0; n < full; n++) {
		fs.size = n;
		fs_load(&fs);
		bool have_entries = n >= sizeof(fs.h) + 4 * sizeof(struct bootfs_entry);
		bool echo_in = fs.e[1].offset + fs.e[1].size <= n;
		right &= (find("echo", &data, &size) == MT_OK) == (have_entries && echo_in);
		right &= find("nothing", &data, &size) == MT_ENOENT;
		fs_unload(&fs);
	}
	CHECK(right);
}

int main(void)
{
	test_lookup();
	test_bad_images();
	return harness_report("bootfs");
}
