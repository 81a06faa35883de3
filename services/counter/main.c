/* counter: a demo service with state: one count shared by all callers. */
#include <stdio.h>

#include "../../include/microtee/demo_ipc.h"
#include "mt.h"

int mt_main(unsigned long ep, unsigned long arg2)
{
	(void)arg2;
	static uint64_t count;
	struct mt_msg m;
	printf("[counter] serving on handle %lu\n", ep);
	long rc = mt_recv(ep, &m);
	while (rc == MT_OK) {
		if (m.handle)
			mt_handle_close(m.handle);
		switch (m.w[0]) {
		case COUNTER_OP_INC:
			m.w[1] = ++count;
			m.w[0] = MT_OK;
			break;
		case COUNTER_OP_GET:
			m.w[1] = count;
			m.w[0] = MT_OK;
			break;
		default:
			m.w[0] = (uint64_t)DEMO_EBADOP;
		}
		m.handle = 0;
		rc = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
	printf("[counter] receive failed: %ld\n", rc);
	return 1;
}
