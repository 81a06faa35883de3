/* The frame-pointer walk (backtrace.h). */
#include "backtrace.h"

unsigned long backtrace_walk(vaddr_t fp, backtrace_read_fn read, void *ctx, uint64_t *frames,
                             unsigned max, unsigned *n)
{
	vaddr_t prev = 0;
	*n = 0;
	for (;;) {
		if (fp == 0)
			return MT_BT_END_ZERO;
		if (*n == max)
			return MT_BT_END_MAX;
		if (fp & 7)
			return MT_BT_END_MISALIGNED;
		/* Records lie on the stack, which grows down: each caller's
		 * record is above its callee's. This also ends any cycle. */
		if (prev && fp <= prev)
			return MT_BT_END_NOT_UP;
		uint64_t rec[2];
		if (fp < MT_USER_BASE || fp > MT_USER_TOP - sizeof(rec) ||
		    read(ctx, fp, rec) != MT_OK)
			return MT_BT_END_UNREADABLE;
		frames[(*n)++] = rec[1];
		prev = fp;
		fp = rec[0];
	}
}
