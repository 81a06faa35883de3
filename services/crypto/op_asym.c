/* The asymmetric operations (RSA encryption and signatures, ECDSA) and key
 * derivation (ECDH, HKDF). Inputs are at most a modulus long, so they are
 * copied out of the window before use; parameter records are parsed from
 * a private copy. */
#include <string.h>

#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/pkcs5.h>

#include "crypto.h"

#define MAX_IN 512 /* RSA-4096 modulus bytes; more than any digest */

static int is_ec(const struct op *o)
{
	return o->kind == K_ECDSA || o->kind == K_ECDH || o->kind == K_X25519;
}

void asym_init(struct op *o)
{
	if (o->kind == K_DH) {
		mbedtls_mpi_init(&o->u.dh.p);
		mbedtls_mpi_init(&o->u.dh.x);
	} else if (is_ec(o))
		mbedtls_ecp_keypair_init(&o->u.ec);
	else
		mbedtls_rsa_init(&o->u.rsa);
}

void asym_free(struct op *o)
{
	if (o->kind == K_DH) {
		mbedtls_mpi_free(&o->u.dh.p);
		mbedtls_mpi_free(&o->u.dh.x);
	} else if (is_ec(o))
		mbedtls_ecp_keypair_free(&o->u.ec);
	else
		mbedtls_rsa_free(&o->u.rsa);
}

TEE_Result asym_set_key(struct op *o, const struct object *k)
{
	if (o->kind == K_X25519)
		return x25519_from_object(&o->u.ec, k);
	if (o->kind == K_DH)
		return dh_from_object(&o->u.dh.p, &o->u.dh.x, k);
	return is_ec(o) ? ec_from_object(&o->u.ec, k) : rsa_from_object(&o->u.rsa, k);
}

TEE_Result asym_copy(struct op *dst, const struct op *src)
{
	int rc;
	if (src->kind == K_DH) {
		rc = mbedtls_mpi_copy(&dst->u.dh.p, &src->u.dh.p);
		if (!rc)
			rc = mbedtls_mpi_copy(&dst->u.dh.x, &src->u.dh.x);
	} else if (is_ec(src)) {
		rc = mbedtls_ecp_group_copy(&dst->u.ec.MBEDTLS_PRIVATE(grp),
		                            &src->u.ec.MBEDTLS_PRIVATE(grp));
		if (!rc)
			rc = mbedtls_mpi_copy(&dst->u.ec.MBEDTLS_PRIVATE(d),
			                      &src->u.ec.MBEDTLS_PRIVATE(d));
		if (!rc)
			rc = mbedtls_ecp_copy(&dst->u.ec.MBEDTLS_PRIVATE(Q),
			                      &src->u.ec.MBEDTLS_PRIVATE(Q));
	} else {
		rc = mbedtls_rsa_copy(&dst->u.rsa, &src->u.rsa);
	}
	return rc ? TEE_ERROR_OUT_OF_MEMORY : TEE_SUCCESS;
}

static int alloc_failed(int rc)
{
	return rc == MBEDTLS_ERR_MPI_ALLOC_FAILED || rc == MBEDTLS_ERR_ECP_ALLOC_FAILED ||
	       rc == MBEDTLS_ERR_MD_ALLOC_FAILED;
}

static TEE_Result short_buffer(struct reply *r, size_t need)
{
	r->w[1] = need;
	return TEE_ERROR_SHORT_BUFFER;
}

/* Only the listed parameter attributes may appear. */
static int params_only(const struct attr *a, unsigned n, uint32_t id1, uint32_t id2)
{
	for (unsigned i = 0; i < n; i++)
		if (!a[i].id || (a[i].id != id1 && a[i].id != id2))
			return 0;
	return 1;
}

static uint32_t hash_alg_of_md(int md)
{
	switch (md) {
	case MBEDTLS_MD_SHA1:
		return TEE_ALG_SHA1;
	case MBEDTLS_MD_SHA224:
		return TEE_ALG_SHA224;
	case MBEDTLS_MD_SHA256:
		return TEE_ALG_SHA256;
	case MBEDTLS_MD_SHA384:
		return TEE_ALG_SHA384;
	case MBEDTLS_MD_SHA512:
		return TEE_ALG_SHA512;
	}
	return 0;
}

