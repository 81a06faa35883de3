/* Signed TA images against one public key (ta_check.h). */
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <string.h>

#include "ta_check.h"

static int signature_ok(const struct ta_shdr_parts *p, const uint8_t *hash, const uint8_t *sig,
                        const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len)
{
	mbedtls_rsa_context rsa;
	mbedtls_rsa_init(&rsa);
	int pss = p->hdr.algo == TA_SHDR_ALG_RSA_PSS_SHA256;
	int rc = mbedtls_rsa_import_raw(&rsa, n, n_len, 0, 0, 0, 0, 0, 0, e, e_len);
	if (rc == 0)
		rc = mbedtls_rsa_complete(&rsa);
	if (rc == 0 && mbedtls_rsa_get_len(&rsa) != TA_SHDR_SIG_SIZE)
		rc = -1; /* only RSA-2048 keys sign TAs */
	if (rc == 0)
		rc = mbedtls_rsa_set_padding(
		    &rsa, pss ? MBEDTLS_RSA_PKCS_V21 : MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_SHA256);
	if (rc == 0)
		rc = pss ? mbedtls_rsa_rsassa_pss_verify_ext(
		               &rsa, MBEDTLS_MD_SHA256, TA_SHDR_HASH_SIZE, hash, MBEDTLS_MD_SHA256,
		               TA_SHDR_HASH_SIZE, sig)
		         : mbedtls_rsa_pkcs1_verify(&rsa, MBEDTLS_MD_SHA256, TA_SHDR_HASH_SIZE,
		                                    hash, sig);
	mbedtls_rsa_free(&rsa);
	return rc == 0;
}

enum ta_check_result ta_check(const uint8_t *img, size_t len, const uint8_t uuid[16],
                              const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                              struct ta_shdr_parts *p)
{
	if (ta_shdr_parse(img, len, p) != 0)
		return TA_CHECK_MALFORMED;
	if (memcmp(p->boot.uuid, uuid, 16) != 0)
		return TA_CHECK_OTHER_UUID;
	uint8_t hash[TA_SHDR_HASH_SIZE];
	mbedtls_sha256_context h;
	mbedtls_sha256_init(&h);
	int rc = mbedtls_sha256_starts(&h, 0);
	if (rc == 0)
		rc = mbedtls_sha256_update(&h, img, sizeof(struct ta_shdr));
	if (rc == 0)
		rc = mbedtls_sha256_update(&h, img + p->boot_off, sizeof(struct ta_shdr_boot));
	if (rc == 0)
		rc = mbedtls_sha256_update(&h, img + p->img_off, p->img_size);
	if (rc == 0)
		rc = mbedtls_sha256_finish(&h, hash);
	mbedtls_sha256_free(&h);
	if (rc != 0)
		return TA_CHECK_INTERNAL;
	/* The signature is checked over the hash computed here; the header's
	 * own copy must agree, or the image was changed after signing. */
	if (memcmp(hash, img + p->hash_off, sizeof(hash)) != 0)
		return TA_CHECK_HASH;
	if (!signature_ok(p, hash, img + p->sig_off, n, n_len, e, e_len))
		return TA_CHECK_SIGNATURE;
	return TA_CHECK_OK;
}
