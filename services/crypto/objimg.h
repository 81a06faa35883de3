/* A key object as the crypto service exports it for storage: the
 * plaintext that the key service seals for the TA (KEY_OP_OBJ_SEAL) and
 * that CRYPTO_OP_OBJ_IMPORT reads back. Pure code (objimg.c), tested on the
 * host (tests/unit/test_objimg.c). All integers little-endian. */
#ifndef CRYPTO_OBJIMG_H
#define CRYPTO_OBJIMG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define OBJIMG_MAGIC 0x494F434DU /* "MCOI" */
#define OBJIMG_VERSION 1

struct crypto_obj_image {
	uint32_t magic;    /* OBJIMG_MAGIC */
	uint16_t version;  /* OBJIMG_VERSION */
	uint16_t nattrs;   /* attribute records after this, 1..OBJ_MAX_ATTRS */
	uint32_t type;     /* TEE_TYPE_* */
	uint32_t max_bits; /* the object's maximum key size */
	uint32_t key_bits; /* its key size */
	uint32_t usage;    /* TEE_USAGE_* */
	uint32_t attrs_len; /* bytes of records (crypto_ipc.h's format) after this */
	uint32_t reserved;  /* 0 */
};
_Static_assert(sizeof(struct crypto_obj_image) == 32, "crypto_obj_image layout");

/* Bytes an image of these attributes takes. */
size_t objimg_size(const struct attr *a, unsigned n);
/* Writes the image into out (cap bytes); *len gets its size. 0, or -1 if it
 * does not fit or n is not 1..OBJ_MAX_ATTRS. */
int objimg_write(uint8_t *out, size_t cap, const struct crypto_obj_image *h, const struct attr *a,
                 unsigned n, size_t *len);
/* Reads an image: *h and up to OBJ_MAX_ATTRS attributes, whose data point
 * into `in`. 0, or -1 for anything malformed (framing, lengths, reserved
 * fields, a record count that differs, an attribute twice). */
int objimg_read(const uint8_t *in, size_t len, struct crypto_obj_image *h, struct attr *a,
                unsigned *n);

#endif
