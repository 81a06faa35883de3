/* The attacker. It goes below the GP API: it talks to the crypto service
 * through the CALL handle the runtime holds for this instance
 * (tee_rt_crypto_ep, lib/tee/tee_rt.h) in the protocol of
 * include/microtee/crypto_ipc.h, in the data window lib/tee attached, and
 * makes raw system calls. Every attempt must be refused with an error;
 * what it got instead is printed and counted. */
#include <stdio.h>
#include <string.h>

#include <hostile_ta.h>

#include "../../include/microtee/rpc_ipc.h"
#include "../../include/microtee/smc.h"
#include "hostile.h"
#include "mt.h"
#include "tee_crypto.h"
#include "tee_rt.h"

static unsigned attempts, bad;
static uint8_t *win;
static uint32_t wsize;

/* Window layout for our own requests. */
#define IN  0
#define OUT 4096
#define REC 8192
#define IV  12288

#define ANY_REASON UINT64_MAX

struct res {
	long ipc;
	uint32_t r;
	uint64_t w1, w2, w3;
};

static struct res raw(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, unsigned long xfer)
{
	struct mt_msg m = {{w0, w1, w2, w3}, xfer, 0};
	struct res r = {mt_call(tee_rt_crypto_ep, &m), 0, 0, 0, 0};
	r.r = (uint32_t)m.w[0];
	r.w1 = m.w[1];
	r.w2 = m.w[2];
	r.w3 = m.w[3];
	return r;
}

static void note_bad(int line, const char *what, const struct res *r)
{
	bad++;
	printf("[hostile] NOT REFUSED AS EXPECTED (line %d): %s: ipc %ld, result 0x%x, w1 0x%lx\n",
	       line, what, r->ipc, r->r, (unsigned long)r->w1);
}

/* The service answered, with exactly this error (and reason). */
static void must_fail_(int line, const char *what, struct res r, uint32_t code, uint64_t reason)
{
	attempts++;
	if (r.ipc == MT_OK && r.r == code && (reason == ANY_REASON || r.w1 == reason))
		return;
	note_bad(line, what, &r);
}
#define MUST_FAIL(what, r, code, reason) must_fail_(__LINE__, (what), (r), (code), (reason))
#define NOT_FOUND(what, r)               MUST_FAIL((what), (r), TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID)
#define BAD_SPAN(what, r)                MUST_FAIL((what), (r), TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_SPAN)

/* The service answered with some error. */
static void must_err_(int line, const char *what, struct res r)
{
	attempts++;
	if (r.ipc == MT_OK && r.r != TEE_SUCCESS)
		return;
	note_bad(line, what, &r);
}
#define MUST_ERR(what, r) must_err_(__LINE__, (what), (r))

/* Our own requests, which must work. */
static bool must_ok_(int line, const char *what, struct res r)
{
	attempts++;
	if (r.ipc == MT_OK && r.r == TEE_SUCCESS)
		return true;
	bad++;
	printf("[hostile] FAILED (line %d): %s: ipc %ld, result 0x%x, w1 0x%lx\n", line, what,
	       r.ipc, r.r, (unsigned long)r.w1);
	return false;
}
#define MUST_OK(what, r) must_ok_(__LINE__, (what), (r))

/* A system call that must fail. */
static void sys_fails_(int line, const char *what, unsigned long arg, long rc)
{
	attempts++;
	if (rc < 0)
		return;
	bad++;
	printf("[hostile] SYSTEM CALL NOT REFUSED (line %d): %s (0x%lx): %ld\n", line, what, arg,
	       rc);
}
#define SYS_FAILS(what, arg, rc) sys_fails_(__LINE__, (what), (unsigned long)(arg), (rc))

static void expect(int line, bool ok, const char *what)
{
	attempts++;
	if (ok)
		return;
	bad++;
	printf("[hostile] FAILED (line %d): %s\n", line, what);
}
#define EXPECT(ok, what) expect(__LINE__, (ok), (what))

static uint32_t seed = 0x6d2b79f5;
static uint32_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

/* ---- our own objects and operations, straight from the protocol ---- */

static size_t rec_ref(uint8_t *p, uint32_t id, const void *data, uint32_t len)
{
	memcpy(p, &id, 4);
	memcpy(p + 4, &len, 4);
	memcpy(p + 8, data, len);
	size_t padded = (len + 7) & ~7U;
	memset(p + 8 + len, 0, padded - len);
	return 8 + padded;
}

static size_t rec_val(uint8_t *p, uint32_t id, uint32_t a, uint32_t b)
{
	uint32_t w[4] = {id, 0, a, b};
	memcpy(p, w, sizeof(w));
	return sizeof(w);
}

static uint64_t own_obj(uint32_t type, uint32_t bits)
{
	struct res r = raw(CRYPTO_OP_OBJ_ALLOC, type, bits, 0, 0);
	return MUST_OK("allocate an object of our own", r) ? r.w1 : 0;
}

static uint64_t own_aes(void)
{
	static const uint8_t k[16] = "our own key 1234";
	uint64_t o = own_obj(TEE_TYPE_AES, 128);
	size_t n = rec_ref(win + REC, TEE_ATTR_SECRET_VALUE, k, sizeof(k));
	MUST_OK("populate our own key", raw(CRYPTO_OP_OBJ_POPULATE, o, CRYPTO_SPAN(REC, n), 0, 0));
	return o;
}

static uint64_t own_op(uint32_t alg, uint32_t mode, uint32_t bits)
{
	struct res r = raw(CRYPTO_OP_ALLOC, alg, mode, bits, 0);
	return MUST_OK("allocate an operation of our own", r) ? r.w1 : 0;
}

static void free_obj(uint64_t id)
{
	if (id)
		MUST_OK("free our own object", raw(CRYPTO_OP_OBJ_FREE, id, 0, 0, 0));
}

static void free_op(uint64_t id)
{
	if (id)
		MUST_OK("free our own operation", raw(CRYPTO_OP_FREE, id, 0, 0, 0));
}

static const uint8_t abc_sha256[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

/* Our own crypto still works through the GP API (lib/tee's window is
 * still the one attached). */
static void gp_still_works(const char *when)
{
	TEE_OperationHandle op;
	uint8_t out[32];
	size_t n = sizeof(out);
	TEE_Result res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res == TEE_SUCCESS) {
		res = TEE_DigestDoFinal(op, "abc", 3, out, &n);
		TEE_FreeOperation(op);
	}
	attempts++;
	if (res == TEE_SUCCESS && n == 32 && !memcmp(out, abc_sha256, 32))
		return;
	bad++;
	printf("[hostile] FAILED: SHA-256 through the GP API %s: 0x%x\n", when, res);
}

