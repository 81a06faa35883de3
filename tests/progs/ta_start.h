/* Starting a TA instance from a secure-world test program, as the gateway
 * does: ask init's supervisor endpoint (SUP_OP_START_TA) by UUID. */
#ifndef TESTS_PROGS_TA_START_H
#define TESTS_PROGS_TA_START_H
#include "../../include/microtee/ta_ipc.h"
#include "mt.h"

/* A UUID in the TEE_UUID / TEEC_UUID initialiser layout. */
struct ta_uuid {
	uint32_t time_low;
	uint16_t time_mid, time_hi;
	uint8_t node[8];
};

/* On success *ep is a CALL handle to the instance's endpoint and *proc a
 * control handle for its process. On failure *res is what init says the
 * client is to be told (a TEE result, or 0). */
static inline long ta_start_res(mt_handle_t sup, const struct ta_uuid *u, mt_handle_t *ep,
				mt_handle_t *proc, uint32_t *res)
{
	uint64_t hi = (uint64_t)u->time_low << 32 | (uint64_t)u->time_mid << 16 | u->time_hi, lo = 0;
	for (unsigned i = 0; i < 8; i++)
		lo = lo << 8 | u->node[i];
	struct mt_msg m = {{SUP_OP_START_TA, hi, lo, 0}, 0, 0};
	long rc = mt_call(sup, &m);
	*res = 0;
	if (rc != MT_OK)
		return rc;
	if ((long)m.w[0] != MT_OK) {
		*res = (uint32_t)m.w[1];
		return (long)m.w[0];
	}
	*ep = MT_XFER_GET(m.handle, 0);
	*proc = MT_XFER_GET(m.handle, 1);
	return *ep && *proc ? MT_OK : MT_EBADH;
}

static inline long ta_start(mt_handle_t sup, const struct ta_uuid *u, mt_handle_t *ep,
			    mt_handle_t *proc)
{
	uint32_t res;
	return ta_start_res(sup, u, ep, proc, &res);
}
#endif
