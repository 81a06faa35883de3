/* lib/tee/tatime.c: TA persistent time as an offset from the system time. */
#include "../../lib/tee/tatime.h"
#include "harness.h"

static void test_set_then_read(void)
{
	int64_t off;
	uint32_t s, ms;
	CHECK(tee_tatime_offset(0, 0, 123456, &off));
	CHECK(off == -123456);
	CHECK(!tee_tatime_read(off, 123456, &s, &ms));
	CHECK(s == 0 && ms == 0);
	/* 1.5 s later */
	CHECK(!tee_tatime_read(off, 124956, &s, &ms));
	CHECK(s == 1 && ms == 500);
	CHECK(tee_tatime_offset(1000, 250, 5000, &off));
	CHECK(!tee_tatime_read(off, 5000, &s, &ms));
	CHECK(s == 1000 && ms == 250);
	CHECK(!tee_tatime_read(off, 6999, &s, &ms));
	CHECK(s == 1002 && ms == 249);
}

static void test_bad_millis(void)
{
	int64_t off = 7;
	CHECK(!tee_tatime_offset(5, 1000, 0, &off));
	CHECK(off == 7);
	CHECK(tee_tatime_offset(5, 999, 0, &off));
}

/* GP: past 2^32 - 1 seconds the time wraps and the call says OVERFLOW
 * (xtest 1006 sets {UINT32_MAX, 999} and reads it a second later). */
static void test_overflow(void)
{
	int64_t off;
	uint32_t s, ms;
	CHECK(tee_tatime_offset(UINT32_MAX, 999, 10, &off));
	CHECK(!tee_tatime_read(off, 10, &s, &ms));
	CHECK(s == UINT32_MAX && ms == 999);
	CHECK(tee_tatime_read(off, 11, &s, &ms));
	CHECK(s == 0 && ms == 0);
	CHECK(tee_tatime_read(off, 1010, &s, &ms));
	CHECK(s == 0 && ms == 999);
	CHECK(tee_tatime_read(off, 1011, &s, &ms));
	CHECK(s == 1 && ms == 0);
}

int main(void)
{
	test_set_then_read();
	test_bad_millis();
	test_overflow();
	return harness_report("tatime");
}