/* ---- 1: the victim's ids with our handle ---- */

static bool is_own(uint64_t id, const uint64_t *own, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (own[i] == id)
			return true;
	return false;
}

static void victim_object(uint64_t v, uint32_t attr, uint64_t mine_empty, uint64_t mine_op)
{
	NOT_FOUND("OBJ_INFO on the victim's object", raw(CRYPTO_OP_OBJ_INFO, v, 0, 0, 0));
	/* Reading the key: nothing may reach the output area. */
	memset(win + OUT, 0xa5, 512);
	NOT_FOUND("OBJ_GET_ATTR on the victim's object",
	          raw(CRYPTO_OP_OBJ_GET_ATTR, v, attr, CRYPTO_SPAN(OUT, 512), 0));
	bool untouched = true;
	for (unsigned i = 0; i < 512; i++)
		untouched &= win[OUT + i] == 0xa5;
	EXPECT(untouched, "the output area was written by a refused OBJ_GET_ATTR");
	NOT_FOUND(
	    "OBJ_GET_ATTR (public X) on the victim's object",
	    raw(CRYPTO_OP_OBJ_GET_ATTR, v, TEE_ATTR_ECC_PUBLIC_VALUE_X, CRYPTO_SPAN(OUT, 64), 0));
	NOT_FOUND("OBJ_COPY from the victim's object",
	          raw(CRYPTO_OP_OBJ_COPY, mine_empty, v, 0, 0));
	NOT_FOUND("OBJ_COPY onto the victim's object",
	          raw(CRYPTO_OP_OBJ_COPY, v, mine_empty, 0, 0));
	NOT_FOUND("OBJ_RESET on the victim's object", raw(CRYPTO_OP_OBJ_RESET, v, 0, 0, 0));
	size_t n = rec_ref(win + REC, TEE_ATTR_SECRET_VALUE, "0123456789abcdef", 16);
	NOT_FOUND("OBJ_POPULATE on the victim's object",
	          raw(CRYPTO_OP_OBJ_POPULATE, v, CRYPTO_SPAN(REC, n), 0, 0));
	NOT_FOUND("OBJ_GENERATE on the victim's object",
	          raw(CRYPTO_OP_OBJ_GENERATE, v, 128, CRYPTO_SPAN(REC, 0), 0));
	NOT_FOUND("SET_KEY with the victim's object", raw(CRYPTO_OP_SET_KEY, mine_op, v, 0, 0));
	MUST_ERR("DERIVE into the victim's object",
	         raw(CRYPTO_OP_DERIVE, mine_op, CRYPTO_SPAN(REC, 0), v, 0));
	NOT_FOUND("OBJ_FREE on the victim's object", raw(CRYPTO_OP_OBJ_FREE, v, 0, 0, 0));
}

static void victim_operation(uint64_t v, uint64_t mine_op, uint64_t mine_key)
{
	memcpy(win + IV, "0123456789abcdef", 16);
	NOT_FOUND("INIT on the victim's operation",
	          raw(CRYPTO_OP_INIT, v, CRYPTO_SPAN(IV, 16), 0, 0));
	NOT_FOUND("UPDATE on the victim's operation",
	          raw(CRYPTO_OP_UPDATE, v, CRYPTO_SPAN(IN, 16), CRYPTO_SPAN(OUT, 16), 0));
	NOT_FOUND("UPDATE_AAD on the victim's operation",
	          raw(CRYPTO_OP_UPDATE_AAD, v, CRYPTO_SPAN(IN, 16), 0, 0));
	NOT_FOUND("FINAL on the victim's operation",
	          raw(CRYPTO_OP_FINAL, v, CRYPTO_SPAN(IN, 16), CRYPTO_SPAN(OUT, 16), 0));
	struct crypto_check_req q = {16, OUT, 64, 0};
	memcpy(win + REC, &q, sizeof(q));
	NOT_FOUND("FINAL_CHECK on the victim's operation",
	          raw(CRYPTO_OP_FINAL_CHECK, v, CRYPTO_SPAN(IN, 16),
	              CRYPTO_SPAN(REC, sizeof(q) + 16), 0));
	struct crypto_asym_req a = {TEE_MODE_SIGN, 0, 0, OUT, 128, 0};
	memcpy(win + REC, &a, sizeof(a));
	NOT_FOUND("ASYM on the victim's operation",
	          raw(CRYPTO_OP_ASYM, v, CRYPTO_SPAN(IN, 32), CRYPTO_SPAN(REC, sizeof(a)), 0));
	NOT_FOUND("DERIVE with the victim's operation",
	          raw(CRYPTO_OP_DERIVE, v, CRYPTO_SPAN(REC, 0), mine_key, 0));
	NOT_FOUND("COPY from the victim's operation", raw(CRYPTO_OP_COPY, mine_op, v, 0, 0));
	NOT_FOUND("COPY onto the victim's operation", raw(CRYPTO_OP_COPY, v, mine_op, 0, 0));
	NOT_FOUND("SET_KEY on the victim's operation (our key)",
	          raw(CRYPTO_OP_SET_KEY, v, mine_key, 0, 0));
	NOT_FOUND("SET_KEY on the victim's operation (clear its key)",
	          raw(CRYPTO_OP_SET_KEY, v, 0, 0, 0));
	NOT_FOUND("RESET on the victim's operation", raw(CRYPTO_OP_RESET, v, 0, 0, 0));
	NOT_FOUND("FREE on the victim's operation", raw(CRYPTO_OP_FREE, v, 0, 0, 0));
}

