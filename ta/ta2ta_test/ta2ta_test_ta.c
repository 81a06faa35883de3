/* TA-to-TA sessions, from inside a TA (ta2ta_test_ta.h has the commands).
 * The self-test runs in ta2ta_test and opens sessions to ta2ta_peer; the
 * peer answers the other commands, and calls back to check that a chain
 * that comes back to a busy instance is refused instead of hanging. */
#include <string.h>
#include <tee_internal_api.h>

#include "ta2ta_test_ta.h"

static const TEE_UUID test_uuid = TA_TA2TA_TEST_UUID;
static const TEE_UUID peer_uuid = TA_TA2TA_PEER_UUID;
static unsigned run, failed;

#define T(cond)                                                                                    \
	do {                                                                                       \
		run++;                                                                             \
		if (!(cond)) {                                                                     \
			failed++;                                                                  \
			EMSG("[ta2ta_test] check failed at line %d: %s", __LINE__, #cond);         \
		}                                                                                  \
	} while (0)

/* The other TA of the pair. */
static const TEE_UUID *other(void)
{
	TEE_UUID me;
	if (TEE_GetPropertyAsUUID(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID", &me) != TEE_SUCCESS)
		TEE_Panic(0x7a1);
	return memcmp(&me, &test_uuid, sizeof(me)) == 0 ? &peer_uuid : &test_uuid;
}

static void check_values_and_memrefs(TEE_TASessionHandle s)
{
	uint8_t in[40], out[40], small[4];
	TEE_Param p[TEE_NUM_PARAMS];
	uint32_t origin = 0;
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(3 * i);
	memset(out, 0xEE, sizeof(out));
	memset(p, 0, sizeof(p));
	p[0].memref.buffer = in;
	p[0].memref.size = 10;
	p[1].value.a = 40;
	p[1].value.b = 2;
	p[2].memref.buffer = out;
	p[2].memref.size = sizeof(out);
	uint32_t types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_VALUE_INOUT,
	                                 TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE);
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_XFORM, types, p, &origin) ==
	  TEE_SUCCESS);
	T(origin == TEE_ORIGIN_TRUSTED_APP);
	T(p[1].value.a == 42 && p[0].memref.size == 10 && p[2].memref.size == 10);
	int inout_ok = 1, out_ok = 1;
	for (unsigned i = 0; i < 10; i++) {
		inout_ok &= in[i] == (uint8_t)(3 * i + 1);
		out_ok &= out[i] == (uint8_t)(3 * (9 - i));
	}
	T(inout_ok && out_ok);
	T(in[10] == 30 && out[10] == 0xEE); /* nothing past the references */
	/* A short output buffer: the size needed, and nothing written. */
	memset(small, 0x55, sizeof(small));
	p[0].memref.buffer = in;
	p[0].memref.size = 10;
	p[2].memref.buffer = small;
	p[2].memref.size = sizeof(small);
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_XFORM, types, p, &origin) ==
	  TEE_ERROR_SHORT_BUFFER);
	T(p[2].memref.size == 10 && small[0] == 0x55 && small[3] == 0x55);
	/* Empty references. */
	p[0].memref.buffer = 0;
	p[0].memref.size = 0;
	p[2].memref.buffer = 0;
	p[2].memref.size = 0;
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_XFORM, types, p, &origin) ==
	  TEE_SUCCESS);
	T(p[0].memref.size == 0 && p[2].memref.size == 0);
}

