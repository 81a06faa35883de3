/* OP-TEE's TA-to-TA system calls (5, 6, 7) on lib/tee's
 * TEE_OpenTASession, TEE_InvokeTACommand and TEE_CloseTASession
 * (lib/tee/ta2ta.c: requests to the gateway, memory references copied).
 * The TA gets a session number of ours; the buffers its parameters name
 * are checked first: what the TA may read (an input), or write (an
 * output), itself or a memory reference of its current call. */
#include <string.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <mt_keys.h>

#include "../../lib/tee/tee_rt.h"
#include "mt.h"
#include "utee.h"

#define RD         (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER)
#define WR         (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE | TEE_MEMORY_ACCESS_ANY_OWNER)
#define TA2TA_BASE 0x300U
#define TA2TA_MAX  16

static TEE_TASessionHandle ta2ta_sessions[TA2TA_MAX];

/* OP-TEE's system pseudo-TA, which libutee itself opens for the bounce
 * buffers of TEE_OpenTASession and TEE_InvokeTACommand (a buffer of the
 * TA's own memory is copied into memory from PTA_SYSTEM_MAP_ZI before it
 * goes to another TA). Served here, in the TA's own process: zeroed memory
 * of lib/tee's (tee_map_zi), which counts as the TA's own
 * (utee_zi_contains). PTA_SYSTEM_ADD_RNG_ENTROPY goes to the crypto
 * service's DRBG, PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY to the key service
 * (TEE_DeriveTAKey: bound to this TA and the device),
 * PTA_SYSTEM_SUPP_PLUGIN_INVOKE to the RPC service (lib/tee's
 * tee_invoke_supp_plugin: a tee-supplicant plugin). Its other commands
 * are TEE_ERROR_NOT_SUPPORTED. */
static const TEE_UUID pta_system = {
    0x3a2f8978, 0x5dc0, 0x11e8, {0x9c, 0x2d, 0xfa, 0x7a, 0xe0, 0x1b, 0xbe, 0xbc}};
#define PTA_SESSION                     0x3FFU
#define PTA_SYSTEM_ADD_RNG_ENTROPY      0
#define PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY 1
#define PTA_SYSTEM_MAP_ZI               2
#define PTA_SYSTEM_UNMAP                3
#define PTA_SYSTEM_SUPP_PLUGIN_INVOKE   13
#define ZI_MAX                          16
/* OP-TEE's limits for PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY (pta_system.h). */
#define PTA_DERIVED_EXTRA_MAX 1024
#define PTA_DERIVED_KEY_MIN   16
#define PTA_DERIVED_KEY_MAX   32
/* The label of such a key for TEE_DeriveTAKey: this prefix, then the
 * SHA-256 of the TA's extra data (which may be longer than a label). No
 * label an OP-TEE TA can reach otherwise: it has no TEE_DeriveTAKey. */
#define PTA_DERIVE_LABEL "optee.pta.system.derive:"

static struct {
	uintptr_t va;
	size_t len;
} zi[ZI_MAX];

bool utee_zi_contains(uint64_t p, uint64_t n)
{
	for (unsigned i = 0; i < ZI_MAX; i++)
		if (zi[i].va && p >= zi[i].va && n <= zi[i].len && p - zi[i].va <= zi[i].len - n)
			return true;
	return false;
}

/* May the derived key be written to [p, p + n)? Only to secure memory, as
 * OP-TEE's core says: the TA's own, or a memory reference of the current
 * call when its client is a TA (whose buffers the gateway copied into the
 * secure world), never memory the normal world shares. */
static bool pta_secure_out(const void *p, size_t n)
{
	uint32_t wr = TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE;
	if (utee_access_ok(wr, (uintptr_t)p, n))
		return true;
	const struct tee_rt_session *s = tee_rt_current_session;
	return s && s->client.login == TEE_LOGIN_TRUSTED_APP &&
	       utee_access_ok(wr | TEE_MEMORY_ACCESS_ANY_OWNER, (uintptr_t)p, n);
}

