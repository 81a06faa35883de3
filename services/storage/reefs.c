/* The REE-FS backend: objects in files of the normal world, each named by a
 * directory entry in the flash store (reefs.h has the format and the
 * rules). Nothing the normal world returns is believed: a file is read
 * whole into our buffer, its size must be exactly what the entry says, and
 * every blob must unseal under additional data we build ourselves. */
#include <string.h>

#include "reefs.h"

/* ---- names and keys ---- */

static const char hexd[] = "0123456789abcdef";

static char *put_hex(char *p, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		*p++ = hexd[b[i] >> 4];
		*p++ = hexd[b[i] & 15];
	}
	return p;
}

void rf_file_name(const uint8_t owner[FS_OWNER_LEN], uint64_t gen, char out[RF_NAME_MAX])
{
	/* The UUID as tee-supplicant and OP-TEE print it: 8-4-4-4-12. */
	static const unsigned groups[] = {4, 2, 2, 2, 6};
	char *p = out;
	const uint8_t *o = owner;
	for (unsigned g = 0; g < 5; g++) {
		if (g)
			*p++ = '-';
		p = put_hex(p, o, groups[g]);
		o += groups[g];
	}
	if (gen) {
		*p++ = '/';
		for (int i = 15; i >= 0; i--)
			*p++ = hexd[(gen >> (4 * i)) & 15];
	}
	*p = 0;
}

/* A directory's name as a gen: exactly 16 lowercase hex digits, not 0. */
static int parse_gen(const char *s, uint64_t *gen)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 16; i++) {
		const char *d = s[i] ? strchr(hexd, s[i]) : 0;
		if (!d)
			return 0;
		v = v << 4 | (uint64_t)(d - hexd);
	}
	if (s[16] || !v)
		return 0;
	*gen = v;
	return 1;
}

static int id_ok(const void *id, unsigned len)
{
	return id && len <= RF_ID_MAX; /* GP allows an empty id */
}

static void make_key(const void *id, unsigned id_len, uint8_t key[RF_KEY_LEN])
{
	memset(key, 0, RF_KEY_LEN);
	memcpy(key, id, id_len);
	key[RF_ID_MAX] = (uint8_t)id_len;
}

int rf_key_decode(const uint8_t *key, unsigned key_len, uint8_t *id, unsigned *id_len)
{
	if (key_len != RF_KEY_LEN || key[RF_ID_MAX] > RF_ID_MAX)
		return 0;
	unsigned n = key[RF_ID_MAX];
	for (unsigned i = n; i < RF_ID_MAX; i++)
		if (key[i])
			return 0;
	memcpy(id, key, n);
	*id_len = n;
	return 1;
}

/* ---- entries ---- */

static uint32_t nblocks_of(uint32_t len)
{
	return (len + RF_BLOCK - 1) / RF_BLOCK;
}

static uint32_t file_size(const struct rf_ops *ops, uint32_t len)
{
	return (uint32_t)sizeof(struct rf_header) + len +
	       (1 + nblocks_of(len)) * ops->seal_overhead;
}

/* The entry of (owner, key): FS_OK, FS_ENOENT, or FS_ECORRUPT for one that
 * does not make sense (the flash store sealed it, so it is ours: damage). */
static int dirent_get(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN],
                      const uint8_t key[RF_KEY_LEN], struct rf_dirent *d)
{
	uint32_t len = 0;
	int rc = fs_get(r->fs, owner, key, RF_KEY_LEN, d, sizeof(*d), &len);
	if (rc == FS_ESHORT)
		return FS_ECORRUPT;
	if (rc != FS_OK)
		return rc;
	if (len != sizeof(*d) || d->magic != RF_DMAGIC || d->version != RF_VERSION ||
	    d->tag_len != r->ops->tag_len || d->data_len > RF_DATA_MAX ||
	    d->nblocks != nblocks_of(d->data_len) || d->gen == 0)
		return FS_ECORRUPT;
	return FS_OK;
}

