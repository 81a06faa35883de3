/* Verification of signed TA images (include/microtee/ta_shdr.h) for the TA
 * loader: the layout (shdr.c), the SHA-256 hash over what is signed, and
 * the RSA-2048 signature under the key built into this service
 * (ta_pubkey.h, generated from the signing key by host/tasign at build
 * time). Only init, the loader, may ask (CRYPTO_OP_TA_VERIFY). */
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/ta_shdr.h"
#include "crypto.h"
#include "mt.h"
#include "ta_pubkey.h"

/* Where the image is mapped while it is checked (clear of the windows). */
#define TA_IMAGE_VA (MT_USER_SHM + 0x4000000UL)

static int signature_ok(const struct ta_shdr_parts *p, const uint8_t *hash, const uint8_t *sig)
{
	mbedtls_rsa_context rsa;
	mbedtls_rsa_init(&rsa);
	int pss = p->hdr.algo == TA_SHDR_ALG_RSA_PSS_SHA256;
	int rc = mbedtls_rsa_import_raw(&rsa, ta_pubkey_n, sizeof(ta_pubkey_n), 0, 0, 0, 0, 0, 0,
					ta_pubkey_e, sizeof(ta_pubkey_e));
	if (rc == 0)
		rc = mbedtls_rsa_complete(&rsa);
	if (rc == 0)
		rc = mbedtls_rsa_set_padding(&rsa, pss ? MBEDTLS_RSA_PKCS_V21 : MBEDTLS_RSA_PKCS_V15,
					     MBEDTLS_MD_SHA256);
	if (rc == 0)
		rc = pss ? mbedtls_rsa_rsassa_pss_verify_ext(&rsa, MBEDTLS_MD_SHA256, TA_SHDR_HASH_SIZE,
							     hash, MBEDTLS_MD_SHA256,
							     TA_SHDR_HASH_SIZE, sig)
			 : mbedtls_rsa_pkcs1_verify(&rsa, MBEDTLS_MD_SHA256, TA_SHDR_HASH_SIZE, hash,
						    sig);
	mbedtls_rsa_free(&rsa);
	return rc == 0;
}

static TEE_Result check(const uint8_t *img, size_t len, const uint8_t uuid[16], struct reply *r)
{
	struct ta_shdr_parts p;
	if (ta_shdr_parse(img, len, &p) != 0) {
		printf("[crypto] TA image refused: malformed signed header\n");
		return TEE_ERROR_SECURITY;
	}
	if (memcmp(p.boot.uuid, uuid, 16) != 0) {
		printf("[crypto] TA image refused: signed for another UUID\n");
		return TEE_ERROR_SECURITY;
	}
	uint8_t hash[TA_SHDR_HASH_SIZE];
	mbedtls_sha256_context h;
	mbedtls_sha256_init(&h);
	int rc = mbedtls_sha256_starts(&h, 0);
	if (rc == 0)
		rc = mbedtls_sha256_update(&h, img, sizeof(struct ta_shdr));
	if (rc == 0)
		rc = mbedtls_sha256_update(&h, img + p.boot_off, sizeof(struct ta_shdr_boot));
	if (rc == 0)
		rc = mbedtls_sha256_update(&h, img + p.img_off, p.img_size);
	if (rc == 0)
		rc = mbedtls_sha256_finish(&h, hash);
	mbedtls_sha256_free(&h);
	if (rc != 0)
		return TEE_ERROR_GENERIC;
	/* The signature is checked over the hash computed here; the header's
	 * own copy must agree, or the image was changed after signing. */
	if (memcmp(hash, img + p.hash_off, sizeof(hash)) != 0) {
		printf("[crypto] TA image refused: its hash does not match\n");
		return TEE_ERROR_SECURITY;
	}
	if (!signature_ok(&p, hash, img + p.sig_off)) {
		printf("[crypto] TA image refused: bad signature\n");
		return TEE_ERROR_SECURITY;
	}
	r->w[1] = p.img_off;
	r->w[2] = p.img_size;
	r->w[3] = p.boot.version;
	return TEE_SUCCESS;
}

TEE_Result ta_verify(unsigned long shm, const uint64_t *w, struct reply *r)
{
	uint8_t uuid[16];
	for (int i = 0; i < 8; i++) {
		uuid[i] = (uint8_t)(w[2] >> (56 - 8 * i));
		uuid[8 + i] = (uint8_t)(w[3] >> (56 - 8 * i));
	}
	unsigned long mapped = 0;
	if (!shm || MT_SYS_R1(&mapped, SYS_SHM_MAP, shm, TA_IMAGE_VA, MT_PROT_R) != MT_OK)
		return BADP(r);
	TEE_Result res = w[1] && w[1] <= mapped ? check((const uint8_t *)TA_IMAGE_VA, w[1], uuid, r)
						: BADP(r);
	mt_mem_unmap(TA_IMAGE_VA, mapped);
	return res;
}
