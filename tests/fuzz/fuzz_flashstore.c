/* libFuzzer harness: services/storage/flashstore.c over a fuzzed chip
 * image (four blocks of 2 KiB: the input's first 8 KiB, the rest
 * erased), then the operations the input's remaining bytes name (three
 * bytes each). Promises checked:
 *   - mount answers FS_OK, FS_ECORRUPT or FS_ENOSPC (a small index), and
 *     never reads or writes outside the chip or its buffers (ASan);
 *   - after a mount, enumeration lists each owner's ids once, in order; a
 *     listed object's get succeeds (mount verified it), with the length stat
 *     gives and data that passes the integrity rule of fs_fuzz.h for that
 *     owner (the toy seal cannot be forged by the fuzzer, so data that
 *     passes it is data the seed builder or this harness wrote);
 *   - then puts, deletes and renames answer as a model of the objects says
 *     (a put may be refused for space; a delete or rename never is),
 *     gets return the model's data, and after a remount the store holds
 *     exactly the model's objects;
 *   - a power cut at a fuzzed word leaves a store that mounts, with the
 *     model's objects before or after the update cut short. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_fuzz.h"

static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_flashstore.c:%d: broken: %s\n", line, what);
	abort();
}
#define require(ok) ((ok) ? (void)0 : broken(#ok, __LINE__))

#define CAP 48
#define MAXOBJ (FZ_OWNERS * FZ_IDS)
#define DMAX 160

struct obj {
	int used;
	uint32_t len;
	uint8_t data[DMAX];
};
/* model[owner][id]; objects outside the harness's ids are not tracked. */
struct model {
	struct obj o[FZ_OWNERS][FZ_IDS];
	int extra[FZ_OWNERS]; /* objects with other ids (from the image) */
};

static struct fz_chip chip;
static struct fs_store st;
static struct fs_entry tab[CAP];
static uint8_t buf[FS_DATA_MAX];

static int known_id(const uint8_t *id, unsigned len)
{
	uint8_t k[FS_ID_MAX];
	for (unsigned n = 0; n < FZ_IDS; n++)
		if (fz_id(k, n) == len && memcmp(k, id, len) == 0)
			return (int)n;
	return -1;
}

static int id_less(const uint8_t *a, unsigned al, const uint8_t *b, unsigned bl)
{
	return al != bl ? al < bl : memcmp(a, b, al) < 0;
}

/* Reads the whole store into m, checking what it promises. */
static void snapshot(struct model *m)
{
	memset(m, 0, sizeof(*m));
	for (unsigned w = 0; w < FZ_OWNERS; w++) {
		uint8_t ow[FS_OWNER_LEN], id[FS_ID_MAX], prev[FS_ID_MAX];
		unsigned len = 0, plen = 0, count = 0;
		fz_owner(ow, w);
		while (fs_next(&st, ow, id, len, id, &len) == FS_OK) {
			require(len >= 1 && len <= FS_ID_MAX);
			require(count == 0 || id_less(prev, plen, id, len));
			require(++count <= CAP);
			memcpy(prev, id, len);
			plen = len;
			uint32_t sl = 0, gl = 0;
			require(fs_stat(&st, ow, id, len, &sl) == FS_OK);
			int rc = fs_get(&st, ow, id, len, buf, sizeof(buf), &gl);
			require(rc == FS_OK);
			require(gl == sl && gl <= FS_DATA_MAX);
			require(fz_rule(w, buf, gl));
			int n = known_id(id, len);
			if (n < 0 || gl > DMAX) {
				m->extra[w]++;
				continue;
			}
			m->o[w][n].used = 1;
			m->o[w][n].len = gl;
			memcpy(m->o[w][n].data, buf, gl);
		}
	}
}

