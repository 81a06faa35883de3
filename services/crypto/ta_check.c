/* Signed TA images against one public key (ta_check.h). */
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <stdbool.h>
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

/* The TA's own signed header and image, signed by (n, e). */
static enum ta_check_result check_ta(const uint8_t *img, size_t len, const uint8_t uuid[16],
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

int ta_check_next_uuid(const uint8_t subkey_uuid[16], const uint8_t *name, size_t name_size,
                       uint8_t out[16])
{
	if (!name_size) {
		memcpy(out, subkey_uuid, 16);
		return 0;
	}
	size_t nlen = 0;
	while (nlen < name_size && name[nlen])
		nlen++;
	uint8_t d[64];
	mbedtls_sha512_context h;
	mbedtls_sha512_init(&h);
	int rc = mbedtls_sha512_starts(&h, 0);
	if (rc == 0)
		rc = mbedtls_sha512_update(&h, subkey_uuid, 16);
	if (rc == 0)
		rc = mbedtls_sha512_update(&h, name, nlen);
	if (rc == 0)
		rc = mbedtls_sha512_finish(&h, d);
	mbedtls_sha512_free(&h);
	if (rc != 0)
		return -1;
	memcpy(out, d, 16);
	out[6] = (uint8_t)((out[6] & 0x0F) | 0x50); /* version 5 */
	out[8] = (uint8_t)((out[8] & 0x3F) | 0x80); /* the RFC 4122 variant */
	return 0;
}

/* One subkey's signed header at img[0..len): checked and verified with
 * (*n, *e); then (*n, *e) become its key, *skip how far the next header
 * is, and next_uuid and *depth its namespace and depth. */
static enum ta_check_result check_subkey(const uint8_t *img, size_t len, const uint8_t **n,
                                         size_t *n_len, const uint8_t **e, size_t *e_len,
                                         bool *have_uuid, uint8_t next_uuid[16], uint32_t *depth,
                                         size_t *skip)
{
	struct ta_shdr h;
	memcpy(&h, img, sizeof(h));
	size_t sk_off = sizeof(h) + TA_SHDR_HASH_SIZE + TA_SHDR_SIG_SIZE;
	if ((h.algo != TA_SHDR_ALG_RSA_PSS_SHA256 && h.algo != TA_SHDR_ALG_RSA_PKCS1_SHA256) ||
	    h.hash_size != TA_SHDR_HASH_SIZE || h.sig_size != TA_SHDR_SIG_SIZE ||
	    h.img_size < sizeof(struct ta_shdr_subkey) || len < sk_off || len - sk_off < h.img_size)
		return TA_CHECK_MALFORMED;
	const uint8_t *sk = img + sk_off;
	uint8_t hash[TA_SHDR_HASH_SIZE];
	mbedtls_sha256_context c;
	mbedtls_sha256_init(&c);
	int rc = mbedtls_sha256_starts(&c, 0);
	if (rc == 0)
		rc = mbedtls_sha256_update(&c, img, sizeof(h));
	if (rc == 0)
		rc = mbedtls_sha256_update(&c, sk, h.img_size);
	if (rc == 0)
		rc = mbedtls_sha256_finish(&c, hash);
	mbedtls_sha256_free(&c);
	if (rc != 0)
		return TA_CHECK_INTERNAL;
	if (memcmp(hash, img + sizeof(h), sizeof(hash)) != 0)
		return TA_CHECK_HASH;
	struct ta_shdr_parts p = {.hdr = h};
	if (!signature_ok(&p, hash, img + sizeof(h) + TA_SHDR_HASH_SIZE, *n, *n_len, *e, *e_len))
		return TA_CHECK_SIGNATURE;
	/* Authentic from here on; still checked as if it were not. */
	struct ta_shdr_subkey s;
	memcpy(&s, sk, sizeof(s));
	if (s.attr_count > (h.img_size - sizeof(s)) / sizeof(struct ta_shdr_subkey_attr) ||
	    s.max_depth >= *depth || (*have_uuid && memcmp(s.uuid, next_uuid, 16) != 0) ||
	    (s.algo != TA_SHDR_ALG_RSA_PSS_SHA256 && s.algo != TA_SHDR_ALG_RSA_PKCS1_SHA256))
		return TA_CHECK_MALFORMED;
	const uint8_t *kn = 0, *ke = 0;
	size_t kn_len = 0, ke_len = 0;
	for (uint32_t i = 0; i < s.attr_count; i++) {
		struct ta_shdr_subkey_attr a;
		memcpy(&a, sk + sizeof(s) + i * sizeof(a), sizeof(a));
		if (a.offs > h.img_size || a.size > h.img_size - a.offs)
			return TA_CHECK_MALFORMED;
		if (a.id == TA_SHDR_ATTR_RSA_MODULUS)
			kn = sk + a.offs, kn_len = a.size;
		else if (a.id == TA_SHDR_ATTR_RSA_PUBLIC_EXPONENT)
			ke = sk + a.offs, ke_len = a.size;
	}
	if (!kn || !ke || !kn_len || !ke_len)
		return TA_CHECK_MALFORMED;
	size_t name_off = sk_off + h.img_size;
	if (s.name_size > len - name_off)
		return TA_CHECK_MALFORMED;
	if (ta_check_next_uuid(s.uuid, img + name_off, s.name_size, next_uuid) != 0)
		return TA_CHECK_INTERNAL;
	*have_uuid = true;
	*depth = s.max_depth;
	*n = kn, *n_len = kn_len, *e = ke, *e_len = ke_len;
	*skip = name_off + s.name_size;
	return TA_CHECK_OK;
}

enum ta_check_result ta_check(const uint8_t *img, size_t len, const uint8_t uuid[16],
                              const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                              struct ta_shdr_parts *p)
{
	size_t off = 0;
	bool have_uuid = false;
	uint8_t next_uuid[16];
	uint32_t depth = UINT32_MAX;
	for (unsigned k = 0;; k++) {
		struct ta_shdr h;
		if (!img || len - off < sizeof(h))
			return TA_CHECK_MALFORMED;
		memcpy(&h, img + off, sizeof(h));
		if (h.magic != TA_SHDR_MAGIC)
			return TA_CHECK_MALFORMED;
		if (h.img_type != TA_SHDR_SUBKEY)
			break;
		size_t skip;
		if (k == TA_SHDR_MAX_SUBKEYS)
			return TA_CHECK_MALFORMED;
		enum ta_check_result r = check_subkey(img + off, len - off, &n, &n_len, &e, &e_len,
		                                      &have_uuid, next_uuid, &depth, &skip);
		if (r != TA_CHECK_OK)
			return r;
		off += skip;
	}
	/* The TA in the last subkey's namespace. */
	if (have_uuid && memcmp(uuid, next_uuid, 16) != 0)
		return TA_CHECK_OTHER_UUID;
	enum ta_check_result r = check_ta(img + off, len - off, uuid, n, n_len, e, e_len, p);
	if (r == TA_CHECK_OK) {
		p->hash_off += off;
		p->sig_off += off;
		p->boot_off += off;
		p->img_off += off;
	}
	return r;
}
