/* Objects: transient key objects as GP defines them, kept by the service
 * and named to their owner by ids. An object has a type, a maximum size
 * and, once populated or generated, its attributes (bignums stored without
 * leading zero octets, as OP-TEE returns them). */
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/des.h>
#include <mbedtls/ecp.h>
#include <mbedtls/rsa.h>

#include "crypto.h"

enum {
	O_SECRET = 1,
	O_AES,
	O_DES,
	O_RSA_PUB,
	O_RSA_PAIR,
	O_EC_PUB,
	O_EC_PAIR,
	O_X_PUB,
	O_X_PAIR,
	O_DH
};

struct otype {
	uint32_t type;
	uint16_t min, max, step; /* key sizes in bits; step 0: EC curve sizes */
	uint8_t kind;
};

static const struct otype otypes[] = {
    {TEE_TYPE_AES, 128, 256, 64, O_AES},
#if defined(MBEDTLS_DES_C)
    /* Sizes without the parity bits: keys of 8, 16 or 24 bytes. */
    {TEE_TYPE_DES, 56, 56, 56, O_DES},
    {TEE_TYPE_DES3, 112, 168, 56, O_DES},
#endif
#if defined(MBEDTLS_MD5_C)
    {TEE_TYPE_HMAC_MD5, 64, 512, 8, O_SECRET},
#endif
    {TEE_TYPE_HMAC_SHA1, 80, 512, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA224, 112, 512, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA256, 192, 1024, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA384, 256, 1024, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA512, 256, 1024, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA3_224, 192, 1024, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA3_256, 256, 1024, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA3_384, 256, 1024, 8, O_SECRET},
    {TEE_TYPE_HMAC_SHA3_512, 256, 1024, 8, O_SECRET},
    {TEE_TYPE_GENERIC_SECRET, 8, 4096, 8, O_SECRET},
    {TEE_TYPE_HKDF_IKM, 8, 4096, 8, O_SECRET},
    {TEE_TYPE_HKDF, 8, 4096, 8, O_SECRET},
    {TEE_TYPE_CONCAT_KDF_Z, 8, 4096, 8, O_SECRET},
    {TEE_TYPE_PBKDF2_PASSWORD, 8, 4096, 8, O_SECRET},
    {TEE_TYPE_RSA_PUBLIC_KEY, 256, 4096, 2, O_RSA_PUB},
    {TEE_TYPE_RSA_KEYPAIR, 256, 4096, 2, O_RSA_PAIR},
    {TEE_TYPE_ECDSA_PUBLIC_KEY, 256, 521, 0, O_EC_PUB},
    {TEE_TYPE_ECDSA_KEYPAIR, 256, 521, 0, O_EC_PAIR},
    {TEE_TYPE_ECDH_PUBLIC_KEY, 256, 521, 0, O_EC_PUB},
    {TEE_TYPE_ECDH_KEYPAIR, 256, 521, 0, O_EC_PAIR},
    {TEE_TYPE_DH_KEYPAIR, 256, 2048, 8, O_DH},
    {TEE_TYPE_X25519_PUBLIC_KEY, 256, 256, 256, O_X_PUB},
    {TEE_TYPE_X25519_KEYPAIR, 256, 256, 256, O_X_PAIR},
};

static const struct otype *otype_of(uint32_t type)
{
	for (unsigned i = 0; i < sizeof(otypes) / sizeof(otypes[0]); i++)
		if (otypes[i].type == type)
			return &otypes[i];
	return 0;
}

static int size_valid(const struct otype *t, uint32_t bits)
{
	if (t->step == 0)
		return ec_curve_of_bits(bits) != 0;
	return bits >= t->min && bits <= t->max && bits % t->step == 0;
}

int obj_size_valid(uint32_t type, uint32_t bits)
{
	const struct otype *t = otype_of(type);
	return t && size_valid(t, bits);
}

/* ---- curves ---- */
int ec_group_of_curve(uint32_t curve)
{
	switch (curve) {
	case TEE_ECC_CURVE_NIST_P192:
		return MBEDTLS_ECP_DP_SECP192R1;
	case TEE_ECC_CURVE_NIST_P224:
		return MBEDTLS_ECP_DP_SECP224R1;
	case TEE_ECC_CURVE_NIST_P256:
		return MBEDTLS_ECP_DP_SECP256R1;
	case TEE_ECC_CURVE_NIST_P384:
		return MBEDTLS_ECP_DP_SECP384R1;
	case TEE_ECC_CURVE_NIST_P521:
		return MBEDTLS_ECP_DP_SECP521R1;
	}
	return 0;
}

uint32_t ec_curve_of_bits(uint32_t bits)
{
	return bits == 192   ? TEE_ECC_CURVE_NIST_P192
	       : bits == 224 ? TEE_ECC_CURVE_NIST_P224
	       : bits == 256 ? TEE_ECC_CURVE_NIST_P256
	       : bits == 384 ? TEE_ECC_CURVE_NIST_P384
	       : bits == 521 ? TEE_ECC_CURVE_NIST_P521
	                     : 0;
}

