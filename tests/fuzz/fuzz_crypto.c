/* libFuzzer harness: the crypto service's requests (services/crypto/serve.c
 * crypto_serve, and what it dispatches to: object.c, op_sym.c, op_asym.c,
 * attrs.c, alloc.c, ta_verify.c), with the real mbedTLS, on the kernel
 * model of svc_shim.c. Two clients (badges A and B), init (the supervisor
 * badge) and an unbadged caller send requests; the service starts as
 * main.c starts it, without its test hooks.
 *
 * Input: byte 0, the number of requests (1 to 12); then per request 28
 * bytes: the request (0-31: the codes of crypto_ipc.h in the order of
 * `codes` below; else a raw code, CRYPTO_OP_F_INIT if bit 7), the caller
 * (A, B, the supervisor, 0), the shared-memory object in handle slot 0
 * (bits 0-5: pages, 0 for none; bits 6-7: read-write, read-only, revoked,
 * an endpoint instead), extra handles in slots 1-3 (bits 0-2), then w1, w2
 * and w3 (8 bytes each; a span of the window whose length has bit 31 set
 * ends near the window's end). A word that names an object or an operation and
 * is 1-63 names one the service gave out in this input: 1-32 the caller's
 * own (by the order they were made, freed ones too), 33-48 the other
 * client's, 49-63 the caller's ids of the other kind. The rest of the input
 * fills every object. At the end init tells the service that both clients
 * have ended (CLIENT_GONE), as it does when a TA ends.
 *
 * Checked for every request: the result is one of crypto_ipc.h's, and on
 * an error w1 is a reason that goes with it; the decisions the service
 * takes before an object or operation is looked at, exactly (callers,
 * badges, not attached, ATTACH of each kind of object, unknown requests);
 * an id that is stale, the other client's or of the other kind is
 * ITEM_NOT_FOUND/BAD_ID, a live own one never; ids are never given out
 * twice; OBJ_INFO agrees with what OBJ_ALLOC was asked for; every handle
 * the message carried is closed; each attached client has exactly its last
 * window mapped, read-write, and nothing else is mapped; a refused request
 * holds no more heap after than before, and writes nothing in the caller's
 * window (a failed tag check only zeroes); no request writes in the other
 * client's window. After CLIENT_GONE: nothing mapped, no heap charged to
 * anyone, the heap as at start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform.h>

#include "../../services/crypto/crypto.h"
#include "svc_shim.h"

const char fz_harness[] = "crypto";

#define REQ_SIZE 28
#define MAX_REQS 12
#define MAX_IDS 64
#define BADGE_A (CRYPTO_BADGE_FIRST_CLIENT + 1)
#define BADGE_B (CRYPTO_BADGE_FIRST_CLIENT + 2)

/* What the harness knows of a client. */
struct model {
	uint64_t badge;
	int attached, win; /* its window: an object of the shim */
	unsigned nobj, nop;
	uint64_t obj[MAX_IDS], op[MAX_IDS];
	uint8_t obj_live[MAX_IDS], op_live[MAX_IDS];
	uint32_t obj_type[MAX_IDS], obj_max[MAX_IDS];
};

static struct model cl[2];
static size_t heap_at_start;
static uint8_t before[2][CRYPTO_WINDOW_MAX];

static void require(int ok, const char *what)
{
	if (!ok)
		fz_fail(what);
}

void crypto_fatal(const char *why)
{
	fprintf(stderr, "fuzz_crypto: the service's fatal error: %s\n", why);
	abort();
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_svc_init();
	/* As main.c: the heap, mbedTLS on it, the DRBG, the salt. */
	alloc_init();
	mbedtls_platform_set_calloc_free(svc_calloc, svc_free);
	fz_rng_reset();
	crypto_serve_init(0x5a175a17U, 0);
	heap_at_start = alloc_in_use();
	fz_svc_checkpoint();
	if (!freopen("/dev/null", "w", stdout))
		return 1;
	return 0;
}

/* A span whose length has bit 31 set is taken to end near the end of the
 * window, 8 bytes before it to 7 past it (by the length's low 4 bits): so
 * the off-by-ones at the end are a bit flip away for the fuzzer. */
