/* The crypto service's internals: clients, objects, operations. The wire
 * protocol is include/microtee/crypto_ipc.h; services/crypto/README.md says
 * what each request checks and answers. */
#ifndef CRYPTO_SVC_H
#define CRYPTO_SVC_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/aes.h>
#include <mbedtls/ccm.h>
#include <mbedtls/cipher.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/rsa.h>

#include "../../include/microtee/crypto_ipc.h"
#include "../../lib/tee/include/tee_api_defines.h"
#include "../../lib/tee/include/tee_api_defines_extensions.h"

/* Identifiers OP-TEE used before GP 1.3 gave ECDSA and ECDH their own (our
 * tee_api_defines.h maps the old names to the new values; TAs built against
 * older headers still send these). The curve is part of the algorithm. */
#define OLD_ALG_ECDSA_P192 0x70001041U
#define OLD_ALG_ECDSA_P224 0x70002041U
#define OLD_ALG_ECDSA_P256 0x70003041U
#define OLD_ALG_ECDSA_P384 0x70004041U
#define OLD_ALG_ECDSA_P521 0x70005041U
#define OLD_ALG_ECDH_P192  0x80001042U
#define OLD_ALG_ECDH_P224  0x80002042U
#define OLD_ALG_ECDH_P256  0x80003042U
#define OLD_ALG_ECDH_P384  0x80004042U
#define OLD_ALG_ECDH_P521  0x80005042U
/* OP-TEE's HKDF extension attribute values (our headers give the GP names
 * TEE_ATTR_HKDF_SALT/INFO the GP values; both are accepted). */
#define OPTEE_ATTR_HKDF_SALT 0xD00002C0U
#define OPTEE_ATTR_HKDF_INFO 0xD00003C0U

#define MAX_CLIENTS          16
#define CLIENT_OBJECTS       32
#define CLIENT_OPS           32
#define CLIENT_MEM_MAX       (192 * 1024) /* most heap one client may hold */
#define CLIENT_MEM_GUARANTEE (24 * 1024)  /* heap every attached client can count on */
#define MAX_RECORDS          16           /* attribute records in one request */
#define OBJ_MAX_ATTRS        8

typedef uint32_t TEE_Result;

/* ---- heap (alloc.c) ---- */
extern unsigned alloc_owner; /* who new blocks are charged to: 0 = service, slot + 1 */
void alloc_init(void);
void *svc_calloc(size_t n, size_t size);
void svc_free(void *p);
int alloc_admit(unsigned owner);
void alloc_dismiss(unsigned owner);
size_t alloc_charged(unsigned owner);
size_t alloc_in_use(void);
size_t alloc_high_water(void);
void alloc_reset_high_water(void);
size_t alloc_arena_size(void);

/* ---- random numbers (rng.c) ---- */
#include "../common/rng.h"
/* rng_fill for the service's own use and for mbedTLS's f_rng (alloc.c):
 * the DRBG and its entropy pool are the service's state, so what they
 * allocate is charged to the service (owner 0), never to the client whose
 * request happens to run when they do. (At every reseed mbedTLS frees and
 * allocates again the entropy pool's SHA-512 accumulator, 240 bytes: once
 * charged to a client, it outlived the client, "left 240 bytes behind",
 * and its later free was taken from whoever had that slot then.) */
int svc_rng(void *ctx, unsigned char *out, size_t len);

/* ---- attributes (attrs.c) ---- */
struct attr {
	uint32_t id;
	uint32_t len;        /* buffer attributes */
	uint32_t a, b;       /* value attributes */
	const uint8_t *data; /* buffer attributes */
};
static inline int attr_is_value(uint32_t id)
{
	return (id & TEE_ATTR_FLAG_VALUE) != 0;
}
/* Parses serialized records (crypto_ipc.h) from a private copy. */
TEE_Result attrs_parse(const uint8_t *p, size_t len, struct attr *out, unsigned *n);
const struct attr *attrs_find(const struct attr *a, unsigned n, uint32_t id);

/* ---- objects (object.c) ---- */
struct object {
	uint32_t tag;
	uint32_t type, max_bits, key_bits;
	uint32_t usage; /* TEE_USAGE_*: what TEE_RestrictObjectUsage1 left (persist.c) */
	int init;
	unsigned nattrs;
	struct attr attrs[OBJ_MAX_ATTRS]; /* data point into `store` */
	uint8_t *store;
	size_t store_len;
};

