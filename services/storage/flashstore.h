/* The secure-flash backend of the storage service: a log-structured,
 * copy-on-write store of small objects, each named by (owner, object id),
 * over a flash interface (struct fs_ops). Pure code: no system calls, no
 * allocation; the caller gives the store's memory (struct fs_store) and
 * its index (an array of struct fs_entry). docs/storage.md has the design;
 * this is its summary.
 *
 * The log. The region is nblocks erase blocks. A block in use holds a
 * header (its epoch: its place in the log; the oldest epoch still in the
 * log; the length of the block before it; the store's sequence number when
 * it was opened), sealed and committed by a last word, then records. The
 * live blocks are those of epochs [oldest, newest], where `oldest` is read
 * from the newest block's header; every other block is free, whatever it
 * holds. A record is one update of one object (PUT, DEL, RENAME) under the
 * next sequence number of the store: a header, the object id(s), the data
 * sealed by the caller's ops (with the header and the ids as additional
 * data), and a commit word programmed last. For each object the record with
 * the highest sequence number decides. Only erased words are ever
 * programmed.
 *
 * Atomicity. One commit word makes one update: a record without it counts
 * for nothing. Compaction copies the live records of the oldest block into
 * a free block whose header names the next oldest; that block's commit
 * word, programmed after the copies, drops the old block from the log in
 * the same instant. So a power cut at any word leaves each object with its
 * old or its new contents.
 *
 * Damage. Every record binds its block's epoch and the sequence number of
 * the record before it in the block; every block's length is sealed in the
 * header of the block after it, and the live epochs must all be there.
 * Mount verifies every record and header; get verifies the record again.
 * Anything a power cut cannot leave is FS_ECORRUPT. What a power cut can
 * leave, and an attacker can imitate, is the loss of the newest records
 * (or an older image of the whole region): fs_head() then goes down, which
 * the service detects against a monotonic counter (docs/storage.md).
 *
 * After FS_EIO from any call the RAM state is stale: mount again. */
#ifndef STORAGE_FLASHSTORE_H
#define STORAGE_FLASHSTORE_H

#include <stddef.h>
#include <stdint.h>

#define FS_OWNER_LEN 16    /* a TA UUID; all zeros is the store's own */
#define FS_ID_MAX 65       /* GP's TEE_OBJECT_ID_MAX_LEN (64), and the REE backend's
			    * keys (reefs.h: 65, so they never meet a GP id) */
#define FS_DATA_MAX 16384  /* bytes of data per object */
#define FS_SEAL_MAX 64     /* the most the ops' sealing may add */
#define FS_MIN_BLOCKS 3    /* the log, and one block kept free to compact into */

#define FS_BLK_MAGIC 0x5346544DU /* "MTFS" */
#define FS_REC_MAGIC 0x5246544DU /* "MTFR" */
#define FS_VERSION 1
#define FS_COMMIT 0xC3A55A3CU /* neither erased nor zero */

#define FS_REC_PUT 1
#define FS_REC_DEL 2
#define FS_REC_RENAME 3 /* the object `old` now has the id `id`: one update of two names */

/* All integers little-endian. The sealed part covers every byte before
 * it (the additional data); padding is zero; the commit word is last. */
struct fs_block_header {
	uint32_t magic;    /* FS_BLK_MAGIC */
	uint16_t version;  /* FS_VERSION */
	uint16_t hdr_size; /* bytes of header area: this, the seal, padding, the commit word */
	uint32_t epoch;    /* this block's place in the log, from 1 */
	uint32_t oldest;   /* the oldest epoch in the log once this block is committed */
	uint32_t prev_end; /* bytes of block epoch - 1 in use (its header and records) */
	uint32_t zero;
	uint64_t base_seq; /* the store's newest sequence number when this block was opened */
};
/* then seal(store owner, header, no data), padding, commit */
_Static_assert(sizeof(struct fs_block_header) == 32, "fs_block_header layout");

struct fs_record {
	uint32_t magic;    /* FS_REC_MAGIC */
	uint8_t type;      /* FS_REC_* */
	uint8_t id_len;    /* 0..FS_ID_MAX (GP allows an empty id) */
	uint8_t old_len;   /* RENAME: 0..FS_ID_MAX, the id it had; else 0 */
	uint8_t zero;
	uint32_t data_len; /* plaintext bytes; 0 for DEL */
	uint32_t blob_len; /* sealed bytes */
	uint64_t seq;      /* the store's sequence number of this update (the generation) */
	uint64_t prev;     /* the seq of the record before it in this block; 0 for the first */
	uint32_t epoch;    /* the block's epoch */
	uint32_t aux;      /* the caller's value, kept with the object (the service: bytes of
			    * attributes at the start of the data); 0 for DEL */
	uint8_t owner[FS_OWNER_LEN];
};
/* then id, old id, zero padding to 4; the blob, zero padding to 4; commit */
_Static_assert(sizeof(struct fs_record) == 56, "fs_record layout");

/* The flash: nblocks blocks of block_size bytes (a multiple of 4). read,
 * program (word-aligned offsets and lengths, erased words only) and erase
 * return 0 or a negative value. seal writes seal(owner, aad, in) to out
 * (exactly in_len + seal_overhead bytes) and returns 0; unseal checks and
 * opens it into out (blob_len - seal_overhead bytes) and returns 0, or
 * non-zero if it is not a seal of these bytes for this owner and aad. The
 * storage service's seal is the key service's AES-256-GCM under the
 * owner's key; the unit tests use a toy. */
