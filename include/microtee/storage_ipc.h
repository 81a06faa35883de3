/* The storage service's IPC protocol (services/storage): GP persistent
 * objects for TAs (lib/tee/storage.c is the client), kept in the
 * secure-flash backend (services/storage/flashstore.h) or in the REE-FS
 * backend (services/storage/reefs.h: files of the normal world, anchored in
 * the flash; docs/storage.md).
 *
 * Identity. init gives each TA instance a CALL handle to the service under
 * the same badge as its key-service handle, and the service maps init's
 * client table (include/microtee/key_ipc.h, struct key_client) read-only:
 * a caller's owner is the UUID the table names for its badge, never
 * anything in a message. A badge in no table entry is no TA: it may only
 * ask STORE_OP_HELLO (and STORE_OP_TEST_CRASH when test hooks are on).
 * When an instance ends, init clears its entry; at the start of every
 * request the service drops the open handles whose badge is no longer in
 * the table, so nothing a dead client held (its sharing locks) outlives it
 * for any later request to see.
 *
 * Handles. The service keeps each open object: the owner, the object id,
 * the GP flags it was opened with and its data position. A handle value is
 * (run tag << 32 | generation << 16 | slot): a handle of an earlier run
 * of the service (before a restart), or of another client, is
 * TEE_ERROR_BAD_PARAMETERS. At most STORE_HANDLES_PER_CLIENT per client.
 *
 * Data. Requests that move bytes carry a shared-memory object in handle
 * slot 0, mapped for that request only; spans are STORE_SPAN(offset,
 * length) into it (checked against its size, inputs copied out before use).
 * The service closes every handle a message carried.
 *
 * Message: w0 = STORE_OP_*, w1..w3 as below. Reply: w0 = TEE_Result (GP
 * values), w1..w3 as below. */
#ifndef MICROTEE_STORAGE_IPC_H
#define MICROTEE_STORAGE_IPC_H

#include <stdint.h>

/* Backends: the secure flash (TEE_STORAGE_PRIVATE, _RPMB), and files in the
 * normal world anchored in it (TEE_STORAGE_PRIVATE_REE; docs/storage.md).
 * A handle stays with the backend it was opened on; the same id in two
 * backends is two objects. REE requests need a normal-world call behind
 * them and tee-supplicant (else STORAGE_NOT_AVAILABLE); the same limits. */
#define STORE_BACKEND_FLASH      0
#define STORE_BACKEND_REE        1
#define STORE_FLAGS(gp, backend) ((uint64_t)(uint32_t)(gp) | (uint64_t)(backend) << 32)
#define STORE_FLAGS_GP(w)        ((uint32_t)(w))
#define STORE_FLAGS_BACKEND(w)   (((w) >> 32) & 0xFF)
/* STORE_OP_CREATE only: bytes of attributes at the start of the data span. */
#define STORE_FLAGS_ATTRS(n)     ((uint64_t)(uint16_t)(n) << 40)
#define STORE_FLAGS_ATTRS_OF(w)  ((uint32_t)((w) >> 40) & 0xFFFF)
#define STORE_FLAGS_EXTRA(w)     ((w) >> 40) /* what OPEN requires to be 0 */

#define STORE_SPAN(off, len) ((uint64_t)(uint32_t)(off) | ((uint64_t)(uint32_t)(len) << 32))
#define STORE_SPAN_OFF(s) ((uint32_t)(s))
#define STORE_SPAN_LEN(s) ((uint32_t)((s) >> 32))

#define STORE_WINDOW_MAX (64 * 1024) /* largest data object the service maps */
#define STORE_ID_MAX 64              /* TEE_OBJECT_ID_MAX_LEN; ids are 0..64 bytes */
#define STORE_DATA_MAX 16384         /* bytes of data per object (FS_DATA_MAX) */
/* Stored attributes (docs/storage.md, "Stored attributes"): an object may
 * carry up to STORE_ATTRS_MAX bytes of attributes, which the service keeps
 * ahead of its data in the same record and never interprets (lib/tee puts
 * a struct store_attrs_header there, then the crypto service's sealed key
 * blob). They count against the object's STORE_DATA_MAX: an object with a
 * bytes of attributes holds at most STORE_DATA_MAX - a bytes of data. Data
 * sizes and positions in every request and reply are the data's alone. */
#define STORE_ATTRS_MAX 4096
/* Per-owner quotas, so that one TA cannot fill the store for everyone: at
 * most STORE_OWNER_OBJECTS objects (both backends: an REE object's
 * directory entry is one of the owner's flash objects), and at most
 * STORE_OWNER_BYTES of the flash store's room, each flash object counted
 * at its largest record (flashstore.c, the margin; an REE object's data is
 * in the normal world and counts only as an object). A create, write,
 * truncation or SET_ATTRS past them is TEE_ERROR_STORAGE_NO_SPACE. */
