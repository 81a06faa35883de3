/* The published test vectors the crypto test TA runs (vectors.c). Byte
 * strings are hex; spaces in them are ignored. */
#ifndef CRYPTO_TEST_VECTORS_H
#define CRYPTO_TEST_VECTORS_H

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

struct digest_vec {
	uint32_t alg;
	const char *msg; /* text */
	const char *md;
};

struct cipher_vec {
	const char *name;
	uint32_t alg;
	const char *key, *key2; /* key2: XTS */
	const char *iv;
	const char *pt, *ct;
};

struct ae_vec {
	const char *name;
	const char *key, *nonce, *aad, *pt, *ct, *tag;
};

struct mac_vec {
	const char *name;
	uint32_t alg, key_type;
	const char *key, *msg, *mac;
	unsigned truncated; /* compare only this many bytes (0: all) */
};

struct hkdf_vec {
	const char *name;
	uint32_t alg, hash;
	const char *ikm, *salt, *info, *okm;
};

struct rsa_key {
	const char *n, *e, *d, *p, *q, *dp, *dq, *qinv;
};

struct rsa_sig_vec {
	const char *name;
	uint32_t alg, hash;
	const struct rsa_key *key;
	const char *msg, *sig;
};

struct ecdsa_vec {
	const char *name;
	uint32_t alg, hash, curve;
	const char *x, *y, *msg, *sig;
};

struct ecdh_vec {
	const char *name;
	uint32_t curve;
	const char *priv, *x, *y, *peer_x, *peer_y, *secret;
};

extern const char msg_448[], msg_896[];
extern const struct digest_vec digest_vecs[], million_a_vecs[];
extern const struct cipher_vec aes_vecs[];
extern const struct ae_vec gcm_vecs[], ccm_vecs[];
extern const struct mac_vec hmac_vecs[], cmac_vecs[];
extern const struct hkdf_vec hkdf_vecs[];
extern const struct rsa_key rsa_ex1, rsa_cavp1024;
extern const struct rsa_sig_vec rsa_sig_vecs[], rsa_verify_vecs[];
extern const struct ecdsa_vec ecdsa_vecs[];
extern const struct ecdh_vec ecdh_vecs[];

#endif