static void aad_of(struct rf_aad *a, uint32_t kind, uint64_t gen, uint32_t index, uint32_t data_len,
                   const uint8_t *tag, uint32_t tag_len)
{
	memset(a, 0, sizeof(*a));
	a->magic = RF_MAGIC;
	a->kind = kind;
	a->gen = gen;
	a->index = index;
	a->nblocks = nblocks_of(data_len);
	a->data_len = data_len;
	if (tag) {
		a->tag_len = tag_len;
		memcpy(a->tag, tag, tag_len);
	}
}

static int ops_ok(const struct rf_ops *o)
{
	return o && o->open && o->close && o->read && o->write && o->remove && o->opendir &&
	       o->readdir && o->closedir && o->seal && o->unseal &&
	       o->seal_overhead <= RF_SEAL_MAX && o->tag_len >= 1 && o->tag_len <= RF_TAG_MAX &&
	       o->tag_len <= o->seal_overhead;
}

int rf_init(struct rf_store *r, const struct rf_ops *ops, struct fs_store *fs, uint64_t nonce_seed)
{
	if (!r || !fs || !ops_ok(ops))
		return FS_EINVAL;
	memset(r, 0, sizeof(*r));
	r->ops = ops;
	r->fs = fs;
	r->nonce = nonce_seed;
	return FS_OK;
}

static int owner_ok(const uint8_t *owner)
{
	static const uint8_t zero[FS_OWNER_LEN];
	return owner && memcmp(owner, zero, FS_OWNER_LEN) != 0;
}

/* ---- files ---- */

/* Writes a whole file: created (truncated), one write, closed. */
static int file_write(struct rf_store *r, const char *name, const void *buf, uint32_t len)
{
	const struct rf_ops *o = r->ops;
	uint32_t fd = 0;
	int rc = o->open(o->ctx, name, 1, &fd);
	if (rc != FS_OK)
		return rc == FS_ENOENT ? RF_ENOTAVAIL : rc;
	rc = o->write(o->ctx, fd, 0, buf, len);
	int rc2 = o->close(o->ctx, fd);
	return rc != FS_OK ? rc : rc2;
}

/* Reads a whole file into r->file: *got bytes, at most RF_FILE_MAX. */
static int file_read(struct rf_store *r, const char *name, uint32_t want, uint32_t *got)
{
	const struct rf_ops *o = r->ops;
	uint32_t fd = 0;
	int rc = o->open(o->ctx, name, 0, &fd);
	if (rc != FS_OK)
		return rc;
	/* One byte more than it should hold, to see a file that grew. */
	uint32_t n = 0;
	rc = o->read(o->ctx, fd, 0, r->file, want + 1, &n);
	o->close(o->ctx, fd);
	if (rc != FS_OK)
		return rc;
	if (n > want + 1)
		return RF_ENOTAVAIL; /* the callback broke its contract */
	*got = n;
	return FS_OK;
}

/* Builds the file of (owner, gen, data) in r->file; its size in *size and
 * the header blob's tag in tag. */
static int file_build(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], uint64_t gen,
                      const uint8_t *data, uint32_t len, uint32_t *size, uint8_t tag[RF_TAG_MAX])
{
	const struct rf_ops *o = r->ops;
	struct rf_header h;
	struct rf_aad a;
	memset(&h, 0, sizeof(h));
	h.magic = RF_MAGIC;
	h.version = RF_VERSION;
	h.gen = gen;
	h.nonce = r->nonce++;
	h.data_len = len;
	h.nblocks = nblocks_of(len);
	aad_of(&a, RF_KIND_HEADER, gen, 0, len, 0, 0);
	uint32_t at = (uint32_t)sizeof(h) + o->seal_overhead;
	if (o->seal(o->ctx, owner, &a, sizeof(a), &h, sizeof(h), r->file) != 0)
		return FS_EIO;
	memcpy(tag, r->file + at - o->tag_len, o->tag_len);
	for (uint32_t i = 0; i < h.nblocks; i++) {
		uint32_t off = i * RF_BLOCK, n = len - off < RF_BLOCK ? len - off : RF_BLOCK;
		aad_of(&a, RF_KIND_DATA, gen, i + 1, len, tag, o->tag_len);
		if (o->seal(o->ctx, owner, &a, sizeof(a), data + off, n, r->file + at) != 0)
			return FS_EIO;
		at += n + o->seal_overhead;
	}
	*size = at;
	return FS_OK;
}