static int same(const struct model *a, const struct model *b)
{
	for (unsigned w = 0; w < FZ_OWNERS; w++) {
		if (a->extra[w] != b->extra[w])
			return 0;
		for (unsigned n = 0; n < FZ_IDS; n++) {
			const struct obj *x = &a->o[w][n], *y = &b->o[w][n];
			if (x->used != y->used ||
			    (x->used && (x->len != y->len || memcmp(x->data, y->data, x->len))))
				return 0;
		}
	}
	return 1;
}

/* One operation; the model follows. Returns 0 if the power went. */
static int op(struct model *m, const uint8_t *p, struct model *after)
{
	unsigned kind = p[0] % 4, w = (p[0] >> 2) % FZ_OWNERS;
	unsigned a = p[1] % FZ_IDS, b = (p[1] >> 4) % FZ_IDS;
	uint32_t len = 4 + p[2] % (DMAX - 3);
	uint8_t ow[FS_OWNER_LEN], ia[FS_ID_MAX], ib[FS_ID_MAX], d[DMAX];
	fz_owner(ow, w);
	unsigned la = fz_id(ia, a), lb = fz_id(ib, b);
	struct obj *oa = &m->o[w][a], *ob = &m->o[w][b];
	*after = *m;
	int rc;
	switch (kind) {
	case 0:
		fz_data(d, len, w, p[2]);
		after->o[w][a].used = 1;
		after->o[w][a].len = len;
		memcpy(after->o[w][a].data, d, len);
		rc = fs_put(&st, ow, ia, la, d, len);
		require(rc == FS_OK || rc == FS_ENOSPC || rc == FS_EIO);
		break;
	case 1:
		after->o[w][a].used = 0;
		/* A deletion is a record too, and the margin keeps room for
		 * it: never FS_ENOSPC, whatever puts were refused before. */
		rc = fs_delete(&st, ow, ia, la);
		require(rc == (oa->used ? FS_OK : FS_ENOENT) || (oa->used && rc == FS_EIO));
		break;
	case 2: {
		int want = !oa->used ? FS_ENOENT : (ob->used || a == b) ? FS_EEXIST : FS_OK;
		after->o[w][a].used = 0;
		after->o[w][b] = *oa;
		rc = fs_rename(&st, ow, ia, la, ib, lb);
		/* (A rename always fits too: the margin.) */
		require(rc == want || (rc == FS_EIO && want == FS_OK));
		break;
	}
	default: {
		uint32_t gl = 0;
		rc = fs_get(&st, ow, ia, la, buf, sizeof(buf), &gl);
		if (chip.dead)
			return 0;
		require(rc == (oa->used ? FS_OK : FS_ENOENT));
		require(!oa->used || (gl == oa->len && memcmp(buf, oa->data, gl) == 0));
		return 1;
	}
	}
	if (rc == FS_EIO)
		return 0;
	if (rc == FS_OK)
		*m = *after;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_chip_init(&chip);
	size_t n = size < FZ_IMAGE ? size : FZ_IMAGE;
	memcpy(chip.mem, data, n);
	const uint8_t *script = data + n;
	size_t slen = size - n;
	int rc = fs_mount(&st, &chip.ops, tab, CAP);
	require(rc == FS_OK || rc == FS_ECORRUPT || rc == FS_ENOSPC);
	if (rc != FS_OK)
		return 0;
	static struct model m, after, now;
	snapshot(&m);
	/* The first script byte, if odd, cuts the power after b >> 1 word
	 * operations of what follows. */
	if (slen && script[0] & 1)
		chip.budget = script[0] >> 1;
	if (slen) {
		script++;
		slen--;
	}
	int cut = 0;
	for (size_t i = 0; i + 3 <= slen && i < 3 * 16; i += 3)
		if (!op(&m, script + i, &after)) {
			cut = 1;
			break;
		}
	cut |= chip.dead; /* the power went in a mount's write, or after the last word */
	chip.budget = -1;
	chip.dead = 0;
	rc = fs_mount(&st, &chip.ops, tab, CAP);
	require(rc == FS_OK);
	snapshot(&now);
	if (cut)
		require(same(&now, &m) || same(&now, &after));
	else
		require(same(&now, &m));
	return 0;
}