static uint64_t span_near_end(uint64_t s, size_t size)
{
	uint32_t off = (uint32_t)s, len = (uint32_t)(s >> 32);
	if (!(len >> 31) || off > size)
		return s;
	uint64_t end = (uint64_t)size - 8 + (len & 15);
	len = end > off ? (uint32_t)(end - off) : 0;
	return (uint64_t)off | (uint64_t)len << 32;
}

enum idk { ID_NONE, ID_OBJ, ID_OP };

/* Which words of request `code` are spans of the window (bits 1-3). */
static unsigned span_words(uint64_t code)
{
	switch (code & ~(uint64_t)CRYPTO_OP_F_INIT) {
	case CRYPTO_OP_RANDOM:
	case CRYPTO_OP_ADD_ENTROPY:
		return 1U << 1;
	case CRYPTO_OP_OBJ_POPULATE:
	case CRYPTO_OP_INIT:
	case CRYPTO_OP_UPDATE_AAD:
	case CRYPTO_OP_DERIVE:
		return 1U << 2;
	case CRYPTO_OP_OBJ_GENERATE:
	case CRYPTO_OP_OBJ_GET_ATTR:
		return 1U << 3;
	case CRYPTO_OP_UPDATE:
	case CRYPTO_OP_FINAL:
	case CRYPTO_OP_FINAL_CHECK:
	case CRYPTO_OP_ASYM:
		return 1U << 2 | 1U << 3;
	default:
		return 0;
	}
}

/* Which words of request `code` name objects or operations. */
static void id_words(uint64_t code, enum idk k[4])
{
	k[1] = k[2] = k[3] = ID_NONE;
	switch (code) {
	case CRYPTO_OP_OBJ_COPY:
		k[2] = ID_OBJ;
		/* fall through */
	case CRYPTO_OP_OBJ_FREE:
	case CRYPTO_OP_OBJ_RESET:
	case CRYPTO_OP_OBJ_POPULATE:
	case CRYPTO_OP_OBJ_GENERATE:
	case CRYPTO_OP_OBJ_GET_ATTR:
	case CRYPTO_OP_OBJ_INFO:
		k[1] = ID_OBJ;
		break;
	case CRYPTO_OP_SET_KEY:
		k[1] = ID_OP, k[2] = k[3] = ID_OBJ;
		break;
	case CRYPTO_OP_COPY:
		k[1] = k[2] = ID_OP;
		break;
	case CRYPTO_OP_DERIVE:
		k[1] = ID_OP, k[3] = ID_OBJ;
		break;
	case CRYPTO_OP_FREE:
	case CRYPTO_OP_RESET:
	case CRYPTO_OP_INIT:
	case CRYPTO_OP_UPDATE:
	case CRYPTO_OP_UPDATE_AAD:
	case CRYPTO_OP_FINAL:
	case CRYPTO_OP_FINAL_CHECK:
	case CRYPTO_OP_ASYM:
		k[1] = ID_OP;
		break;
	default:
		break;
	}
}

/* A reference (1-63) to an id; *live: a live id of the caller's own of the
 * right kind, *foreign: one that is certainly not (stale, the other
 * client's, the other kind); neither when the reference names nothing yet
 * (it is then sent as it is). */
static uint64_t resolve(uint64_t v, enum idk k, int me, int *live, int *foreign)
{
	*live = *foreign = 0;
	if (v == 0 || v > 63 || me < 0)
		return v;
	const struct model *own = &cl[me], *other = &cl[!me];
	int obj = k == ID_OBJ;
	unsigned i;
	const struct model *m = own;
	if (v <= 32) {
		i = (unsigned)v - 1;
	} else if (v <= 48) {
		i = (unsigned)v - 33, m = other;
	} else {
		i = (unsigned)v - 49, obj = !obj;
	}
	if (i >= (obj ? m->nobj : m->nop))
		return v;
	uint64_t id = obj ? m->obj[i] : m->op[i];
	int alive = obj ? m->obj_live[i] : m->op_live[i];
	if (m == own && obj == (k == ID_OBJ) && alive)
		*live = 1;
	else if (m != own || obj != (k == ID_OBJ) || !alive)
		*foreign = 1;
	/* Ids of both kinds share one number space per client: the same
	 * number could be a live id of the right kind, too. */
	if (*foreign && m == own && obj != (k == ID_OBJ)) {
		for (unsigned j = 0; j < (k == ID_OBJ ? own->nobj : own->nop); j++)
			if ((k == ID_OBJ ? own->obj[j] : own->op[j]) == id &&
			    (k == ID_OBJ ? own->obj_live[j] : own->op_live[j]))
				*foreign = 0, *live = 1;
	}
	return id;
}