static void selftest(void)
{
	TEE_TASessionHandle s = TEE_HANDLE_NULL, s2 = TEE_HANDLE_NULL;
	TEE_Param p[TEE_NUM_PARAMS];
	uint32_t origin = 0;
	memset(p, 0, sizeof(p));
	T(TEE_OpenTASession(&peer_uuid, TEE_TIMEOUT_INFINITE, 0, p, &s, &origin) == TEE_SUCCESS);
	T(s != TEE_HANDLE_NULL && origin == TEE_ORIGIN_TRUSTED_APP);
	/* The peer sees us: a trusted app, with our UUID. */
	TEE_UUID seen;
	memset(&seen, 0, sizeof(seen));
	memset(p, 0, sizeof(p));
	p[1].memref.buffer = &seen;
	p[1].memref.size = sizeof(seen);
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_IDENTITY,
	                      TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT,
	                                      TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                      TEE_PARAM_TYPE_NONE),
	                      p, &origin) == TEE_SUCCESS);
	T(p[0].value.a == TEE_LOGIN_TRUSTED_APP);
	T(p[1].memref.size == sizeof(seen) && memcmp(&seen, &test_uuid, sizeof(seen)) == 0);
	check_values_and_memrefs(s);
	/* A second session to the same (multi-session) peer. */
	memset(p, 0, sizeof(p));
	T(TEE_OpenTASession(&peer_uuid, TEE_TIMEOUT_INFINITE, 0, p, &s2, &origin) == TEE_SUCCESS);
	/* The peer calls us back while we wait for it: our one instance is
	 * busy up the chain, so its open is refused, not left to hang. */
	memset(p, 0, sizeof(p));
	T(TEE_InvokeTACommand(s2, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_CALL_BACK,
	                      TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                      TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE),
	                      p, &origin) == TEE_SUCCESS);
	T(p[0].value.a == TEE_ERROR_BUSY && p[0].value.b == TEE_ORIGIN_TEE);
	TEE_CloseTASession(s2);
	/* A session to ourselves: the same. */
	TEE_TASessionHandle self = TEE_HANDLE_NULL;
	memset(p, 0, sizeof(p));
	T(TEE_OpenTASession(&test_uuid, TEE_TIMEOUT_INFINITE, 0, p, &self, &origin) ==
	  TEE_ERROR_BUSY);
	T(self == TEE_HANDLE_NULL && origin == TEE_ORIGIN_TEE);
	/* A TA that does not exist. */
	static const TEE_UUID none = {0x7a0429ff, 0, 0, {0, 0, 0, 0, 0, 0, 0, 1}};
	T(TEE_OpenTASession(&none, TEE_TIMEOUT_INFINITE, 0, p, &self, &origin) ==
	  TEE_ERROR_ITEM_NOT_FOUND);
	T(origin == TEE_ORIGIN_TEE);
	/* An empty reference keeps its pointer (not NULL) or NULL. */
	uint8_t none_byte = 0;
	memset(p, 0, sizeof(p));
	const uint32_t empty_types =
	    TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	p[0].memref.buffer = &none_byte;
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_EMPTY, empty_types, p,
	                      &origin) == TEE_SUCCESS &&
	  p[1].value.a == 1);
	p[0].memref.buffer = 0;
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_EMPTY, empty_types, p,
	                      &origin) == TEE_SUCCESS &&
	  p[1].value.a == 0);
	/* The cancellation timeout: the peer's unmasked wait of 5 s is
	 * cancelled after 200 ms; with no timeout, a short wait ends. */
	TEE_Time t0, t1;
	memset(p, 0, sizeof(p));
	p[0].value.a = 5000;
	const uint32_t wait_types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
	                                            TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	TEE_GetSystemTime(&t0);
	T(TEE_InvokeTACommand(s, 200, TA_TA2TA_CMD_WAIT, wait_types, p, &origin) ==
	  TEE_ERROR_CANCEL);
	TEE_GetSystemTime(&t1);
	uint32_t ms = (t1.seconds - t0.seconds) * 1000 + t1.millis - t0.millis;
	T(origin == TEE_ORIGIN_TRUSTED_APP && ms >= 150 && ms < 3000);
	p[0].value.a = 20;
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_WAIT, wait_types, p, &origin) ==
	  TEE_SUCCESS);
	/* The peer panics: its sessions are dead, ours stays usable. */
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_PANIC, 0, p, &origin) ==
	  TEE_ERROR_TARGET_DEAD);
	T(origin == TEE_ORIGIN_TEE);
	T(TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA_TA2TA_CMD_XFORM, 0, p, &origin) ==
	  TEE_ERROR_TARGET_DEAD);
	TEE_CloseTASession(s);
	/* A new instance of it works. */
	T(TEE_OpenTASession(&peer_uuid, TEE_TIMEOUT_INFINITE, 0, p, &s, &origin) == TEE_SUCCESS);
	check_values_and_memrefs(s);
	TEE_CloseTASession(s);
	TEE_CloseTASession(TEE_HANDLE_NULL); /* GP: nothing */
}

