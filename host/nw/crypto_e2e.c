/*
 * crypto_e2e — end-to-end crypto from Linux: asks MicroTEE's crypto demo TA
 * (ta/crypto_demo, through Debian's libteec and optee.ko) to hash, encrypt,
 * decrypt and sign, and checks every result against what the normal world
 * computes itself:
 *   - SHA-256, AES-CBC and AES-GCM with Linux's kernel crypto API (AF_ALG
 *     sockets: "hash"/"sha256", "skcipher"/"cbc(aes)", "aead"/"gcm(aes)");
 *   - ECDSA P-256 with Debian's OpenSSL (libcrypto), which the kernel does
 *     not offer to user space: the TA's signatures must verify there, and the
 *     TA must verify OpenSSL's.
 * Tampered GCM ciphertexts, tags and AAD must be refused by the TA with
 * TEE_ERROR_MAC_INVALID, and tampered signatures must fail to verify.
 * Prints `ok - nw/crypto_NAME` or `FAIL - nw/crypto_NAME: why` per check,
 * and `crypto_e2e: N passed, M failed` last; exits non-zero on a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_alg.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <tee_client_api.h>
#include <unistd.h>

#include "../../ta/crypto_demo/include/crypto_demo_ta.h"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif
/* GlobalPlatform results the TEE Client API header does not name. */
#define TEE_ERROR_MAC_INVALID       0xFFFF3071
#define TEE_ERROR_SIGNATURE_INVALID 0xFFFF3072

static int passed, failed;
static TEEC_Context ctx;
static TEEC_Session sess;

static int check(int ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		printf("ok - nw/crypto_%s\n", name);
		passed++;
		return 1;
	}
	printf("FAIL - nw/crypto_%s: ", name);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed++;
	return 0;
}

static void fill_random(void *p, size_t n)
{
	uint8_t *b = p;
	while (n) {
		ssize_t got = getrandom(b, n, 0);
		if (got <= 0) {
			perror("getrandom");
			exit(2);
		}
		b += got;
		n -= (size_t)got;
	}
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		perror("malloc");
		exit(2);
	}
	return p;
}

/* ---- the TA ---- */

static TEEC_Result invoke(uint32_t cmd, TEEC_Operation *op, uint32_t *origin)
{
	uint32_t o = 0;
	TEEC_Result r = TEEC_InvokeCommand(&sess, cmd, op, &o);
	if (origin)
		*origin = o;
	return r;
}

static TEEC_Result ta_sha256(const void *data, size_t len, uint8_t out[32])
{
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)data;
	op.params[0].tmpref.size = len;
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = 32;
	TEEC_Result r = invoke(TA_CRYPTO_DEMO_CMD_SHA256, &op, NULL);
	if (r == TEEC_SUCCESS && op.params[1].tmpref.size != 32)
		return TEEC_ERROR_GENERIC;
	return r;
}

static TEEC_Result ta_set_key(const uint8_t *key, size_t len)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)key;
	op.params[0].tmpref.size = len;
	return invoke(TA_CRYPTO_DEMO_CMD_AES_SET_KEY, &op, NULL);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static TEEC_Result ta_set_key_values(const uint8_t key[16])
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = be32(key);
	op.params[0].value.b = be32(key + 4);
	op.params[1].value.a = be32(key + 8);
	op.params[1].value.b = be32(key + 12);
	return invoke(TA_CRYPTO_DEMO_CMD_AES_SET_KEY, &op, NULL);
}

static TEEC_Result ta_gen_key(uint32_t bits, uint8_t *key, size_t *len)
{
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = bits;
	op.params[1].tmpref.buffer = key;
	op.params[1].tmpref.size = *len;
	TEEC_Result r = invoke(TA_CRYPTO_DEMO_CMD_AES_GEN_KEY, &op, NULL);
	*len = op.params[1].tmpref.size;
	return r;
}