static void forget(struct model *m)
{
	memset(m->obj_live, 0, sizeof(m->obj_live));
	memset(m->op_live, 0, sizeof(m->op_live));
	m->attached = 0;
	m->win = -1;
}

static void new_id(struct model *m, int obj, uint64_t id, const uint64_t *w)
{
	unsigned n = obj ? m->nobj : m->nop;
	uint64_t *ids = obj ? m->obj : m->op;
	uint8_t *live = obj ? m->obj_live : m->op_live;
	for (unsigned i = 0; i < n; i++)
		require(!(ids[i] == id && live[i]), "an id given out twice");
	require(id && !(id >> 32), "an id outside 32 bits, or 0");
	if (n == MAX_IDS)
		return;
	ids[n] = id;
	live[n] = 1;
	if (obj) {
		m->obj_type[n] = (uint32_t)w[1];
		m->obj_max[n] = (uint32_t)w[2];
		m->nobj++;
	} else {
		m->nop++;
	}
}

static void kill_id(struct model *m, int obj, uint64_t id)
{
	unsigned n = obj ? m->nobj : m->nop;
	for (unsigned i = 0; i < n; i++)
		if ((obj ? m->obj[i] : m->op[i]) == id)
			(obj ? m->obj_live : m->op_live)[i] = 0;
}

/* The reason an error carries must go with it. */
static void check_reason(uint32_t res, uint64_t reason)
{
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		return;
	require(res == TEE_ERROR_BAD_PARAMETERS || res == TEE_ERROR_BAD_STATE ||
			res == TEE_ERROR_ITEM_NOT_FOUND || res == TEE_ERROR_OUT_OF_MEMORY ||
			res == TEE_ERROR_NOT_SUPPORTED || res == TEE_ERROR_ACCESS_DENIED ||
			res == TEE_ERROR_MAC_INVALID || res == TEE_ERROR_SIGNATURE_INVALID ||
			res == TEE_ERROR_SECURITY,
		"a result crypto_ipc.h does not give");
	require(reason <= CRYPTO_REASON_STATE, "an error's w1 is no CRYPTO_REASON_*");
	static const uint32_t goes_with[] = {
	    [CRYPTO_REASON_NOT_ATTACHED] = TEE_ERROR_BAD_STATE,
	    [CRYPTO_REASON_BAD_ID] = TEE_ERROR_ITEM_NOT_FOUND,
	    [CRYPTO_REASON_BAD_SPAN] = TEE_ERROR_BAD_PARAMETERS,
	    [CRYPTO_REASON_BAD_RECORD] = TEE_ERROR_BAD_PARAMETERS,
	    [CRYPTO_REASON_LIMIT] = TEE_ERROR_OUT_OF_MEMORY,
	    [CRYPTO_REASON_STATE] = TEE_ERROR_BAD_STATE,
	};
	require(reason == CRYPTO_REASON_NONE || goes_with[reason] == res,
		"an error's reason does not go with it");
}

/* What the service must answer before it looks at any object or
 * operation; 0 when that depends on more. */