static TEE_Result xform(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types == 0)
		return TEE_SUCCESS;
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_VALUE_INOUT,
	                             TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	uint8_t *b = p[0].memref.buffer, *o = p[2].memref.buffer;
	size_t n = p[0].memref.size;
	p[1].value.a += p[1].value.b;
	if (p[2].memref.size < n) {
		p[2].memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	for (size_t i = 0; i < n; i++)
		o[i] = b[n - 1 - i];
	for (size_t i = 0; i < n; i++)
		b[i]++;
	p[2].memref.size = n;
	return TEE_SUCCESS;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[TEE_NUM_PARAMS], void **ctx)
{
	(void)types;
	(void)params;
	*ctx = 0;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *ctx)
{
	(void)ctx;
}

TEE_Result TA_InvokeCommandEntryPoint(void *ctx, uint32_t cmd, uint32_t types,
                                      TEE_Param p[TEE_NUM_PARAMS])
{
	(void)ctx;
	const uint32_t v_out = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                       TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	switch (cmd) {
	case TA_TA2TA_CMD_SELFTEST:
		if (types != v_out)
			return TEE_ERROR_BAD_PARAMETERS;
		run = failed = 0;
		selftest();
		p[0].value.a = failed;
		p[0].value.b = run;
		return TEE_SUCCESS;
	case TA_TA2TA_CMD_IDENTITY: {
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT,
		                             TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE,
		                             TEE_PARAM_TYPE_NONE) ||
		    p[1].memref.size < sizeof(TEE_UUID))
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_Identity id;
		TEE_Result r = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT,
		                                         "gpd.client.identity", &id);
		if (r != TEE_SUCCESS)
			return r;
		p[0].value.a = id.login;
		p[0].value.b = 0;
		memcpy(p[1].memref.buffer, &id.uuid, sizeof(id.uuid));
		p[1].memref.size = sizeof(id.uuid);
		return TEE_SUCCESS;
	}
	case TA_TA2TA_CMD_XFORM:
		return xform(types, p);
	case TA_TA2TA_CMD_CALL_BACK: {
		if (types != v_out)
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_TASessionHandle s = TEE_HANDLE_NULL;
		TEE_Param q[TEE_NUM_PARAMS];
		uint32_t origin = 0;
		memset(q, 0, sizeof(q));
		p[0].value.a = TEE_OpenTASession(other(), TEE_TIMEOUT_INFINITE, 0, q, &s, &origin);
		p[0].value.b = origin;
		TEE_CloseTASession(s);
		return TEE_SUCCESS;
	}
	case TA_TA2TA_CMD_WAIT:
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
		                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_UnmaskCancellation();
		return TEE_Wait(p[0].value.a);
	case TA_TA2TA_CMD_EMPTY:
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
		                             TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		                             TEE_PARAM_TYPE_NONE) ||
		    p[0].memref.size)
			return TEE_ERROR_BAD_PARAMETERS;
		p[1].value.a = p[0].memref.buffer != 0;
		p[1].value.b = 0;
		return TEE_SUCCESS;
	case TA_TA2TA_CMD_PANIC:
		TEE_Panic(0x7a2);
		return TEE_ERROR_GENERIC;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