static TEEC_Result ta_cbc(int dir, const uint8_t iv[16], const void *in, size_t len, void *out)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
	                                 TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT);
	op.params[0].value.a = (uint32_t)dir;
	op.params[1].tmpref.buffer = (void *)iv;
	op.params[1].tmpref.size = 16;
	op.params[2].tmpref.buffer = (void *)in;
	op.params[2].tmpref.size = len;
	op.params[3].tmpref.buffer = out;
	op.params[3].tmpref.size = len;
	TEEC_Result r = invoke(TA_CRYPTO_DEMO_CMD_AES_CBC, &op, NULL);
	if (r == TEEC_SUCCESS && op.params[3].tmpref.size != len)
		return TEEC_ERROR_GENERIC;
	return r;
}

/* GCM: encrypt writes ct || tag (len + 16 bytes); decrypt takes ct || tag
 * (len + 16 bytes) and writes len bytes. */
static TEEC_Result ta_gcm(int dir, const uint8_t *nonce, size_t nlen, const uint8_t *aad,
                          size_t alen, const uint8_t *in, size_t len, uint8_t *out,
                          uint32_t *origin)
{
	uint8_t *na = xmalloc(nlen + alen);
	memcpy(na, nonce, nlen);
	if (alen)
		memcpy(na + nlen, aad, alen);
	size_t in_len = dir == TA_CRYPTO_DEMO_ENCRYPT ? len : len + TA_CRYPTO_DEMO_GCM_TAG;
	size_t out_len = dir == TA_CRYPTO_DEMO_ENCRYPT ? len + TA_CRYPTO_DEMO_GCM_TAG : len;
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
	                                 TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT);
	op.params[0].value.a = (uint32_t)dir;
	op.params[0].value.b = (uint32_t)nlen;
	op.params[1].tmpref.buffer = na;
	op.params[1].tmpref.size = nlen + alen;
	op.params[2].tmpref.buffer = (void *)in;
	op.params[2].tmpref.size = in_len;
	op.params[3].tmpref.buffer = out;
	op.params[3].tmpref.size = out_len;
	TEEC_Result r = invoke(TA_CRYPTO_DEMO_CMD_AES_GCM, &op, origin);
	if (r == TEEC_SUCCESS && op.params[3].tmpref.size != out_len)
		r = TEEC_ERROR_GENERIC;
	free(na);
	return r;
}

static TEEC_Result ta_ecdsa_gen(uint8_t x[32], uint8_t y[32])
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT,
	                                 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = x;
	op.params[0].tmpref.size = 32;
	op.params[1].tmpref.buffer = y;
	op.params[1].tmpref.size = 32;
	TEEC_Result r = invoke(TA_CRYPTO_DEMO_CMD_ECDSA_GEN_KEY, &op, NULL);
	if (r == TEEC_SUCCESS && (op.params[0].tmpref.size != 32 || op.params[1].tmpref.size != 32))
		return TEEC_ERROR_GENERIC;
	return r;
}

static TEEC_Result ta_ecdsa_sign(const uint8_t dg[32], uint8_t sig[64])
{
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)dg;
	op.params[0].tmpref.size = 32;
	op.params[1].tmpref.buffer = sig;
	op.params[1].tmpref.size = 64;
	TEEC_Result r = invoke(TA_CRYPTO_DEMO_CMD_ECDSA_SIGN, &op, NULL);
	if (r == TEEC_SUCCESS && op.params[1].tmpref.size != 64)
		return TEEC_ERROR_GENERIC;
	return r;
}

static TEEC_Result ta_ecdsa_verify(const uint8_t pub[64], const uint8_t dg[32],
                                   const uint8_t sig[64])
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_INPUT,
	                                 TEEC_MEMREF_TEMP_INPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)pub;
	op.params[0].tmpref.size = 64;
	op.params[1].tmpref.buffer = (void *)dg;
	op.params[1].tmpref.size = 32;
	op.params[2].tmpref.buffer = (void *)sig;
	op.params[2].tmpref.size = 64;
	return invoke(TA_CRYPTO_DEMO_CMD_ECDSA_VERIFY, &op, NULL);
}