static uint32_t expect_front(uint64_t code, uint64_t badge, int me, uint64_t w1, int obj,
			     unsigned kind, uint64_t *reason)
{
	*reason = CRYPTO_REASON_NONE;
	if (!badge)
		return TEE_ERROR_ACCESS_DENIED;
	if (code == CRYPTO_OP_TA_VERIFY)
		return badge == CRYPTO_BADGE_SUPERVISOR ? 0 : TEE_ERROR_ACCESS_DENIED;
	if (badge == CRYPTO_BADGE_SUPERVISOR || code == CRYPTO_OP_CLIENT_GONE) {
		if (badge != CRYPTO_BADGE_SUPERVISOR || code != CRYPTO_OP_CLIENT_GONE)
			return TEE_ERROR_ACCESS_DENIED;
		/* The service has state for a client from its first ATTACH. */
		int c = w1 == BADGE_A ? 0 : w1 == BADGE_B ? 1 : -1;
		return c >= 0 && cl[c].attached ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND;
	}
	if (code == CRYPTO_OP_ATTACH) {
		/* The kernel refuses the mapping first, then the service the size. */
		if (obj < 0 || kind == 2 || kind == 3)
			return TEE_ERROR_BAD_PARAMETERS;
		if (kind == 1)
			return TEE_ERROR_ACCESS_DENIED;
		return fz_obj_size(obj) > CRYPTO_WINDOW_MAX ? TEE_ERROR_BAD_PARAMETERS : TEE_SUCCESS;
	}
	if (!cl[me].attached) {
		*reason = CRYPTO_REASON_NOT_ATTACHED;
		return TEE_ERROR_BAD_STATE;
	}
	int known = code == CRYPTO_OP_DETACH || (code >= CRYPTO_OP_OBJ_ALLOC && code <= CRYPTO_OP_OBJ_INFO) ||
		    (code >= CRYPTO_OP_ALLOC && code <= CRYPTO_OP_DERIVE) || code == CRYPTO_OP_RANDOM ||
		    code == CRYPTO_OP_ADD_ENTROPY;
	if (code & CRYPTO_OP_F_INIT) {
		uint64_t c = code & ~(uint64_t)CRYPTO_OP_F_INIT;
		known = c == CRYPTO_OP_UPDATE || c == CRYPTO_OP_UPDATE_AAD || c == CRYPTO_OP_FINAL ||
			c == CRYPTO_OP_FINAL_CHECK;
	}
	return known ? 0 : TEE_ERROR_NOT_SUPPORTED; /* the test requests too: no hooks */
}

static int window_changed(int c, const uint8_t *was)
{
	return cl[c].win >= 0 && memcmp(fz_obj_mem(cl[c].win), was, fz_obj_size(cl[c].win)) != 0;
}

static void check_windows(void)
{
	unsigned n = 0;
	for (int c = 0; c < 2; c++) {
		if (!cl[c].attached)
			continue;
		unsigned prot = 0;
		require(fz_obj_mappings(cl[c].win, &prot) == 1 && prot == (MT_PROT_R | MT_PROT_W),
			"an attached client's window is not mapped once, read-write");
		n++;
	}
	require(fz_mappings() == n, "a mapping other than the attached clients' windows");
	require(fz_handles() == 0, "a handle a message carried is still open");
}