/* ---- operations (op_sym.c, op_asym.c) ---- */
enum op_class { C_DIGEST = 1, C_CIPHER, C_MAC, C_AE, C_ASYM_CIPHER, C_ASYM_SIGN, C_DERIVE };
enum op_kind {
	K_DIGEST = 1,
	K_ECB,
	K_CBC,
	K_CTR,
	K_XTS,
	K_CTS,
	K_HMAC,
	K_CMAC,
	K_GCM,
	K_CCM,
	K_RSAES_V15,
	K_RSAES_OAEP,
	K_RSA_NOPAD,
	K_RSASSA_V15,
	K_RSASSA_PSS,
	K_ECDSA,
	K_ECDH,
	K_X25519,
	K_DH,
	K_HKDF,
	K_CONCAT_KDF,
	K_PBKDF2,
};
enum op_state { ST_INITIAL = 0, ST_ACTIVE };

struct op {
	uint32_t tag;
	uint32_t alg, mode, max_bits, key_bits, key_type;
	uint8_t cls, kind, state, key_set;
	int md;          /* mbedtls_md_type_t of hash-based algorithms */
	int curve;       /* mbedtls_ecp_group_id the algorithm requires, or 0 */
	uint8_t hkdf_gp; /* TEE_ALG_HKDF: the hash comes from a parameter */
	/* AE */
	uint32_t tag_len;                /* bytes */
	uint32_t aad_left, payload_left; /* CCM: what INIT announced */
	uint8_t payload_started;
	union {
		mbedtls_md_context_t md; /* digest, HMAC */
		struct {
			mbedtls_aes_context aes;
			uint8_t iv[16], buf[16], stream[16];
			size_t buflen, nc_off;
			size_t done; /* CTS: bytes given out since INIT */
		} blk;               /* ECB, CBC, CTR, CTS */
		struct {
			mbedtls_aes_xts_context xts;
			uint8_t tweak[16];
			uint8_t *data; /* the message since INIT */
			size_t len, cap;
			size_t done; /* bytes of it given out */
		} xts;
		mbedtls_cipher_context_t cmac;
		mbedtls_gcm_context gcm;
		mbedtls_ccm_context ccm;
		mbedtls_rsa_context rsa;
		mbedtls_ecp_keypair ec;
		struct {
			mbedtls_mpi p, x;
		} dh;
	} u;
	/* Symmetric and HKDF keys, as set (XTS: both keys): what the
	 * contexts are rebuilt from when the operation is copied. */
	uint8_t *raw;
	size_t raw_len;
};

/* ---- clients (serve.c) ---- */
struct client {
	uint64_t badge; /* 0: free slot */
	unsigned index;
	uint8_t *win;
	size_t win_size;
	struct object *objs[CLIENT_OBJECTS];
	struct op *ops[CLIENT_OPS];
	uint32_t obj_gen[CLIENT_OBJECTS], op_gen[CLIENT_OPS];
};

/* What a handler returns besides its TEE_Result: w1..w3 of the reply. On
 * an error other than TEE_ERROR_SHORT_BUFFER, w1 is a CRYPTO_REASON_*. */
struct reply {
	uint64_t w[4];
};

/* A checked window range. */
struct span {
	uint8_t *p;
	size_t len;
};
/* (Inline: every request checks two or three.) */
static inline int span_area(const struct client *c, uint32_t off, uint32_t len, struct span *s)
{
	/* Both are 32-bit, so the 64-bit sum cannot wrap. */
	if (!c->win || (uint64_t)off + len > c->win_size)
		return 0;
	s->p = c->win + off;
	s->len = len;
	return 1;
}
static inline int span_get(const struct client *c, uint64_t packed, struct span *s)
{
	return span_area(c, CRYPTO_SPAN_OFF(packed), CRYPTO_SPAN_LEN(packed), s);
}
/* Copies `s` into the request scratch buffer (no double fetch); returns it. */
const uint8_t *span_copy(const struct span *s);

/* ---- requests (serve.c) ---- */
struct mt_msg;
/* Before the first request: this run's salt for ids (random) and whether
 * the test requests (crypto_ipc.h) are honoured. */
void crypto_serve_init(uint32_t salt, int test_hooks);
/* Serves one request; returns the reply's w0 and fills r->w[1..3]. */
TEE_Result crypto_serve(const struct mt_msg *m, struct reply *r);