uint32_t ec_bits_of_curve(uint32_t curve)
{
	return curve == TEE_ECC_CURVE_NIST_P192   ? 192
	       : curve == TEE_ECC_CURVE_NIST_P224 ? 224
	       : curve == TEE_ECC_CURVE_NIST_P256 ? 256
	       : curve == TEE_ECC_CURVE_NIST_P384 ? 384
	       : curve == TEE_ECC_CURVE_NIST_P521 ? 521
	                                          : 0;
}

uint32_t ec_bits_of_group(int gid)
{
	static const uint32_t curves[] = {TEE_ECC_CURVE_NIST_P192, TEE_ECC_CURVE_NIST_P224,
	                                  TEE_ECC_CURVE_NIST_P256, TEE_ECC_CURVE_NIST_P384,
	                                  TEE_ECC_CURVE_NIST_P521};
	for (unsigned i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (ec_group_of_curve(curves[i]) == gid)
			return ec_bits_of_curve(curves[i]);
	return 0;
}

/* Attributes each kind accepts; `need` of them (the first ones) required. */
static const uint32_t secret_attrs[] = {TEE_ATTR_SECRET_VALUE};
static const uint32_t rsa_attrs[] = {TEE_ATTR_RSA_MODULUS,          TEE_ATTR_RSA_PUBLIC_EXPONENT,
                                     TEE_ATTR_RSA_PRIVATE_EXPONENT, TEE_ATTR_RSA_PRIME1,
                                     TEE_ATTR_RSA_PRIME2,           TEE_ATTR_RSA_EXPONENT1,
                                     TEE_ATTR_RSA_EXPONENT2,        TEE_ATTR_RSA_COEFFICIENT};
static const uint32_t x_attrs[] = {TEE_ATTR_X25519_PUBLIC_VALUE, TEE_ATTR_X25519_PRIVATE_VALUE};
static const uint32_t dh_attrs[] = {TEE_ATTR_DH_PRIME,        TEE_ATTR_DH_BASE,
                                    TEE_ATTR_DH_PUBLIC_VALUE, TEE_ATTR_DH_PRIVATE_VALUE,
                                    TEE_ATTR_DH_SUBPRIME,     TEE_ATTR_DH_X_BITS};
static const uint32_t ec_attrs[] = {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
                                    TEE_ATTR_ECC_CURVE, TEE_ATTR_ECC_PRIVATE_VALUE};

uint32_t obj_secret_attr(uint32_t type)
{
	switch (type) {
	case TEE_TYPE_HKDF_IKM:
		return TEE_ATTR_HKDF_IKM;
	case TEE_TYPE_CONCAT_KDF_Z:
		return TEE_ATTR_CONCAT_KDF_Z;
	case TEE_TYPE_PBKDF2_PASSWORD:
		return TEE_ATTR_PBKDF2_PASSWORD;
	default:
		return TEE_ATTR_SECRET_VALUE;
	}
}

int obj_bignum_attr(uint32_t id)
{
	for (unsigned i = 0; i < sizeof(rsa_attrs) / sizeof(rsa_attrs[0]); i++)
		if (rsa_attrs[i] == id)
			return 1;
	for (unsigned i = 0; i < 5; i++)
		if (dh_attrs[i] == id)
			return 1;
	return id == TEE_ATTR_ECC_PUBLIC_VALUE_X || id == TEE_ATTR_ECC_PUBLIC_VALUE_Y ||
	       id == TEE_ATTR_ECC_PRIVATE_VALUE;
}

static int in_list(const uint32_t *l, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (l[i] == id)
			return 1;
	return 0;
}

/* Checks that attributes a[0..n) are those kind `t` accepts, all required
 * ones present. */
static int attrs_fit(const struct otype *t, const struct attr *a, unsigned n)
{
	const uint32_t *list;
	unsigned len, need;
	switch (t->kind) {
	case O_SECRET:
	case O_AES:
	case O_DES:
		/* HKDF input keying material: OP-TEE's attribute or the
		 * generic secret value. */
		if (n == 1 && a[0].id != TEE_ATTR_SECRET_VALUE &&
		    a[0].id == obj_secret_attr(t->type))
			return 1;
		list = secret_attrs, len = need = 1;
		break;
	case O_RSA_PUB:
		list = rsa_attrs, len = need = 2;
		break;
	case O_RSA_PAIR:
		list = rsa_attrs, len = 8, need = 3;
		break;
	case O_EC_PUB:
		list = ec_attrs, len = need = 3;
		break;
	case O_X_PUB:
		list = x_attrs, len = need = 1;
		break;
	case O_X_PAIR:
		list = x_attrs, len = need = 2;
		break;
	case O_DH:
		list = dh_attrs, len = 6, need = 4;
		break;
	default:
		list = ec_attrs, len = need = 4;
		break;
	}
	for (unsigned i = 0; i < n; i++)
		if (!in_list(list, len, a[i].id) ||
		    attr_is_value(a[i].id) !=
		        (a[i].id == TEE_ATTR_ECC_CURVE || a[i].id == TEE_ATTR_DH_X_BITS))
			return 0;
	for (unsigned i = 0; i < need; i++)
		if (!attrs_find(a, n, list[i]))
			return 0;
	/* RSA CRT parameters: all five or none. */
	if (t->kind == O_RSA_PAIR && n != 3 && n != 8)
		return 0;
	return 1;
}

/* ---- mbedTLS keys from attributes ---- */
static const struct attr *oattr(const struct object *o, uint32_t id)
{
	return attrs_find(o->attrs, o->nattrs, id);
}

static int rd_mpi(mbedtls_mpi *x, const struct attr *a)
{
	return mbedtls_mpi_read_binary(x, a->data, a->len);
}

TEE_Result rsa_from_object(mbedtls_rsa_context *rsa, const struct object *o)
{
	const struct attr *n = oattr(o, TEE_ATTR_RSA_MODULUS),
	                  *e = oattr(o, TEE_ATTR_RSA_PUBLIC_EXPONENT),
	                  *d = oattr(o, TEE_ATTR_RSA_PRIVATE_EXPONENT),
	                  *p = oattr(o, TEE_ATTR_RSA_PRIME1), *q = oattr(o, TEE_ATTR_RSA_PRIME2);
	if (!n || !e)
		return TEE_ERROR_BAD_PARAMETERS;
	int rc = mbedtls_rsa_import_raw(rsa, n->data, n->len, p ? p->data : 0, p ? p->len : 0,
	                                q ? q->data : 0, q ? q->len : 0, d ? d->data : 0,
	                                d ? d->len : 0, e->data, e->len);
	if (!rc)
		rc = mbedtls_rsa_complete(rsa);
	if (!rc)
		rc = d ? mbedtls_rsa_check_privkey(rsa) : mbedtls_rsa_check_pubkey(rsa);
	if (rc)
		return rc == MBEDTLS_ERR_MPI_ALLOC_FAILED ? TEE_ERROR_OUT_OF_MEMORY
		                                          : TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

TEE_Result x25519_from_object(mbedtls_ecp_keypair *kp, const struct object *o)
{
	const struct attr *q = oattr(o, TEE_ATTR_X25519_PUBLIC_VALUE),
	                  *d = oattr(o, TEE_ATTR_X25519_PRIVATE_VALUE);
	if (!q || q->len != 32 || (d && d->len != 32))
		return TEE_ERROR_BAD_PARAMETERS;
	/* mbedTLS reads both little-endian and clamps d as RFC 7748 says. */
	int rc = d ? mbedtls_ecp_read_key(MBEDTLS_ECP_DP_CURVE25519, kp, d->data, d->len)
	           : mbedtls_ecp_group_load(&kp->MBEDTLS_PRIVATE(grp), MBEDTLS_ECP_DP_CURVE25519);
	if (!rc)
		rc = mbedtls_ecp_point_read_binary(&kp->MBEDTLS_PRIVATE(grp),
		                                   &kp->MBEDTLS_PRIVATE(Q), q->data, q->len);
	if (rc)
		return rc == MBEDTLS_ERR_MPI_ALLOC_FAILED || rc == MBEDTLS_ERR_ECP_ALLOC_FAILED
		           ? TEE_ERROR_OUT_OF_MEMORY
		           : TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

static TEE_Result mpi_err(int rc)
{
	return rc == MBEDTLS_ERR_MPI_ALLOC_FAILED ? TEE_ERROR_OUT_OF_MEMORY
	                                          : TEE_ERROR_BAD_PARAMETERS;
}

/* lo < v < p - 1. */
static int dh_in_range(const mbedtls_mpi *v, const mbedtls_mpi *p_1, int lo)
{
	return mbedtls_mpi_cmp_int(v, lo) > 0 && mbedtls_mpi_cmp_mpi(v, p_1) < 0;
}

TEE_Result dh_from_object(mbedtls_mpi *p, mbedtls_mpi *x, const struct object *o)
{
	const struct attr *pa = oattr(o, TEE_ATTR_DH_PRIME),
	                  *xa = oattr(o, TEE_ATTR_DH_PRIVATE_VALUE),
	                  *ya = oattr(o, TEE_ATTR_DH_PUBLIC_VALUE);
	if (!pa || !xa || !ya)
		return TEE_ERROR_BAD_PARAMETERS;
	mbedtls_mpi y, p_1;
	mbedtls_mpi_init(&y);
	mbedtls_mpi_init(&p_1);
	int rc = rd_mpi(p, pa);
	if (!rc)
		rc = rd_mpi(x, xa);
	if (!rc)
		rc = rd_mpi(&y, ya);
	if (!rc)
		rc = mbedtls_mpi_sub_int(&p_1, p, 1);
	TEE_Result res = mpi_err(rc);
	if (!rc) {
		size_t bits = mbedtls_mpi_bitlen(p);
		res = bits >= 256 && bits <= 2048 && mbedtls_mpi_get_bit(p, 0) &&
		              dh_in_range(x, &p_1, 0) && dh_in_range(&y, &p_1, 1)
		          ? TEE_SUCCESS
		          : TEE_ERROR_BAD_PARAMETERS;
	}
	mbedtls_mpi_free(&y);
	mbedtls_mpi_free(&p_1);
	return res;
}

TEE_Result ec_from_object(mbedtls_ecp_keypair *kp, const struct object *o)
{
	const struct attr *x = oattr(o, TEE_ATTR_ECC_PUBLIC_VALUE_X),
	                  *y = oattr(o, TEE_ATTR_ECC_PUBLIC_VALUE_Y),
	                  *c = oattr(o, TEE_ATTR_ECC_CURVE),
	                  *d = oattr(o, TEE_ATTR_ECC_PRIVATE_VALUE);
	int gid = c ? ec_group_of_curve(c->a) : 0;
	if (!x || !y || !gid)
		return TEE_ERROR_BAD_PARAMETERS;
	mbedtls_ecp_group *grp = &kp->MBEDTLS_PRIVATE(grp);
	mbedtls_ecp_point *q = &kp->MBEDTLS_PRIVATE(Q);
	int rc = mbedtls_ecp_group_load(grp, (mbedtls_ecp_group_id)gid);
	if (!rc)
		rc = rd_mpi(&q->MBEDTLS_PRIVATE(X), x);
	if (!rc)
		rc = rd_mpi(&q->MBEDTLS_PRIVATE(Y), y);
	if (!rc)
		rc = mbedtls_mpi_lset(&q->MBEDTLS_PRIVATE(Z), 1);
	if (!rc)
		rc = mbedtls_ecp_check_pubkey(grp, q);
	if (!rc && d) {
		rc = rd_mpi(&kp->MBEDTLS_PRIVATE(d), d);
		if (!rc)
			rc = mbedtls_ecp_check_privkey(grp, &kp->MBEDTLS_PRIVATE(d));
	}
	if (rc)
		return rc == MBEDTLS_ERR_MPI_ALLOC_FAILED || rc == MBEDTLS_ERR_ECP_ALLOC_FAILED
		           ? TEE_ERROR_OUT_OF_MEMORY
		           : TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

/* ---- storing attributes ---- */
static void obj_clear(struct object *o)
{
	svc_free(o->store);
	o->store = 0;
	o->store_len = 0;
	o->nattrs = 0;
	o->init = 0;
	o->key_bits = 0;
	memset(o->attrs, 0, sizeof(o->attrs));
}

TEE_Result obj_set_attrs(struct object *o, const struct attr *a, unsigned n, uint32_t key_bits)
{
	if (n > OBJ_MAX_ATTRS)
		return TEE_ERROR_BAD_PARAMETERS;
	size_t total = 0;
	struct attr norm[OBJ_MAX_ATTRS];
	for (unsigned i = 0; i < n; i++) {
		norm[i] = a[i];
		if (obj_bignum_attr(a[i].id))
			while (norm[i].len && norm[i].data[0] == 0)
				norm[i].data++, norm[i].len--;
		total += norm[i].len;
	}
	uint8_t *store = svc_calloc(1, total ? total : 1);
	if (!store)
		return TEE_ERROR_OUT_OF_MEMORY;
	obj_clear(o);
	o->store = store;
	o->store_len = total;
	for (unsigned i = 0; i < n; i++) {
		o->attrs[i] = norm[i];
		if (!attr_is_value(norm[i].id)) {
			if (norm[i].len)
				memcpy(store, norm[i].data, norm[i].len);
			o->attrs[i].data = store;
			store += norm[i].len;
		} else {
			o->attrs[i].data = 0;
		}
	}
	o->nattrs = n;
	o->key_bits = key_bits;
	o->init = 1;
	return TEE_SUCCESS;
}

void obj_destroy(struct object *o)
{
	obj_clear(o);
	svc_free(o);
}

static TEE_Result bad_id(struct reply *r)
{
	return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID);
}

/* ---- requests ---- */
TEE_Result obj_alloc(struct client *c, const uint64_t *w, struct reply *r)
{
	const struct otype *t = w[1] >> 32 ? 0 : otype_of((uint32_t)w[1]);
	if (!t || w[2] > 4096 || !size_valid(t, (uint32_t)w[2]))
		return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
	unsigned slot = 0;
	while (slot < CLIENT_OBJECTS && c->objs[slot])
		slot++;
	if (slot == CLIENT_OBJECTS)
		return NOMEM(r);
	struct object *o = svc_calloc(1, sizeof(*o));
	if (!o)
		return NOMEM(r);
	o->type = t->type;
	o->max_bits = (uint32_t)w[2];
	o->usage = OBJ_ALL_USAGE;
	o->tag = id_tag(c, 0, slot, c->obj_gen[slot]);
	c->objs[slot] = o;
	r->w[1] = (uint64_t)o->tag << 6 | slot;
	return TEE_SUCCESS;
}

TEE_Result obj_free(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	unsigned slot = w[1] & 63;
	obj_destroy(o);
	c->objs[slot] = 0;
	c->obj_gen[slot]++;
	return TEE_SUCCESS;
}

TEE_Result obj_reset(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	obj_clear(o);
	o->usage = OBJ_ALL_USAGE; /* GP: a reset object's usage is all again */
	return TEE_SUCCESS;
}

/* Checks populated attributes and works out the key size. */
static TEE_Result check_key(const struct otype *t, struct object *tmp, uint32_t *bits)
{
	TEE_Result res = TEE_SUCCESS;
	switch (t->kind) {
	case O_AES: {
		uint32_t len = tmp->attrs[0].len;
		if (len != 16 && len != 24 && len != 32)
			return TEE_ERROR_BAD_PARAMETERS;
		*bits = len * 8;
		return TEE_SUCCESS;
	}
	case O_DES: {
		uint32_t len = tmp->attrs[0].len;
		if (t->type == TEE_TYPE_DES ? len != 8 : len != 16 && len != 24)
			return TEE_ERROR_BAD_PARAMETERS;
		*bits = len * 7; /* without the parity bits */
		return TEE_SUCCESS;
	}
	case O_SECRET:
		if (tmp->attrs[0].len > 4096 / 8)
			return TEE_ERROR_BAD_PARAMETERS;
		*bits = tmp->attrs[0].len * 8;
		return TEE_SUCCESS;
	case O_RSA_PUB:
	case O_RSA_PAIR: {
		mbedtls_rsa_context rsa;
		mbedtls_rsa_init(&rsa);
		res = rsa_from_object(&rsa, tmp);
		*bits = (uint32_t)mbedtls_rsa_get_bitlen(&rsa);
		mbedtls_rsa_free(&rsa);
		if (res == TEE_SUCCESS && (*bits < 256 || *bits > 4096))
			res = TEE_ERROR_BAD_PARAMETERS;
		return res;
	}
	case O_DH: {
		mbedtls_mpi p, x;
		mbedtls_mpi_init(&p);
		mbedtls_mpi_init(&x);
		res = dh_from_object(&p, &x, tmp);
		*bits = (uint32_t)mbedtls_mpi_bitlen(&p);
		mbedtls_mpi_free(&p);
		mbedtls_mpi_free(&x);
		return res;
	}
	case O_X_PUB:
	case O_X_PAIR: {
		mbedtls_ecp_keypair kp;
		mbedtls_ecp_keypair_init(&kp);
		res = x25519_from_object(&kp, tmp);
		mbedtls_ecp_keypair_free(&kp);
		*bits = 256;
		return res;
	}
	default: {
		mbedtls_ecp_keypair kp;
		mbedtls_ecp_keypair_init(&kp);
		res = ec_from_object(&kp, tmp);
		/* An ECDSA pair's point must be d·G. An ECDH pair's need only be
		 * on the curve: the derivation uses d alone, and OP-TEE's core
		 * takes any point (xtest 4009 gives the peer's). */
		if (res == TEE_SUCCESS && t->kind == O_EC_PAIR &&
		    t->type != TEE_TYPE_ECDH_KEYPAIR &&
		    mbedtls_ecp_check_pub_priv(&kp, &kp, svc_rng, 0))
			res = TEE_ERROR_BAD_PARAMETERS;
		*bits = (uint32_t)kp.MBEDTLS_PRIVATE(grp).pbits;
		mbedtls_ecp_keypair_free(&kp);
		return res;
	}
	}
}

TEE_Result obj_populate(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	if (o->init)
		return BADSTATE(r);
	struct span s;
	if (!span_get(c, w[2], &s))
		return BADSPAN(r);
	struct attr a[MAX_RECORDS];
	unsigned n;
	if (attrs_parse(span_copy(&s), s.len, a, &n) != TEE_SUCCESS)
		return fail(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD);
	TEE_Result res = obj_fill(o, a, n);
	return res == TEE_SUCCESS               ? res
	       : res == TEE_ERROR_OUT_OF_MEMORY ? NOMEM(r)
	                                        : fail(r, res, CRYPTO_REASON_NONE);
}

TEE_Result obj_fill(struct object *o, const struct attr *a, unsigned n)
{
	const struct otype *t = otype_of(o->type);
	if (!t || n > OBJ_MAX_ATTRS || !attrs_fit(t, a, n))
		return TEE_ERROR_BAD_PARAMETERS;
	/* Check the key as it would be stored. */
	struct object tmp = {0};
	tmp.nattrs = n;
	memcpy(tmp.attrs, a, n * sizeof(a[0]));
	uint32_t bits = 0;
	TEE_Result res = check_key(t, &tmp, &bits);
	if (res != TEE_SUCCESS)
		return res;
	if (bits > o->max_bits)
		return TEE_ERROR_BAD_PARAMETERS;
	return obj_set_attrs(o, a, n, bits);
}

/* ---- generation ---- */
static TEE_Result gen_secret(struct object *o, uint32_t bits)
{
	uint8_t key[4096 / 8];
	int des = o->type == TEE_TYPE_DES || o->type == TEE_TYPE_DES3;
	uint32_t len = des ? bits / 7 : bits / 8; /* DES: 7 key bits and a parity bit a byte */
	if (svc_rng(0, key, len))
		return TEE_ERROR_GENERIC;
#if defined(MBEDTLS_DES_C)
	if (des)
		for (uint32_t i = 0; i < len; i += 8)
			mbedtls_des_key_set_parity(key + i);
#endif
	struct attr a = {obj_secret_attr(o->type), len, 0, 0, key};
	TEE_Result res = obj_set_attrs(o, &a, 1, bits);
	memset(key, 0, sizeof(key));
	return res;
}

static TEE_Result gen_rsa(struct object *o, uint32_t bits, const struct attr *params, unsigned n)
{
	int exp = 65537;
	const struct attr *e = attrs_find(params, n, TEE_ATTR_RSA_PUBLIC_EXPONENT);
	if (n > (e ? 1U : 0U))
		return TEE_ERROR_BAD_PARAMETERS;
	if (e) {
		uint32_t v = 0;
		unsigned i = 0;
		while (i < e->len && e->data[i] == 0)
			i++;
		if (e->len - i > 4)
			return TEE_ERROR_BAD_PARAMETERS;
		for (; i < e->len; i++)
			v = v << 8 | e->data[i];
		if (v < 3 || !(v & 1) || v > 0x7FFFFFFF)
			return TEE_ERROR_BAD_PARAMETERS;
		exp = (int)v;
	}
	mbedtls_rsa_context rsa;
	mbedtls_mpi m[8];
	mbedtls_rsa_init(&rsa);
	for (unsigned i = 0; i < 8; i++)
		mbedtls_mpi_init(&m[i]);
	/* 0 N, 1 E, 2 D, 3 P, 4 Q, 5 DP, 6 DQ, 7 QP: the order of rsa_attrs */
	int rc = mbedtls_rsa_gen_key(&rsa, svc_rng, 0, bits, exp);
	if (!rc)
		rc = mbedtls_rsa_export(&rsa, &m[0], &m[3], &m[4], &m[2], &m[1]);
	if (!rc)
		rc = mbedtls_rsa_export_crt(&rsa, &m[5], &m[6], &m[7]);
	TEE_Result res = TEE_SUCCESS;
	uint8_t *buf = 0;
	if (!rc) {
		size_t total = 0, off = 0;
		for (unsigned i = 0; i < 8; i++)
			total += mbedtls_mpi_size(&m[i]);
		buf = svc_calloc(1, total);
		struct attr a[8];
		for (unsigned i = 0; buf && !rc && i < 8; i++) {
			size_t len = mbedtls_mpi_size(&m[i]);
			rc = mbedtls_mpi_write_binary(&m[i], buf + off, len);
			a[i] = (struct attr){rsa_attrs[i], (uint32_t)len, 0, 0, buf + off};
			off += len;
		}
		if (!buf)
			res = TEE_ERROR_OUT_OF_MEMORY;
		else if (!rc)
			res = obj_set_attrs(o, a, 8, (uint32_t)mbedtls_rsa_get_bitlen(&rsa));
		if (buf) {
			memset(buf, 0, total);
			svc_free(buf);
		}
	}
	if (rc)
		res = rc == MBEDTLS_ERR_MPI_ALLOC_FAILED ? TEE_ERROR_OUT_OF_MEMORY
		                                         : TEE_ERROR_GENERIC;
	for (unsigned i = 0; i < 8; i++)
		mbedtls_mpi_free(&m[i]);
	mbedtls_rsa_free(&rsa);
	return res;
}

static TEE_Result gen_ec(struct object *o, uint32_t bits, const struct attr *params, unsigned n)
{
	const struct attr *c = attrs_find(params, n, TEE_ATTR_ECC_CURVE);
	if (n > (c ? 1U : 0U))
		return TEE_ERROR_BAD_PARAMETERS;
	/* Without the curve (GP 1.1 style) the size names it. */
	uint32_t curve = c ? c->a : ec_curve_of_bits(bits);
	int gid = ec_group_of_curve(curve);
	if (!gid)
		return TEE_ERROR_NOT_SUPPORTED;
	if (ec_bits_of_curve(curve) != bits)
		return TEE_ERROR_BAD_PARAMETERS;
	mbedtls_ecp_keypair kp;
	mbedtls_ecp_keypair_init(&kp);
	uint8_t buf[3 * 66];
	size_t len = (bits + 7) / 8;
	int rc = mbedtls_ecp_gen_key((mbedtls_ecp_group_id)gid, &kp, svc_rng, 0);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&kp.MBEDTLS_PRIVATE(Q).MBEDTLS_PRIVATE(X), buf, len);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&kp.MBEDTLS_PRIVATE(Q).MBEDTLS_PRIVATE(Y), buf + len,
		                              len);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&kp.MBEDTLS_PRIVATE(d), buf + 2 * len, len);
	TEE_Result res;
	if (rc) {
		res = rc == MBEDTLS_ERR_MPI_ALLOC_FAILED || rc == MBEDTLS_ERR_ECP_ALLOC_FAILED
		          ? TEE_ERROR_OUT_OF_MEMORY
		          : TEE_ERROR_GENERIC;
	} else {
		struct attr a[4] = {
		    {TEE_ATTR_ECC_PUBLIC_VALUE_X, (uint32_t)len, 0, 0, buf},
		    {TEE_ATTR_ECC_PUBLIC_VALUE_Y, (uint32_t)len, 0, 0, buf + len},
		    {TEE_ATTR_ECC_CURVE, 0, curve, 0, 0},
		    {TEE_ATTR_ECC_PRIVATE_VALUE, (uint32_t)len, 0, 0, buf + 2 * len},
		};
		res = obj_set_attrs(o, a, 4, bits);
	}
	memset(buf, 0, sizeof(buf));
	mbedtls_ecp_keypair_free(&kp);
	return res;
}

