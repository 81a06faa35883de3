/* echo: a demo service. Answers pings with the caller's badge, and
 * upper-cases text a client shares with it through shared memory. */
#include <stdio.h>

#include "../../include/microtee/demo_ipc.h"
#include "mt.h"

/* Not a constant, so the compiler does not see the bug coming. */
volatile int *volatile crash_at = (volatile int *)16;

static long upper(mt_handle_t shm, unsigned long len)
{
	if (!shm)
		return MT_EINVAL;
	long rc = MT_EINVAL;
	size_t size = 0;
	char *p = mt_shm_map_any(shm, MT_PROT_R | MT_PROT_W, &size);
	/* The client's length is checked against what it really shared. */
	if (p && len && len <= size) {
		rc = 0;
		for (unsigned long i = 0; i < len; i++)
			if (p[i] >= 'a' && p[i] <= 'z')
				p[i] = (char)(p[i] - 'a' + 'A'), rc++;
	}
	if (p)
		mt_mem_unmap((uintptr_t)p, size);
	mt_handle_close(shm);
	return rc;
}

int mt_main(unsigned long ep, unsigned long arg2)
{
	(void)arg2;
	struct mt_msg m;
	printf("[echo] serving on handle %lu\n", ep);
	long rc = mt_recv(ep, &m);
	for (;;) {
		if (rc != MT_OK) {
			printf("[echo] receive failed: %ld\n", rc);
			return 1;
		}
		uint64_t badge = m.badge;
		if (m.handle && m.w[0] != ECHO_OP_UPPER) {
			mt_handle_close(m.handle); /* not ours to keep */
			m.handle = 0;
		}
		switch (m.w[0]) {
		case ECHO_OP_PING:
			m.w[0] = MT_OK;
			m.w[1] = m.w[1] + 1;
			m.w[2] = badge;
			break;
		case ECHO_OP_UPPER:
			m.w[1] = (uint64_t)upper(m.handle, m.w[1]);
			m.w[0] = (long)m.w[1] < 0 ? m.w[1] : MT_OK;
			break;
		case ECHO_OP_CRASH:
			printf("[echo] crashing on request\n");
			*crash_at = 1;
			break;
		case ECHO_OP_PEEK:
			m.w[1] = *(volatile uint64_t *)m.w[1];
			m.w[0] = MT_OK;
			break;
		default:
			m.w[0] = (uint64_t)DEMO_EBADOP;
			break;
		}
		m.handle = 0;
		rc = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}