static int md_of_hash_alg(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_SHA1:
		return MBEDTLS_MD_SHA1;
	case TEE_ALG_SHA224:
		return MBEDTLS_MD_SHA224;
	case TEE_ALG_SHA256:
		return MBEDTLS_MD_SHA256;
	case TEE_ALG_SHA384:
		return MBEDTLS_MD_SHA384;
	case TEE_ALG_SHA512:
		return MBEDTLS_MD_SHA512;
	}
	return MBEDTLS_MD_NONE;
}

/* Strips leading zero octets (keeping one), as OP-TEE does for RSA_NOPAD. */
static size_t strip_zeros(uint8_t *p, size_t n)
{
	size_t z = 0;
	while (z + 1 < n && p[z] == 0)
		z++;
	memmove(p, p + z, n - z);
	return n - z;
}

static TEE_Result rsa_cipher(struct op *o, const struct crypto_asym_req *q, const struct attr *pa,
                             unsigned np, const uint8_t *in, size_t in_len, struct span *out,
                             struct reply *r)
{
	mbedtls_rsa_context *rsa = &o->u.rsa;
	size_t k = mbedtls_rsa_get_len(rsa);
	const uint8_t *label = 0;
	size_t label_len = 0;
	if (o->kind == K_RSAES_OAEP) {
		if (!params_only(pa, np, TEE_ATTR_RSA_OAEP_LABEL, TEE_ATTR_RSA_OAEP_MGF_HASH))
			return BADP(r);
		const struct attr *l = attrs_find(pa, np, TEE_ATTR_RSA_OAEP_LABEL);
		const struct attr *h = attrs_find(pa, np, TEE_ATTR_RSA_OAEP_MGF_HASH);
		if (l)
			label = l->data, label_len = l->len;
		/* mbedTLS uses one hash for OAEP and MGF1. */
		if (h && h->a != hash_alg_of_md(o->md))
			return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, (mbedtls_md_type_t)o->md);
	} else {
		if (np)
			return BADP(r);
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	}
	uint8_t buf[MAX_IN], res[MAX_IN];
	size_t n;
	int rc;
	if (q->mode == TEE_MODE_ENCRYPT) {
		if (out->len < k)
			return short_buffer(r, k);
		if (o->kind == K_RSA_NOPAD) {
			if (in_len > k)
				return BADP(r);
			memset(buf, 0, k - in_len);
			memcpy(buf + k - in_len, in, in_len);
			rc = mbedtls_rsa_public(rsa, buf, res);
		} else if (o->kind == K_RSAES_V15) {
			rc = mbedtls_rsa_rsaes_pkcs1_v15_encrypt(rsa, svc_rng, 0, in_len, in, res);
		} else {
			rc = mbedtls_rsa_rsaes_oaep_encrypt(rsa, svc_rng, 0, label, label_len,
			                                    in_len, in, res);
		}
		n = k;
		if (!rc && o->kind == K_RSA_NOPAD)
			n = strip_zeros(res, k);
	} else {
		if (in_len > k || (o->kind != K_RSA_NOPAD && in_len != k))
			return BADP(r);
		memset(buf, 0, k - in_len);
		memcpy(buf + k - in_len, in, in_len);
		if (o->kind == K_RSA_NOPAD) {
			rc = mbedtls_rsa_private(rsa, svc_rng, 0, buf, res);
			n = rc ? 0 : strip_zeros(res, k);
		} else if (o->kind == K_RSAES_V15) {
			rc = mbedtls_rsa_rsaes_pkcs1_v15_decrypt(rsa, svc_rng, 0, &n, buf, res,
			                                         sizeof(res));
		} else {
			rc = mbedtls_rsa_rsaes_oaep_decrypt(rsa, svc_rng, 0, label, label_len, &n,
			                                    buf, res, sizeof(res));
		}
		if (!rc && out->len < n) {
			memset(res, 0, sizeof(res));
			return short_buffer(r, n);
		}
	}
	if (!rc)
		memcpy(out->p, res, n);
	memset(res, 0, sizeof(res));
	memset(buf, 0, sizeof(buf));
	if (rc)
		return alloc_failed(rc) ? NOMEM(r) : BADP(r);
	r->w[1] = n;
	return TEE_SUCCESS;
}