static TEE_Result pta_derive_key(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	size_t extra_len = p[0].memref.size, key_len = p[1].memref.size;
	if (extra_len > PTA_DERIVED_EXTRA_MAX || key_len < PTA_DERIVED_KEY_MIN ||
	    key_len > PTA_DERIVED_KEY_MAX || (extra_len && !p[0].memref.buffer))
		return TEE_ERROR_BAD_PARAMETERS;
	if (!pta_secure_out(p[1].memref.buffer, key_len))
		return TEE_ERROR_SECURITY;
	uint8_t label[sizeof(PTA_DERIVE_LABEL) - 1 + 32], key[PTA_DERIVED_KEY_MAX];
	size_t n = sizeof(PTA_DERIVE_LABEL) - 1, hlen = 32;
	memcpy(label, PTA_DERIVE_LABEL, n);
	TEE_OperationHandle h;
	TEE_Result res = TEE_AllocateOperation(&h, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_DigestDoFinal(h, p[0].memref.buffer, extra_len, label + n, &hlen);
	TEE_FreeOperation(h);
	if (res == TEE_SUCCESS)
		res = TEE_DeriveTAKey(label, sizeof(label), key, key_len);
	if (res == TEE_SUCCESS)
		memcpy(p[1].memref.buffer, key, key_len);
	TEE_MemFill(key, 0, sizeof(key));
	return res;
}

/* The checks of a system PTA command that need no memory: its parameter
 * types and the sizes it bounds, made before the buffers are checked, so
 * that a size out of range is the PTA's BAD_PARAMETERS whatever memory it
 * names (a size past the TA's memory would otherwise be the TEE's
 * ACCESS_DENIED, on which libutee panics). */
static TEE_Result pta_system_precheck(uint32_t cmd, const struct utee_params *u)
{
	if (cmd == PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY) {
		if (u->types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
		                                TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE,
		                                TEE_PARAM_TYPE_NONE) ||
		    u->vals[1] > PTA_DERIVED_EXTRA_MAX || u->vals[3] < PTA_DERIVED_KEY_MIN ||
		    u->vals[3] > PTA_DERIVED_KEY_MAX)
			return TEE_ERROR_BAD_PARAMETERS;
	}
	return TEE_SUCCESS;
}

static TEE_Result pta_system_invoke(uint32_t cmd, uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (cmd == PTA_SYSTEM_ADD_RNG_ENTROPY) {
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
		                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
		    !p[0].memref.buffer || !p[0].memref.size)
			return TEE_ERROR_BAD_PARAMETERS;
		return tee_rt_add_entropy(p[0].memref.buffer, p[0].memref.size);
	}
	if (cmd == PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY)
		return pta_derive_key(types, p);
	if (cmd == PTA_SYSTEM_SUPP_PLUGIN_INVOKE) {
		if (types !=
		        TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
		                        TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_VALUE_OUTPUT) ||
		    !p[0].memref.buffer || p[0].memref.size != sizeof(TEE_UUID))
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_UUID uuid;
		memcpy(&uuid, p[0].memref.buffer, sizeof(uuid));
		size_t out = 0;
		TEE_Result res = tee_invoke_supp_plugin(&uuid, p[1].value.a, p[1].value.b,
		                                        p[2].memref.buffer, p[2].memref.size, &out);
		p[3].value.a = (uint32_t)out;
		p[3].value.b = 0;
		return res;
	}
	if (cmd == PTA_SYSTEM_MAP_ZI) {
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_INOUT,
		                             TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE) ||
		    p[0].value.a == 0)
			return TEE_ERROR_BAD_PARAMETERS;
		unsigned i = 0;
		while (i < ZI_MAX && zi[i].va)
			i++;
		if (i == ZI_MAX)
			return TEE_ERROR_OUT_OF_MEMORY;
		void *m = tee_map_zi(p[0].value.a, 0);
		if (!m)
			return TEE_ERROR_OUT_OF_MEMORY;
		zi[i].va = (uintptr_t)m;
		zi[i].len = p[0].value.a;
		p[1].value.a = (uint32_t)((uint64_t)zi[i].va >> 32);
		p[1].value.b = (uint32_t)zi[i].va;
		return TEE_SUCCESS;
	}
	if (cmd == PTA_SYSTEM_UNMAP) {
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
		                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		uintptr_t va = (uintptr_t)((uint64_t)p[1].value.a << 32 | p[1].value.b);
		for (unsigned i = 0; i < ZI_MAX; i++)
			if (zi[i].va && zi[i].va == va && zi[i].len == p[0].value.a) {
				tee_unmap((void *)va, zi[i].len);
				zi[i].va = 0;
				zi[i].len = 0;
				return TEE_SUCCESS;
			}
		return TEE_ERROR_BAD_PARAMETERS;
	}
	return TEE_ERROR_NOT_SUPPORTED;
}

