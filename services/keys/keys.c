/* What the key service does with the hardware-unique key: derive (HKDF
 * over the HUK, key_ipc.h lists the purposes), seal (AES-256-GCM under a
 * per-TA key), and attest (ECDSA P-256 with a key derived from the HUK).
 * The HUK, the attestation private key and every sealing key stay in this
 * file's memory; what leaves is a TA's own derived key, sealed blobs,
 * reports and the public key. */
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include "keys.h"

static uint8_t huk[32];
static uint32_t service_state; /* KEY_STATE_* */
static mbedtls_ecp_group grp;
static mbedtls_mpi attest_d;   /* the attestation private key */
static uint8_t attest_pub[65]; /* its public key, uncompressed */
static uint8_t device_id[16];

void keys_wipe(void *p, size_t n)
{
	bulk_wipe(p, n);
}

/* HKDF-SHA256(salt, HUK, info = purpose || NUL || ctx || ctx2). */
static int hkdf(const char *purpose, const uint8_t *ctx, size_t ctx_len, const uint8_t *ctx2,
                size_t ctx2_len, uint8_t *out, size_t out_len)
{
	uint8_t info[64 + 17 + KEY_LABEL_MAX];
	size_t n = strlen(purpose) + 1;
	if (n > 64 || ctx_len > 17 || ctx2_len > KEY_LABEL_MAX)
		return -1;
	memcpy(info, purpose, n);
	if (ctx_len)
		memcpy(info + n, ctx, ctx_len);
	n += ctx_len;
	if (ctx2_len)
		memcpy(info + n, ctx2, ctx2_len);
	n += ctx2_len;
	return mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
	                    (const uint8_t *)KEY_HKDF_SALT, sizeof(KEY_HKDF_SALT) - 1, huk,
	                    sizeof(huk), info, n, out, out_len);
}

int keys_init(const uint8_t key[32], uint32_t state)
{
	memcpy(huk, key, sizeof(huk));
	service_state = state;

	/* The attestation key: d = (c mod (n - 1)) + 1 from 48 derived bytes. */
	uint8_t c[48];
	mbedtls_mpi ci, nm1;
	mbedtls_ecp_point q;
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&attest_d);
	mbedtls_mpi_init(&ci);
	mbedtls_mpi_init(&nm1);
	mbedtls_ecp_point_init(&q);
	size_t olen = 0;
	int rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!rc)
		rc = hkdf(KEY_INFO_ATTEST, 0, 0, 0, 0, c, sizeof(c));
	if (!rc)
		rc = mbedtls_mpi_read_binary(&ci, c, sizeof(c));
	if (!rc)
		rc = mbedtls_mpi_sub_int(&nm1, &grp.N, 1);
	if (!rc)
		rc = mbedtls_mpi_mod_mpi(&attest_d, &ci, &nm1);
	if (!rc)
		rc = mbedtls_mpi_add_int(&attest_d, &attest_d, 1);
	if (!rc)
		rc = mbedtls_ecp_check_privkey(&grp, &attest_d);
	if (!rc)
		rc = mbedtls_ecp_mul(&grp, &q, &attest_d, &grp.G, rng_fill, 0);
	if (!rc)
		rc = mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
		                                    attest_pub, sizeof(attest_pub));
	if (!rc && olen != sizeof(attest_pub))
		rc = -1;
	keys_wipe(c, sizeof(c));
	mbedtls_mpi_free(&ci);
	mbedtls_mpi_free(&nm1);
	mbedtls_ecp_point_free(&q);
	if (rc)
		return rc;

	uint8_t h[32];
	mbedtls_sha256(attest_pub, sizeof(attest_pub), h, 0);
	memcpy(device_id, h, sizeof(device_id));
	device_id[6] = (uint8_t)((device_id[6] & 0x0F) | 0x80); /* version 8 */
	device_id[8] = (uint8_t)((device_id[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	return 0;
}

void keys_device_info(struct key_device_info *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->device_id, device_id, sizeof(device_id));
	out->flags = service_state;
	memcpy(out->pubkey, attest_pub, sizeof(attest_pub));
}

int keys_derive(const uint8_t uuid[16], const uint8_t *label, size_t label_len, uint8_t *out,
                size_t out_len)
{
	uint8_t ctx[17];
	memcpy(ctx, uuid, 16);
	ctx[16] = (uint8_t)out_len;
	return hkdf(KEY_INFO_TA_KEY, ctx, sizeof(ctx), label, label_len, out, out_len);
}

/* AES-256-GCM under a key of `purpose` for `uuid`, with the header, the
 * UUID and the device ID as the first 64 bytes of additional data. */
static int seal_setup(mbedtls_gcm_context *gcm, const char *purpose, const uint8_t uuid[16],
                      const struct key_sealed_header *h, uint8_t *aad)
{
	uint8_t key[32];
	memcpy(aad, h, 32);
	memcpy(aad + 32, uuid, 16);
	memcpy(aad + 48, device_id, 16);
	mbedtls_gcm_init(gcm);
	int rc = hkdf(purpose, uuid, 16, 0, 0, key, sizeof(key));
	if (!rc)
		rc = mbedtls_gcm_setkey(gcm, MBEDTLS_CIPHER_ID_AES, key, 256);
	keys_wipe(key, sizeof(key));
	return rc;
}

/* Seals `in` under purpose's key for uuid, with extra additional data. */
static uint32_t seal_any(const char *purpose, const char *magic, const uint8_t uuid[16],
                         const uint8_t *extra, size_t extra_len, const uint8_t *in, size_t len,
                         uint8_t *out)
{
	struct key_sealed_header h;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, magic, sizeof(h.magic));
	h.version = KEY_SEAL_VERSION;
	h.alg = KEY_SEAL_ALG_AES256_GCM;
	h.data_len = (uint32_t)len;
	if (extra_len > KEY_STORE_AAD_MAX || rng_fill(0, h.iv, sizeof(h.iv)) != 0)
		return TEE_ERROR_GENERIC;
	mbedtls_gcm_context gcm;
	uint8_t aad[64 + KEY_STORE_AAD_MAX];
	int rc = seal_setup(&gcm, purpose, uuid, &h, aad);
	if (extra_len)
		memcpy(aad + 64, extra, extra_len);
	memcpy(out, &h, sizeof(h));
	if (!rc)
		rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, h.iv, sizeof(h.iv),
		                               aad, 64 + extra_len, in, out + sizeof(h),
		                               KEY_SEAL_TAG_LEN, out + sizeof(h) + len);
	mbedtls_gcm_free(&gcm);
	return rc ? TEE_ERROR_GENERIC : TEE_SUCCESS;
}