static TEE_Result rsa_sign(struct op *o, const struct crypto_asym_req *q, const struct attr *pa,
                           unsigned np, const uint8_t *in, size_t in_len, const uint8_t *sig,
                           struct span *out, struct reply *r)
{
	mbedtls_rsa_context *rsa = &o->u.rsa;
	size_t k = mbedtls_rsa_get_len(rsa);
	mbedtls_md_type_t md = (mbedtls_md_type_t)o->md;
	if (md != MBEDTLS_MD_NONE && in_len != mbedtls_md_get_size(mbedtls_md_info_from_type(md)))
		return BADP(r);
	int rc, salt = MBEDTLS_RSA_SALT_LEN_ANY;
	if (o->kind == K_RSASSA_PSS) {
		if (!params_only(pa, np, TEE_ATTR_RSA_PSS_SALT_LENGTH, 0))
			return BADP(r);
		const struct attr *s = attrs_find(pa, np, TEE_ATTR_RSA_PSS_SALT_LENGTH);
		if (s && s->a > k)
			return BADP(r);
		if (s)
			salt = (int)s->a;
		else if (q->mode == TEE_MODE_SIGN)
			salt = (int)in_len; /* GP: the digest length by default */
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
	} else {
		if (np)
			return BADP(r);
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	}
	if (q->mode == TEE_MODE_SIGN) {
		if (out->len < k)
			return short_buffer(r, k);
		uint8_t res[MAX_IN];
		rc = o->kind == K_RSASSA_PSS
		         ? mbedtls_rsa_rsassa_pss_sign_ext(rsa, svc_rng, 0, md, (unsigned)in_len,
		                                           in, salt, res)
		         : mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, svc_rng, 0, md, (unsigned)in_len,
		                                             in, res);
		if (rc)
			return alloc_failed(rc) ? NOMEM(r) : BADP(r);
		memcpy(out->p, res, k);
		r->w[1] = k;
		return TEE_SUCCESS;
	}
	if (q->sig_len != k)
		return fail(r, TEE_ERROR_SIGNATURE_INVALID, CRYPTO_REASON_NONE);
	rc = o->kind == K_RSASSA_PSS
	         ? mbedtls_rsa_rsassa_pss_verify_ext(rsa, md, (unsigned)in_len, in, md, salt, sig)
	         : mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, md, (unsigned)in_len, in, sig);
	if (rc)
		return alloc_failed(rc) ? NOMEM(r) : fail(r, TEE_ERROR_SIGNATURE_INVALID, 0);
	r->w[1] = 0;
	return TEE_SUCCESS;
}

static TEE_Result ecdsa(struct op *o, const struct crypto_asym_req *q, unsigned np,
                        const uint8_t *in, size_t in_len, const uint8_t *sig, struct span *out,
                        struct reply *r)
{
	mbedtls_ecp_keypair *kp = &o->u.ec;
	mbedtls_ecp_group *grp = &kp->MBEDTLS_PRIVATE(grp);
	size_t n = (grp->pbits + 7) / 8;
	if (np || in_len == 0 || in_len > 64)
		return BADP(r);
	mbedtls_mpi rr, ss;
	mbedtls_mpi_init(&rr);
	mbedtls_mpi_init(&ss);
	int rc;
	TEE_Result res = TEE_SUCCESS;
	if (q->mode == TEE_MODE_SIGN) {
		if (out->len < 2 * n)
			return short_buffer(r, 2 * n);
		uint8_t buf[2 * 66];
		rc = mbedtls_ecdsa_sign(grp, &rr, &ss, &kp->MBEDTLS_PRIVATE(d), in, in_len, svc_rng,
		                        0);
		if (!rc)
			rc = mbedtls_mpi_write_binary(&rr, buf, n);
		if (!rc)
			rc = mbedtls_mpi_write_binary(&ss, buf + n, n);
		if (!rc) {
			memcpy(out->p, buf, 2 * n);
			r->w[1] = 2 * n;
		} else {
			res = alloc_failed(rc) ? NOMEM(r) : BADP(r);
		}
	} else if (q->sig_len != 2 * n) {
		res = fail(r, TEE_ERROR_SIGNATURE_INVALID, CRYPTO_REASON_NONE);
	} else {
		rc = mbedtls_mpi_read_binary(&rr, sig, n);
		if (!rc)
			rc = mbedtls_mpi_read_binary(&ss, sig + n, n);
		if (!rc)
			rc = mbedtls_ecdsa_verify(grp, in, in_len, &kp->MBEDTLS_PRIVATE(Q), &rr,
			                          &ss);
		if (rc)
			res = alloc_failed(rc) ? NOMEM(r) : fail(r, TEE_ERROR_SIGNATURE_INVALID, 0);
		else
			r->w[1] = 0;
	}
	mbedtls_mpi_free(&rr);
	mbedtls_mpi_free(&ss);
	return res;
}