/* DH: x at random, of exactly X_BITS bits if given (and not 0), else below the
 * subprime q if given, else in [2, p - 2]; y = g^x mod p. The key keeps
 * the parameters, X_BITS (0 if none was given) and both values. */
static TEE_Result gen_dh(struct object *o, uint32_t bits, const struct attr *params, unsigned n)
{
	const struct attr *pa = attrs_find(params, n, TEE_ATTR_DH_PRIME),
	                  *ga = attrs_find(params, n, TEE_ATTR_DH_BASE),
	                  *qa = attrs_find(params, n, TEE_ATTR_DH_SUBPRIME),
	                  *xb = attrs_find(params, n, TEE_ATTR_DH_X_BITS);
	if (!pa || !ga || n != 2U + (qa != 0) + (xb != 0))
		return TEE_ERROR_BAD_PARAMETERS;
	mbedtls_mpi p, g, q, x, y, lim;
	mbedtls_mpi *all[] = {&p, &g, &q, &x, &y, &lim};
	for (unsigned i = 0; i < 6; i++)
		mbedtls_mpi_init(all[i]);
	uint8_t buf[2 * 256];
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;
	int rc = rd_mpi(&p, pa);
	if (!rc)
		rc = rd_mpi(&g, ga);
	if (!rc && qa)
		rc = rd_mpi(&q, qa);
	if (rc)
		goto out;
	size_t pbits = mbedtls_mpi_bitlen(&p);
	if (pbits != bits || !mbedtls_mpi_get_bit(&p, 0) || mbedtls_mpi_cmp_int(&g, 1) <= 0 ||
	    mbedtls_mpi_cmp_mpi(&g, &p) >= 0 || (qa && mbedtls_mpi_cmp_int(&q, 1) <= 0))
		goto out;
	if (xb && xb->a) { /* X_BITS 0: no requirement (as OP-TEE) */
		if (xb->a < 2 || xb->a >= pbits)
			goto out;
		/* [2^(n-1), 2^n): n bits exactly. */
		rc = mbedtls_mpi_lset(&lim, 1);
		if (!rc)
			rc = mbedtls_mpi_shift_l(&lim, xb->a - 1);
		if (!rc)
			rc = mbedtls_mpi_random(&x, 0, &lim, svc_rng, 0);
		if (!rc)
			rc = mbedtls_mpi_add_mpi(&x, &x, &lim);
	} else if (qa) {
		rc = mbedtls_mpi_random(&x, 1, &q, svc_rng, 0);
	} else {
		rc = mbedtls_mpi_sub_int(&lim, &p, 1);
		if (!rc)
			rc = mbedtls_mpi_random(&x, 2, &lim, svc_rng, 0);
	}
	if (!rc)
		rc = mbedtls_mpi_exp_mod(&y, &g, &x, &p, 0);
	size_t xl = mbedtls_mpi_size(&x), yl = mbedtls_mpi_size(&y);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&x, buf, xl);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&y, buf + 256, yl);
	if (rc) {
		res = rc == MBEDTLS_ERR_MPI_ALLOC_FAILED ? TEE_ERROR_OUT_OF_MEMORY
		                                         : TEE_ERROR_GENERIC;
		goto out;
	}
	struct attr a[6] = {*pa,
	                    *ga,
	                    {TEE_ATTR_DH_PUBLIC_VALUE, (uint32_t)yl, 0, 0, buf + 256},
	                    {TEE_ATTR_DH_PRIVATE_VALUE, (uint32_t)xl, 0, 0, buf},
	                    {TEE_ATTR_DH_X_BITS, 0, xb ? xb->a : 0, 0, 0}};
	unsigned na = 5;
	if (qa)
		a[na++] = *qa;
	res = obj_set_attrs(o, a, na, bits);