static uint32_t unseal_any(const char *purpose, const char *magic, const uint8_t uuid[16],
                           const uint8_t *extra, size_t extra_len, const uint8_t *in, size_t len,
                           uint8_t *out, size_t *out_len)
{
	struct key_sealed_header h;
	if (len < KEY_SEALED_OVERHEAD)
		return TEE_ERROR_BAD_FORMAT;
	memcpy(&h, in, sizeof(h));
	if (memcmp(h.magic, magic, sizeof(h.magic)) != 0 || h.version != KEY_SEAL_VERSION ||
	    h.alg != KEY_SEAL_ALG_AES256_GCM || h.reserved || h.reserved2 ||
	    h.data_len != len - KEY_SEALED_OVERHEAD)
		return TEE_ERROR_BAD_FORMAT;
	if (extra_len > KEY_STORE_AAD_MAX)
		return TEE_ERROR_GENERIC;
	mbedtls_gcm_context gcm;
	uint8_t aad[64 + KEY_STORE_AAD_MAX];
	int rc = seal_setup(&gcm, purpose, uuid, &h, aad);
	if (extra_len)
		memcpy(aad + 64, extra, extra_len);
	if (!rc)
		rc = mbedtls_gcm_auth_decrypt(&gcm, h.data_len, h.iv, sizeof(h.iv), aad,
		                              64 + extra_len, in + sizeof(h) + h.data_len,
		                              KEY_SEAL_TAG_LEN, in + sizeof(h), out);
	mbedtls_gcm_free(&gcm);
	if (rc == MBEDTLS_ERR_GCM_AUTH_FAILED)
		return TEE_ERROR_MAC_INVALID;
	if (rc)
		return TEE_ERROR_GENERIC;
	*out_len = h.data_len;
	return TEE_SUCCESS;
}

uint32_t keys_obj_seal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out)
{
	memcpy(out, uuid, 16); /* struct key_obj_blob_header */
	return seal_any(KEY_INFO_OBJECT, KEY_OBJ_MAGIC, uuid, out, 16, in, len, out + 16);
}