/* Checks the file of entry d (read whole into r->file, got bytes) and
 * opens its data into out. */
static int file_open(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN],
                     const struct rf_dirent *d, uint32_t got, uint8_t *out)
{
	const struct rf_ops *o = r->ops;
	struct rf_header h;
	struct rf_aad a;
	if (got != file_size(o, d->data_len))
		return FS_ECORRUPT; /* cut short, grown, or another file */
	uint32_t at = (uint32_t)sizeof(h) + o->seal_overhead;
	if (memcmp(r->file + at - o->tag_len, d->tag, o->tag_len) != 0)
		return FS_ECORRUPT; /* not the header the entry names */
	aad_of(&a, RF_KIND_HEADER, d->gen, 0, d->data_len, 0, 0);
	if (o->unseal(o->ctx, owner, &a, sizeof(a), r->file, at, &h) != 0)
		return FS_ECORRUPT;
	if (h.magic != RF_MAGIC || h.version != RF_VERSION || h.zero || h.gen != d->gen ||
	    h.data_len != d->data_len || h.nblocks != d->nblocks)
		return FS_ECORRUPT;
	for (uint32_t i = 0; i < h.nblocks; i++) {
		uint32_t off = i * RF_BLOCK,
		         n = h.data_len - off < RF_BLOCK ? h.data_len - off : RF_BLOCK;
		aad_of(&a, RF_KIND_DATA, d->gen, i + 1, d->data_len, d->tag, o->tag_len);
		if (o->unseal(o->ctx, owner, &a, sizeof(a), r->file + at, n + o->seal_overhead,
		              out + off) != 0)
			return FS_ECORRUPT;
		at += n + o->seal_overhead;
	}
	return FS_OK;
}

static void file_remove(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], uint64_t gen)
{
	char name[RF_NAME_MAX];
	rf_file_name(owner, gen, name);
	r->ops->remove(r->ops->ctx, name); /* a failure leaves a stray for a sweep */
}

/* ---- the sweep ---- */

static int swept(const struct rf_store *r, const uint8_t owner[FS_OWNER_LEN])
{
	for (unsigned i = 0; i < r->nswept; i++)
		if (memcmp(r->swept[i], owner, FS_OWNER_LEN) == 0)
			return 1;
	return 0;
}

static void mark_swept(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN])
{
	memcpy(r->swept[r->swept_next], owner, FS_OWNER_LEN);
	r->swept_next = (r->swept_next + 1) % RF_SWEPT_MAX;
	if (r->nswept < RF_SWEPT_MAX)
		r->nswept++;
}

/* The gens of the owner's live files into r->gens: their count, or an
 * error (too many to tell apart: FS_ENOSPC, and nothing is removed). */
static int live_gens(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], unsigned *n)
{
	uint8_t key[FS_ID_MAX], next[FS_ID_MAX];
	unsigned key_len = RF_ID_MAX, next_len = 0;
	memset(key, 0xFF, RF_ID_MAX); /* after every key of GP's lengths */
	*n = 0;
	for (;;) {
		int rc = fs_next(r->fs, owner, key, key_len, next, &next_len);
		if (rc == FS_ENOENT)
			return FS_OK;
		if (rc != FS_OK)
			return rc;
		memcpy(key, next, next_len);
		key_len = next_len;
		if (key_len != RF_KEY_LEN)
			continue;
		struct rf_dirent d;
		rc = dirent_get(r, owner, key, &d);
		if (rc != FS_OK)
			return rc;
		if (*n == RF_SWEEP_GENS)
			return FS_ENOSPC;
		r->gens[(*n)++] = d.gen;
	}
}

