/* libFuzzer harness: common/bootfs.c bootfs_find over a fuzzed boot file
 * system. The input is one byte n, n bytes of a name to look up, then the
 * image; every entry's own name is looked up too. A hit must be the first
 * entry of that exact name and lie inside the image; a miss must be
 * justified. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bootfs.h"

/* A broken promise: say which, then abort (the fuzzer saves the input). */
static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_bootfs.c:%d: broken: %s\n", line, what);
	abort();
}
#define require(ok) ((ok) ? (void)0 : broken(#ok, __LINE__))

static size_t name_len(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

static const uint8_t *fs;
static size_t fs_len;

/* What bootfs_find should answer, from include/microtee/bootfs.h. */
static int model(const char *name, size_t n, size_t *off, size_t *len)
{
	struct bootfs_header h;
	if (fs_len < sizeof(h) || n == 0 || n >= BOOTFS_NAME_MAX)
		return MT_ENOENT;
	memcpy(&h, fs, sizeof(h));
	if (h.magic != BOOTFS_MAGIC || (uint64_t)h.count * sizeof(struct bootfs_entry) > fs_len - sizeof(h))
		return MT_ENOENT;
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		memcpy(&e, fs + sizeof(h) + (size_t)i * sizeof(e), sizeof(e));
		/* The name's n bytes (NULs included), then the entry's NUL. */
		if (memcmp(e.name, name, n) != 0 || e.name[n] != '\0')
			continue;
		/* The first entry of that name decides. */
		if ((uint64_t)e.offset + e.size > fs_len)
			return MT_ENOENT;
		*off = e.offset;
		*len = e.size;
		return MT_OK;
	}
	return MT_ENOENT;
}

static void lookup(const char *name, size_t n)
{
	/* The name in a buffer of exactly n bytes, as the kernel's copy is. */
	char *copy = malloc(n ? n : 1);
	memcpy(copy, name, n);
	const void *data = 0;
	size_t len = 0, moff = 0, mlen = 0;
	int rc = bootfs_find(copy, n, &data, &len);
	int mrc = model(copy, n, &moff, &mlen);
	free(copy);
	require(rc == mrc);
	if (rc == MT_OK) {
		require((const uint8_t *)data == fs + moff && len == mlen);
		require((const uint8_t *)data >= fs && len <= fs_len - (size_t)((const uint8_t *)data - fs));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 < data[0])
		return 0;
	size_t n = data[0];
	const char *name = (const char *)data + 1;
	fs = data + 1 + n;
	fs_len = size - 1 - n;
	bootfs_init(fs, fs_len);
	lookup(name, n);
	/* Each entry's own name (up to its NUL), as init and the kernel ask. */
	struct bootfs_header h;
	if (fs_len >= sizeof(h)) {
		memcpy(&h, fs, sizeof(h));
		for (uint32_t i = 0; i < h.count && i < 64; i++) {
			size_t at = sizeof(h) + (size_t)i * sizeof(struct bootfs_entry);
			if (at + sizeof(struct bootfs_entry) > fs_len)
				break;
			struct bootfs_entry e;
			memcpy(&e, fs + at, sizeof(e));
			lookup(e.name, name_len(e.name, sizeof(e.name)));
		}
	}
	bootfs_init(0, 0);
	return 0;
}