/* ---- Linux's kernel crypto API (AF_ALG) ---- */

/* A request socket for the algorithm, keyed (if key) and, for AEAD, with a
 * 16-byte tag; -1 if the kernel refuses. */
static int alg_socket(const char *type, const char *name, const void *key, size_t keylen)
{
	struct sockaddr_alg sa = {.salg_family = AF_ALG};
	snprintf((char *)sa.salg_type, sizeof(sa.salg_type), "%s", type);
	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s", name);
	int tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0) {
		fprintf(stderr, "# AF_ALG socket: %s\n", strerror(errno));
		return -1;
	}
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "# AF_ALG bind %s/%s: %s\n", type, name, strerror(errno));
		close(tfm);
		return -1;
	}
	if (key && setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, (socklen_t)keylen) < 0) {
		fprintf(stderr, "# AF_ALG key: %s\n", strerror(errno));
		close(tfm);
		return -1;
	}
	if (!strcmp(type, "aead") &&
	    setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, TA_CRYPTO_DEMO_GCM_TAG) < 0) {
		fprintf(stderr, "# AF_ALG authsize: %s\n", strerror(errno));
		close(tfm);
		return -1;
	}
	int op = accept(tfm, NULL, 0);
	close(tfm);
	if (op < 0)
		fprintf(stderr, "# AF_ALG accept: %s\n", strerror(errno));
	return op;
}

static int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = read(fd, p, len);
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* SHA-256, fed in pieces of at most 16 KiB. */
static int linux_sha256(const void *data, size_t len, uint8_t out[32])
{
	int fd = alg_socket("hash", "sha256", NULL, 0);
	if (fd < 0)
		return -1;
	const uint8_t *p = data;
	int rc = 0;
	do {
		size_t n = len < 16384 ? len : 16384;
		if (send(fd, p, n, len > n ? MSG_MORE : 0) != (ssize_t)n) {
			rc = -1;
			break;
		}
		p += n;
		len -= n;
	} while (len);
	if (!rc)
		rc = read_all(fd, out, 32);
	close(fd);
	return rc;
}

/* One request on an skcipher or AEAD socket: the operation, the IV and
 * (AEAD) the AAD length as control messages, the data, then the result.
 * Returns 0, or -errno (-EBADMSG: an AEAD tag did not authenticate). */
static int alg_request(int fd, int encrypt, const uint8_t *iv, size_t ivlen, int aead,
                       uint32_t assoclen, const void *in, size_t in_len, void *out, size_t out_len)
{
	char cbuf[CMSG_SPACE(sizeof(uint32_t)) + CMSG_SPACE(sizeof(struct af_alg_iv) + 16) +
	          CMSG_SPACE(sizeof(uint32_t))];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = {.iov_base = (void *)in, .iov_len = in_len};
	struct msghdr msg = {.msg_control = cbuf,
	                     .msg_controllen = CMSG_SPACE(sizeof(uint32_t)) +
	                                       CMSG_SPACE(sizeof(struct af_alg_iv) + ivlen) +
	                                       (aead ? CMSG_SPACE(sizeof(uint32_t)) : 0),
	                     .msg_iov = &iov,
	                     .msg_iovlen = 1};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_OP;
	c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	*(uint32_t *)CMSG_DATA(c) = encrypt ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_IV;
	c->cmsg_len = CMSG_LEN(sizeof(struct af_alg_iv) + ivlen);
	struct af_alg_iv *ai = (struct af_alg_iv *)CMSG_DATA(c);
	ai->ivlen = (uint32_t)ivlen;
	memcpy(ai->iv, iv, ivlen);
	if (aead) {
		c = CMSG_NXTHDR(&msg, c);
		c->cmsg_level = SOL_ALG;
		c->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
		c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
		*(uint32_t *)CMSG_DATA(c) = assoclen;
	}
	if (sendmsg(fd, &msg, 0) != (ssize_t)in_len)
		return -errno;
	if (!out_len)
		return 0;
	ssize_t n = read(fd, out, out_len);
	if (n < 0)
		return -errno;
	return (size_t)n == out_len ? 0 : -EIO;
}

