/* The check of a signed TA image against one RSA public key: layout
 * (shdr.c), UUID, the hash computed here, the signature over it. Pure code
 * over bytes and mbedTLS, so the host unit tests run it under ASan
 * (tests/unit/test_tacheck.c); ta_verify.c runs it with the key built in. */
#ifndef CRYPTO_TA_CHECK_H
#define CRYPTO_TA_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/microtee/ta_shdr.h"

enum ta_check_result {
	TA_CHECK_OK = 0,
	TA_CHECK_MALFORMED,  /* the signed header or the sizes */
	TA_CHECK_OTHER_UUID, /* signed for another TA */
	TA_CHECK_HASH,       /* changed after signing: the hash differs */
	TA_CHECK_SIGNATURE,  /* not signed by this key */
	TA_CHECK_INTERNAL,   /* the crypto library failed */
};

/* The image is the TA's signed header, or a chain of OP-TEE subkeys
 * before it (ta_shdr.h), the first signed by the key (n, e). On
 * TA_CHECK_OK, *parts says where the ELF file and the version are, its
 * offsets from the start of img. A subkey's own version is not checked
 * against rollback (the TA's is, by init). */
enum ta_check_result ta_check(const uint8_t *img, size_t len, const uint8_t uuid[16],
			      const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
			      struct ta_shdr_parts *parts);
/* The UUID a subkey's namespace gives the next TA or subkey (ta_shdr.h):
 * 0, or -1 if the hash failed. */
int ta_check_next_uuid(const uint8_t subkey_uuid[16], const uint8_t *name, size_t name_size,
		       uint8_t out[16]);

#endif