int rf_sweep(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN])
{
	const struct rf_ops *o = r->ops;
	char dir_name[RF_NAME_MAX];
	unsigned nlive = 0;
	if (!owner_ok(owner))
		return FS_EINVAL;
	int rc = live_gens(r, owner, &nlive);
	if (rc != FS_OK)
		return rc;
	rf_file_name(owner, 0, dir_name);
	/* Passes over the directory, each collecting a batch of strays and
	 * removing them after closing it; until a pass finds fewer than a
	 * batch. */
	for (;;) {
		uint32_t dir = 0;
		unsigned nstray = 0;
		rc = o->opendir(o->ctx, dir_name, &dir);
		if (rc == FS_ENOENT)
			break; /* no directory: no files */
		if (rc != FS_OK)
			return rc;
		char name[RF_NAME_MAX];
		while (nstray < RF_SWEEP_BATCH &&
		       (rc = o->readdir(o->ctx, dir, name, sizeof(name))) == FS_OK) {
			uint64_t gen;
			name[RF_NAME_MAX - 1] = 0;
			if (!parse_gen(name, &gen))
				continue; /* not one of ours: left alone */
			int live = 0;
			for (unsigned i = 0; i < nlive && !live; i++)
				live = r->gens[i] == gen;
			if (!live)
				memcpy(r->names[nstray++], name, RF_NAME_MAX);
		}
		o->closedir(o->ctx, dir);
		if (rc != FS_OK && rc != FS_ENOENT)
			return rc;
		for (unsigned i = 0; i < nstray; i++) {
			uint64_t gen = 0;
			parse_gen(r->names[i], &gen);
			char full[RF_NAME_MAX];
			rf_file_name(owner, gen, full);
			if (o->remove(o->ctx, full) == FS_OK)
				r->strays_removed++;
		}
		if (nstray < RF_SWEEP_BATCH)
			break;
	}
	mark_swept(r, owner);
	return FS_OK;
}

/* The first use of an owner's files since rf_init sweeps them; a sweep
 * that fails is tried at the next use. */
static void sweep_once(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN])
{
	if (!swept(r, owner))
		rf_sweep(r, owner);
}

/* ---- objects ---- */

int rf_put(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
           const void *data, uint32_t len)
{
	return rf_put_aux(r, owner, id, id_len, data, len, 0);
}

int rf_put_aux(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
               unsigned id_len, const void *data, uint32_t len, uint32_t aux)
{
	uint8_t key[RF_KEY_LEN];
	struct rf_dirent old, d;
	char name[RF_NAME_MAX];
	if (!owner_ok(owner) || !id_ok(id, id_len) || len > RF_DATA_MAX || (len && !data))
		return FS_EINVAL;
	sweep_once(r, owner);
	make_key(id, id_len, key);
	int rc = dirent_get(r, owner, key, &old);
	int had = rc == FS_OK;
	if (rc != FS_OK && rc != FS_ENOENT)
		return rc;
	/* A gen no live file has: each commit raises the head past its own. */
	uint64_t gen = fs_head(r->fs) + 1;
	memset(&d, 0, sizeof(d));
	d.magic = RF_DMAGIC;
	d.version = RF_VERSION;
	d.tag_len = (uint16_t)r->ops->tag_len;
	d.gen = gen;
	d.data_len = len;
	d.nblocks = nblocks_of(len);
	uint32_t size = 0;
	if ((rc = file_build(r, owner, gen, data, len, &size, d.tag)) != FS_OK)
		return rc;
	rf_file_name(owner, gen, name);
	if ((rc = file_write(r, name, r->file, size)) != FS_OK) {
		r->ops->remove(r->ops->ctx, name);
		return rc;
	}
	rc = fs_put_aux(r->fs, owner, key, RF_KEY_LEN, &d, sizeof(d), aux);
	if (rc != FS_OK) {
		/* After FS_EIO the record may or may not count: the file stays,
		 * and the next sweep decides. Else it is a stray now. */
		if (rc != FS_EIO)
			r->ops->remove(r->ops->ctx, name);
		return rc;
	}
	if (had && old.gen != gen)
		file_remove(r, owner, old.gen);
	return FS_OK;
}

int rf_get(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
           void *out, uint32_t max, uint32_t *len)
{
	uint32_t aux;
	return rf_get_aux(r, owner, id, id_len, out, max, len, &aux);
}