static void one_request(const uint8_t *q, const uint8_t *fill, size_t fill_len)
{
	static const uint64_t codes[32] = {
	    CRYPTO_OP_ATTACH,       CRYPTO_OP_DETACH,         CRYPTO_OP_CLIENT_GONE,
	    CRYPTO_OP_TA_VERIFY,    CRYPTO_OP_OBJ_ALLOC,      CRYPTO_OP_OBJ_FREE,
	    CRYPTO_OP_OBJ_RESET,    CRYPTO_OP_OBJ_POPULATE,   CRYPTO_OP_OBJ_GENERATE,
	    CRYPTO_OP_OBJ_GET_ATTR, CRYPTO_OP_OBJ_COPY,       CRYPTO_OP_OBJ_INFO,
	    CRYPTO_OP_ALLOC,        CRYPTO_OP_FREE,           CRYPTO_OP_SET_KEY,
	    CRYPTO_OP_RESET,        CRYPTO_OP_COPY,           CRYPTO_OP_INIT,
	    CRYPTO_OP_UPDATE,       CRYPTO_OP_UPDATE_AAD,     CRYPTO_OP_FINAL,
	    CRYPTO_OP_FINAL_CHECK,  CRYPTO_OP_ASYM,           CRYPTO_OP_DERIVE,
	    CRYPTO_OP_RANDOM,       CRYPTO_OP_F_INIT | CRYPTO_OP_UPDATE,
	    CRYPTO_OP_F_INIT | CRYPTO_OP_UPDATE_AAD,          CRYPTO_OP_F_INIT | CRYPTO_OP_FINAL,
	    CRYPTO_OP_F_INIT | CRYPTO_OP_FINAL_CHECK,         CRYPTO_OP_TEST_CRASH,
	    CRYPTO_OP_TEST_STATS,   CRYPTO_OP_TEST_STALL,
	};
	static const uint64_t badges[4] = {BADGE_A, BADGE_B, CRYPTO_BADGE_SUPERVISOR, 0};
	uint64_t code = q[0] < 32 ? codes[q[0]] : (q[0] & 0x7f) | (q[0] & 0x80 ? CRYPTO_OP_F_INIT : 0);
	uint64_t badge = badges[q[1] & 3];
	int me = badge == BADGE_A ? 0 : badge == BADGE_B ? 1 : -1;
	unsigned pages = q[2] & 0x3f, kind = q[2] >> 6;
	uint64_t w[4] = {code, rd64(q + 4), rd64(q + 12), rd64(q + 20)};

	/* Ids: references to the ones given out. */
	enum idk k[4];
	id_words(code & ~(uint64_t)CRYPTO_OP_F_INIT, k);
	int live[4] = {0}, foreign[4] = {0};
	for (int i = 1; i < 4; i++)
		if (k[i] != ID_NONE)
			w[i] = resolve(w[i], k[i], me, &live[i], &foreign[i]);
	if (me >= 0 && cl[me].win >= 0)
		for (int i = 1; i < 4; i++)
			if (span_words(code) & (1U << i))
				w[i] = span_near_end(w[i], fz_obj_size(cl[me].win));
	/* RSA key generation costs seconds at the largest sizes: not those. */
	if (code == CRYPTO_OP_OBJ_GENERATE && live[1] && w[2] > 768)
		for (unsigned i = 0; i < cl[me].nobj; i++)
			if (cl[me].obj[i] == w[1] && cl[me].obj_type[i] == TEE_TYPE_RSA_KEYPAIR)
				return;
	/* init names a client it says has ended by its badge. */
	if (code == CRYPTO_OP_CLIENT_GONE && w[1] < 4)
		w[1] = badges[w[1]];

	int obj = -1;
	mt_handle_t hs[4] = {0, 0, 0, 0};
	if (pages && (obj = fz_obj_new(pages > 17 ? 17 : pages)) >= 0) {
		size_t size = fz_obj_size(obj);
		memcpy(fz_obj_mem(obj), fill, fill_len < size ? fill_len : size);
		if (kind == 2)
			fz_obj_revoke(obj);
		hs[0] = kind == 3   ? fz_give_endpoint()
			: kind == 1 ? fz_give(obj, MT_R_MAP_R | MT_R_GRANT)
				    : fz_give(obj, MT_R_MAP_R | MT_R_MAP_W | MT_R_GRANT);
	}
	for (unsigned i = 1; i < 4; i++)
		if (q[3] & (1U << (i - 1))) {
			int x = fz_obj_new(1);
			if (x >= 0)
				hs[i] = fz_give(x, MT_R_MAP_R | MT_R_MAP_W);
		}

	int wins[2] = {cl[0].win, cl[1].win};
	for (int c = 0; c < 2; c++)
		if (cl[c].win >= 0)
			memcpy(before[c], fz_obj_mem(cl[c].win), fz_obj_size(cl[c].win));
	uint64_t want_reason;
	uint32_t want = expect_front(code, badge, me, w[1], obj, kind, &want_reason);
	size_t heap = alloc_in_use();

	struct mt_msg m = {{w[0], w[1], w[2], w[3]}, MT_XFER(hs[0], hs[1], hs[2], hs[3]), badge};
	struct reply r = {{0, 0, 0, 0}};
	uint32_t res = crypto_serve(&m, &r);
#ifdef FZ_TRACE /* -DFZ_TRACE: each request and its answer on stderr */
	fprintf(stderr, "%#lx from %#lx: %#x w1 %#lx\n", (unsigned long)code, (unsigned long)badge, res,
		(unsigned long)r.w[1]);
#endif

	check_reason(res, r.w[1]);
	if (want) {
		require(res == want, "a result other than crypto_ipc.h's for this caller and request");
		if (want != TEE_SUCCESS)
			require(r.w[1] == want_reason, "an error with another reason than expected");
	}
	int id_checked = !(code & CRYPTO_OP_F_INIT) && !want && k[1] != ID_NONE;
	if (id_checked && foreign[1])
		require(res == TEE_ERROR_ITEM_NOT_FOUND && r.w[1] == CRYPTO_REASON_BAD_ID,
			"an id not the caller's own and live was taken");
	if (id_checked && live[1] && k[2] == ID_NONE && k[3] == ID_NONE)
		require(!(res == TEE_ERROR_ITEM_NOT_FOUND && r.w[1] == CRYPTO_REASON_BAD_ID),
			"a live id of the caller's own was not found");

	/* The model follows what was accepted. */
	if (res == TEE_SUCCESS && me >= 0) {
		struct model *c = &cl[me];
		switch (code) {
		case CRYPTO_OP_ATTACH:
			require(r.w[1] == fz_obj_size(obj), "ATTACH's w1 is not the window's size");
			c->attached = 1;
			c->win = obj;
			break;
		case CRYPTO_OP_DETACH:
			forget(c);
			break;
		case CRYPTO_OP_OBJ_ALLOC:
			new_id(c, 1, r.w[1], w);
			break;
		case CRYPTO_OP_ALLOC:
			new_id(c, 0, r.w[1], w);
			break;
		case CRYPTO_OP_OBJ_FREE:
			kill_id(c, 1, w[1]);
			break;
		case CRYPTO_OP_FREE:
			kill_id(c, 0, w[1]);
			break;
		case CRYPTO_OP_OBJ_INFO:
			for (unsigned i = 0; i < c->nobj; i++)
				if (c->obj[i] == w[1])
					require(r.w[1] == c->obj_type[i] && r.w[2] >> 32 == c->obj_max[i] &&
							(uint32_t)r.w[2] <= c->obj_max[i] && r.w[3] <= 1 &&
							(r.w[3] || (uint32_t)r.w[2] == 0),
						"OBJ_INFO disagrees with OBJ_ALLOC");
			break;
		case CRYPTO_OP_RANDOM:
			require(r.w[1] == CRYPTO_SPAN_LEN(w[1]), "RANDOM filled another length");
			break;
		default:
			break;
		}
	}
	if (res == TEE_SUCCESS && code == CRYPTO_OP_CLIENT_GONE)
		forget(&cl[w[1] == BADGE_A ? 0 : 1]);
	if (code == CRYPTO_OP_TA_VERIFY && res == TEE_SUCCESS)
		require(r.w[1] + r.w[2] <= w[1], "TA_VERIFY's ELF file lies outside the image");

	check_windows();
	int refused = res != TEE_SUCCESS && res != TEE_ERROR_SHORT_BUFFER;
	if (refused)
		require(alloc_in_use() <= heap, "a refused request holds more heap than before");
	/* Windows: the other client's never changes; the caller's not on an
	 * error, except zeroes where a tag check failed. */
	for (int c = 0; c < 2; c++) {
		if (wins[c] < 0 || cl[c].win != wins[c] || !window_changed(c, before[c]))
			continue;
		require(c == me, "a request wrote in another client's window");
		if (res == TEE_SUCCESS)
			continue;
		const uint8_t *now = fz_obj_mem(wins[c]);
		for (size_t i = 0; i < fz_obj_size(wins[c]); i++)
			if (now[i] != before[c][i])
				require(res == TEE_ERROR_MAC_INVALID && now[i] == 0,
					"a refused request wrote in the caller's window");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 + REQ_SIZE)
		return 0;
	unsigned n = 1 + data[0] % MAX_REQS;
	if (size < 1 + n * REQ_SIZE)
		n = (unsigned)((size - 1) / REQ_SIZE);
	const uint8_t *fill = data + 1 + n * REQ_SIZE;
	size_t fill_len = size - 1 - n * REQ_SIZE;
	fz_svc_reset();
	fz_rng_reset();
	memset(cl, 0, sizeof(cl));
	cl[0].badge = BADGE_A, cl[1].badge = BADGE_B;
	cl[0].win = cl[1].win = -1;
	for (unsigned i = 0; i < n; i++)
		one_request(data + 1 + i * REQ_SIZE, fill, fill_len);

	/* Both clients end: init tells the service, which forgets them. */
	for (int c = 0; c < 2; c++) {
		struct mt_msg m = {{CRYPTO_OP_CLIENT_GONE, cl[c].badge, 0, 0}, 0,
				   CRYPTO_BADGE_SUPERVISOR};
		struct reply r = {{0, 0, 0, 0}};
		uint32_t res = crypto_serve(&m, &r);
		require(res == (cl[c].attached ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND),
			"CLIENT_GONE's answer disagrees with who is attached");
		forget(&cl[c]);
	}
	require(fz_mappings() == 0 && fz_handles() == 0,
		"a window or handle left after both clients ended");
	for (unsigned i = 1; i <= MAX_CLIENTS; i++)
		require(alloc_charged(i) == 0, "heap still charged to a client that has ended");
	require(alloc_in_use() == heap_at_start, "the heap is not as at start once every client ended");
	return 0;
}