static int linux_cbc(int encrypt, const uint8_t *key, size_t klen, const uint8_t iv[16],
                     const void *in, size_t len, void *out)
{
	int fd = alg_socket("skcipher", "cbc(aes)", key, klen);
	if (fd < 0)
		return -1;
	int rc = alg_request(fd, encrypt, iv, 16, 0, 0, in, len, out, len);
	close(fd);
	return rc;
}

/* AES-GCM with a 16-byte tag. The kernel's buffers are AAD || data
 * (|| tag when decrypting) in, AAD || data (|| tag when encrypting) out;
 * `out` gets data (|| tag) only. */
static int linux_gcm(int encrypt, const uint8_t *key, size_t klen, const uint8_t *nonce,
                     const uint8_t *aad, size_t alen, const uint8_t *in, size_t len, uint8_t *out)
{
	int fd = alg_socket("aead", "gcm(aes)", key, klen);
	if (fd < 0)
		return -1;
	size_t in_len = alen + len + (encrypt ? 0 : TA_CRYPTO_DEMO_GCM_TAG);
	size_t out_len = alen + len + (encrypt ? TA_CRYPTO_DEMO_GCM_TAG : 0);
	uint8_t *ibuf = xmalloc(in_len), *obuf = xmalloc(out_len);
	memcpy(ibuf, aad, alen);
	memcpy(ibuf + alen, in, in_len - alen);
	int rc =
	    alg_request(fd, encrypt, nonce, 12, 1, (uint32_t)alen, ibuf, in_len, obuf, out_len);
	if (!rc)
		memcpy(out, obuf + alen, out_len - alen);
	free(ibuf);
	free(obuf);
	close(fd);
	return rc;
}

/* ---- OpenSSL: ECDSA P-256 ---- */

static EVP_PKEY *pub_from_xy(const uint8_t x[32], const uint8_t y[32])
{
	uint8_t pt[65];
	pt[0] = 0x04;
	memcpy(pt + 1, x, 32);
	memcpy(pt + 33, y, 32);
	EVP_PKEY *pk = NULL;
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (b && c &&
	    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt)) &&
	    (params = OSSL_PARAM_BLD_to_param(b)) && EVP_PKEY_fromdata_init(c) == 1 &&
	    EVP_PKEY_fromdata(c, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(c);
	return pk;
}

/* Whether OpenSSL takes the key as a valid P-256 public key. */
static int nw_public_check(EVP_PKEY *pk)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
	int ok = c && EVP_PKEY_public_check(c) == 1;
	EVP_PKEY_CTX_free(c);
	return ok;
}

/* 1: the signature r || s verifies for the digest; 0: it does not; -1: error. */
static int nw_verify(EVP_PKEY *pk, const uint8_t dg[32], const uint8_t sig[64])
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL), *sv = BN_bin2bn(sig + 32, 32, NULL);
	if (!s || !r || !sv || ECDSA_SIG_set0(s, r, sv) != 1) {
		BN_free(r);
		BN_free(sv);
		ECDSA_SIG_free(s);
		return -1;
	}
	unsigned char *der = NULL;
	int dlen = i2d_ECDSA_SIG(s, &der);
	ECDSA_SIG_free(s);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
	int rc = -1;
	if (dlen > 0 && c && EVP_PKEY_verify_init(c) == 1)
		rc = EVP_PKEY_verify(c, der, (size_t)dlen, dg, 32) == 1;
	EVP_PKEY_CTX_free(c);
	OPENSSL_free(der);
	return rc;
}

