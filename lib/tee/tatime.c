/* TA persistent time as an offset from the system time (tatime.h). The
 * sums stay far inside 64 bits: a TA time is below 2^32 s (2^42 ms) and
 * the system time counts from boot. */
#include "tatime.h"

bool tee_tatime_offset(uint32_t sec, uint32_t ms, uint64_t now_ms, int64_t *offset_ms)
{
	if (ms >= 1000)
		return false;
	*offset_ms = (int64_t)((uint64_t)sec * 1000 + ms) - (int64_t)now_ms;
	return true;
}

bool tee_tatime_read(int64_t offset_ms, uint64_t now_ms, uint32_t *sec, uint32_t *ms)
{
	int64_t t = (int64_t)now_ms + offset_ms;
	if (t < 0)
		t = 0; /* cannot happen: the system time only grows */
	uint64_t s = (uint64_t)t / 1000;
	*sec = (uint32_t)s;
	*ms = (uint32_t)((uint64_t)t % 1000);
	return s > UINT32_MAX;
}