static bool ta2ta_memref(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_INPUT || t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
	       t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static TEE_TASessionHandle ta2ta_get(uint64_t id)
{
	if (id < TA2TA_BASE || id - TA2TA_BASE >= TA2TA_MAX)
		return TEE_HANDLE_NULL;
	return ta2ta_sessions[id - TA2TA_BASE];
}

/* The TA's struct utee_params at up, checked, as GP parameters. */
static TEE_Result ta2ta_params_in(uint64_t up, struct utee_params *u, TEE_Param p[TEE_NUM_PARAMS])
{
	memset(p, 0, TEE_NUM_PARAMS * sizeof(p[0]));
	memset(u, 0, sizeof(*u));
	if (!up)
		return TEE_SUCCESS; /* no parameters */
	if (!utee_access_ok(WR, up, sizeof(*u)))
		return TEE_ERROR_ACCESS_DENIED;
	memcpy(u, (const void *)(uintptr_t)up, sizeof(*u));
	if (u->types >> 16)
		return TEE_ERROR_BAD_PARAMETERS;
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET((uint32_t)u->types, i);
		uint64_t a = u->vals[2 * i], b = u->vals[2 * i + 1];
		if (ta2ta_memref(t)) {
			if (!utee_access_ok(t == TEE_PARAM_TYPE_MEMREF_INPUT ? RD : WR, a, b))
				return TEE_ERROR_ACCESS_DENIED;
			p[i].memref.buffer = (void *)(uintptr_t)a;
			p[i].memref.size = b;
		} else if (t != TEE_PARAM_TYPE_NONE) {
			p[i].value.a = (uint32_t)a;
			p[i].value.b = (uint32_t)b;
		}
	}
	return TEE_SUCCESS;
}

/* The outputs back into the TA's struct utee_params. */
static void ta2ta_params_out(uint64_t up, struct utee_params *u, const TEE_Param p[TEE_NUM_PARAMS])
{
	if (!up)
		return;
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET((uint32_t)u->types, i);
		if (ta2ta_memref(t) && t != TEE_PARAM_TYPE_MEMREF_INPUT) {
			u->vals[2 * i + 1] = p[i].memref.size;
		} else if (t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT) {
			u->vals[2 * i] = p[i].value.a;
			u->vals[2 * i + 1] = p[i].value.b;
		}
	}
	memcpy((void *)(uintptr_t)up, u, sizeof(*u));
}

static TEE_Result ta2ta_put_origin(uint64_t p, uint32_t origin)
{
	if (!p)
		return TEE_SUCCESS;
	if (!utee_access_ok(WR, p, sizeof(uint32_t)))
		return TEE_ERROR_ACCESS_DENIED;
	memcpy((void *)(uintptr_t)p, &origin, sizeof(origin));
	return TEE_SUCCESS;
}

