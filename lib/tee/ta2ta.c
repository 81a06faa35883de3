/* TA-to-TA sessions: TEE_OpenTASession, TEE_InvokeTACommand and
 * TEE_CloseTASession, as requests to the gateway (ta_ipc.h, TA_RPC_*) in
 * the middle of the operation this TA serves. The gateway serves them as a
 * client whose identity is this TA's (TEE_LOGIN_TRUSTED_APP, our UUID).
 *
 * Memory references are copied: one shared-memory object of ours per
 * request holds every referenced buffer (inputs copied in), the other TA
 * gets it mapped for the call, and after it we copy the outputs back (no
 * more than our own buffer holds, whatever size the other TA reports),
 * then revoke the object, so the other TA keeps nothing of it. Our own
 * memory is never mapped into another process.
 *
 * cancellationRequestTimeout: when it runs out, the other TA sees a cancel
 * (TEE_GetCancellationFlag), as from a client. Not here: a session opened
 * outside an operation (in TA_CreateEntryPoint: TEE_ERROR_NOT_SUPPORTED). */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/ta_ipc.h"
#include "mt.h"
#include "tee_rt.h"

/* A session of ours to another TA: TEE_TASessionHandle points at one. */
struct mt_tee_ta_session {
	struct mt_tee_ta_session *next;
	uint32_t id; /* the gateway's */
};

static struct mt_tee_ta_session *ta_sessions;

#define TA2TA_MEM_MAX (1U << 20) /* the gateway's GW_TA_MEM_MAX */