TEE_Result op_asym(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID);
	if (o->cls != C_ASYM_CIPHER && o->cls != C_ASYM_SIGN)
		return BADP(r);
	struct span in, rq;
	if (!span_get(c, w[2], &in) || !span_get(c, w[3], &rq))
		return BADSPAN(r);
	if (!o->key_set)
		return BADSTATE(r);
	if (in.len > MAX_IN)
		return BADP(r);
	uint8_t input[MAX_IN];
	memcpy(input, in.p, in.len);
	/* The request: header, parameter records, signature; one copy. */
	struct crypto_asym_req q;
	if (rq.len < sizeof(q))
		return BADP(r);
	const uint8_t *p = span_copy(&rq);
	memcpy(&q, p, sizeof(q));
	size_t rest = rq.len - sizeof(q);
	if (q.params_len > rest || q.sig_len > rest - q.params_len)
		return BADP(r);
	if (q.mode != o->mode)
		return BADP(r);
	struct attr pa[MAX_RECORDS];
	unsigned np;
	if (attrs_parse(p + sizeof(q), q.params_len, pa, &np) != TEE_SUCCESS)
		return fail(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD);
	const uint8_t *sig = p + sizeof(q) + q.params_len;
	struct span out = {0, 0};
	if (q.mode != TEE_MODE_VERIFY && !span_area(c, q.out_off, q.out_cap, &out))
		return BADSPAN(r);
	if (o->cls == C_ASYM_CIPHER)
		return rsa_cipher(o, &q, pa, np, input, in.len, &out, r);
	if (o->kind == K_ECDSA)
		return ecdsa(o, &q, np, input, in.len, sig, &out, r);
	return rsa_sign(o, &q, pa, np, input, in.len, sig, &out, r);
}

/* ---- key derivation ---- */
static TEE_Result ecdh(struct op *o, const struct attr *pa, unsigned np, struct object *dst,
                       struct reply *r)
{
	mbedtls_ecp_keypair *kp = &o->u.ec;
	mbedtls_ecp_group *grp = &kp->MBEDTLS_PRIVATE(grp);
	size_t n = (grp->pbits + 7) / 8;
	const struct attr *x = attrs_find(pa, np, TEE_ATTR_ECC_PUBLIC_VALUE_X),
	                  *y = attrs_find(pa, np, TEE_ATTR_ECC_PUBLIC_VALUE_Y),
	                  *cv = attrs_find(pa, np, TEE_ATTR_ECC_CURVE);
	if (!x || !y || np != 2U + (cv != 0))
		return BADP(r);
	if (cv && ec_group_of_curve(cv->a) != (int)grp->id)
		return BADP(r);
	if (n > (dst->max_bits + 7) / 8)
		return BADP(r);
	mbedtls_ecp_point peer;
	mbedtls_mpi z;
	mbedtls_ecp_point_init(&peer);
	mbedtls_mpi_init(&z);
	uint8_t secret[66];
	int rc = mbedtls_mpi_read_binary(&peer.MBEDTLS_PRIVATE(X), x->data, x->len);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&peer.MBEDTLS_PRIVATE(Y), y->data, y->len);
	if (!rc)
		rc = mbedtls_mpi_lset(&peer.MBEDTLS_PRIVATE(Z), 1);
	/* A point not on the curve (invalid-curve attacks) is refused. */
	if (!rc)
		rc = mbedtls_ecp_check_pubkey(grp, &peer);
	if (!rc)
		rc = mbedtls_ecdh_compute_shared(grp, &z, &peer, &kp->MBEDTLS_PRIVATE(d), svc_rng,
		                                 0);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&z, secret, n);
	TEE_Result res;
	if (rc) {
		res = alloc_failed(rc) ? NOMEM(r) : BADP(r);
	} else {
		struct attr a = {TEE_ATTR_SECRET_VALUE, (uint32_t)n, 0, 0, secret};
		res = obj_set_attrs(dst, &a, 1, (uint32_t)n * 8) == TEE_SUCCESS ? TEE_SUCCESS
		                                                                : NOMEM(r);
	}
	memset(secret, 0, sizeof(secret));
	mbedtls_mpi_free(&z);
	mbedtls_ecp_point_free(&peer);
	return res;
}

