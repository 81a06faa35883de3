/* ta/storage_test/include/storage_power.h: the power-cut workload's
 * objects (tests/system/power.sh). What the checker after a cut relies on:
 * pc_parse names the step that wrote an object, and nothing else reads as
 * one: another object's data, another step's, a flipped bit, a byte more
 * or less, a deletion step. */
#include <string.h>

#include "harness.h"
#include "ta/storage_test/include/storage_power.h"

static uint8_t buf[PC_LEN_MAX + 1];

static void test_round_trip(void)
{
	unsigned bad = 0, deletes = 0;
	size_t lo = PC_LEN_MAX, hi = 0;
	for (uint32_t s = 1; s <= 400; s++) {
		uint32_t j = pc_object(s);
		if (pc_deletes(s)) {
			deletes++;
			continue;
		}
		size_t n = pc_len(j, s);
		lo = n < lo ? n : lo;
		hi = n > hi ? n : hi;
		pc_fill(j, s, buf);
		bad += pc_parse(j, buf, n) != (long)s;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(deletes, 400 / PC_DELETE_EVERY);
	CHECK(lo >= sizeof(struct pc_header) && hi <= PC_LEN_MAX && hi - lo > 2000);
}

static void test_not_ours(void)
{
	uint32_t s = 9, j = pc_object(s);
	size_t n = pc_len(j, s);
	pc_fill(j, s, buf);
	CHECK_EQ(pc_parse((j + 1) % PC_OBJECTS, buf, n), (unsigned long long)-1);
	CHECK_EQ(pc_parse(j, buf, n - 1), (unsigned long long)-1);
	CHECK_EQ(pc_parse(j, buf, n + 1), (unsigned long long)-1);
	CHECK_EQ(pc_parse(j, buf, 3), (unsigned long long)-1);
	/* Every flipped bit (of the header and of the data) is caught. */
	unsigned missed = 0;
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++) {
			buf[i] ^= (uint8_t)(1U << b);
			missed += pc_parse(j, buf, n) != -1;
			buf[i] ^= (uint8_t)(1U << b);
		}
	CHECK_EQ(missed, 0);
	CHECK_EQ(pc_parse(j, buf, n), s);
	/* Two steps of one object differ in their bytes, not only the header. */
	uint32_t t = s + PC_OBJECTS;
	static uint8_t other[PC_LEN_MAX];
	pc_fill(j, t, other);
	size_t m = pc_len(j, t) < n ? pc_len(j, t) : n;
	CHECK(memcmp(buf + sizeof(struct pc_header), other + sizeof(struct pc_header),
	             m - sizeof(struct pc_header)) != 0);
	/* A deletion step never reads as a put. */
	uint32_t d = PC_DELETE_EVERY * 3;
	struct pc_header h = {PC_MAGIC, pc_object(d), d, (uint32_t)pc_len(pc_object(d), d)};
	pc_fill(pc_object(d), d, buf);
	memcpy(buf, &h, sizeof(h));
	CHECK_EQ(pc_parse(pc_object(d), buf, h.len), (unsigned long long)-1);
}

int main(void)
{
	test_round_trip();
	test_not_ours();
	return harness_report("power");
}