int rf_get_aux(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
               unsigned id_len, void *out, uint32_t max, uint32_t *len, uint32_t *aux)
{
	uint8_t key[RF_KEY_LEN];
	struct rf_dirent d;
	char name[RF_NAME_MAX];
	uint32_t dlen = 0;
	if (!owner_ok(owner) || !id_ok(id, id_len) || !len || !aux || (max && !out))
		return FS_EINVAL;
	make_key(id, id_len, key);
	int rc = dirent_get(r, owner, key, &d);
	if (rc == FS_OK) /* the entry's record, from the index */
		rc = fs_stat_aux(r->fs, owner, key, RF_KEY_LEN, &dlen, aux);
	if (rc != FS_OK)
		return rc;
	*len = d.data_len;
	if (d.data_len > max)
		return FS_ESHORT;
	sweep_once(r, owner);
	rf_file_name(owner, d.gen, name);
	uint32_t got = 0;
	rc = file_read(r, name, file_size(r->ops, d.data_len), &got);
	if (rc == FS_ENOENT)
		return FS_ECORRUPT; /* the entry names it: someone removed it */
	if (rc != FS_OK)
		return rc;
	return file_open(r, owner, &d, got, out);
}

int rf_stat(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
            uint32_t *len)
{
	uint32_t aux;
	return rf_stat_aux(r, owner, id, id_len, len, &aux);
}

int rf_stat_aux(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
                unsigned id_len, uint32_t *len, uint32_t *aux)
{
	uint8_t key[RF_KEY_LEN];
	struct rf_dirent d;
	uint32_t dlen = 0;
	if (!owner_ok(owner) || !id_ok(id, id_len) || !len || !aux)
		return FS_EINVAL;
	make_key(id, id_len, key);
	int rc = dirent_get(r, owner, key, &d);
	if (rc == FS_OK)
		rc = fs_stat_aux(r->fs, owner, key, RF_KEY_LEN, &dlen, aux);
	if (rc == FS_OK)
		*len = d.data_len;
	return rc;
}

int rf_delete(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
              unsigned id_len)
{
	uint8_t key[RF_KEY_LEN];
	struct rf_dirent d;
	if (!owner_ok(owner) || !id_ok(id, id_len))
		return FS_EINVAL;
	make_key(id, id_len, key);
	int rc = dirent_get(r, owner, key, &d);
	if (rc == FS_ECORRUPT) {
		/* A damaged entry can still be deleted (GP: a corrupt object's
		 * handle may be closed and deleted). */
		return fs_delete(r->fs, owner, key, RF_KEY_LEN);
	}
	if (rc != FS_OK)
		return rc;
	if ((rc = fs_delete(r->fs, owner, key, RF_KEY_LEN)) != FS_OK)
		return rc;
	file_remove(r, owner, d.gen);
	return FS_OK;
}

int rf_rename(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *from,
              unsigned from_len, const void *to, unsigned to_len)
{
	uint8_t a[RF_KEY_LEN], b[RF_KEY_LEN];
	if (!owner_ok(owner) || !id_ok(from, from_len) || !id_ok(to, to_len))
		return FS_EINVAL;
	make_key(from, from_len, a);
	make_key(to, to_len, b);
	return fs_rename(r->fs, owner, a, RF_KEY_LEN, b, RF_KEY_LEN);
}

int rf_next(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *after,
            unsigned after_len, uint8_t *out, unsigned *out_len)
{
	uint8_t key[FS_ID_MAX], next[FS_ID_MAX];
	unsigned key_len, next_len = 0;
	if (!owner_ok(owner) || !out || !out_len || after_len > RF_ID_MAX || (after_len && !after))
		return FS_EINVAL;
	if (after) {
		make_key(after, after_len, key);
		key_len = RF_KEY_LEN;
	} else {
		memset(key, 0xFF, RF_ID_MAX);
		key_len = RF_ID_MAX;
	}
	for (;;) {
		int rc = fs_next(r->fs, owner, key, key_len, next, &next_len);
		if (rc != FS_OK)
			return rc;
		if (rf_key_decode(next, next_len, out, out_len))
			return FS_OK;
		memcpy(key, next, next_len);
		key_len = next_len;
	}
}
