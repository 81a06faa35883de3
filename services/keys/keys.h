/* The key service's internals. The wire protocol and every format it
 * produces are in include/microtee/key_ipc.h; services/keys/README.md
 * describes the service as a whole. */
#ifndef KEYS_SVC_H
#define KEYS_SVC_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/microtee/key_ipc.h"
#include "../../lib/tee/include/tee_api_defines.h"
#include "mt.h"

/* Where the service maps things (its own convention; syscall.h has the
 * user address space). */
#define KEYS_WIN_VA   0x60000000UL /* a request's data object, for that request only */
#define KEYS_TABLE_VA 0x61000000UL /* init's client table, read-only */
#define KEYS_FLASH_VA 0x62000000UL /* a buffer for the flash driver, at start */

/* The caller of the request being served. */
struct caller {
	uint64_t badge;
	int is_ta;        /* found in init's client table */
	uint8_t uuid[16]; /* ... with this UUID */
};

/* serve.c: one request. What it needs of the service's start: */
struct keys_conf {
	const volatile struct key_client *table; /* init's client table (read-only), or 0 */
	int test_hooks;                          /* KEY_OP_TEST_CRASH is honoured */
	int measured;                            /* the firmware was measured: reports are possible */
	uint32_t state;                          /* KEY_STATE_* */
	uint32_t run_tag;                        /* random, for this run of the service (KEY_OP_HELLO) */
};
/* A reply's w0 is the result; w1..w3 as key_ipc.h says. */
struct reply {
	uint64_t w[4];
};
/* Serves one request: returns the reply's w0 and fills r->w[1..3]. It
 * closes every handle the message carried and leaves nothing mapped. */
uint32_t keys_serve(const struct keys_conf *conf, const struct mt_msg *m, struct reply *r);

/* rng.c: a CTR_DRBG seeded from RNDR; raw conditioned entropy. */
#include "../common/rng.h"

/* nv.c: the hardware-unique key in the key area of secure flash0, through
 * the flash driver's endpoint `flash`. */
enum nv_state { NV_LOADED, NV_PROVISIONED, NV_FAILED };
/* Reads the HUK, or provisions one from `fresh` if the area is blank. */
enum nv_state nv_huk(mt_handle_t flash, const uint8_t fresh[32], uint8_t huk[32]);

/* measure.c: the firmware measurements taken at start. */
struct meas {
	uint32_t kind, offset, size;
	char name[48];
	uint8_t sha256[32];
};
extern struct meas meas[KEY_REPORT_MEAS_MAX];
extern unsigned nmeas;
int measure_firmware(mt_handle_t flash);
/* The measurement of the TA image with this UUID, or 0. */
const struct meas *measure_ta(const uint8_t uuid[16]);

/* keys.c: derivation, sealing, attestation. */
int keys_init(const uint8_t huk[32], uint32_t state);
void keys_device_info(struct key_device_info *out);
int keys_derive(const uint8_t uuid[16], const uint8_t *label, size_t label_len, uint8_t *out,
                size_t out_len);
uint32_t keys_seal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out);
uint32_t keys_unseal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out,
                     size_t *out_len);
/* The storage service's records: under the owner's storage key, with aad. */
uint32_t keys_store_seal(const uint8_t owner[16], const uint8_t *aad, size_t aad_len,
                         const uint8_t *in, size_t len, uint8_t *out);
uint32_t keys_store_unseal(const uint8_t owner[16], const uint8_t *aad, size_t aad_len,
                           const uint8_t *in, size_t len, uint8_t *out, size_t *out_len);
/* A crypto-service key object's blob for a TA (key_ipc.h, KEY_OP_OBJ_*):
 * out gets KEY_OBJ_BLOB_SIZE(len) bytes. Unsealing another TA's blob is
 * TEE_ERROR_ACCESS_DENIED, a damaged one TEE_ERROR_CORRUPT_OBJECT. */
uint32_t keys_obj_seal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out);
uint32_t keys_obj_unseal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out,
                         size_t *out_len);
uint32_t keys_attest(const uint8_t uuid[16], const uint8_t *nonce, size_t nonce_len, uint8_t *out,
                     size_t *out_len);

void keys_wipe(void *p, size_t n);

/* Copies use memcpy (the service links picolibc's word-wise release
 * build). Wipes go 8 bytes at a time, kept from becoming a memset call. */
/* Wipes what held secrets; the barrier keeps the stores. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) static inline void bulk_wipe(void *p,
                                                                                           size_t n)
{
	uint8_t *d = p;
	const uint64_t z = 0;
	for (; n >= 8; n -= 8, d += 8)
		__builtin_memcpy(d, &z, 8);
	for (; n; n--)
		*d++ = 0;
	__asm__ volatile("" : : "r"(p) : "memory");
}

#endif