/* X25519 (RFC 7748): the peer's public value, 32 bytes little-endian; the
 * secret is u(d·Q), 32 bytes little-endian. The secret object takes it
 * whatever its maximum size, as in OP-TEE (whose secret buffers are the
 * type's largest; xtest 4015 derives into a 32-bit object). */
static TEE_Result x25519(struct op *o, const struct attr *pa, unsigned np, struct object *dst,
                         struct reply *r)
{
	mbedtls_ecp_keypair *kp = &o->u.ec;
	mbedtls_ecp_group *grp = &kp->MBEDTLS_PRIVATE(grp);
	if (np != 1 || pa[0].id != TEE_ATTR_X25519_PUBLIC_VALUE || pa[0].len != 32)
		return BADP(r);
	mbedtls_ecp_point peer;
	mbedtls_mpi z;
	mbedtls_ecp_point_init(&peer);
	mbedtls_mpi_init(&z);
	uint8_t secret[32];
	int rc = mbedtls_ecp_point_read_binary(grp, &peer, pa[0].data, pa[0].len);
	if (!rc)
		rc = mbedtls_ecdh_compute_shared(grp, &z, &peer, &kp->MBEDTLS_PRIVATE(d), svc_rng,
		                                 0);
	if (!rc)
		rc = mbedtls_mpi_write_binary_le(&z, secret, sizeof(secret));
	TEE_Result res;
	if (rc) {
		res = alloc_failed(rc) ? NOMEM(r) : BADP(r);
	} else {
		struct attr a = {TEE_ATTR_SECRET_VALUE, sizeof(secret), 0, 0, secret};
		res = obj_set_attrs(dst, &a, 1, 256) == TEE_SUCCESS ? TEE_SUCCESS : NOMEM(r);
	}
	memset(secret, 0, sizeof(secret));
	mbedtls_mpi_free(&z);
	mbedtls_ecp_point_free(&peer);
	return res;
}

/* DH: the peer's public value y, 1 < y < p - 1; the secret is y^x mod p,
 * big-endian without leading zeros (as OP-TEE gives it). */
static TEE_Result dh(struct op *o, const struct attr *pa, unsigned np, struct object *dst,
                     struct reply *r)
{
	if (np != 1 || pa[0].id != TEE_ATTR_DH_PUBLIC_VALUE)
		return BADP(r);
	mbedtls_mpi y, z, p_1;
	mbedtls_mpi_init(&y);
	mbedtls_mpi_init(&z);
	mbedtls_mpi_init(&p_1);
	uint8_t secret[256];
	TEE_Result res = TEE_SUCCESS;
	int rc = mbedtls_mpi_read_binary(&y, pa[0].data, pa[0].len);
	if (!rc)
		rc = mbedtls_mpi_sub_int(&p_1, &o->u.dh.p, 1);
	if (!rc && (mbedtls_mpi_cmp_int(&y, 1) <= 0 || mbedtls_mpi_cmp_mpi(&y, &p_1) >= 0))
		res = BADP(r);
	if (!rc && res == TEE_SUCCESS)
		rc = mbedtls_mpi_exp_mod(&z, &y, &o->u.dh.x, &o->u.dh.p, 0);
	size_t n = mbedtls_mpi_size(&z);
	if (!rc && res == TEE_SUCCESS && n * 8 > dst->max_bits)
		res = BADP(r);
	if (!rc && res == TEE_SUCCESS)
		rc = mbedtls_mpi_write_binary(&z, secret, n);
	if (rc) {
		res = alloc_failed(rc) ? NOMEM(r) : BADP(r);
	} else if (res == TEE_SUCCESS) {
		struct attr a = {TEE_ATTR_SECRET_VALUE, (uint32_t)n, 0, 0, secret};
		res = obj_set_attrs(dst, &a, 1, (uint32_t)n * 8) == TEE_SUCCESS ? TEE_SUCCESS
		                                                                : NOMEM(r);
	}
	memset(secret, 0, sizeof(secret));
	mbedtls_mpi_free(&y);
	mbedtls_mpi_free(&z);
	mbedtls_mpi_free(&p_1);
	return res;
}