out:
	memset(buf, 0, sizeof(buf));
	for (unsigned i = 0; i < 6; i++)
		mbedtls_mpi_free(all[i]);
	return res;
}

static TEE_Result gen_x25519(struct object *o)
{
	mbedtls_ecp_keypair kp;
	mbedtls_ecp_keypair_init(&kp);
	uint8_t buf[64];
	size_t ql = 0, dl = 0;
	int rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_CURVE25519, &kp, svc_rng, 0);
	if (!rc)
		rc = mbedtls_ecp_write_public_key(&kp, MBEDTLS_ECP_PF_UNCOMPRESSED, &ql, buf, 32);
	if (!rc)
		rc = mbedtls_ecp_write_key_ext(&kp, &dl, buf + 32, 32);
	TEE_Result res;
	if (rc || ql != 32 || dl != 32) {
		res = rc == MBEDTLS_ERR_MPI_ALLOC_FAILED || rc == MBEDTLS_ERR_ECP_ALLOC_FAILED
		          ? TEE_ERROR_OUT_OF_MEMORY
		          : TEE_ERROR_GENERIC;
	} else {
		struct attr a[2] = {{TEE_ATTR_X25519_PUBLIC_VALUE, 32, 0, 0, buf},
		                    {TEE_ATTR_X25519_PRIVATE_VALUE, 32, 0, 0, buf + 32}};
		res = obj_set_attrs(o, a, 2, 256);
	}
	memset(buf, 0, sizeof(buf));
	mbedtls_ecp_keypair_free(&kp);
	return res;
}