static bool ta2ta_is_memref(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_INPUT || t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
	       t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static struct mt_tee_ta_session *ta2ta_find(TEE_TASessionHandle s, uint32_t panic_id)
{
	for (struct mt_tee_ta_session *p = ta_sessions; p; p = p->next)
		if (p == s)
			return p;
	TEE_Panic(panic_id);
	return 0;
}

/* One request: w0 = op, w2, w3 as ta_ipc.h says, the GP parameters, and
 * for OPEN the destination. Returns the result; *origin and *session as
 * the gateway answered. */
static TEE_Result ta2ta_request(uint64_t op, uint64_t w2, uint64_t w3, const TEE_UUID *dest,
                                uint32_t timeout, uint32_t types, TEE_Param params[TEE_NUM_PARAMS],
                                uint32_t *origin, uint32_t *session)
{
	struct ta_param_page *pg = tee_rt_request_page();
	*origin = TEE_ORIGIN_TEE;
	if (!pg)
		return TEE_ERROR_NOT_SUPPORTED; /* outside an operation */
	if (types >> 16)
		return TEE_ERROR_BAD_PARAMETERS;
	/* Where each reference goes in the object, 8-byte aligned. */
	size_t off[TEE_NUM_PARAMS] = {0}, total = 0;
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		if (!ta2ta_is_memref(TEE_PARAM_TYPE_GET(types, i)))
			continue;
		size_t n = params[i].memref.size;
		if (n && !params[i].memref.buffer)
			return TEE_ERROR_BAD_PARAMETERS;
		if (n > TA2TA_MEM_MAX - total)
			return TEE_ERROR_OUT_OF_MEMORY;
		off[i] = total;
		total = (total + n + 7) & ~(size_t)7;
		if (total > TA2TA_MEM_MAX)
			return TEE_ERROR_OUT_OF_MEMORY;
	}
	mt_handle_t shm = 0;
	uint8_t *mem = 0;
	size_t mapped = 0;
	if (total) {
		size_t size = (total + MT_PAGE_SIZE - 1) & ~(size_t)(MT_PAGE_SIZE - 1);
		long rc = mt_shm_create(size, &shm);
		if (rc == MT_EQUOTA) {
			/* The instance's objects are few (3): the storage
			 * and key window gives its place, and comes back. */
			tee_rt_window_release();
			rc = mt_shm_create(size, &shm);
		}
		if (rc != MT_OK) {
			printf("[ta %s] TA-to-TA: no shared memory for %zu bytes (%ld)\n",
			       tee_rt_uuid_str, size, rc);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		mem = mt_shm_map_any(shm, MT_PROT_R | MT_PROT_W, &mapped);
		if (!mem) {
			printf("[ta %s] TA-to-TA: cannot map %zu bytes\n", tee_rt_uuid_str, size);
			mt_handle_close(shm);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
	}
	/* The request, in the page (ours until the gateway answers). */
	pg->param_types = types;
	pg->login = timeout; /* the cancellation timeout, for a request */
	memset(pg->params, 0, sizeof(pg->params));
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		struct ta_param *tp = &pg->params[i];
		if (ta2ta_is_memref(t)) {
			size_t n = params[i].memref.size;
			/* Empty: no memory, a = 1 if the buffer is not NULL. */
			*tp = (struct ta_param){TA_PARAM_MEMREF, n ? 0 : TA_PARAM_NO_HANDLE,
			                        n ? off[i] : params[i].memref.buffer != 0, n};
			if (n && t != TEE_PARAM_TYPE_MEMREF_OUTPUT)
				memcpy(mem + off[i], params[i].memref.buffer, n);
		} else if (t != TEE_PARAM_TYPE_NONE) {
			*tp = (struct ta_param){TA_PARAM_VALUE, 0, params[i].value.a,
			                        params[i].value.b};
		}
	}
	if (dest) {
		uint8_t *u = pg->client_uuid;
		u[0] = (uint8_t)(dest->timeLow >> 24);
		u[1] = (uint8_t)(dest->timeLow >> 16);
		u[2] = (uint8_t)(dest->timeLow >> 8);
		u[3] = (uint8_t)dest->timeLow;
		u[4] = (uint8_t)(dest->timeMid >> 8);
		u[5] = (uint8_t)dest->timeMid;
		u[6] = (uint8_t)(dest->timeHiAndVersion >> 8);
		u[7] = (uint8_t)dest->timeHiAndVersion;
		memcpy(u + 8, dest->clockSeqAndNode, 8);
	}
	struct mt_msg m = {{op, TA_RPC_MARK, w2, w3}, shm ? MT_XFER(shm, 0, 0, 0) : 0, 0};
	long rc = tee_rt_request(&m);
	TEE_Result res = rc == MT_OK ? (TEE_Result)m.w[1] : TEE_ERROR_COMMUNICATION;
	if (rc == MT_OK) {
		*origin = (uint32_t)m.w[2];
		if (session)
			*session = (uint32_t)m.w[3];
		/* The outputs: values, and what fits of each output buffer. */
		for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
			uint32_t t = TEE_PARAM_TYPE_GET(types, i);
			const struct ta_param *tp = &pg->params[i];
			if (t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT) {
				params[i].value.a = (uint32_t)tp->a;
				params[i].value.b = (uint32_t)tp->b;
			} else if (t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
			           t == TEE_PARAM_TYPE_MEMREF_INOUT) {
				uint64_t n = tp->b;
				if (n <= params[i].memref.size && n)
					memcpy(params[i].memref.buffer, mem + off[i], n);
				params[i].memref.size = n;
			}
		}
	}
	if (shm) {
		MT_SYS(SYS_SHM_REVOKE, shm); /* the other TA keeps nothing of it */
		mt_mem_unmap((uintptr_t)mem, mapped);
		mt_handle_close(shm);
	}
	return res;
}

TEE_Result TEE_OpenTASession(const TEE_UUID *destination, uint32_t cancellationRequestTimeout,
                             uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                             TEE_TASessionHandle *session, uint32_t *returnOrigin)
{
	uint32_t origin = TEE_ORIGIN_TEE, id = 0;
	if (!destination || !session)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	*session = TEE_HANDLE_NULL;
	struct mt_tee_ta_session *s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;
	if (s)
		res = ta2ta_request(TA_RPC_OPEN_SESSION, 0, 0, destination,
		                    cancellationRequestTimeout, paramTypes, params, &origin, &id);
	if (res == TEE_SUCCESS) {
		s->id = id;
		s->next = ta_sessions;
		ta_sessions = s;
		*session = s;
	} else {
		TEE_Free(s);
	}
	if (returnOrigin)
		*returnOrigin = origin;
	return res;
}

TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session, uint32_t cancellationRequestTimeout,
                               uint32_t commandID, uint32_t paramTypes,
                               TEE_Param params[TEE_NUM_PARAMS], uint32_t *returnOrigin)
{
	struct mt_tee_ta_session *s = ta2ta_find(session, TEE_ERROR_BAD_PARAMETERS);
	uint32_t origin = TEE_ORIGIN_TEE;
	TEE_Result res = ta2ta_request(TA_RPC_INVOKE, s->id, commandID, 0,
	                               cancellationRequestTimeout, paramTypes, params, &origin, 0);
	if (returnOrigin)
		*returnOrigin = origin;
	return res;
}

void TEE_CloseTASession(TEE_TASessionHandle session)
{
	if (session == TEE_HANDLE_NULL)
		return;
	struct mt_tee_ta_session *s = ta2ta_find(session, TEE_ERROR_BAD_PARAMETERS);
	uint32_t origin;
	ta2ta_request(TA_RPC_CLOSE_SESSION, s->id, 0, 0, TEE_TIMEOUT_INFINITE, TEE_PARAM_TYPE_NONE,
	              0, &origin, 0);
	for (struct mt_tee_ta_session **q = &ta_sessions; *q; q = &(*q)->next)
		if (*q == s) {
			*q = s->next;
			break;
		}
	TEE_Free(s);
}

/* ---- v1.1 forms: 32-bit sizes ---- */

static void ta2ta_from_gp11(uint32_t types, const __GP11_TEE_Param *in, TEE_Param out[4])
{
	memset(out, 0, 4 * sizeof(out[0]));
	for (unsigned i = 0; in && i < TEE_NUM_PARAMS; i++) {
		if (ta2ta_is_memref(TEE_PARAM_TYPE_GET(types, i))) {
			out[i].memref.buffer = in[i].memref.buffer;
			out[i].memref.size = in[i].memref.size;
		} else {
			out[i].value.a = in[i].value.a;
			out[i].value.b = in[i].value.b;
		}
	}
}

static void ta2ta_to_gp11(uint32_t types, const TEE_Param in[4], __GP11_TEE_Param *out)
{
	for (unsigned i = 0; out && i < TEE_NUM_PARAMS; i++) {
		if (ta2ta_is_memref(TEE_PARAM_TYPE_GET(types, i)))
			out[i].memref.size = (uint32_t)in[i].memref.size;
		else {
			out[i].value.a = in[i].value.a;
			out[i].value.b = in[i].value.b;
		}
	}
}

TEE_Result __GP11_TEE_OpenTASession(const TEE_UUID *destination,
                                    uint32_t cancellationRequestTimeout, uint32_t paramTypes,
                                    __GP11_TEE_Param params[TEE_NUM_PARAMS],
                                    TEE_TASessionHandle *session, uint32_t *returnOrigin)
{
	TEE_Param p[TEE_NUM_PARAMS];
	ta2ta_from_gp11(paramTypes, params, p);
	TEE_Result res = TEE_OpenTASession(destination, cancellationRequestTimeout, paramTypes, p,
	                                   session, returnOrigin);
	ta2ta_to_gp11(paramTypes, p, params);
	return res;
}

TEE_Result __GP11_TEE_InvokeTACommand(TEE_TASessionHandle session,
                                      uint32_t cancellationRequestTimeout, uint32_t commandID,
                                      uint32_t paramTypes, __GP11_TEE_Param params[TEE_NUM_PARAMS],
                                      uint32_t *returnOrigin)
{
	TEE_Param p[TEE_NUM_PARAMS];
	ta2ta_from_gp11(paramTypes, params, p);
	TEE_Result res = TEE_InvokeTACommand(session, cancellationRequestTimeout, commandID,
	                                     paramTypes, p, returnOrigin);
	ta2ta_to_gp11(paramTypes, p, params);
	return res;
}