/* A key pair of OpenSSL's; *pub gets X || Y. */
static EVP_PKEY *nw_keygen(uint8_t pub[64])
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	uint8_t pt[65];
	size_t len = 0;
	if (!k ||
	    EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof(pt),
	                                    &len) != 1 ||
	    len != 65 || pt[0] != 0x04) {
		EVP_PKEY_free(k);
		return NULL;
	}
	memcpy(pub, pt + 1, 64);
	return k;
}

/* OpenSSL signs the digest; sig gets r || s. */
static int nw_sign(EVP_PKEY *k, const uint8_t dg[32], uint8_t sig[64])
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
	unsigned char der[128];
	size_t dlen = sizeof(der);
	int ok = c && EVP_PKEY_sign_init(c) == 1 && EVP_PKEY_sign(c, der, &dlen, dg, 32) == 1;
	EVP_PKEY_CTX_free(c);
	if (!ok)
		return 0;
	const unsigned char *p = der;
	ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	if (!s)
		return 0;
	const BIGNUM *r, *sv;
	ECDSA_SIG_get0(s, &r, &sv);
	ok = BN_bn2binpad(r, sig, 32) == 32 && BN_bn2binpad(sv, sig + 32, 32) == 32;
	ECDSA_SIG_free(s);
	return ok;
}

/* ---- the checks ---- */

static const uint8_t abc_sha256[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

static void test_sha256(void)
{
	uint8_t ta[32], nw[32];
	TEEC_Result r = ta_sha256("abc", 3, ta);
	int k = linux_sha256("abc", 3, nw);
	check(r == TEEC_SUCCESS && k == 0 && !memcmp(ta, abc_sha256, 32) &&
	          !memcmp(nw, abc_sha256, 32),
	      "sha256_abc", "TA 0x%x, AF_ALG %d", r, k);

	static const size_t sizes[] = {0, 1, 55, 64, 1000, 4096, 70000};
	uint8_t *buf = xmalloc(70000);
	fill_random(buf, 70000);
	int all = 1;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		r = ta_sha256(buf, sizes[i], ta);
		k = linux_sha256(buf, sizes[i], nw);
		if (r != TEEC_SUCCESS || k != 0 || memcmp(ta, nw, 32)) {
			all = 0;
			printf("# sha256 of %zu bytes: TA 0x%x, AF_ALG %d, %s\n", sizes[i], r, k,
			       r == TEEC_SUCCESS && k == 0 ? "digests differ" : "error");
		}
	}
	check(all, "sha256_vs_af_alg", "see above");
	free(buf);

	/* Too small an output: the size needed. */
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)"abc";
	op.params[0].tmpref.size = 3;
	op.params[1].tmpref.buffer = ta;
	op.params[1].tmpref.size = 16;
	r = invoke(TA_CRYPTO_DEMO_CMD_SHA256, &op, NULL);
	check(r == TEEC_ERROR_SHORT_BUFFER && op.params[1].tmpref.size == 32, "sha256_short_buffer",
	      "0x%x size %zu", r, op.params[1].tmpref.size);
}

/* AES-CBC both ways in the TA and in Linux, on a few sizes, with `key`
 * (which the TA holds already). */