TEE_Result obj_generate(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	if (o->init)
		return BADSTATE(r);
	const struct otype *t = otype_of(o->type);
	uint32_t bits = (uint32_t)w[2];
	if (w[2] > o->max_bits || !size_valid(t, bits))
		return BADP(r);
	struct span s;
	if (!span_get(c, w[3], &s))
		return BADSPAN(r);
	struct attr a[MAX_RECORDS];
	unsigned n;
	if (attrs_parse(span_copy(&s), s.len, a, &n) != TEE_SUCCESS)
		return fail(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD);
	TEE_Result res;
	switch (t->kind) {
	case O_AES:
	case O_SECRET:
	case O_DES:
		res = n ? TEE_ERROR_BAD_PARAMETERS : gen_secret(o, bits);
		break;
	case O_RSA_PAIR:
		res = gen_rsa(o, bits, a, n);
		break;
	case O_EC_PAIR:
		res = gen_ec(o, bits, a, n);
		break;
	case O_X_PAIR:
		res = n ? TEE_ERROR_BAD_PARAMETERS : gen_x25519(o);
		break;
	case O_DH:
		res = gen_dh(o, bits, a, n);
		break;
	default: /* public keys are not generated */
		res = TEE_ERROR_BAD_PARAMETERS;
		break;
	}
	if (res == TEE_ERROR_OUT_OF_MEMORY)
		return NOMEM(r);
	return res == TEE_SUCCESS ? res : fail(r, res, CRYPTO_REASON_NONE);
}

