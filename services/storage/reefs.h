/* The REE-FS backend of the storage service: GP persistent objects whose
 * data lives in files of the normal world (tee-supplicant's /data/tee),
 * anchored in the secure-flash store (flashstore.h). Pure code: the normal
 * world's file system and the sealing are callbacks (struct rf_ops), the
 * anchor is a mounted struct fs_store, so the host tests run it over a
 * fake file system and a RAM flash (tests/unit/test_reefs.c).
 *
 * Files. Each object is one file, "<owner UUID>/<gen as 16 hex digits>",
 * written whole at each update under a new gen and never changed after:
 *   header blob  seal(owner, aad(RF_KIND_HEADER, block 0), struct rf_header)
 *   block i      seal(owner, aad(RF_KIND_DATA, block i + 1), up to RF_BLOCK bytes)
 * The additional data (struct rf_aad) binds the gen, the block's index, the
 * block count, the object's length and, for data blocks, the header blob's
 * tag (its last tag_len bytes, which depend on a random IV under AES-GCM),
 * so no block can be moved, swapped, dropped, or taken from another file.
 * The owner is bound by the owner's own key.
 *
 * Anchor. The flash store holds one small record per object, the directory
 * entry (struct rf_dirent: gen, length, block count, the header's tag),
 * under (owner, rf key of the object id): RF_KEY_LEN bytes, longer than any
 * GP object id, so it never meets the owner's own flash objects. It is the
 * truth: a file that is missing, shorter or longer, tampered with, or an
 * older or other copy, does not match it (FS_ECORRUPT), and the flash
 * store's rollback counter protects the entries themselves.
 *
 * Updates (rf_put): write the complete new file (create, one write, close),
 * put the entry (one atomic flash record), remove the old file. A cut before
 * the put leaves the old object and a stray new file; after it, the new
 * object and a stray old file. Stray files (any "<16 hex>" file in the
 * owner's directory that no entry names) are removed the first time an
 * owner uses the backend after rf_init (rf_sweep). Deletion and renaming
 * are flash records only (the file name does not depend on the id);
 * deletion then removes the file.
 *
 * Errors: the FS_* codes of flashstore.h, and RF_ENOTAVAIL when the normal
 * world's file system cannot be reached (no normal-world call, no
 * tee-supplicant): TEE_ERROR_STORAGE_NOT_AVAILABLE. */
#ifndef STORAGE_REEFS_H
#define STORAGE_REEFS_H

#include <stdint.h>

#include "flashstore.h"

#define RF_BLOCK       4096            /* plaintext bytes per data block */
#define RF_DATA_MAX    FS_DATA_MAX     /* bytes of data per object (16 KiB) */
#define RF_ID_MAX      64              /* GP's TEE_OBJECT_ID_MAX_LEN */
#define RF_KEY_LEN     (RF_ID_MAX + 1) /* the id, zero-padded to 64, then its length */
#define RF_NAME_MAX    64              /* "<36>/<16>" and a NUL fit */
#define RF_TAG_MAX     16              /* the most of a blob's tail kept as its tag */
#define RF_SEAL_MAX    64              /* the most the ops' sealing may add */
#define RF_NBLOCKS_MAX ((RF_DATA_MAX + RF_BLOCK - 1) / RF_BLOCK)
#define RF_SWEPT_MAX   16  /* owners remembered as swept */
#define RF_SWEEP_GENS  256 /* live files of one owner a sweep can tell apart */
#define RF_SWEEP_BATCH 32  /* stray files removed per directory pass */

#define RF_ENOTAVAIL (-20) /* the normal world's file system is not there */

#define RF_MAGIC       0x46524D54U /* "TMRF": a file's header */
#define RF_DMAGIC      0x44524D54U /* "TMRD": a directory entry */
#define RF_VERSION     1
#define RF_KIND_HEADER 1
#define RF_KIND_DATA   2

/* A file's header (the plaintext of its first blob). */
struct rf_header {
	uint32_t magic;   /* RF_MAGIC */
	uint16_t version; /* RF_VERSION */
	uint16_t zero;
	uint64_t gen;      /* the file's generation: its name */
	uint64_t nonce;    /* unique per file written (rf_init's seed, counted up) */
	uint32_t data_len; /* the object's bytes */
	uint32_t nblocks;  /* data blocks after the header */
};
_Static_assert(sizeof(struct rf_header) == 32, "rf_header layout");

/* The additional data of every blob of a file. */
struct rf_aad {
	uint32_t magic; /* RF_MAGIC */
	uint32_t kind;  /* RF_KIND_* */
	uint64_t gen;
	uint32_t index;          /* 0: the header; i + 1: data block i */
	uint32_t nblocks;        /* data blocks */
	uint32_t data_len;       /* the object's bytes */
	uint32_t tag_len;        /* bytes of tag that count (0 for the header) */
	uint8_t tag[RF_TAG_MAX]; /* data blocks: the header blob's tag; zeros for it */
};
_Static_assert(sizeof(struct rf_aad) == 48, "rf_aad layout");

/* A directory entry: the data of the flash record (owner, rf key). */
struct rf_dirent {
	uint32_t magic;   /* RF_DMAGIC */
	uint16_t version; /* RF_VERSION */
	uint16_t tag_len;
	uint64_t gen;
	uint32_t data_len;
	uint32_t nblocks;
	uint8_t tag[RF_TAG_MAX]; /* the header blob's tag */
};
_Static_assert(sizeof(struct rf_dirent) == 40, "rf_dirent layout");