static int cbc_rounds(const char *what, const uint8_t *key, size_t klen)
{
	static const size_t sizes[] = {16, 64, 4096, 65536 + 16 * 7};
	size_t max = sizes[sizeof(sizes) / sizeof(sizes[0]) - 1];
	uint8_t *pt = xmalloc(max), *ta = xmalloc(max), *nw = xmalloc(max), *back = xmalloc(max);
	int all = 1;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];
		uint8_t iv[16];
		fill_random(iv, 16);
		fill_random(pt, n);
		TEEC_Result r = ta_cbc(TA_CRYPTO_DEMO_ENCRYPT, iv, pt, n, ta);
		int k = linux_cbc(1, key, klen, iv, pt, n, nw);
		int same = r == TEEC_SUCCESS && k == 0 && !memcmp(ta, nw, n);
		/* The TA decrypts Linux's ciphertext; Linux decrypts the TA's. */
		TEEC_Result r2 = ta_cbc(TA_CRYPTO_DEMO_DECRYPT, iv, nw, n, back);
		int back_ok = r2 == TEEC_SUCCESS && !memcmp(back, pt, n);
		int k2 = linux_cbc(0, key, klen, iv, ta, n, back);
		back_ok &= k2 == 0 && !memcmp(back, pt, n);
		if (!same || !back_ok) {
			all = 0;
			printf(
			    "# %s, %zu bytes: encrypt TA 0x%x AF_ALG %d same %d; decrypt TA 0x%x "
			    "AF_ALG %d round trip %d\n",
			    what, n, r, k, same, r2, k2, back_ok);
		}
	}
	free(pt);
	free(ta);
	free(nw);
	free(back);
	return all;
}

/* AES-GCM in the TA and in Linux: the same ciphertext and tag, each side
 * decrypts the other's. */
static int gcm_rounds(const char *what, const uint8_t *key, size_t klen)
{
	static const struct {
		size_t aad, len;
	} cases[] = {{0, 0}, {20, 0}, {0, 16}, {13, 61}, {32, 1000}, {100, 20000}};
	int all = 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t alen = cases[i].aad, n = cases[i].len, t = TA_CRYPTO_DEMO_GCM_TAG;
		uint8_t nonce[12], *aad = xmalloc(alen), *pt = xmalloc(n), *ta = xmalloc(n + t),
		                   *nw = xmalloc(n + t), *back = xmalloc(n);
		fill_random(nonce, sizeof(nonce));
		fill_random(aad, alen);
		fill_random(pt, n);
		TEEC_Result r =
		    ta_gcm(TA_CRYPTO_DEMO_ENCRYPT, nonce, 12, aad, alen, pt, n, ta, NULL);
		int k = linux_gcm(1, key, klen, nonce, aad, alen, pt, n, nw);
		int same = r == TEEC_SUCCESS && k == 0 && !memcmp(ta, nw, n + t);
		TEEC_Result r2 =
		    ta_gcm(TA_CRYPTO_DEMO_DECRYPT, nonce, 12, aad, alen, nw, n, back, NULL);
		int back_ok = r2 == TEEC_SUCCESS && !memcmp(back, pt, n);
		int k2 = linux_gcm(0, key, klen, nonce, aad, alen, ta, n, back);
		back_ok &= k2 == 0 && !memcmp(back, pt, n);
		if (!same || !back_ok) {
			all = 0;
			printf(
			    "# %s, AAD %zu, %zu bytes: encrypt TA 0x%x AF_ALG %d same %d; decrypt "
			    "TA 0x%x AF_ALG %d round trip %d\n",
			    what, alen, n, r, k, same, r2, k2, back_ok);
		}
		free(aad);
		free(pt);
		free(ta);
		free(nw);
		free(back);
	}
	return all;
}

/* Tampered GCM input: the TA refuses it with TEE_ERROR_MAC_INVALID (and so
 * does Linux, with EBADMSG). */