static void attack_ids(uint64_t vkey, uint64_t vop, uint64_t vpair)
{
	uint64_t own[6];
	own[0] = own_aes();
	own[1] = own_obj(TEE_TYPE_AES, 128);
	own[2] = own_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128);
	own[3] = own_op(TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	own[4] = own_obj(TEE_TYPE_ECDSA_KEYPAIR, 256);
	size_t n = rec_val(win + REC, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	MUST_OK("generate our own key pair",
	        raw(CRYPTO_OP_OBJ_GENERATE, own[4], 256, CRYPTO_SPAN(REC, n), 0));
	own[5] = own_op(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	printf("[hostile] using the victim's ids 0x%lx 0x%lx 0x%lx with our own handle\n",
	       (unsigned long)vkey, (unsigned long)vop, (unsigned long)vpair);

	victim_object(vkey, TEE_ATTR_SECRET_VALUE, own[1], own[2]);
	victim_object(vpair, TEE_ATTR_ECC_PRIVATE_VALUE, own[1], own[3]);
	NOT_FOUND("SET_KEY of our signing operation to the victim's key pair",
	          raw(CRYPTO_OP_SET_KEY, own[3], vpair, 0, 0));
	victim_operation(vop, own[2], own[0]);

	/* Kinds swapped: an object id as an operation and the other way. */
	NOT_FOUND("an operation id as an object", raw(CRYPTO_OP_OBJ_INFO, vop, 0, 0, 0));
	NOT_FOUND("an object id as an operation", raw(CRYPTO_OP_RESET, vkey, 0, 0, 0));
	NOT_FOUND("our operation id as an object", raw(CRYPTO_OP_OBJ_INFO, own[2], 0, 0, 0));
	NOT_FOUND("our object id as an operation", raw(CRYPTO_OP_RESET, own[0], 0, 0, 0));

	/* Ids near the victim's: every slot, every tag bit, the high word. */
	unsigned tried = 0;
	for (uint64_t s = 0; s < 64; s++) {
		uint64_t k = (vkey & ~63ULL) | s, o = (vop & ~63ULL) | s;
		if (!is_own(k, own, 6)) {
			NOT_FOUND("an object id in the victim's slots",
			          raw(CRYPTO_OP_OBJ_INFO, k, 0, 0, 0));
			tried++;
		}
		if (!is_own(o, own, 6)) {
			NOT_FOUND("an operation id in the victim's slots",
			          raw(CRYPTO_OP_RESET, o, 0, 0, 0));
			tried++;
		}
	}
	for (unsigned b = 0; b < 64; b++) {
		uint64_t k = vkey ^ (1ULL << b), o = vop ^ (1ULL << b);
		if (!is_own(k, own, 6)) {
			NOT_FOUND("a victim object id, one bit changed",
			          raw(CRYPTO_OP_OBJ_INFO, k, 0, 0, 0));
			tried++;
		}
		if (!is_own(o, own, 6)) {
			NOT_FOUND("a victim operation id, one bit changed",
			          raw(CRYPTO_OP_RESET, o, 0, 0, 0));
			tried++;
		}
	}
	static const uint64_t odd[] = {0, 1, 63, 64, 0xFFFFFFFFULL, 0x100000000ULL, ~0ULL};
	for (unsigned i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		NOT_FOUND("an odd object id", raw(CRYPTO_OP_OBJ_INFO, odd[i], 0, 0, 0));
		NOT_FOUND("an odd operation id", raw(CRYPTO_OP_RESET, odd[i], 0, 0, 0));
	}
	/* Random ids. */
	for (unsigned i = 0; i < 200; i++) {
		uint64_t id = rnd();
		if (is_own(id, own, 6))
			continue;
		NOT_FOUND("a random object id", raw(CRYPTO_OP_OBJ_INFO, id, 0, 0, 0));
		NOT_FOUND("a random operation id", raw(CRYPTO_OP_RESET, id, 0, 0, 0));
		tried += 2;
	}
	printf("[hostile] %u ids near the victim's and at random: all refused unless our own\n",
	       tried);

	/* Our own objects work the whole time. */
	MUST_OK("OBJ_INFO on our own object", raw(CRYPTO_OP_OBJ_INFO, own[0], 0, 0, 0));
	memcpy(win + IN, "abc", 3);
	struct res r = raw(CRYPTO_OP_FINAL, own[5], CRYPTO_SPAN(IN, 3), CRYPTO_SPAN(OUT, 32), 0);
	EXPECT(r.ipc == MT_OK && r.r == TEE_SUCCESS && !memcmp(win + OUT, abc_sha256, 32),
	       "SHA-256 with our own operation");
	free_obj(own[0]);
	free_obj(own[1]);
	free_op(own[2]);
	free_op(own[3]);
	free_obj(own[4]);
	free_op(own[5]);
}

/* ---- 2: malformed requests ---- */

static void bad_ops(void)
{
	static const uint64_t unknown[] = {0,
	                                   5,
	                                   9,
	                                   21,
	                                   29,
	                                   42,
	                                   49,
	                                   52,
	                                   0x7E50, /* test hooks: off in this scenario */
	                                   0x7E51,
	                                   0xFFFF,
	                                   0xFFFFFFFFULL,
	                                   0x100000000ULL | CRYPTO_OP_OBJ_INFO,
	                                   ~0ULL};
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		MUST_FAIL("an unknown request", raw(unknown[i], 1, 2, 3, 0),
		          TEE_ERROR_NOT_SUPPORTED, ANY_REASON);
	/* Only init, the TA loader, may have TA images checked. */
	MUST_FAIL("TA_VERIFY", raw(CRYPTO_OP_TA_VERIFY, 4096, 1, 2, 0), TEE_ERROR_ACCESS_DENIED,
	          CRYPTO_REASON_NONE);
	/* Only init may say a client has gone: not for any badge, ours included. */
	for (uint64_t b = 0; b < 80; b++)
		MUST_FAIL("CLIENT_GONE",
		          raw(CRYPTO_OP_CLIENT_GONE, CRYPTO_BADGE_FIRST_CLIENT + b, 0, 0, 0),
		          TEE_ERROR_ACCESS_DENIED, CRYPTO_REASON_NONE);
	static const uint64_t badges[] = {0, 1, 2, 0xFFFF, ~0ULL};
	for (unsigned i = 0; i < sizeof(badges) / sizeof(badges[0]); i++)
		MUST_FAIL("CLIENT_GONE", raw(CRYPTO_OP_CLIENT_GONE, badges[i], 0, 0, 0),
		          TEE_ERROR_ACCESS_DENIED, CRYPTO_REASON_NONE);
}

static void bad_spans(void)
{
	uint64_t d = own_op(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	const uint64_t spans[] = {
	    CRYPTO_SPAN(wsize, 1),
	    CRYPTO_SPAN(wsize - 1, 2),
	    CRYPTO_SPAN(0, wsize + 1),
	    CRYPTO_SPAN(0xFFFFFFFF, 1),
	    CRYPTO_SPAN(1, 0xFFFFFFFF),
	    CRYPTO_SPAN(0xFFFFFFF0, 0x20),
	    CRYPTO_SPAN(0x80000000, 0x80000000),
	    CRYPTO_SPAN(0xFFFFFFFF, 0xFFFFFFFF),
	};
	MUST_FAIL("ADD_ENTROPY of no bytes", raw(CRYPTO_OP_ADD_ENTROPY, CRYPTO_SPAN(IN, 0), 0, 0, 0),
	          TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
	MUST_FAIL("ADD_ENTROPY of more than it takes",
	          raw(CRYPTO_OP_ADD_ENTROPY, CRYPTO_SPAN(IN, CRYPTO_ENTROPY_MAX + 1), 0, 0, 0),
	          TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
	for (unsigned i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		BAD_SPAN("UPDATE with a span outside the window",
		         raw(CRYPTO_OP_UPDATE, d, spans[i], 0, 0));
		BAD_SPAN("FINAL with an input span outside the window",
		         raw(CRYPTO_OP_FINAL, d, spans[i], CRYPTO_SPAN(OUT, 32), 0));
		BAD_SPAN("FINAL with an output span outside the window",
		         raw(CRYPTO_OP_FINAL, d, CRYPTO_SPAN(IN, 3), spans[i], 0));
		BAD_SPAN("RANDOM into a span outside the window",
		         raw(CRYPTO_OP_RANDOM, spans[i], 0, 0, 0));
		BAD_SPAN("ADD_ENTROPY from a span outside the window",
		         raw(CRYPTO_OP_ADD_ENTROPY, spans[i], 0, 0, 0));
		BAD_SPAN("OBJ_IMPORT of a span outside the window",
		         raw(CRYPTO_OP_OBJ_IMPORT, spans[i], 0, 0, 0));
	}
	/* Persistent keys: bytes that are no blob name another TA (its first
	 * 16 bytes are the owner) or are damage; an empty or too long blob is
	 * damage; an export of nothing names nothing. */
	memset(win + IN, 0x5A, 4096);
	MUST_FAIL("OBJ_IMPORT of bytes that are no blob",
	          raw(CRYPTO_OP_OBJ_IMPORT, CRYPTO_SPAN(IN, 200), 0, 0, 0), TEE_ERROR_ACCESS_DENIED,
	          ANY_REASON);
	MUST_FAIL("OBJ_IMPORT of an empty blob",
	          raw(CRYPTO_OP_OBJ_IMPORT, CRYPTO_SPAN(IN, 0), 0, 0, 0), TEE_ERROR_CORRUPT_OBJECT,
	          ANY_REASON);
	MUST_FAIL("OBJ_IMPORT of a blob longer than any",
	          raw(CRYPTO_OP_OBJ_IMPORT, CRYPTO_SPAN(0, CRYPTO_OBJ_BLOB_MAX + 1), 0, 0, 0),
	          TEE_ERROR_CORRUPT_OBJECT, ANY_REASON);
	NOT_FOUND("OBJ_EXPORT of no object",
	          raw(CRYPTO_OP_OBJ_EXPORT, 0x12345, CRYPTO_SPAN(OUT, 1024), 0, 0));
	NOT_FOUND("OBJ_RESTRICT of no object", raw(CRYPTO_OP_OBJ_RESTRICT, 0x12345, 0, 0, 0));
	/* Nothing was consumed: the digest of "abc" comes out right. */
	memcpy(win + IN, "abc", 3);
	struct res r = raw(CRYPTO_OP_FINAL, d, CRYPTO_SPAN(IN, 3), CRYPTO_SPAN(OUT, 32), 0);
	EXPECT(r.ipc == MT_OK && r.r == TEE_SUCCESS && !memcmp(win + OUT, abc_sha256, 32),
	       "SHA-256 after refused spans");
	free_op(d);

	/* An asymmetric request whose header points outside. */
	uint64_t pair = own_obj(TEE_TYPE_ECDSA_KEYPAIR, 256);
	size_t n = rec_val(win + REC, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	MUST_OK("generate our own key pair",
	        raw(CRYPTO_OP_OBJ_GENERATE, pair, 256, CRYPTO_SPAN(REC, n), 0));
	uint64_t sign = own_op(TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	MUST_OK("set our own key", raw(CRYPTO_OP_SET_KEY, sign, pair, 0, 0));
	const struct crypto_asym_req reqs[] = {
	    {TEE_MODE_SIGN, 0, 0, wsize, 64, 0},
	    {TEE_MODE_SIGN, 0, 0, OUT, wsize, 0},
	    {TEE_MODE_SIGN, 0, 0, 0xFFFFFFF0, 0x40, 0},
	    {TEE_MODE_SIGN, 0xFFFFFFF0, 0, OUT, 64, 0},
	    {TEE_MODE_SIGN, 0x7FFFFFFF, 0, OUT, 64, 0},
	    {TEE_MODE_VERIFY, 0, 0xFFFFFFFF, OUT, 64, 0},
	    {TEE_MODE_SIGN, 0, 0, OUT, 0xFFFFFFFF, 0},
	};
	for (unsigned i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		memcpy(win + REC, &reqs[i], sizeof(reqs[i]));
		MUST_FAIL("ASYM with a request pointing outside the window",
		          raw(CRYPTO_OP_ASYM, sign, CRYPTO_SPAN(IN, 32),
		              CRYPTO_SPAN(REC, sizeof(reqs[i])), 0),
		          TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
	}
	memcpy(win + REC, &reqs[0], sizeof(reqs[0]));
	MUST_FAIL("ASYM with a request cut short",
	          raw(CRYPTO_OP_ASYM, sign, CRYPTO_SPAN(IN, 32), CRYPTO_SPAN(REC, 8), 0),
	          TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
	struct crypto_asym_req ok = {TEE_MODE_SIGN, 0, 0, OUT, 64, 0};
	memcpy(win + REC, &ok, sizeof(ok));
	r = raw(CRYPTO_OP_ASYM, sign, CRYPTO_SPAN(IN, 32), CRYPTO_SPAN(REC, sizeof(ok)), 0);
	EXPECT(r.ipc == MT_OK && r.r == TEE_SUCCESS && r.w1 == 64, "ECDSA signing after refusals");
	free_op(sign);
	free_obj(pair);

	/* An AE tag check whose header points outside. */
	uint64_t key = own_aes();
	uint64_t gcm = own_op(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 128);
	MUST_OK("set our own key", raw(CRYPTO_OP_SET_KEY, gcm, key, 0, 0));
	memset(win + IV, 7, 12);
	MUST_OK("AE init", raw(CRYPTO_OP_INIT, gcm, CRYPTO_SPAN(IV, 12), 128, 0));
	const struct crypto_check_req checks[] = {
	    {0xFFFFFFFF, OUT, 64, 0},
	    {16, wsize, 64, 0},
	    {16, OUT, 0xFFFFFFFF, 0},
	    {16, 0xFFFFFFF0, 0x20, 0},
	};
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		memcpy(win + REC, &checks[i], sizeof(checks[i]));
		MUST_FAIL("FINAL_CHECK with a request pointing outside the window",
		          raw(CRYPTO_OP_FINAL_CHECK, gcm, CRYPTO_SPAN(IN, 16),
		              CRYPTO_SPAN(REC, sizeof(checks[i]) + 16), 0),
		          TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
	}
	/* A GCM tag of 65535 bits, and an IV span outside. */
	MUST_ERR("AE init with a huge tag",
	         raw(CRYPTO_OP_INIT, gcm, CRYPTO_SPAN(IV, 12), 0xFFFF, 0));
	BAD_SPAN("AE init with a nonce outside the window",
	         raw(CRYPTO_OP_INIT, gcm, CRYPTO_SPAN(wsize - 4, 12), 128, 0));
	free_op(gcm);
	free_obj(key);
}

/* Writes a malformed attribute-record sequence at REC; returns its span length. */
static size_t junk_records(unsigned kind)
{
	uint8_t *p = win + REC;
	uint32_t w[4];
	switch (kind) {
	case 0: /* a header cut short */
		w[0] = TEE_ATTR_SECRET_VALUE;
		memcpy(p, w, 4);
		return 4;
	case 1: /* a length beyond the span */
		w[0] = TEE_ATTR_SECRET_VALUE;
		w[1] = 0x1000;
		memcpy(p, w, 8);
		memset(p + 8, 1, 16);
		return 24;
	case 2: /* a length that overflows when padded */
		w[0] = TEE_ATTR_SECRET_VALUE;
		w[1] = 0xFFFFFFFC;
		memcpy(p, w, 8);
		memset(p + 8, 1, 16);
		return 24;
	case 3: /* a value attribute with a length */
		w[0] = TEE_ATTR_ECC_CURVE;
		w[1] = 8;
		w[2] = TEE_ECC_CURVE_NIST_P256;
		w[3] = 0;
		memcpy(p, w, 16);
		return 16;
	case 4: { /* the same attribute twice */
		size_t n = rec_ref(p, TEE_ATTR_SECRET_VALUE, "0123456789abcdef", 16);
		return n + rec_ref(p + n, TEE_ATTR_SECRET_VALUE, "0123456789abcdef", 16);
	}
	case 5: { /* seventeen records */
		size_t n = 0;
		for (unsigned i = 0; i < 17; i++)
			n += rec_ref(p + n, TEE_ATTR_SECRET_VALUE + i, "01234567", 8);
		return n;
	}
	case 6: /* an attribute an AES key does not take */
		return rec_ref(p, TEE_ATTR_RSA_MODULUS, "0123456789abcdef", 16);
	case 7: /* a key of a wrong length */
		return rec_ref(p, TEE_ATTR_SECRET_VALUE, "0123456789abcde", 15);
	case 8: /* nothing at all */
		return 0;
	default: { /* random bytes, never a well-formed secret first */
		size_t len = rnd() % 512;
		for (size_t i = 0; i < len; i += 4) {
			uint32_t v = rnd();
			memcpy(p + i, &v, 4);
		}
		uint32_t id = rnd();
		if (id == TEE_ATTR_SECRET_VALUE)
			id++;
		if (len >= 4)
			memcpy(p, &id, 4);
		return len;
	}
	}
}

static void bad_records(void)
{
	uint64_t o = own_obj(TEE_TYPE_AES, 128);
	for (unsigned kind = 0; kind < 9 + 200; kind++)
		MUST_FAIL(
		    "OBJ_POPULATE with malformed records",
		    raw(CRYPTO_OP_OBJ_POPULATE, o, CRYPTO_SPAN(REC, junk_records(kind)), 0, 0),
		    TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
	/* The object was left as it was: empty, and it takes a good key. */
	struct res r = raw(CRYPTO_OP_OBJ_INFO, o, 0, 0, 0);
	EXPECT(r.ipc == MT_OK && r.r == TEE_SUCCESS && r.w3 == 0,
	       "the object is still empty after refused records");
	size_t n = rec_ref(win + REC, TEE_ATTR_SECRET_VALUE, "0123456789abcdef", 16);
	MUST_OK("populate after refused records",
	        raw(CRYPTO_OP_OBJ_POPULATE, o, CRYPTO_SPAN(REC, n), 0, 0));
	free_obj(o);

	/* Key generation with junk parameters. */
	uint64_t pair = own_obj(TEE_TYPE_ECDSA_KEYPAIR, 256);
	for (unsigned kind = 0; kind < 9 + 50; kind++) {
		if (kind == 8) /* no parameters: the size picks the curve, which is fine */
			continue;
		MUST_ERR("OBJ_GENERATE with malformed parameters",
		         raw(CRYPTO_OP_OBJ_GENERATE, pair, 256,
		             CRYPTO_SPAN(REC, junk_records(kind)), 0));
	}
	free_obj(pair);
}

static void huge_sizes(void)
{
	static const struct {
		uint32_t type, bits;
	} objs[] = {
	    {TEE_TYPE_AES, 0xFFFFFFFF},
	    {TEE_TYPE_AES, 0x80000000},
	    {TEE_TYPE_AES, 0},
	    {TEE_TYPE_GENERIC_SECRET, 0x7FFFFFF8},
	    {TEE_TYPE_HMAC_SHA256, 0xFFFFFFF8},
	    {TEE_TYPE_RSA_KEYPAIR, 1U << 20},
	    {TEE_TYPE_ECDSA_KEYPAIR, 0xFFFFFFFF},
	    {0xFFFFFFFF, 128},
	};
	for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		MUST_FAIL("OBJ_ALLOC of a huge or unknown size",
		          raw(CRYPTO_OP_OBJ_ALLOC, objs[i].type, objs[i].bits, 0, 0),
		          TEE_ERROR_NOT_SUPPORTED, ANY_REASON);
	MUST_ERR("ALLOC with a huge key size",
	         raw(CRYPTO_OP_ALLOC, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 0xFFFFFFFF, 0));
	MUST_ERR("ALLOC of an unknown algorithm", raw(CRYPTO_OP_ALLOC, 0xFFFFFFFF, 0, 128, 0));
	MUST_ERR("ALLOC in an unknown mode",
	         raw(CRYPTO_OP_ALLOC, TEE_ALG_SHA256, 0xFFFFFFFF, 0, 0));
	uint64_t s = own_obj(TEE_TYPE_GENERIC_SECRET, 256);
	MUST_ERR("OBJ_GENERATE of a huge key",
	         raw(CRYPTO_OP_OBJ_GENERATE, s, 0xFFFFFFFF, CRYPTO_SPAN(REC, 0), 0));
	MUST_ERR("OBJ_GENERATE larger than the object",
	         raw(CRYPTO_OP_OBJ_GENERATE, s, 4096, CRYPTO_SPAN(REC, 0), 0));
	free_obj(s);
}

static void bad_attach(void)
{
	/* No window at all. */
	MUST_FAIL("ATTACH without a window", raw(CRYPTO_OP_ATTACH, 0, 0, 0, 0),
	          TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
	/* Our handle to the service itself, which we may not pass on. */
	struct res r = raw(CRYPTO_OP_ATTACH, 0, 0, 0, tee_rt_crypto_ep);
	attempts++;
	if (r.ipc == MT_OK)
		note_bad(__LINE__, "ATTACH sending our crypto handle (no grant right)", &r);
	/* An endpoint as the window. */
	mt_handle_t ep;
	if (mt_ep_create(&ep) == MT_OK) {
		MUST_FAIL("ATTACH with an endpoint as the window",
		          raw(CRYPTO_OP_ATTACH, 0, 0, 0, ep), TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
		mt_handle_close(ep);
	}
	/* Read-only memory: the service needs to write. */
	mt_handle_t shm, ro;
	if (mt_shm_create(4096, &shm) == MT_OK) {
		if (mt_handle_grant(0, shm, MT_R_MAP_R | MT_R_GRANT, 0, &ro) == MT_OK) {
			MUST_FAIL("ATTACH with a read-only window",
			          raw(CRYPTO_OP_ATTACH, 0, 0, 0, ro), TEE_ERROR_ACCESS_DENIED,
			          ANY_REASON);
			mt_handle_close(ro);
		}
		mt_handle_close(shm);
	}
	/* A window larger than allowed. */
	if (mt_shm_create(CRYPTO_WINDOW_MAX + 4096, &shm) == MT_OK) {
		MUST_FAIL("ATTACH with a window too large", raw(CRYPTO_OP_ATTACH, 0, 0, 0, shm),
		          TEE_ERROR_BAD_PARAMETERS, ANY_REASON);
		mt_handle_close(shm);
	}
	/* Handles sent with other requests are dropped unread. */
	if (mt_shm_create(4096, &shm) == MT_OK) {
		MUST_FAIL("OBJ_INFO with a handle attached", raw(CRYPTO_OP_OBJ_INFO, 0, 0, 0, shm),
		          TEE_ERROR_ITEM_NOT_FOUND, ANY_REASON);
		mt_handle_close(shm);
	}
	/* The window lib/tee attached is still ours. */
	gp_still_works("after refused ATTACHes");
}

static void attack_protocol(void)
{
	bad_ops();
	bad_spans();
	bad_records();
	huge_sizes();
	bad_attach();
}

/* ---- 3: system calls on what we were not given ---- */

#define PROBE_VA          0x70000000UL
#define HANDLES_MAX_PROBE 80

static void attack_kernel(unsigned long victim_secret)
{
	struct mt_proc_info before, info;
	mt_proc_info(0, &before);
	unsigned long handles[HANDLES_MAX_PROBE];
	unsigned nh = 0;
	for (unsigned long h = 0; h < 64; h++)
		handles[nh++] = h;
	static const unsigned long big[] = {
	    64, 65, 255, 0xFFFF, 0x10000, 1UL << 32, 0x8000000000000001UL, ~0UL};
	for (unsigned i = 0; i < sizeof(big) / sizeof(big[0]); i++)
		handles[nh++] = big[i];
	while (nh < HANDLES_MAX_PROBE)
		handles[nh++] = (unsigned long)rnd() << 32 | rnd();

	uint64_t page = 0x40000000; /* a normal-world page number, for NSSHM_CREATE */
	unsigned mapped = 0;
	for (unsigned i = 0; i < nh; i++) {
		unsigned long h = handles[i];
		SYS_FAILS("PROC_KILL", h, MT_SYS(SYS_PROC_KILL, h));
		SYS_FAILS("PROC_START", h, MT_SYS(SYS_PROC_START, h, 0));
		SYS_FAILS("SPAWN", h, MT_SYS(SYS_SPAWN, h, (unsigned long)"init", 4, 1, 0));
		SYS_FAILS("POWEROFF", h, MT_SYS(SYS_POWEROFF, h));
		SYS_FAILS("NSSHM_CREATE", h, MT_SYS(SYS_NSSHM_CREATE, h, (unsigned long)&page, 1));
		SYS_FAILS("BENCH_CTL", h, MT_SYS(SYS_BENCH_CTL, h, MT_BENCH_KERNEL_INFO));
		/* No TA holds the RPC capability, under any handle number. */
		SYS_FAILS("NW_RPC", h, MT_SYS(SYS_NW_RPC, h, OPTEE_SMC_RETURN_RPC_CMD, 0, 0));
		if (h) {
			SYS_FAILS("PROC_INFO", h, MT_SYS(SYS_PROC_INFO, h, (unsigned long)&info));
			SYS_FAILS("HANDLE_GRANT into a process", h,
			          MT_SYS(SYS_HANDLE_GRANT, h, tee_rt_crypto_ep, MT_R_CALL, 0));
		}
		/* Shared memory: only the two objects we were given (the
		 * parameter page and the crypto window) may map. */
		unsigned long size = 0;
		long rc = MT_SYS_R1(&size, SYS_SHM_MAP, h, PROBE_VA, MT_PROT_R);
		if (rc == MT_OK) {
			mapped++;
			mt_mem_unmap(PROBE_VA, size);
			attempts++;
			if (h >= 32 || h == victim_secret) {
				bad++;
				printf("[hostile] SHM_MAP of handle %lu worked\n", h);
			}
		} else {
			SYS_FAILS("SHM_MAP", h, rc);
		}
		if (h >= 32 || h == 0)
			SYS_FAILS("CALL", h, MT_SYS(SYS_CALL, h, 0, 0, 0, 0, 0));
	}
	EXPECT(mapped <= 2, "more shared memory mapped than we were given");
	SYS_FAILS("SHM_MAP of the victim's secret handle number", victim_secret,
	          MT_SYS(SYS_SHM_MAP, victim_secret, PROBE_VA, MT_PROT_R | MT_PROT_W));
	SYS_FAILS("SHM_MAP of our crypto endpoint", tee_rt_crypto_ep,
	          MT_SYS(SYS_SHM_MAP, tee_rt_crypto_ep, PROBE_VA, MT_PROT_R));
	/* Our crypto handle under another badge, or with more rights. */
	SYS_FAILS(
	    "HANDLE_GRANT of our crypto handle under another badge", tee_rt_crypto_ep,
	    MT_SYS(SYS_HANDLE_GRANT, 0, tee_rt_crypto_ep, MT_R_CALL, CRYPTO_BADGE_FIRST_CLIENT));
	SYS_FAILS("HANDLE_GRANT of our crypto handle with every right", tee_rt_crypto_ep,
	          MT_SYS(SYS_HANDLE_GRANT, 0, tee_rt_crypto_ep, MT_R_ALL, 0));
	/* Memory that is not ours to map. */
	static const unsigned long vas[] = {0x0E000000UL, 0x0E080000UL, 0x40000000UL,
	                                    0x0UL,        MT_USER_TOP,  ~0xFFFUL};
	for (unsigned i = 0; i < sizeof(vas) / sizeof(vas[0]); i++)
		SYS_FAILS("MEM_MAP outside our space or over our code", vas[i],
		          MT_SYS(SYS_MEM_MAP, vas[i], 4096, MT_PROT_R | MT_PROT_W));
	SYS_FAILS("MEM_MAP writable and executable", PROBE_VA,
	          MT_SYS(SYS_MEM_MAP, PROBE_VA, 4096, MT_PROT_R | MT_PROT_W | MT_PROT_X));
	SYS_FAILS("MEM_MAP of a huge size", PROBE_VA,
	          MT_SYS(SYS_MEM_MAP, PROBE_VA, 1UL << 40, MT_PROT_R));
	SYS_FAILS("SHM_CREATE of a huge size", 1UL << 40, MT_SYS(SYS_SHM_CREATE, 1UL << 40));
	/* Kernel pointers handed to the kernel. */
	SYS_FAILS("DEBUG_WRITE from kernel memory", 0x0E080000UL,
	          MT_SYS(SYS_DEBUG_WRITE, 0x0E080000UL, 16));
	SYS_FAILS("PROC_INFO into kernel memory", 0x0E080000UL,
	          MT_SYS(SYS_PROC_INFO, 0, 0x0E080000UL));
	SYS_FAILS("WAIT_CHILD into kernel memory", 0x0E080000UL,
	          MT_SYS(SYS_WAIT_CHILD, 0x0E080000UL, 1));
	SYS_FAILS("THREAD_CREATE at a kernel address", 0x0E080000UL,
	          MT_SYS(SYS_THREAD_CREATE, 0x0E080000UL, MT_USER_STACK_TOP - 0x20000, 0, 1));
	/* The RPC service lets a TA ask the time and plugins, nothing else: a
	 * TA-loading or file-system request, or any unknown one, is refused
	 * before anything reaches the normal world. */
	static const struct {
		unsigned long op;
		uint32_t want;
	} rpc_ops[] = {{RPC_OP_LOAD_TA, TEE_ERROR_ACCESS_DENIED}, {RPC_OP_FS, TEE_ERROR_ACCESS_DENIED},
	               {0, TEE_ERROR_NOT_SUPPORTED},           {5, TEE_ERROR_NOT_SUPPORTED},
	               {99, TEE_ERROR_NOT_SUPPORTED},          {~0UL, TEE_ERROR_NOT_SUPPORTED}};
	for (unsigned i = 0; i < sizeof(rpc_ops) / sizeof(rpc_ops[0]); i++) {
		struct mt_msg m = {{rpc_ops[i].op, 1, 2, 3}, 0, 0};
		long rc = mt_call(tee_rt_rpc_ep, &m);
		attempts++;
		if (rc != MT_OK || (uint32_t)m.w[0] != rpc_ops[i].want) {
			bad++;
			printf("[hostile] RPC request %lu: ipc %ld, answer 0x%lx\n", rpc_ops[i].op, rc,
			       (unsigned long)m.w[0]);
		}
	}
	static const unsigned long nrs[] = {SYS_COUNT, 99, 0xFFFF, ~0UL};
	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		unsigned long a[7] = {0};
		SYS_FAILS("an unknown system call", nrs[i], mt_syscall(nrs[i], a));
	}
	mt_proc_info(0, &info);
	EXPECT(info.handles == before.handles, "our handle count changed");
	printf("[hostile] %u handle numbers tried; %u of them were shared memory of our own\n", nh,
	       mapped);
}

/* ---- 4: our own tables full ---- */

static void attack_limits(void)
{
	uint64_t ids[40];
	unsigned n = 0;
	struct res r = {0, 0, 0, 0, 0};
	while (n < 40) {
		r = raw(CRYPTO_OP_OBJ_ALLOC, TEE_TYPE_AES, 256, 0, 0);
		if (r.ipc != MT_OK || r.r != TEE_SUCCESS)
			break;
		ids[n++] = r.w1;
	}
	MUST_FAIL("more objects than a client may hold", r, TEE_ERROR_OUT_OF_MEMORY,
	          CRYPTO_REASON_LIMIT);
	printf("[hostile] the service let us hold %u objects\n", n);
	while (n)
		free_obj(ids[--n]);
	while (n < 40) {
		r = raw(CRYPTO_OP_ALLOC, TEE_ALG_SHA512, TEE_MODE_DIGEST, 0, 0);
		if (r.ipc != MT_OK || r.r != TEE_SUCCESS)
			break;
		ids[n++] = r.w1;
	}
	MUST_FAIL("more operations than a client may hold", r, TEE_ERROR_OUT_OF_MEMORY,
	          CRYPTO_REASON_LIMIT);
	printf("[hostile] the service let us hold %u operations\n", n);
	while (n)
		free_op(ids[--n]);
	gp_still_works("after filling our tables");
}

/* ---- 5: every kind of kernel object we can make, until each runs out ----
 * Made until the kernel refuses, each with its own error: MT_EQUOTA for
 * shared-memory objects, endpoints and threads (our quota of each, which
 * init carved out of its own), MT_ENOSPACE for our own mapping and handle
 * tables, MT_ENOMEM for pages. Everything is kept until the instance ends
 * (it dies holding it all, TA_HOSTILE_CMD_DIE, or is destroyed): meanwhile
 * the victim, new TA instances, the services and the gateway must work as
 * before (issue 13 item 3: before quotas, about 60 shared-memory objects of
 * one TA took the whole pool and every normal-world call failed). */
#define EXHAUST_MAPS_VA  0x72000000UL
#define EXHAUST_PAGES_VA 0x74000000UL
#define EXHAUST_MAX      1024

static void sleeper(void *arg)
{
	(void)arg;
	for (;;)
		mt_sleep_ns(1000000000ULL);
}

/* Makes things with make() until it fails; the failure must be `want`. */
static unsigned exhaust_(int line, const char *what, long (*make)(unsigned i), long want)
{
	unsigned n = 0;
	long rc = MT_OK;
	while (n < EXHAUST_MAX && (rc = make(n)) == MT_OK)
		n++;
	attempts++;
	if (rc != want) {
		bad++;
		printf("[hostile] FAILED (line %d): %s: %u made, then %ld (not %ld)\n", line, what, n,
		       rc, want);
	}
	return n;
}
#define EXHAUST(what, make, want) exhaust_(__LINE__, (what), (make), (want))

static mt_handle_t first_shm;

static long make_shm(unsigned i)
{
	mt_handle_t h;
	long rc = mt_shm_create(4096, &h);
	if (rc == MT_OK && i == 0)
		first_shm = h;
	return rc;
}

static long make_ep(unsigned i)
{
	(void)i;
	mt_handle_t h;
	return mt_ep_create(&h);
}

static long make_thread(unsigned i)
{
	(void)i;
	mt_handle_t h;
	return mt_thread_create(sleeper, 0, 1, &h);
}

static long make_map(unsigned i)
{
	return mt_shm_map(first_shm, EXHAUST_MAPS_VA + i * 2 * MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W);
}

static long make_handle(unsigned i)
{
	(void)i;
	mt_handle_t h;
	return mt_handle_grant(0, first_shm, MT_R_MAP_R, 0, &h);
}

static long make_page(unsigned i)
{
	return mt_mem_map(EXHAUST_PAGES_VA + i * MT_PAGE_SIZE, MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W);
}

static void attack_objects(void)
{
	struct mt_proc_info me;
	unsigned shms = EXHAUST("shared-memory objects", make_shm, MT_EQUOTA);
	unsigned eps = EXHAUST("endpoints", make_ep, MT_EQUOTA);
	unsigned thr = EXHAUST("threads", make_thread, MT_EQUOTA);
	unsigned maps = shms ? EXHAUST("mappings of one object", make_map, MT_ENOSPACE) : 0;
	EXPECT(shms > 0, "made a shared-memory object to map and copy");
	/* With every object of ours made, our own crypto still works. */
	gp_still_works("with every kernel object of ours made");
	unsigned handles = shms ? EXHAUST("copies of a handle", make_handle, MT_ENOSPACE) : 0;
	unsigned pages = EXHAUST("pages", make_page, MT_ENOMEM);
	/* No spawner among all we hold: no process either. */
	static const struct mt_quota q = {{64, 1, 0, 0, 0}};
	for (mt_handle_t h = 1; h < 64; h++)
		SYS_FAILS("PROC_CREATE", h,
		          MT_SYS(SYS_PROC_CREATE, h, (unsigned long)"x", 1, 1, (unsigned long)&q,
		                 MT_USER_BASE, 0));
	/* The kernel agrees that every quota of ours is used up. */
	EXPECT(mt_proc_info(0, &me) == MT_OK, "our own process information");
	for (unsigned k = MT_Q_THREADS; k <= MT_Q_SHMS; k++)
		EXPECT(me.used[k] + me.lent[k] == me.quota[k], "an object quota used up");
	EXPECT(me.quota[MT_Q_PAGES] - me.used[MT_Q_PAGES] <= 1, "the page quota used up");
	EXPECT(me.handles == 63, "the handle table full");
	printf("[hostile] holding %u more shared-memory objects, %u endpoints, %u threads, %u "
	       "mappings, %u handles and %u pages: quota %lu/%lu/%lu/%lu pages/threads/endpoints/"
	       "objects, all used\n",
	       shms, eps, thr, maps, handles, pages, me.quota[MT_Q_PAGES], me.quota[MT_Q_THREADS],
	       me.quota[MT_Q_ENDPOINTS], me.quota[MT_Q_SHMS]);
}

TEE_Result attack(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
	                             TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	/* The window lib/tee attaches on first use. */
	TEE_Result res = tee_cs_begin(&win);
	if (res != TEE_SUCCESS)
		return res;
	wsize = (uint32_t)tee_cs_win_size();
	attempts = bad = 0;
	switch (p[0].value.a) {
	case TA_HOSTILE_ATTACK_IDS:
		attack_ids(p[1].value.a, p[1].value.b, p[2].value.a);
		break;
	case TA_HOSTILE_ATTACK_PROTOCOL:
		attack_protocol();
		break;
	case TA_HOSTILE_ATTACK_KERNEL:
		attack_kernel(p[2].value.b);
		break;
	case TA_HOSTILE_ATTACK_LIMITS:
		attack_limits();
		break;
	case TA_HOSTILE_ATTACK_OBJECTS:
		attack_objects();
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	p[3].value.a = attempts;
	p[3].value.b = bad;
	return bad ? TEE_ERROR_GENERIC : TEE_SUCCESS;
}

/* Dies by a fault in the middle of an operation, holding crypto state. */
void die(void)
{
	TEE_ObjectHandle k;
	TEE_OperationHandle op;
	if (TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &k) == TEE_SUCCESS &&
	    TEE_GenerateKey(k, 128, 0, 0) == TEE_SUCCESS &&
	    TEE_AllocateOperation(&op, TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128) == TEE_SUCCESS &&
	    TEE_SetOperationKey(op, k) == TEE_SUCCESS) {
		uint8_t nonce[12] = {0}, buf[64] = {0};
		size_t n = sizeof(buf);
		TEE_AEInit(op, nonce, sizeof(nonce), 128, 0, 0);
		TEE_AEUpdate(op, buf, 32, buf, &n);
	}
	printf("[hostile] reading kernel memory\n");
	(void)*(volatile uint32_t *)0x0E080000UL;
	printf("[hostile] read kernel memory and lived\n");
}