TEE_Result obj_get_attr(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	const struct attr *a = w[2] >> 32 ? 0 : oattr(o, (uint32_t)w[2]);
	if (!a)
		return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_NONE);
	/* A secret attribute only from an extractable key (GP; lib/tee
	 * panics first, the service holds the line for keys a TA never saw:
	 * generated or imported ones). */
	if (!(a->id & TEE_ATTR_FLAG_PUBLIC) && !(o->usage & TEE_USAGE_EXTRACTABLE))
		return fail(r, TEE_ERROR_ACCESS_DENIED, CRYPTO_REASON_NONE);
	if (attr_is_value(a->id)) {
		r->w[1] = 0;
		r->w[2] = a->a;
		r->w[3] = a->b;
		return TEE_SUCCESS;
	}
	struct span s;
	if (!span_get(c, w[3], &s))
		return BADSPAN(r);
	r->w[1] = a->len;
	if (s.len < a->len)
		return TEE_ERROR_SHORT_BUFFER;
	if (a->len)
		memcpy(s.p, a->data, a->len);
	return TEE_SUCCESS;
}

TEE_Result obj_copy(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *dst = obj_lookup(c, w[1]), *src = obj_lookup(c, w[2]);
	if (!dst || !src)
		return bad_id(r);
	if (dst->init || !src->init)
		return BADSTATE(r);
	if (src->key_bits > dst->max_bits)
		return BADP(r);
	dst->usage &= src->usage; /* GP: the copy is no more usable than its source */
	if (src->type == dst->type)
		return obj_set_attrs(dst, src->attrs, src->nattrs, src->key_bits) == TEE_SUCCESS
		           ? TEE_SUCCESS
		           : NOMEM(r);
	/* A key pair into the matching public key: the public part. */
	static const uint32_t pub_of[][2] = {
	    {TEE_TYPE_RSA_KEYPAIR, TEE_TYPE_RSA_PUBLIC_KEY},
	    {TEE_TYPE_ECDSA_KEYPAIR, TEE_TYPE_ECDSA_PUBLIC_KEY},
	    {TEE_TYPE_ECDH_KEYPAIR, TEE_TYPE_ECDH_PUBLIC_KEY},
	    {TEE_TYPE_X25519_KEYPAIR, TEE_TYPE_X25519_PUBLIC_KEY},
	};
	for (unsigned i = 0; i < sizeof(pub_of) / sizeof(pub_of[0]); i++) {
		if (src->type != pub_of[i][0] || dst->type != pub_of[i][1])
			continue;
		struct attr a[3];
		unsigned n = 0;
		for (unsigned j = 0; j < src->nattrs; j++) {
			uint32_t id = src->attrs[j].id;
			if (id == TEE_ATTR_RSA_MODULUS || id == TEE_ATTR_RSA_PUBLIC_EXPONENT ||
			    id == TEE_ATTR_ECC_PUBLIC_VALUE_X ||
			    id == TEE_ATTR_ECC_PUBLIC_VALUE_Y || id == TEE_ATTR_ECC_CURVE ||
			    id == TEE_ATTR_X25519_PUBLIC_VALUE)
				a[n++] = src->attrs[j];
		}
		return obj_set_attrs(dst, a, n, src->key_bits) == TEE_SUCCESS ? TEE_SUCCESS
		                                                              : NOMEM(r);
	}
	return BADP(r);
}

TEE_Result obj_info(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	r->w[1] = o->type;
	r->w[2] = o->key_bits | (uint64_t)o->max_bits << 32;
	r->w[3] = (uint64_t)o->init;
	return TEE_SUCCESS;
}