static void gcm_tamper(const uint8_t *key, size_t klen)
{
	size_t alen = 24, n = 100;
	uint8_t nonce[12], aad[24], pt[100], ct[116], out[100];
	fill_random(nonce, sizeof(nonce));
	fill_random(aad, sizeof(aad));
	fill_random(pt, sizeof(pt));
	TEEC_Result r = ta_gcm(TA_CRYPTO_DEMO_ENCRYPT, nonce, 12, aad, alen, pt, n, ct, NULL);
	if (!check(r == TEEC_SUCCESS, "gcm_tamper_setup", "encrypt: 0x%x", r))
		return;
	static const struct {
		const char *name;
		int where; /* 0: ciphertext, 1: tag, 2: AAD, 3: nonce */
		size_t at;
	} cases[] = {{"gcm_tampered_ciphertext", 0, 37},
	             {"gcm_tampered_tag", 1, 15},
	             {"gcm_tampered_aad", 2, 0},
	             {"gcm_tampered_nonce", 3, 11}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t c2[116], a2[24], n2[12];
		memcpy(c2, ct, sizeof(c2));
		memcpy(a2, aad, sizeof(a2));
		memcpy(n2, nonce, sizeof(n2));
		switch (cases[i].where) {
		case 0:
			c2[cases[i].at] ^= 0x01;
			break;
		case 1:
			c2[n + cases[i].at] ^= 0x80;
			break;
		case 2:
			a2[cases[i].at] ^= 0x10;
			break;
		default:
			n2[cases[i].at] ^= 0x04;
			break;
		}
		uint32_t origin = 0;
		memset(out, 0xee, sizeof(out));
		r = ta_gcm(TA_CRYPTO_DEMO_DECRYPT, n2, 12, a2, alen, c2, n, out, &origin);
		int k = linux_gcm(0, key, klen, n2, a2, alen, c2, n, out);
		check(r == TEE_ERROR_MAC_INVALID && origin == TEEC_ORIGIN_TRUSTED_APP &&
		          k == -EBADMSG,
		      cases[i].name, "TA 0x%x origin %u (want 0x%x from the TA), AF_ALG %d", r,
		      origin, TEE_ERROR_MAC_INVALID, k);
	}
	/* The untouched input still decrypts. */
	r = ta_gcm(TA_CRYPTO_DEMO_DECRYPT, nonce, 12, aad, alen, ct, n, out, NULL);
	check(r == TEEC_SUCCESS && !memcmp(out, pt, n), "gcm_untampered_decrypts", "0x%x", r);
}

static void test_aes(void)
{
	/* A key from the client, as a memory reference. */
	uint8_t key[32];
	fill_random(key, 16);
	TEEC_Result r = ta_set_key(key, 16);
	if (check(r == TEEC_SUCCESS, "aes_set_key_memref", "0x%x", r)) {
		check(cbc_rounds("client key (memref)", key, 16), "aes128_cbc_client_key_memref",
		      "see above");
		check(gcm_rounds("client key (memref)", key, 16), "aes128_gcm_client_key_memref",
		      "see above");
		gcm_tamper(key, 16);
	}
	/* A key from the client, as value parameters. */
	fill_random(key, 16);
	r = ta_set_key_values(key);
	if (check(r == TEEC_SUCCESS, "aes_set_key_values", "0x%x", r)) {
		check(cbc_rounds("client key (values)", key, 16), "aes128_cbc_client_key_values",
		      "see above");
		check(gcm_rounds("client key (values)", key, 16), "aes128_gcm_client_key_values",
		      "see above");
	}
	/* Keys the TA generated and exported. */
	static const uint32_t bits[] = {128, 256};
	for (size_t i = 0; i < 2; i++) {
		char name[64];
		uint8_t k2[32];
		size_t len = sizeof(k2);
		memset(k2, 0, sizeof(k2));
		r = ta_gen_key(bits[i], k2, &len);
		snprintf(name, sizeof(name), "aes%u_generated_key", bits[i]);
		int nonzero = 0;
		for (size_t j = 0; j < len; j++)
			nonzero |= k2[j];
		if (!check(r == TEEC_SUCCESS && len == bits[i] / 8 && nonzero &&
		               memcmp(k2, key, 16),
		           name, "0x%x, %zu bytes", r, len))
			continue;
		snprintf(name, sizeof(name), "aes%u_cbc_generated_key", bits[i]);
		check(cbc_rounds(name, k2, len), name, "see above");
		snprintf(name, sizeof(name), "aes%u_gcm_generated_key", bits[i]);
		check(gcm_rounds(name, k2, len), name, "see above");
	}
	/* A key of a wrong length is refused. */
	r = ta_set_key(key, 15);
	check(r == TEEC_ERROR_BAD_PARAMETERS, "aes_bad_key_length", "0x%x", r);
}