/* ---- TA images (ta_verify.c) ---- */
/* CRYPTO_OP_TA_VERIFY on the image in shm (crypto_ipc.h). */
TEE_Result ta_verify(unsigned long shm, const uint64_t *w, struct reply *r);

/* Fails a request with a reason. */
static inline TEE_Result fail(struct reply *r, TEE_Result res, uint64_t reason)
{
	r->w[1] = reason;
	return res;
}
#define BADP(r)     fail((r), TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_NONE)
#define BADSPAN(r)  fail((r), TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_SPAN)
#define BADSTATE(r) fail((r), TEE_ERROR_BAD_STATE, CRYPTO_REASON_STATE)
#define NOMEM(r)    fail((r), TEE_ERROR_OUT_OF_MEMORY, CRYPTO_REASON_LIMIT)

uint32_t id_tag(const struct client *c, unsigned kind, unsigned slot, uint32_t gen);
struct object *obj_lookup(struct client *c, uint64_t id);
struct op *op_lookup(struct client *c, uint64_t id);

TEE_Result obj_alloc(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_free(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_reset(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_populate(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_generate(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_get_attr(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_copy(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_info(struct client *c, const uint64_t *w, struct reply *r);
void obj_destroy(struct object *o);
#define OBJ_ALL_USAGE 0xFFFFFFFFU
/* Sets an uninitialised object's attributes as a populate does: they must
 * be the type's, a valid key no larger than its maximum size. */
TEE_Result obj_fill(struct object *o, const struct attr *a, unsigned n);
/* Persistent keys (persist.c): the key service (a handle badged
 * KEY_BADGE_CRYPTO, or 0), then the requests. */
int persist_init(unsigned long keys); /* 1: persistent keys can be had */
TEE_Result obj_restrict(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_export(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result obj_import(struct client *c, const uint64_t *w, struct reply *r);
/* Sets a fresh object's attributes (the derive and generate paths). */
TEE_Result obj_set_attrs(struct object *o, const struct attr *a, unsigned n, uint32_t key_bits);
int obj_bignum_attr(uint32_t id);

TEE_Result op_alloc(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_free(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_set_key(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_reset(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_copy(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_init(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_update(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_update_aad(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_final(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_final_check(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_asym(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_derive(struct client *c, const uint64_t *w, struct reply *r);
TEE_Result op_with_init(struct client *c, const uint64_t *w, struct reply *r);
void op_destroy(struct op *o);

/* op_asym.c: the asymmetric half, called from op_sym.c's dispatch. */
void asym_init(struct op *o);
void asym_free(struct op *o);
TEE_Result asym_set_key(struct op *o, const struct object *k);
TEE_Result asym_copy(struct op *dst, const struct op *src);

/* Object type helpers shared by objects and operations (object.c). */
int obj_size_valid(uint32_t type, uint32_t bits);
int ec_group_of_curve(uint32_t curve);    /* TEE_ECC_CURVE_* -> mbedtls group id or 0 */
uint32_t ec_curve_of_bits(uint32_t bits); /* 256 -> TEE_ECC_CURVE_NIST_P256 ... or 0 */
uint32_t ec_bits_of_curve(uint32_t curve);
/* The attribute a secret type's key is (OP-TEE's KDF types have their
 * own; they take TEE_ATTR_SECRET_VALUE too). */
uint32_t obj_secret_attr(uint32_t type);
/* An mbedtls group id's size in bits, 0 if not ours. */
uint32_t ec_bits_of_group(int gid);
/* An X25519 key (TEE_TYPE_X25519_*): the public value, and d for a pair,
 * little-endian as RFC 7748 writes them. */
TEE_Result x25519_from_object(mbedtls_ecp_keypair *kp, const struct object *o);
/* A DH key pair's prime p and private value x, checked: p odd, of 256 to
 * 2048 bits, 0 < x < p - 1 and 1 < y < p - 1. */
TEE_Result dh_from_object(mbedtls_mpi *p, mbedtls_mpi *x, const struct object *o);
/* Builds mbedTLS keys from an object's attributes. */
TEE_Result rsa_from_object(mbedtls_rsa_context *rsa, const struct object *o);
TEE_Result ec_from_object(mbedtls_ecp_keypair *kp, const struct object *o);

/* Constant-time comparison of two equal-length buffers: 0 if equal. */
int ct_compare(const uint8_t *a, const uint8_t *b, size_t n);

__attribute__((noreturn)) void crypto_fatal(const char *why);

#endif
