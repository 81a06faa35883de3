/* The TA anti-rollback counters: for each TA (UUID), the highest signed
 * version that has run, kept in two erase blocks of secure flash. Pure
 * code over a flash interface (struct rb_ops): init runs it over the flash
 * driver (rollback.c), the unit tests over a model of a NOR chip that can
 * lose power after any word.
 *
 * The format. Each block starts with a header (magic, generation, a word
 * left 0, then a commit word, programmed last); the valid block with the
 * higher generation is the live one. Entries of 32 bytes follow it (UUID,
 * version, a check word, then a commit word, programmed last), appended in
 * erased slots: a version is raised by appending an entry, never by
 * rewriting one, so only erased words are ever programmed. An entry without
 * its commit word was cut short by a power loss and counts for nothing.
 * When the live block is full, the newest entry of every TA is copied to
 * the other block, erased first, under the next generation; its commit word
 * makes it the live one, and only then is the old block erased. A power
 * loss at any point leaves either the old table or the new one, each whole.
 *
 * A device whose two blocks hold no entry (each word after the header all
 * zeros or all ones, as a new image, an erased block or an erase cut short
 * leaves them; the header may be part of a format cut short) gets a fresh
 * table. Anything else that holds
 * no valid block is damage: it is never reformatted (that would forget
 * every counter), and nothing can be checked against it (RB_ECORRUPT). */
#ifndef INIT_RBTABLE_H
#define INIT_RBTABLE_H

#include <stdint.h>

#define RB_MAGIC 0x4252544DU  /* "MTRB" */
#define RB_COMMIT 0x5AC3E11DU /* neither erased nor zero */
#define RB_MAX_TAS 256        /* TAs with a counter */
#define RB_CHUNK 4096         /* bytes read from flash at a time */

struct rb_header {
	uint32_t magic, gen, zero, commit;
};
struct rb_entry {
	uint8_t uuid[16];
	uint32_t version;
	uint32_t zero;
	uint32_t check; /* rb_check() of the words before it */
	uint32_t commit;
};
_Static_assert(sizeof(struct rb_header) == 16, "rollback block header");
_Static_assert(sizeof(struct rb_entry) == 32, "rollback entry");

/* Two blocks of block_size bytes (a multiple of 16, at least 48). Each
 * call returns 0 or a negative error; program writes only erased words. */
struct rb_ops {
	void *ctx;
	uint32_t block_size;
	int (*read)(void *ctx, unsigned block, uint32_t off, void *dst, uint32_t len);
	int (*program)(void *ctx, unsigned block, uint32_t off, const void *src, uint32_t len);
	int (*erase)(void *ctx, unsigned block);
};

#define RB_OK 0
#define RB_EIO (-1)      /* the flash failed */
#define RB_ECORRUPT (-2) /* no valid table, and the blocks are not blank */
#define RB_EFULL (-3)    /* RB_MAX_TAS TAs have counters, or the block is too small */

struct rb_table {
	const struct rb_ops *ops;
	unsigned active;  /* the live block */
	uint32_t gen;     /* its generation */
	uint32_t next;    /* the byte offset of its first erased entry slot */
	unsigned n;       /* TAs with a counter */
	int formatted;    /* rb_mount made a fresh table */
	unsigned torn;    /* entries without their commit word */
	struct {
		uint8_t uuid[16];
		uint32_t version;
	} tas[RB_MAX_TAS];
	uint8_t chunk[RB_CHUNK];
};

/* Reads the table (and makes one on a blank device). */
int rb_mount(struct rb_table *t, const struct rb_ops *ops);
/* The highest version of this TA that has run; 0 if none. */
uint32_t rb_version(const struct rb_table *t, const uint8_t uuid[16]);
/* Records that `version` of this TA runs; RB_OK at once if it is not
 * higher than the recorded one. */
int rb_raise(struct rb_table *t, const uint8_t uuid[16], uint32_t version);

#endif