/* _utee_open_ta_session(dest, cancel_req_to, params, sess, ret_orig) */
static TEE_Result ta2ta_open(const uint64_t *a)
{
	TEE_UUID dest;
	struct utee_params u;
	TEE_Param p[TEE_NUM_PARAMS];
	if (!utee_access_ok(RD, a[0], sizeof(dest)) || !utee_access_ok(WR, a[3], sizeof(uint32_t)))
		return TEE_ERROR_ACCESS_DENIED;
	memcpy(&dest, (const void *)(uintptr_t)a[0], sizeof(dest));
	TEE_Result res = ta2ta_params_in(a[2], &u, p);
	if (res != TEE_SUCCESS)
		return res;
	if (memcmp(&dest, &pta_system, sizeof(dest)) == 0) {
		uint32_t id = PTA_SESSION;
		memcpy((void *)(uintptr_t)a[3], &id, sizeof(id));
		return ta2ta_put_origin(a[4], TEE_ORIGIN_TEE);
	}
	unsigned slot = 0;
	while (slot < TA2TA_MAX && ta2ta_sessions[slot])
		slot++;
	uint32_t origin = TEE_ORIGIN_TEE;
	TEE_TASessionHandle s = TEE_HANDLE_NULL;
	if (slot == TA2TA_MAX)
		res = TEE_ERROR_OUT_OF_MEMORY;
	else
		res = TEE_OpenTASession(&dest, (uint32_t)a[1], (uint32_t)u.types, p, &s, &origin);
	ta2ta_params_out(a[2], &u, p);
	if (res == TEE_SUCCESS) {
		ta2ta_sessions[slot] = s;
		uint32_t id = TA2TA_BASE + slot;
		memcpy((void *)(uintptr_t)a[3], &id, sizeof(id));
	}
	if (ta2ta_put_origin(a[4], origin) != TEE_SUCCESS)
		return TEE_ERROR_ACCESS_DENIED;
	return res;
}

/* _utee_invoke_ta_command(sess, cancel_req_to, cmd_id, params, ret_orig) */
static TEE_Result ta2ta_invoke(const uint64_t *a)
{
	TEE_TASessionHandle s = ta2ta_get(a[0]);
	struct utee_params u;
	TEE_Param p[TEE_NUM_PARAMS];
	if (!s && a[0] != PTA_SESSION)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!s && a[3] && utee_access_ok(RD, a[3], sizeof(u))) {
		memcpy(&u, (const void *)(uintptr_t)a[3], sizeof(u));
		TEE_Result pre = pta_system_precheck((uint32_t)a[2], &u);
		if (pre != TEE_SUCCESS)
			return ta2ta_put_origin(a[4], TEE_ORIGIN_TRUSTED_APP) == TEE_SUCCESS
			           ? pre
			           : TEE_ERROR_ACCESS_DENIED;
	}
	TEE_Result res = ta2ta_params_in(a[3], &u, p);
	if (res != TEE_SUCCESS)
		return res;
	uint32_t origin = TEE_ORIGIN_TEE;
	if (!s) {
		/* A pseudo-TA's answer is a TA's, as OP-TEE's core gives it
		 * (libutee panics on an error of the TEE's). */
		res = pta_system_invoke((uint32_t)a[2], (uint32_t)u.types, p);
		origin = TEE_ORIGIN_TRUSTED_APP;
	} else
		res = TEE_InvokeTACommand(s, (uint32_t)a[1], (uint32_t)a[2], (uint32_t)u.types, p,
		                          &origin);
	ta2ta_params_out(a[3], &u, p);
	if (ta2ta_put_origin(a[4], origin) != TEE_SUCCESS)
		return TEE_ERROR_ACCESS_DENIED;
	return res;
}

bool utee_ta2ta_call(uint64_t n, const uint64_t *a, uint32_t *res)
{
	switch (n) {
	case UTEE_SCN_OPEN_TA_SESSION:
		*res = ta2ta_open(a);
		return true;
	case UTEE_SCN_INVOKE_TA_COMMAND:
		*res = ta2ta_invoke(a);
		return true;
	case UTEE_SCN_CLOSE_TA_SESSION: {
		TEE_TASessionHandle s = ta2ta_get(a[0]);
		*res = s || a[0] == PTA_SESSION ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
		if (s) {
			TEE_CloseTASession(s);
			ta2ta_sessions[a[0] - TA2TA_BASE] = TEE_HANDLE_NULL;
		}
		return true;
	}
	default:
		return false;
	}
}