#define STORE_OWNER_OBJECTS 64
#define STORE_OWNER_BYTES (256 * 1024)
#define STORE_HANDLES_PER_CLIENT 16
#define STORE_HANDLES_MAX 64

/* ---- requests ---- (0x53xx: 'S') */
#define STORE_OP_HELLO 0x5301    /* -> w1 = STORE_HELLO_MAGIC, w2 = STORE_PROTOCOL_VERSION,
				  * w3 = STORE_STATE_* | run tag << 32 (changes when the
				  * service is restarted). Any caller. */
#define STORE_OP_OPEN 0x5302     /* w1 = STORE_FLAGS(GP flags, backend), w2 = SPAN id, w3 =
				  * SPAN out for the attributes (may be empty) -> w1 =
				  * handle, w2 = data size, w3 = bytes of attributes, which
				  * are in the span (SHORT_BUFFER, no handle, if they do not
				  * fit). ITEM_NOT_FOUND, ACCESS_CONFLICT (sharing). */
#define STORE_OP_CREATE 0x5303   /* w1 = STORE_FLAGS(GP flags, backend) | STORE_FLAGS_ATTRS(a),
				  * w2 = SPAN id, w3 = SPAN of a bytes of attributes, then
				  * the initial data
				  * -> w1 = handle. ACCESS_CONFLICT: it exists and the flags
				  * lack OVERWRITE, or it is open. STORAGE_NO_SPACE. */
#define STORE_OP_CLOSE 0x5304    /* w1 = handle */
#define STORE_OP_READ 0x5305     /* w1 = handle, w2 = SPAN out -> w1 = bytes read from the
				  * position (0 at or past the end); the position moves on */
#define STORE_OP_WRITE 0x5306    /* w1 = handle, w2 = SPAN data: written at the position
				  * (a gap past the end reads as zeros); the position moves on */
#define STORE_OP_TRUNCATE 0x5307 /* w1 = handle, w2 = new size (zeros added if larger) */
#define STORE_OP_SEEK 0x5308     /* w1 = handle, w2 = offset (signed 64), w3 = TEE_Whence
				  * -> w1 = the new position (below 0 becomes 0; above
				  * TEE_DATA_MAX_POSITION: TEE_ERROR_OVERFLOW) */
#define STORE_OP_INFO 0x5309     /* w1 = handle -> w1 = data size, w2 = position, w3 = flags */
#define STORE_OP_DELETE 0x530A   /* w1 = handle (WRITE_META): deletes the object, closes it */
#define STORE_OP_RENAME 0x530B   /* w1 = handle (WRITE_META), w2 = SPAN new id.
				  * ACCESS_CONFLICT: the new id is taken */
#define STORE_OP_NEXT 0x530C     /* w1 = SPAN after, w2 = SPAN out (STORE_ID_MAX bytes),
				  * w3 = backend | STORE_NEXT_AFTER -> w1 = the caller's
				  * next object id's length (0..STORE_ID_MAX), w2 = its data
				  * size; ITEM_NOT_FOUND after the last. Without
				  * STORE_NEXT_AFTER, from the first (w1 ignored); with it,
				  * the id after w1's, which may be the empty id. Ids come
				  * in the order of (length, bytes). */
#define STORE_NEXT_AFTER (1ULL << 8)
#define STORE_OP_SET_ATTRS 0x530D /* w1 = handle, w2 = SPAN attributes (0..STORE_ATTRS_MAX):
				   * they replace the object's, its data stays (one atomic
				   * update; TEE_RestrictObjectUsage1). STORAGE_NO_SPACE if
				   * data and attributes exceed STORE_DATA_MAX. */
/* Attributes as lib/tee stores them: this header, then blob_len bytes of the
 * crypto service's sealed key blob (CRYPTO_OP_OBJ_EXPORT), none for a data
 * object whose usage was restricted. */
#define STORE_ATTRS_MAGIC 0x4154534DU /* "MSTA" */
struct store_attrs_header {
	uint32_t magic;    /* STORE_ATTRS_MAGIC */
	uint32_t usage;    /* the object's TEE_USAGE_* flags */
	uint32_t blob_len; /* bytes of key blob after this header */
	uint32_t reserved; /* 0 */
};
_Static_assert(sizeof(struct store_attrs_header) == 16, "store_attrs_header layout");
#define STORE_OP_TEST_CRASH 0x537E /* test hooks only (else NOT_SUPPORTED): w1 = 0, fault now;
				  * w1 = n > 0: fault at the n-th flash program of the next
				  * update (a cut in the middle of a write); w1 =
				  * STORE_CRASH_BEFORE_RAISE: fault after the next update's
				  * commit, before the rollback counter is raised (a cut
				  * between the two). Any caller. */