/* The derived key's length: DKM_LENGTH (value a, bytes), 1 to the
 * object's size and to the buffer. */
static size_t dkm_len(const struct attr *len, const struct object *dst, size_t cap)
{
	size_t n = len ? len->a : 0;
	return n && n <= cap && n * 8 <= dst->max_bits ? n : 0;
}

static TEE_Result put_secret(uint8_t *k, size_t n, struct object *dst, struct reply *r)
{
	struct attr a = {TEE_ATTR_SECRET_VALUE, (uint32_t)n, 0, 0, k};
	TEE_Result res = obj_set_attrs(dst, &a, 1, (uint32_t)n * 8);
	memset(k, 0, n);
	return res == TEE_SUCCESS ? res : NOMEM(r);
}

/* NIST SP 800-56A's concatenation KDF (OP-TEE's TEE_ALG_CONCAT_KDF_*): the
 * key is H(counter || Z || OtherInfo) for counter = 1, 2, ... (32 bits,
 * big-endian), cut to DKM_LENGTH bytes. Only mbedTLS's hash does the work. */
static TEE_Result concat_kdf(struct op *o, const struct attr *pa, unsigned np, struct object *dst,
                             struct reply *r)
{
	const struct attr *info = 0, *len = 0;
	for (unsigned i = 0; i < np; i++) {
		const struct attr **slot = pa[i].id == TEE_ATTR_CONCAT_KDF_OTHER_INFO   ? &info
		                           : pa[i].id == TEE_ATTR_CONCAT_KDF_DKM_LENGTH ? &len
		                                                                        : 0;
		if (!slot || *slot)
			return BADP(r);
		*slot = &pa[i];
	}
	uint8_t key[4096 / 8];
	size_t n = dkm_len(len, dst, sizeof(key));
	const mbedtls_md_info_t *mi = mbedtls_md_info_from_type((mbedtls_md_type_t)o->md);
	if (!n || !mi)
		return BADP(r);
	size_t hl = mbedtls_md_get_size(mi);
	mbedtls_md_context_t md;
	mbedtls_md_init(&md);
	int rc = mbedtls_md_setup(&md, mi, 0);
	uint8_t h[MBEDTLS_MD_MAX_SIZE];
	for (uint32_t ctr = 1, done = 0; !rc && done < n; ctr++) {
		uint8_t c[4] = {(uint8_t)(ctr >> 24), (uint8_t)(ctr >> 16), (uint8_t)(ctr >> 8),
		                (uint8_t)ctr};
		rc = mbedtls_md_starts(&md);
		if (!rc)
			rc = mbedtls_md_update(&md, c, 4);
		if (!rc)
			rc = mbedtls_md_update(&md, o->raw, o->raw_len);
		if (!rc && info)
			rc = mbedtls_md_update(&md, info->data, info->len);
		if (!rc)
			rc = mbedtls_md_finish(&md, h);
		size_t take = n - done < hl ? n - done : hl;
		memcpy(key + done, h, take);
		done += (uint32_t)take;
	}
	mbedtls_md_free(&md);
	memset(h, 0, sizeof(h));
	if (rc) {
		memset(key, 0, sizeof(key));
		return alloc_failed(rc) || rc == MBEDTLS_ERR_MD_ALLOC_FAILED ? NOMEM(r) : BADP(r);
	}
	return put_secret(key, n, dst, r);
}

/* PBKDF2 (RFC 8018) with HMAC: SALT, ITERATION_COUNT (value a, at least 1)
 * and DKM_LENGTH; mbedTLS's PKCS#5 does it. */