/* The normal world's file system (tee-supplicant's FS RPC) and the sealing.
 * The file calls return 0, FS_ENOENT (no such file or directory, or the end
 * of a directory), FS_ENOSPC, RF_ENOTAVAIL, or another negative value (an
 * error of the normal world's). Names are NUL-terminated, relative to the
 * supplicant's root. read gives at most len bytes from off (*got: how many;
 * fewer at the end of the file). readdir gives the next name (NUL-
 * terminated, at most cap bytes with the NUL). Sealing is as in fs_ops, and
 * the last tag_len bytes of a blob are its tag: they depend on every byte
 * sealed and (under AES-GCM) on a random IV. */
struct rf_ops {
	void *ctx;
	int (*open)(void *ctx, const char *name, int create, uint32_t *fd); /* create truncates */
	int (*close)(void *ctx, uint32_t fd);
	int (*read)(void *ctx, uint32_t fd, uint64_t off, void *dst, uint32_t len, uint32_t *got);
	int (*write)(void *ctx, uint32_t fd, uint64_t off, const void *src, uint32_t len);
	int (*remove)(void *ctx, const char *name);
	int (*opendir)(void *ctx, const char *name, uint32_t *dir);
	int (*readdir)(void *ctx, uint32_t dir, char *name, uint32_t cap);
	int (*closedir)(void *ctx, uint32_t dir);
	uint32_t seal_overhead; /* at most RF_SEAL_MAX */
	uint32_t tag_len;       /* 1..RF_TAG_MAX, at most seal_overhead */
	int (*seal)(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad, uint32_t aad_len,
	            const void *in, uint32_t in_len, void *out);
	int (*unseal)(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad,
	              uint32_t aad_len, const void *in, uint32_t blob_len, void *out);
};

/* The largest file: the header blob and every data block's blob, and a
 * byte more (a read asks for one more to see a file that grew). */
#define RF_FILE_MAX                                                                                \
	(sizeof(struct rf_header) + RF_DATA_MAX + (1 + RF_NBLOCKS_MAX) * RF_SEAL_MAX + 1)

struct rf_store {
	const struct rf_ops *ops;
	struct fs_store *fs; /* the anchor, mounted */
	uint64_t nonce;      /* the next file's */
	uint8_t swept[RF_SWEPT_MAX][FS_OWNER_LEN];
	unsigned nswept, swept_next;
	unsigned strays_removed;   /* by sweeps, since rf_init */
	uint8_t file[RF_FILE_MAX]; /* a file being read or written */
	uint64_t gens[RF_SWEEP_GENS];
	char names[RF_SWEEP_BATCH][RF_NAME_MAX];
};

/* Starts the backend over a mounted flash store. nonce_seed should differ
 * between runs (the service's run tag). Nothing is read yet. */
int rf_init(struct rf_store *r, const struct rf_ops *ops, struct fs_store *fs, uint64_t nonce_seed);
/* Creates or replaces an object with len bytes (0..RF_DATA_MAX). */
int rf_put(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
           const void *data, uint32_t len);
/* The same with a value of the caller's kept with the object (the flash
 * record's aux of its directory entry; rf_stat_aux gives it back). */
int rf_put_aux(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
               unsigned id_len, const void *data, uint32_t len, uint32_t aux);
/* Reads an object whole into out (max bytes); *len receives its length.
 * FS_ESHORT if max is too small. */
int rf_get(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
           void *out, uint32_t max, uint32_t *len);
/* rf_get, and the aux of rf_put_aux. */
int rf_get_aux(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
               unsigned id_len, void *out, uint32_t max, uint32_t *len, uint32_t *aux);
/* An object's length (its entry in flash: no file is read). */
int rf_stat(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id, unsigned id_len,
            uint32_t *len);
int rf_stat_aux(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
                unsigned id_len, uint32_t *len, uint32_t *aux);
int rf_delete(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *id,
              unsigned id_len);
/* Gives an object another id; FS_EEXIST if `to` is taken. */
int rf_rename(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *from,
              unsigned from_len, const void *to, unsigned to_len);
/* The owner's REE object id after `after` (NULL: the first; an empty id
 * is an id too, the first in the order), in the
 * order of the rf keys (the id's bytes zero-padded, then its length);
 * FS_ENOENT after the last. out holds RF_ID_MAX bytes. */
int rf_next(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN], const void *after,
            unsigned after_len, uint8_t *out, unsigned *out_len);
/* Removes the owner's stray files (rf_put does it the first time for each
 * owner): FS_OK, or the error that stopped it (then it is tried again). */
int rf_sweep(struct rf_store *r, const uint8_t owner[FS_OWNER_LEN]);
/* The file name of an owner's generation ("<uuid>/<16 hex>"): into out
 * (RF_NAME_MAX bytes). The owner's directory alone when gen is 0. */
void rf_file_name(const uint8_t owner[FS_OWNER_LEN], uint64_t gen, char out[RF_NAME_MAX]);
/* Whether a flash id is an rf key (and the object id it stands for). */
int rf_key_decode(const uint8_t *key, unsigned key_len, uint8_t *id, unsigned *id_len);

#endif