struct fs_ops {
	void *ctx;
	uint32_t block_size;
	unsigned nblocks;
	uint32_t seal_overhead; /* at most FS_SEAL_MAX */
	int (*read)(void *ctx, unsigned block, uint32_t off, void *dst, uint32_t len);
	int (*program)(void *ctx, unsigned block, uint32_t off, const void *src, uint32_t len);
	int (*erase)(void *ctx, unsigned block);
	int (*seal)(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad, uint32_t aad_len,
		    const void *in, uint32_t in_len, void *out);
	int (*unseal)(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad,
		      uint32_t aad_len, const void *in, uint32_t blob_len, void *out);
};

#define FS_OK 0
#define FS_EIO (-1)      /* the flash failed: mount again */
#define FS_ECORRUPT (-2) /* damage no power cut leaves (TEE_ERROR_CORRUPT_OBJECT) */
#define FS_ENOSPC (-3)   /* no room, even after compaction (TEE_ERROR_STORAGE_NO_SPACE) */
#define FS_ENOENT (-4)   /* no such object (TEE_ERROR_ITEM_NOT_FOUND) */
#define FS_EEXIST (-5)   /* rename: the new id is taken (TEE_ERROR_ACCESS_CONFLICT) */
#define FS_EINVAL (-6)   /* a bad argument or geometry */
#define FS_ESHORT (-7)   /* get: the buffer is too small; *len says how big it must be */

/* One object (or a deletion the log still needs), as the index keeps it. */
struct fs_entry {
	uint8_t owner[FS_OWNER_LEN];
	uint8_t id[FS_ID_MAX];
	uint8_t id_len;
	uint8_t live;      /* 0: deleted, kept while its block is in the log */
	uint16_t block;    /* where its deciding record is */
	uint32_t off;
	uint32_t data_len;
	uint32_t aux; /* its record's aux */
	uint64_t seq;
};

#define FS_MAX_BLOCKS 64
#define FS_REC_MAX                                                                            \
	(sizeof(struct fs_record) + 2 * FS_ID_MAX + FS_DATA_MAX + FS_SEAL_MAX + 8)

struct fs_store {
	const struct fs_ops *ops;
	struct fs_entry *tab;
	unsigned cap, n;   /* the index: its size, entries in use */
	int broken;        /* a write failed: every call says FS_EIO until mount */
	uint32_t hdr_size; /* a block header's area */
	uint32_t oldest, newest; /* the log's epochs */
	uint64_t head;     /* the newest committed sequence number */
	unsigned tail;     /* the newest block, appended to */
	uint32_t tail_end; /* its bytes in use */
	uint64_t tail_prev; /* the seq of its last record; 0 if none */
	int tail_closed;   /* it ends in a torn record: append no more to it */
	int formatted;     /* fs_mount made a new store */
	unsigned compactions; /* since mount */
	uint32_t epoch_of[FS_MAX_BLOCKS]; /* 0: free */
	uint32_t end_of[FS_MAX_BLOCKS];   /* bytes in use of each live block */
	uint8_t rv_commit; /* verify/commit.dot (rv_commit_event); fs_mount resets it */
	uint8_t rec[FS_REC_MAX];          /* a record being read or written */
	uint8_t plain[FS_DATA_MAX];       /* data being copied or checked */
};

/* Reads and checks the region, and makes a store on a blank one (every word
 * 0 or all ones past each block's first hdr_size bytes). tab: cap entries
 * (live objects and deletions). */
int fs_mount(struct fs_store *s, const struct fs_ops *ops, struct fs_entry *tab, unsigned cap);
/* Creates or replaces an object: its data is `len` bytes (0..FS_DATA_MAX).
 * FS_ENOSPC also when the put would leave less than the margin that keeps
 * every deletion and rename possible (flashstore.c, "the margin"). */
int fs_put(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
	   const void *data, uint32_t len);
/* The same with a value of the caller's kept with the object (its record's
 * aux, sealed with it; a rename keeps it; fs_stat_aux gives it back). */
int fs_put_aux(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
	       unsigned id_len, const void *data, uint32_t len, uint32_t aux);
/* Copies an object's data into out (max bytes); *len receives its length. */
int fs_get(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
	   void *out, uint32_t max, uint32_t *len);
/* An object's length, from the index (no flash read). */
int fs_stat(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
	    unsigned id_len, uint32_t *len);
/* Its length and aux, from the index. */
int fs_stat_aux(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
		unsigned id_len, uint32_t *len, uint32_t *aux);
int fs_delete(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *id,
	      unsigned id_len);
/* Gives an object another id, in one update; FS_EEXIST if `to` is taken. */
int fs_rename(struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *from,
	      unsigned from_len, const void *to, unsigned to_len);
/* Enumeration: the owner's object id that follows `after` (NULL: the
 * first; an empty id is one too, the first in the order), in the order of
 * (length, bytes); FS_ENOENT after the last.
 * out holds FS_ID_MAX bytes. Stable while objects come and go. */
int fs_next(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], const void *after,
	    unsigned after_len, uint8_t *out, unsigned *out_len);
/* The newest committed sequence number: it only grows, and each update
 * raises it by one. */
uint64_t fs_head(const struct fs_store *s);
/* What an object of len bytes costs against the margin (its largest
 * possible record), and what an owner's live objects cost together: for
 * the service's per-owner quotas. */
uint32_t fs_cost_of(const struct fs_store *s, uint32_t len);
void fs_owner_usage(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], unsigned *objects,
		    uint64_t *bytes);
/* A per-owner quota: would the owner stay within max_objects live objects
 * and (with count_bytes) max_bytes of costs if one of its objects, of
 * old_len bytes if it exists, were new_len bytes? 1 or 0. */
int fs_quota_ok(const struct fs_store *s, const uint8_t owner[FS_OWNER_LEN], int exists,
		uint32_t old_len, uint32_t new_len, int count_bytes, unsigned max_objects,
		uint64_t max_bytes);

#endif