uint32_t keys_obj_unseal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out,
                         size_t *out_len)
{
	if (len < KEY_OBJ_BLOB_SIZE(0))
		return TEE_ERROR_CORRUPT_OBJECT;
	if (memcmp(in, uuid, 16) != 0)
		return TEE_ERROR_ACCESS_DENIED; /* another TA's */
	uint32_t res = unseal_any(KEY_INFO_OBJECT, KEY_OBJ_MAGIC, uuid, in, 16, in + 16, len - 16,
	                          out, out_len);
	return res == TEE_ERROR_MAC_INVALID || res == TEE_ERROR_BAD_FORMAT
	           ? TEE_ERROR_CORRUPT_OBJECT
	           : res;
}

uint32_t keys_seal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out)
{
	return seal_any(KEY_INFO_SEAL, KEY_SEAL_MAGIC, uuid, 0, 0, in, len, out);
}

uint32_t keys_unseal(const uint8_t uuid[16], const uint8_t *in, size_t len, uint8_t *out,
                     size_t *out_len)
{
	return unseal_any(KEY_INFO_SEAL, KEY_SEAL_MAGIC, uuid, 0, 0, in, len, out, out_len);
}

uint32_t keys_store_seal(const uint8_t owner[16], const uint8_t *aad, size_t aad_len,
                         const uint8_t *in, size_t len, uint8_t *out)
{
	return seal_any(KEY_INFO_STORAGE, KEY_STORE_MAGIC, owner, aad, aad_len, in, len, out);
}

uint32_t keys_store_unseal(const uint8_t owner[16], const uint8_t *aad, size_t aad_len,
                           const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	return unseal_any(KEY_INFO_STORAGE, KEY_STORE_MAGIC, owner, aad, aad_len, in, len, out,
	                  out_len);
}

uint32_t keys_attest(const uint8_t uuid[16], const uint8_t *nonce, size_t nonce_len, uint8_t *out,
                     size_t *out_len)
{
	struct key_report r;
	size_t body = sizeof(r) + nmeas * sizeof(struct key_report_meas);
	memset(&r, 0, sizeof(r));
	memcpy(r.magic, KEY_REPORT_MAGIC, sizeof(r.magic));
	r.version = KEY_REPORT_VERSION;
	r.header_size = sizeof(r);
	r.total_size = (uint32_t)(body + KEY_REPORT_SIG_LEN);
	r.flags = service_state;
	r.nmeas = (uint16_t)nmeas;
	r.meas_size = sizeof(struct key_report_meas);
	r.nonce_len = (uint32_t)nonce_len;
	r.sig_alg = KEY_REPORT_SIG_ECDSA_P256_SHA256;
	memcpy(r.device_id, device_id, sizeof(r.device_id));
	memcpy(r.ta_uuid, uuid, sizeof(r.ta_uuid));
	const struct meas *ta = measure_ta(uuid);
	if (ta)
		memcpy(r.ta_hash, ta->sha256, sizeof(r.ta_hash));
	memcpy(r.nonce, nonce, nonce_len);
	memcpy(out, &r, sizeof(r));
	for (unsigned i = 0; i < nmeas; i++) {
		struct key_report_meas m;
		memset(&m, 0, sizeof(m));
		m.kind = meas[i].kind;
		m.flash_offset = meas[i].offset;
		m.size = meas[i].size;
		memcpy(m.name, meas[i].name, sizeof(m.name));
		memcpy(m.sha256, meas[i].sha256, sizeof(m.sha256));
		memcpy(out + sizeof(r) + i * sizeof(m), &m, sizeof(m));
	}

	uint8_t hash[32];
	mbedtls_mpi sr, ss;
	mbedtls_mpi_init(&sr);
	mbedtls_mpi_init(&ss);
	int rc = mbedtls_sha256(out, body, hash, 0);
	if (!rc)
		rc = mbedtls_ecdsa_sign_det_ext(&grp, &sr, &ss, &attest_d, hash, sizeof(hash),
		                                MBEDTLS_MD_SHA256, rng_fill, 0);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&sr, out + body, 32);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&ss, out + body + 32, 32);
	mbedtls_mpi_free(&sr);
	mbedtls_mpi_free(&ss);
	if (rc)
		return TEE_ERROR_GENERIC;
	*out_len = body + KEY_REPORT_SIG_LEN;
	return TEE_SUCCESS;
}
