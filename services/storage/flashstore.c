/* The secure-flash object store (flashstore.h, docs/storage.md).
 *
 * The invariant every writer keeps: the live blocks are exactly the epochs
 * [oldest, newest], each record in them was committed in order, and only
 * the newest block is appended to. Every change of the log is one commit
 * word: a record's (an update), or a block header's (a new block, or a
 * compaction, which drops the oldest block as the same word goes in). */
#include <string.h>

#include "flashstore.h"
#include "rv_commit.h"

#define ERASED 0xFFFFFFFFU
#define RECH ((uint32_t)sizeof(struct fs_record))
#define BLKH ((uint32_t)sizeof(struct fs_block_header))
#define BS_MAX (16U << 20)

static const uint8_t fs_store_owner[FS_OWNER_LEN]; /* zeros: the store's own seals */

/* What reading a record found. */
enum fs_rec_state {
	REC_OK,   /* framed and committed (not yet verified) */
	REC_TORN, /* no record: erased, cut short, or not a record at all */
};

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3U;
}

static uint32_t rec_size(const struct fs_store *s, unsigned id_len, unsigned old_len,
			 uint32_t data_len)
{
	return RECH + pad4(id_len + old_len) + pad4(data_len + s->ops->seal_overhead) + 4;
}

static int is_zero(const uint8_t *p, uint32_t n)
{
	uint8_t acc = 0;
	for (uint32_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static int owner_ok(const uint8_t owner[FS_OWNER_LEN])
{
	return owner && !is_zero(owner, FS_OWNER_LEN);
}

/* GP allows an empty id (length 0); the pointer is still required. */
static int id_ok(const void *id, unsigned len)
{
	return id && len <= FS_ID_MAX;
}

static int rd(struct fs_store *s, unsigned b, uint32_t off, void *dst, uint32_t len)
{
	return s->ops->read(s->ops->ctx, b, off, dst, len) ? FS_EIO : FS_OK;
}

/* A write that fails leaves the RAM state behind the flash: only a mount
 * can tell what the flash holds now. */
static int wr(struct fs_store *s, unsigned b, uint32_t off, const void *src, uint32_t len)
{
	if (s->ops->program(s->ops->ctx, b, off, src, len)) {
		rv_commit_event(s, RV_COMMIT_IO_ERROR);
		s->broken = 1;
		return FS_EIO;
	}
	return FS_OK;
}

static int erase(struct fs_store *s, unsigned b)
{
	if (s->ops->erase(s->ops->ctx, b)) {
		rv_commit_event(s, RV_COMMIT_IO_ERROR);
		s->broken = 1;
		return FS_EIO;
	}
	return FS_OK;
}

/* ---- the index ---- */

static int key_eq(const struct fs_entry *e, const uint8_t *owner, const void *id, unsigned len)
{
	return e->id_len == len && memcmp(e->owner, owner, FS_OWNER_LEN) == 0 &&
	       memcmp(e->id, id, len) == 0;
}

static struct fs_entry *find(const struct fs_store *s, const uint8_t *owner, const void *id,
			     unsigned len)
{
	for (unsigned i = 0; i < s->n; i++)
		if (key_eq(&s->tab[i], owner, id, len))
			return &s->tab[i];
	return 0;
}

static struct fs_entry *find_live(const struct fs_store *s, const uint8_t *owner, const void *id,
				  unsigned len)
{
	struct fs_entry *e = find(s, owner, id, len);
	return e && e->live ? e : 0;
}

/* Records that (owner, id) was decided at seq by the record at (b, off):
 * the highest seq wins; a seq seen twice for one name is damage. */
static int upsert(struct fs_store *s, const uint8_t *owner, const void *id, unsigned len, int live,
                  uint64_t seq, unsigned b, uint32_t off, uint32_t data_len, uint32_t aux)
{
	struct fs_entry *e = find(s, owner, id, len);
	if (e && e->seq == seq)
		return FS_ECORRUPT;
	if (e && e->seq > seq)
		return FS_OK;
	if (!e) {
		if (s->n == s->cap)
			return FS_ENOSPC;
		e = &s->tab[s->n++];
		memset(e, 0, sizeof(*e));
		memcpy(e->owner, owner, FS_OWNER_LEN);
		memcpy(e->id, id, len);
		e->id_len = (uint8_t)len;
	}
	e->live = (uint8_t)live;
	e->seq = seq;
	e->block = (uint16_t)b;
	e->off = off;
	e->data_len = live ? data_len : 0;
	e->aux = live ? aux : 0;
	return FS_OK;
}

/* Applies a verified record (header and ids in s->rec) to the index. */
static int apply(struct fs_store *s, const struct fs_record *h, unsigned b, uint32_t off)
{
	const uint8_t *id = s->rec + RECH;
	if (h->type == FS_REC_DEL)
		return upsert(s, h->owner, id, h->id_len, 0, h->seq, b, off, 0, 0);
	int rc = upsert(s, h->owner, id, h->id_len, 1, h->seq, b, off, h->data_len, h->aux);
	if (rc == FS_OK && h->type == FS_REC_RENAME)
		rc = upsert(s, h->owner, id + h->id_len, h->old_len, 0, h->seq, b, off, 0, 0);
	return rc;
}

static void drop(struct fs_store *s, struct fs_entry *e)
{
	*e = s->tab[--s->n];
}

/* ---- reading and checking the flash ---- */

/* Reads the record at (b, off), which must end by limit, into s->rec, and
 * checks its framing and commit word; *h and *size describe it. */
static int read_record(struct fs_store *s, unsigned b, uint32_t off, uint32_t limit,
		       struct fs_record *h, uint32_t *size, enum fs_rec_state *st)
{
	*st = REC_TORN;
	if (off > limit || limit - off < RECH + 4)
		return FS_OK;
	if (rd(s, b, off, s->rec, RECH))
		return FS_EIO;
	memcpy(h, s->rec, RECH);
	if (h->magic != FS_REC_MAGIC || h->zero || (h->type == FS_REC_DEL && h->aux) ||
	    h->id_len > FS_ID_MAX || h->data_len > FS_DATA_MAX ||
	    h->blob_len != h->data_len + s->ops->seal_overhead)
		return FS_OK;
	if (h->type == FS_REC_RENAME ? h->old_len > FS_ID_MAX : h->old_len != 0)
		return FS_OK;
	if ((h->type != FS_REC_PUT && h->type != FS_REC_RENAME && h->type != FS_REC_DEL) ||
	    (h->type == FS_REC_DEL && h->data_len != 0))
		return FS_OK;
	uint32_t n = rec_size(s, h->id_len, h->old_len, h->data_len);
	if (n > limit - off)
		return FS_OK;
	if (rd(s, b, off + RECH, s->rec + RECH, n - RECH))
		return FS_EIO;
	uint32_t commit;
	memcpy(&commit, s->rec + n - 4, 4);
	if (commit != FS_COMMIT)
		return FS_OK;
	*size = n;
	*st = REC_OK;
	return FS_OK;
}

/* Checks a committed record in s->rec against its place (the block's
 * epoch, the seq before it) and its seal; its data goes to s->plain. */
static int check_record(struct fs_store *s, const struct fs_record *h, uint32_t epoch, uint64_t prev)
{
	uint32_t ids = h->id_len + h->old_len, aad = RECH + pad4(ids);
	uint32_t blob = h->blob_len, end = aad + pad4(blob);
	if (!is_zero(s->rec + RECH + ids, aad - RECH - ids) || !is_zero(s->rec + aad + blob, end - aad - blob))
		return FS_ECORRUPT;
	if (h->epoch != epoch || h->prev != prev || h->seq <= prev)
		return FS_ECORRUPT;
	if (h->type == FS_REC_RENAME && h->id_len == h->old_len &&
	    memcmp(s->rec + RECH, s->rec + RECH + h->id_len, h->id_len) == 0)
		return FS_ECORRUPT;
	if (!owner_ok(h->owner))
		return FS_ECORRUPT;
	if (s->ops->unseal(s->ops->ctx, h->owner, s->rec, aad, s->rec + aad, blob, s->plain))
		return FS_ECORRUPT;
	return FS_OK;
}

/* Reads block b's header: *valid says whether it is a committed, sealed
 * header of this store's geometry. */
static int read_header(struct fs_store *s, unsigned b, struct fs_block_header *h, int *valid)
{
	*valid = 0;
	if (rd(s, b, 0, s->rec, s->hdr_size))
		return FS_EIO;
	memcpy(h, s->rec, BLKH);
	uint32_t ovh = s->ops->seal_overhead, commit;
	memcpy(&commit, s->rec + s->hdr_size - 4, 4);
	if (h->magic != FS_BLK_MAGIC || h->version != FS_VERSION || h->hdr_size != s->hdr_size ||
	    h->zero || h->epoch < 1 || h->oldest < 1 || h->oldest > h->epoch ||
	    h->prev_end > s->ops->block_size || commit != FS_COMMIT ||
	    !is_zero(s->rec + BLKH + ovh, s->hdr_size - 4 - BLKH - ovh))
		return FS_OK;
	if (s->ops->unseal(s->ops->ctx, fs_store_owner, s->rec, BLKH, s->rec + BLKH, ovh, s->plain))
		return FS_OK;
	*valid = 1;
	return FS_OK;
}

/* Whether every word of block b from off on reads as v, or (v = 0) as
 * either all zeros or all ones. */
static int words_are(struct fs_store *s, unsigned b, uint32_t off, int any_blank, int *yes)
{
	uint32_t bs = s->ops->block_size;
	*yes = 1;
	while (off < bs && *yes) {
		uint32_t n = bs - off < sizeof(s->rec) ? bs - off : (uint32_t)sizeof(s->rec);
		n &= ~3U;
		if (!n)
			break;
		if (rd(s, b, off, s->rec, n))
			return FS_EIO;
		for (uint32_t i = 0; i < n; i += 4) {
			uint32_t w;
			memcpy(&w, s->rec + i, 4);
			if (w != ERASED && !(any_blank && w == 0)) {
				*yes = 0;
				break;
			}
		}
		off += n;
	}
	return FS_OK;
}

/* ---- writing ---- */

static unsigned nfree(const struct fs_store *s)
{
	unsigned n = 0;
	for (unsigned b = 0; b < s->ops->nblocks; b++)
		n += s->epoch_of[b] == 0;
	return n;
}

/* A free block, the first after the newest one (so that wear goes round). */
static unsigned pick_free(const struct fs_store *s)
{
	unsigned nb = s->ops->nblocks;
	for (unsigned k = 1; k <= nb; k++) {
		unsigned b = (s->tail + k) % nb;
		if (s->epoch_of[b] == 0)
			return b;
	}
	return nb;
}

static unsigned block_of(const struct fs_store *s, uint32_t epoch)
{
	for (unsigned b = 0; b < s->ops->nblocks; b++)
		if (s->epoch_of[b] == epoch)
			return b;
	return s->ops->nblocks;
}

/* Seals and writes record h (ids at s->rec + RECH already, data at data)
 * at (b, off), all but its commit word; returns its size in *size. */
static int write_record(struct fs_store *s, unsigned b, uint32_t off, struct fs_record *h,
			const void *data, uint32_t *size)
{
	uint32_t ids = h->id_len + h->old_len, aad = RECH + pad4(ids);
	uint32_t n = rec_size(s, h->id_len, h->old_len, h->data_len);
	memcpy(s->rec, h, RECH);
	memset(s->rec + RECH + ids, 0, aad - RECH - ids);
	memset(s->rec + aad, 0, n - aad);
	if (s->ops->seal(s->ops->ctx, h->owner, s->rec, aad, data, h->data_len, s->rec + aad))
		return FS_EIO;
	uint32_t commit = FS_COMMIT;
	memcpy(s->rec + n - 4, &commit, 4);
	*size = n;
	int rc = wr(s, b, off, s->rec, n - 4);
	if (!rc)
		rv_commit_event(s, RV_COMMIT_REC_BODY);
	return rc;
}

/* Copies the live records of the oldest block to block d (erased, its
 * header written but not committed), re-sealed for their new place. */
static int copy_live(struct fs_store *s, unsigned victim, unsigned d, uint32_t d_epoch,
		     uint32_t *d_end, uint64_t *d_prev)
{
	uint32_t off = s->hdr_size, limit = s->end_of[victim], out = s->hdr_size;
	uint64_t prev = 0, dprev = 0;
	while (off < limit) {
		struct fs_record h;
		uint32_t size;
		enum fs_rec_state st;
		int rc = read_record(s, victim, off, limit, &h, &size, &st);
		if (rc)
			return rc;
		if (st != REC_OK || check_record(s, &h, s->epoch_of[victim], prev))
			return FS_ECORRUPT; /* it was whole at mount */
		struct fs_entry *e = find(s, h.owner, s->rec + RECH, h.id_len);
		if (e && e->live && e->block == victim && e->off == off) {
			struct fs_record c = h;
			c.type = FS_REC_PUT; /* a rename's old name has no older record left */
			c.old_len = 0;
			c.prev = dprev;
			c.epoch = d_epoch;
			uint32_t n;
			if (rec_size(s, c.id_len, 0, c.data_len) > s->ops->block_size - out)
				return FS_ECORRUPT;
			if ((rc = write_record(s, d, out, &c, s->plain, &n)) ||
			    (rc = wr(s, d, out + n - 4, s->rec + n - 4, 4)))
				return rc;
			rv_commit_event(s, RV_COMMIT_REC_COMMIT);
			e->block = (uint16_t)d;
			e->off = out;
			out += n;
			dprev = c.seq;
		}
		prev = h.seq;
		off += size;
	}
	*d_end = out;
	*d_prev = dprev;
	return FS_OK;
}

/* Opens a free block as the newest of the log, after the current newest;
 * with `compact`, moves the oldest block's live records into it, and its
 * commit word drops the oldest block. */
static int open_block(struct fs_store *s, int compact)
{
	unsigned d = pick_free(s), victim = block_of(s, s->oldest);
	if (d >= s->ops->nblocks || s->newest == UINT32_MAX || (compact && victim >= s->ops->nblocks))
		return FS_ENOSPC;
	int rc = erase(s, d);
	if (rc)
		return rc;
	struct fs_block_header h = {
	    .magic = FS_BLK_MAGIC,
	    .version = FS_VERSION,
	    .hdr_size = (uint16_t)s->hdr_size,
	    .epoch = s->newest + 1,
	    .oldest = compact ? s->oldest + 1 : s->oldest,
	    .prev_end = s->newest ? s->tail_end : 0,
	    .base_seq = s->head,
	};
	memset(s->rec, 0, s->hdr_size);
	memcpy(s->rec, &h, BLKH);
	if (s->ops->seal(s->ops->ctx, fs_store_owner, s->rec, BLKH, 0, 0, s->rec + BLKH))
		return FS_EIO;
	if ((rc = wr(s, d, 0, s->rec, s->hdr_size - 4)))
		return rc;
	rv_commit_event(s, RV_COMMIT_BLK_HEADER);
	uint32_t end = s->hdr_size;
	uint64_t dprev = 0;
	if (compact && (rc = copy_live(s, victim, d, h.epoch, &end, &dprev))) {
		rv_commit_event(s, RV_COMMIT_BLK_ABANDON);
		return rc;
	}
	uint32_t commit = FS_COMMIT;
	if ((rc = wr(s, d, s->hdr_size - 4, &commit, 4)))
		return rc;
	rv_commit_event(s, RV_COMMIT_BLK_COMMIT);
	/* Committed: the new block is in the log (and the oldest is out). */
	if (s->newest)
		s->end_of[s->tail] = s->tail_end;
	if (compact) {
		for (unsigned i = 0; i < s->n;)
			if (s->tab[i].block == victim)
				drop(s, &s->tab[i]); /* deletions the log no longer needs */
			else
				i++;
		s->epoch_of[victim] = 0;
		s->oldest++;
		s->compactions++;
	}
	s->newest = h.epoch;
	s->epoch_of[d] = h.epoch;
	s->tail = d;
	s->tail_end = end;
	s->end_of[d] = end;
	s->tail_prev = dprev;
	s->tail_closed = 0;
	return FS_OK;
}

/* Makes room in the newest block for a record of `size` bytes (and, with
 * need_entry, an index entry): a new block while more than one is free,
 * else compaction of the oldest. */
static int make_room(struct fs_store *s, uint32_t size, int need_entry)
{
	uint32_t bs = s->ops->block_size;
	if (size > bs - s->hdr_size)
		return FS_ENOSPC;
	for (unsigned tries = 0; tries <= 2 * s->ops->nblocks; tries++) {
		int entry_ok = !need_entry || s->n < s->cap;
		if (entry_ok && !s->tail_closed && s->tail_end <= bs && size <= bs - s->tail_end)
			return FS_OK;
		int rc = open_block(s, !entry_ok || nfree(s) < 2);
		if (rc)
			return rc;
	}
	return FS_ENOSPC;
}

/* Reads and verifies the record entry e names; its data to s->plain. */
static int load(struct fs_store *s, const struct fs_entry *e)
{
	if (s->broken)
		return FS_EIO;
	struct fs_record h;
	uint32_t size;
	enum fs_rec_state st;
	int rc = read_record(s, e->block, e->off, s->end_of[e->block], &h, &size, &st);
	if (rc)
		return rc;
	if (st != REC_OK || h.type == FS_REC_DEL || h.seq != e->seq || h.data_len != e->data_len ||
	    h.aux != e->aux || !key_eq(e, h.owner, s->rec + RECH, h.id_len))
		return FS_ECORRUPT; /* changed since mount */
	return check_record(s, &h, s->epoch_of[e->block], h.prev);
}

/* Appends one update and applies it to the index. A rename's data is read
 * (and checked) only once there is room: compaction reuses the buffers.
 * need_entry: the update may add an index entry (a deletion kept in the
 * index may be dropped by a compaction, so only a live name is sure to
 * keep its entry). */
static int append(struct fs_store *s, uint8_t type, const uint8_t *owner, const void *id,
                  unsigned id_len, const void *old, unsigned old_len, const void *data,
                  uint32_t len, uint32_t aux, int need_entry)
{
	if (s->broken)
		return FS_EIO;
	uint32_t size = rec_size(s, id_len, old_len, len);
	int rc = make_room(s, size, need_entry);
	if (rc)
		return rc;
	if (type == FS_REC_RENAME) {
		const struct fs_entry *e = find_live(s, owner, old, old_len);
		if (!e || e->data_len != len || e->aux != aux)
			return FS_ECORRUPT;
		if ((rc = load(s, e)))
			return rc;
		data = s->plain;
	}
	struct fs_record h = {
	    .magic = FS_REC_MAGIC,
	    .type = type,
	    .id_len = (uint8_t)id_len,
	    .old_len = (uint8_t)old_len,
	    .data_len = len,
	    .blob_len = len + s->ops->seal_overhead,
	    .seq = s->head + 1,
	    .prev = s->tail_prev,
	    .epoch = s->newest,
	    .aux = aux,
	};
	memcpy(h.owner, owner, FS_OWNER_LEN);
	memcpy(s->rec + RECH, id, id_len);
	if (old_len)
		memcpy(s->rec + RECH + id_len, old, old_len);
	uint32_t n, off = s->tail_end;
	if ((rc = write_record(s, s->tail, off, &h, data, &n)))
		return rc;
	if ((rc = wr(s, s->tail, off + n - 4, s->rec + n - 4, 4)))
		return rc;
	rv_commit_event(s, RV_COMMIT_REC_COMMIT);
	s->head = h.seq;
	s->tail_prev = h.seq;
	s->tail_end += n;
	s->end_of[s->tail] = s->tail_end;
	/* The ids are still in s->rec. */
	if ((rc = apply(s, &h, s->tail, off)))
		s->broken = 1;
	return rc;
}

/* ---- mounting ---- */

/* Reads the live blocks' records, oldest first, into the index. */
static int scan(struct fs_store *s, const struct fs_block_header *hdr, const unsigned *blk)
{
	for (uint32_t e = s->oldest; e <= s->newest; e++) {
		unsigned b = blk[e - s->oldest];
		int tail = e == s->newest;
		uint32_t limit = tail ? s->ops->block_size : hdr[blk[e + 1 - s->oldest]].prev_end;
		uint64_t next_base = tail ? UINT64_MAX : hdr[blk[e + 1 - s->oldest]].base_seq;
		if (limit < s->hdr_size)
			return FS_ECORRUPT;
		uint32_t off = s->hdr_size;
		uint64_t prev = 0;
		while (off < limit) {
			struct fs_record h;
			uint32_t size;
			enum fs_rec_state st;
			int rc = read_record(s, b, off, limit, &h, &size, &st);
			if (rc)
				return rc;
			if (st == REC_TORN) {
				if (!tail)
					return FS_ECORRUPT; /* the next block says it ends later */
				int erased;
				if ((rc = words_are(s, b, off, 0, &erased)))
					return rc;
				s->tail_closed = !erased;
				break;
			}
			if ((rc = check_record(s, &h, e, prev)))
				return rc;
			if (h.seq > next_base)
				return FS_ECORRUPT; /* written after the next block opened */
			if ((rc = apply(s, &h, b, off)))
				return rc;
			if (h.seq > s->head)
				s->head = h.seq;
			prev = h.seq;
			off += size;
		}
		s->end_of[b] = off;
		if (tail) {
			s->tail = b;
			s->tail_end = off;
			s->tail_prev = prev;
		}
	}
	return FS_OK;
}

int fs_mount(struct fs_store *s, const struct fs_ops *ops, struct fs_entry *tab, unsigned cap)
{
	memset(s, 0, offsetof(struct fs_store, rec));
	rv_commit_event(s, RV_COMMIT_MOUNT);
	s->ops = ops;
	s->tab = tab;
	s->cap = cap;
	if (!ops || !tab || !cap || ops->nblocks < FS_MIN_BLOCKS || ops->nblocks > FS_MAX_BLOCKS ||
	    ops->seal_overhead > FS_SEAL_MAX || ops->block_size % 4 || ops->block_size > BS_MAX)
		return FS_EINVAL;
	s->hdr_size = BLKH + pad4(ops->seal_overhead) + 4;
	if (ops->block_size < s->hdr_size + RECH + 8)
		return FS_EINVAL;
	unsigned nb = ops->nblocks;
	struct fs_block_header hdr[FS_MAX_BLOCKS];
	int valid[FS_MAX_BLOCKS];
	for (unsigned b = 0; b < nb; b++) {
		if (read_header(s, b, &hdr[b], &valid[b]))
			return FS_EIO;
		if (valid[b] && hdr[b].epoch > s->newest) {
			s->newest = hdr[b].epoch;
			s->tail = b;
		}
	}
	if (!s->newest) {
		/* No log: a new device, or damage that must not be formatted
		 * away. */
		for (unsigned b = 0; b < nb; b++) {
			int blank;
			if (words_are(s, b, s->hdr_size, 1, &blank))
				return FS_EIO;
			if (!blank)
				return FS_ECORRUPT;
		}
		s->oldest = 1;
		int rc = open_block(s, 0);
		if (rc)
			return rc;
		s->formatted = 1;
		return FS_OK;
	}
	s->oldest = hdr[s->tail].oldest;
	if (s->newest - s->oldest >= nb - 1)
		return FS_ECORRUPT; /* a log always leaves a block free */
	unsigned blk[FS_MAX_BLOCKS];
	for (uint32_t e = s->oldest; e <= s->newest; e++) {
		unsigned found = nb;
		for (unsigned b = 0; b < nb; b++) {
			if (!valid[b] || hdr[b].epoch != e)
				continue;
			if (found != nb)
				return FS_ECORRUPT; /* two blocks of one epoch */
			found = b;
		}
		if (found == nb)
			return FS_ECORRUPT; /* a block of the log is missing */
		if (e > s->oldest) {
			const struct fs_block_header *p = &hdr[blk[e - 1 - s->oldest]];
			if (hdr[found].oldest < p->oldest || hdr[found].base_seq < p->base_seq)
				return FS_ECORRUPT;
		}
		blk[e - s->oldest] = found;
		s->epoch_of[found] = e;
	}
	s->head = hdr[s->tail].base_seq;
	return scan(s, hdr, blk);
}

/* ---- the calls ---- */

/* ---- the margin ----
 * A live object costs the largest record that can decide it: any id, any
 * old id (a rename's), its data: c = rec_size(FS_ID_MAX, FS_ID_MAX, len).
 * So a rename does not change the sum C of the costs, a deletion lowers it,
 * and every record a live object can need (its deletion, its renaming, a
 * rewrite no larger) is at most M, the largest cost. make_room finds room
 * for a record of S bytes if some block of the log has at most
 * block_size - hdr_size - S live bytes; the log has nblocks - 1 blocks
 * when compaction runs, so C <= (nblocks - 1) (block_size - hdr_size - M)
 * is enough. fs_put keeps that true (and one index entry free, for a
 * rename's new name), so deletions and renames always fit. */
static uint32_t fs_cost(const struct fs_store *s, uint32_t data_len)
{
	return rec_size(s, FS_ID_MAX, FS_ID_MAX, data_len);
}

/* Would a put of len bytes under (owner, id) keep the margin? */
static int fs_margin_ok(const struct fs_store *s, const struct fs_entry *old, uint32_t len)
{
	uint64_t sum = fs_cost(s, len), max = sum;
	unsigned live = 1;
	for (unsigned i = 0; i < s->n; i++) {
		const struct fs_entry *e = &s->tab[i];
		if (!e->live || e == old)
			continue;
		uint32_t c = fs_cost(s, e->data_len);
		sum += c;
		max = c > max ? c : max;
		live++;
	}
	uint64_t room = s->ops->block_size - s->hdr_size;
	if (live >= s->cap || max > room)
		return 0;
	return sum <= (uint64_t)(s->ops->nblocks - 1) * (room - max);
}

int fs_put(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
	   const void *data, uint32_t len)
{
	return fs_put_aux(s, owner, id, id_len, data, len, 0);
}

int fs_put_aux(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
               unsigned id_len, const void *data, uint32_t len, uint32_t aux)
{
	if (!owner_ok(owner) || !id_ok(id, id_len) || len > FS_DATA_MAX || (len && !data))
		return FS_EINVAL;
	if (s->broken)
		return FS_EIO;
	const struct fs_entry *old = find_live(s, owner, id, id_len);
	if (!fs_margin_ok(s, old, len))
		return FS_ENOSPC;
	return append(s, FS_REC_PUT, owner, id, id_len, 0, 0, data, len, aux, !old);
}

int fs_get(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
	   void *out, uint32_t max, uint32_t *len)
{
	if (!owner_ok(owner) || !id_ok(id, id_len) || !len || (max && !out))
		return FS_EINVAL;
	const struct fs_entry *e = find_live(s, owner, id, id_len);
	if (!e)
		return FS_ENOENT;
	*len = e->data_len;
	if (max < e->data_len)
		return FS_ESHORT;
	int rc = load(s, e);
	if (rc)
		return rc;
	if (e->data_len)
		memcpy(out, s->plain, e->data_len);
	return FS_OK;
}

int fs_stat(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
	    unsigned id_len, uint32_t *len)
{
	if (!owner_ok(owner) || !id_ok(id, id_len) || !len)
		return FS_EINVAL;
	const struct fs_entry *e = find_live(s, owner, id, id_len);
	if (!e)
		return FS_ENOENT;
	*len = e->data_len;
	return FS_OK;
}

int fs_stat_aux(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
                unsigned id_len, uint32_t *len, uint32_t *aux)
{
	if (!aux)
		return FS_EINVAL;
	int rc = fs_stat(s, owner, id, id_len, len);
	if (rc == FS_OK)
		*aux = find_live(s, owner, id, id_len)->aux;
	return rc;
}

int fs_delete(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
	      unsigned id_len)
{
	if (!owner_ok(owner) || !id_ok(id, id_len))
		return FS_EINVAL;
	if (!find_live(s, owner, id, id_len))
		return FS_ENOENT;
	return append(s, FS_REC_DEL, owner, id, id_len, 0, 0, 0, 0, 0, 0);
}

int fs_rename(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *from,
	      unsigned from_len, const void *to, unsigned to_len)
{
	if (!owner_ok(owner) || !id_ok(from, from_len) || !id_ok(to, to_len))
		return FS_EINVAL;
	const struct fs_entry *e = find_live(s, owner, from, from_len);
	if (!e)
		return FS_ENOENT;
	if (find_live(s, owner, to, to_len))
		return FS_EEXIST; /* the same id included */
	/* The data is sealed again: the new id is part of its identity. */
	return append(s, FS_REC_RENAME, owner, to, to_len, from, from_len, 0, e->data_len, e->aux,
	              1);
}

/* (length, bytes) order. */
static int id_cmp(const uint8_t *a, unsigned al, const uint8_t *b, unsigned bl)
{
	if (al != bl)
		return al < bl ? -1 : 1;
	return memcmp(a, b, al);
}

int fs_next(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *after,
	    unsigned after_len, uint8_t *out, unsigned *out_len)
{
	if (!owner_ok(owner) || !out || !out_len || after_len > FS_ID_MAX || (after_len && !after))
		return FS_EINVAL;
	const struct fs_entry *best = 0;
	for (unsigned i = 0; i < s->n; i++) {
		const struct fs_entry *e = &s->tab[i];
		if (!e->live || memcmp(e->owner, owner, FS_OWNER_LEN) != 0)
			continue;
		if (after && id_cmp(e->id, e->id_len, after, after_len) <= 0)
			continue;
		if (!best || id_cmp(e->id, e->id_len, best->id, best->id_len) < 0)
			best = e;
	}
	if (!best)
		return FS_ENOENT;
	memcpy(out, best->id, best->id_len);
	*out_len = best->id_len;
	return FS_OK;
}

uint32_t fs_cost_of(const struct fs_store *s, uint32_t len)
{
	return fs_cost(s, len);
}

void fs_owner_usage(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], unsigned *objects,
                    uint64_t *bytes)
{
	*objects = 0;
	*bytes = 0;
	for (unsigned i = 0; i < s->n; i++) {
		const struct fs_entry *e = &s->tab[i];
		if (e->live && memcmp(e->owner, owner, FS_OWNER_LEN) == 0) {
			++*objects;
			*bytes += fs_cost(s, e->data_len);
		}
	}
}

int fs_quota_ok(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], int exists,
                uint32_t old_len, uint32_t new_len, int count_bytes, unsigned max_objects,
                uint64_t max_bytes)
{
	unsigned objects;
	uint64_t bytes;
	fs_owner_usage(s, owner, &objects, &bytes);
	if (!exists && objects + 1 > max_objects)
		return 0;
	if (!count_bytes)
		return 1;
	uint64_t old = exists ? fs_cost(s, old_len) : 0;
	return (bytes > old ? bytes - old : 0) + fs_cost(s, new_len) <= max_bytes;
}

uint64_t fs_head(const struct fs_store *s)
{
	return s->head;
}