#define STORE_CRASH_BEFORE_RAISE 0xFFFFFFFFULL

/* ---- the store's rollback counter: from the storage service to init ----
 * (docs/storage.md, "Rollback"). After each committed update the service
 * raises a monotonic counter to fs_head(); at mount, fs_head() must be at
 * least the counter. The counter is an entry of init's anti-rollback table
 * (services/init/rbtable.h) under STORE_COUNTER_UUID, a UUID no TA may
 * have: init refuses to start a TA by that UUID. The service calls init's
 * supervisor endpoint under SUP_BADGE_STORAGE, which may ask these two
 * requests and nothing else (no TA starts), and only of this one entry: no
 * message names a UUID. Reply: w0 = TEE_Result, w1 = the counter after.
 * Counters are 32 bits (rbtable's versions): a value above that is
 * TEE_ERROR_OVERFLOW. Served by init's supervisor thread, the only user of
 * the table. */
#define SUP_OP_STORE_COUNTER_GET 0x5380   /* -> w1 = the counter (0: none yet) */
#define SUP_OP_STORE_COUNTER_RAISE 0x5381 /* w1 = value: raise the counter to it (a
					   * lower value leaves it, TEE_SUCCESS)
					   * -> w1 = the counter */
#define SUP_BADGE_STORAGE 0x53544F5245ULL /* "STORE": the storage service's badge at init */
/* "MTEESTORCOUNTER!" read as octets: 4d544545-5354-4f52-434f-554e54455221 */
#define STORE_COUNTER_UUID                                                                     \
	{0x4d, 0x54, 0x45, 0x45, 0x53, 0x54, 0x4f, 0x52, 0x43, 0x4f, 0x55, 0x4e, 0x54, 0x45, 0x52, \
	 0x21}

#define STORE_HELLO_MAGIC 0x4D5453544F524531ULL /* "MTSTORE1" */
#define STORE_PROTOCOL_VERSION 1

#define STORE_STATE_MOUNTED 0x1    /* the store is up */
#define STORE_STATE_FORMATTED 0x2  /* this run found a blank region and made a store */
#define STORE_STATE_CORRUPT 0x4    /* mount found damage: every request is CORRUPT_OBJECT */
#define STORE_STATE_TEST_HOOKS 0x8 /* STORE_OP_TEST_CRASH is honoured */
#define STORE_STATE_ROLLBACK 0x10  /* with CORRUPT: fs_head() is below the rollback counter */
#define STORE_STATE_UNCHECKED 0x20 /* the counter could not be read: every request is
				    * STORAGE_NOT_AVAILABLE until it can */

/* The service's start argument: its endpoint (RECV), the flash driver
 * (CALL, badged to write FLASH_REGION_STORAGE only), the key service
 * (CALL, badge KEY_BADGE_STORAGE), init's client table (MAP_R), init's
 * supervisor endpoint (CALL, badge SUP_BADGE_STORAGE: the rollback
 * counter), 8 bits each; with STORE_START_ARG_RPC, the RPC service (CALL,
 * badge RPC_ALLOW_FS: the REE-FS backend's files); flags from bit 48. */
#define STORE_START_ARG(ep, flash, keys, table, sup, flags)                                    \
	((unsigned long)(ep) | (unsigned long)(flash) << 8 | (unsigned long)(keys) << 16 |     \
	 (unsigned long)(table) << 24 | (unsigned long)(sup) << 32 | (unsigned long)(flags) << 48)
#define STORE_START_ARG_RPC(rpc) ((unsigned long)(rpc) << 40)
#define STORE_START_ARG_HANDLE(a, i) \
	(((a) >> (8 * (i))) & 0xFFUL) /* 0 ep, 1 flash, 2 keys, 3 table, 4 sup, 5 rpc */
#define STORE_START_ARG_FLAGS(a) ((a) >> 48)
#define STORE_START_TEST_HOOKS 1UL

/* tests/progs/test_storage's start argument (scenarios storage*): the test
 * number, init's supervisor endpoint, and the storage service under a
 * badge that is in no client table. */
#define STORE_TEST_ARG(test, sup, store) \
	((unsigned long)(test) | (unsigned long)(sup) << 8 | (unsigned long)(store) << 16)
#define STORE_TEST_ARG_GET(a, i) (((a) >> (8 * (i))) & 0xFFUL) /* 0 test, 1 sup, 2 store */

#endif