static void test_ecdsa(void)
{
	uint8_t x[32], y[32];
	TEEC_Result r = ta_ecdsa_gen(x, y);
	if (!check(r == TEEC_SUCCESS, "ecdsa_p256_keygen", "0x%x", r))
		return;
	EVP_PKEY *pk = pub_from_xy(x, y);
	if (!check(pk && nw_public_check(pk), "ecdsa_p256_public_key_valid",
	           "OpenSSL does not take (X, Y) as a P-256 point"))
		return;
	/* The TA signs digests Linux computed; OpenSSL verifies. */
	int all = 1, tamper_ok = 1;
	for (int i = 0; i < 8; i++) {
		uint8_t msg[200], dg[32], sig[64];
		fill_random(msg, sizeof(msg));
		if (linux_sha256(msg, sizeof(msg), dg)) {
			all = 0;
			break;
		}
		r = ta_ecdsa_sign(dg, sig);
		int v = r == TEEC_SUCCESS ? nw_verify(pk, dg, sig) : -1;
		if (v != 1) {
			all = 0;
			printf("# ECDSA signature %d: TA 0x%x, OpenSSL verify %d\n", i, r, v);
			continue;
		}
		/* A flipped bit in r, in s, or in the digest: no longer valid. */
		uint8_t bad[64], dg2[32];
		memcpy(bad, sig, 64);
		bad[i % 32] ^= (uint8_t)(1u << (i % 8));
		int v1 = nw_verify(pk, dg, bad);
		memcpy(bad, sig, 64);
		bad[32 + (i * 5) % 32] ^= 0x01;
		int v2 = nw_verify(pk, dg, bad);
		memcpy(dg2, dg, 32);
		dg2[31 - i] ^= 0x40;
		int v3 = nw_verify(pk, dg2, sig);
		if (v1 != 0 || v2 != 0 || v3 != 0) {
			tamper_ok = 0;
			printf("# tampered signature %d: OpenSSL verify %d %d %d\n", i, v1, v2, v3);
		}
	}
	check(all, "ecdsa_p256_ta_signs_openssl_verifies", "see above");
	check(tamper_ok, "ecdsa_p256_tampered_signature_rejected", "see above");
	EVP_PKEY_free(pk);

	/* OpenSSL signs; the TA verifies, and refuses what was tampered with. */
	uint8_t pub[64], dg[32], sig[64];
	EVP_PKEY *k = nw_keygen(pub);
	fill_random(dg, sizeof(dg));
	if (!check(k && nw_sign(k, dg, sig), "ecdsa_p256_openssl_sign", "OpenSSL failed"))
		return;
	r = ta_ecdsa_verify(pub, dg, sig);
	check(r == TEEC_SUCCESS, "ecdsa_p256_openssl_signs_ta_verifies", "0x%x", r);
	sig[40] ^= 0x08;
	r = ta_ecdsa_verify(pub, dg, sig);
	check(r == TEE_ERROR_SIGNATURE_INVALID, "ecdsa_p256_ta_rejects_tampered_signature",
	      "0x%x (want 0x%x)", r, TEE_ERROR_SIGNATURE_INVALID);
	EVP_PKEY_free(k);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	static const TEEC_UUID uuid = TA_CRYPTO_DEMO_UUID;
	TEEC_Result r = TEEC_InitializeContext(NULL, &ctx);
	if (check(r == TEEC_SUCCESS, "initialize_context", "0x%x", r)) {
		uint32_t origin = 0;
		r = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
		if (check(r == TEEC_SUCCESS, "open_session", "0x%x origin %u", r, origin)) {
			test_sha256();
			test_aes();
			test_ecdsa();
			TEEC_CloseSession(&sess);
		}
		TEEC_FinalizeContext(&ctx);
	}
	printf("crypto_e2e: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