static TEE_Result pbkdf2(struct op *o, const struct attr *pa, unsigned np, struct object *dst,
                         struct reply *r)
{
	const struct attr *salt = 0, *count = 0, *len = 0;
	for (unsigned i = 0; i < np; i++) {
		uint32_t id = pa[i].id;
		const struct attr **slot = id == TEE_ATTR_PBKDF2_SALT              ? &salt
		                           : id == TEE_ATTR_PBKDF2_ITERATION_COUNT ? &count
		                           : id == TEE_ATTR_PBKDF2_DKM_LENGTH      ? &len
		                                                                   : 0;
		if (!slot || *slot)
			return BADP(r);
		*slot = &pa[i];
	}
	uint8_t key[4096 / 8];
	size_t n = dkm_len(len, dst, sizeof(key));
	if (!n || !count || !count->a)
		return BADP(r);
	int rc = mbedtls_pkcs5_pbkdf2_hmac_ext((mbedtls_md_type_t)o->md, o->raw, o->raw_len,
	                                       salt ? salt->data : 0, salt ? salt->len : 0,
	                                       count->a, (uint32_t)n, key);
	if (rc) {
		memset(key, 0, sizeof(key));
		return rc == MBEDTLS_ERR_MD_ALLOC_FAILED ? NOMEM(r) : BADP(r);
	}
	return put_secret(key, n, dst, r);
}

static TEE_Result hkdf(struct op *o, const struct attr *pa, unsigned np, struct object *dst,
                       struct reply *r)
{
	int md = o->md;
	const struct attr *salt = 0, *info = 0, *len = 0, *hash = 0;
	for (unsigned i = 0; i < np; i++) {
		uint32_t id = pa[i].id;
		const struct attr **slot =
		    id == TEE_ATTR_HKDF_SALT || id == OPTEE_ATTR_HKDF_SALT          ? &salt
		    : id == TEE_ATTR_HKDF_INFO || id == OPTEE_ATTR_HKDF_INFO        ? &info
		    : id == TEE_ATTR_HKDF_OKM_LENGTH || id == TEE_ATTR_KDF_KEY_SIZE ? &len
		    : id == TEE_ATTR_HKDF_HASH_ALGORITHM && o->hkdf_gp              ? &hash
		                                                                    : 0;
		if (!slot || *slot) /* unknown, or the same thing under both names */
			return BADP(r);
		*slot = &pa[i];
	}
	if (o->hkdf_gp)
		md = hash ? md_of_hash_alg(hash->a) : MBEDTLS_MD_SHA256;
	const mbedtls_md_info_t *mi = mbedtls_md_info_from_type((mbedtls_md_type_t)md);
	if (!mi)
		return BADP(r);
	size_t okm_len = len ? len->a : dst->max_bits / 8;
	uint8_t okm[4096 / 8];
	if (okm_len == 0 || okm_len > sizeof(okm) || okm_len * 8 > dst->max_bits ||
	    okm_len > 255 * (size_t)mbedtls_md_get_size(mi))
		return BADP(r);
	int rc = mbedtls_hkdf(mi, salt ? salt->data : 0, salt ? salt->len : 0, o->raw, o->raw_len,
	                      info ? info->data : 0, info ? info->len : 0, okm, okm_len);
	TEE_Result res;
	if (rc) {
		res = alloc_failed(rc) ? NOMEM(r) : BADP(r);
	} else {
		struct attr a = {TEE_ATTR_SECRET_VALUE, (uint32_t)okm_len, 0, 0, okm};
		res = obj_set_attrs(dst, &a, 1, (uint32_t)okm_len * 8) == TEE_SUCCESS ? TEE_SUCCESS
		                                                                      : NOMEM(r);
	}
	memset(okm, 0, sizeof(okm));
	return res;
}

TEE_Result op_derive(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	struct object *dst = obj_lookup(c, w[3]);
	if (!o || !dst)
		return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID);
	if (o->cls != C_DERIVE)
		return BADP(r);
	struct span s;
	if (!span_get(c, w[2], &s))
		return BADSPAN(r);
	if (!o->key_set || dst->init)
		return BADSTATE(r);
	if (dst->type != TEE_TYPE_GENERIC_SECRET)
		return BADP(r);
	struct attr pa[MAX_RECORDS];
	unsigned np;
	if (attrs_parse(span_copy(&s), s.len, pa, &np) != TEE_SUCCESS)
		return fail(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD);
	if (o->kind == K_X25519)
		return x25519(o, pa, np, dst, r);
	if (o->kind == K_DH)
		return dh(o, pa, np, dst, r);
	if (o->kind == K_CONCAT_KDF)
		return concat_kdf(o, pa, np, dst, r);
	if (o->kind == K_PBKDF2)
		return pbkdf2(o, pa, np, dst, r);
	return o->kind == K_ECDH ? ecdh(o, pa, np, dst, r) : hkdf(o, pa, np, dst, r);
}
