/* common/esr.c: syndromes in words, for the crash reports. */
#include <string.h>

#include "common/esr.h"
#include "harness.h"

static struct esr_info d(uint64_t esr)
{
	struct esr_info e;
	esr_decode(esr, &e);
	return e;
}

static int is(const char *got, const char *want)
{
	return got && strcmp(got, want) == 0;
}

int main(void)
{
	/* The boot tests' faults (tests/system/run.sh, crash.sh). */
	struct esr_info e = d(0x92000006); /* read of unmapped 0x7000000 */
	CHECK_EQ(e.ec, 0x24);
	CHECK(is(e.what, "data abort"));
	CHECK(is(e.fault, "translation fault"));
	CHECK_EQ(e.level, 2);
	CHECK(is(e.access, "read"));
	e = d(0x9200004e); /* write to 0: a kernel-only block */
	CHECK(is(e.fault, "permission fault"));
	CHECK_EQ(e.level, 2);
	CHECK(is(e.access, "write"));
	e = d(0x9200014f); /* WnR with CM: a cache maintenance instruction, a read */
	CHECK(is(e.access, "read"));
	CHECK_EQ(e.level, 3);
	e = d(0x8200000f); /* instruction abort, permission, level 3 */
	CHECK(is(e.what, "instruction abort"));
	CHECK(is(e.fault, "permission fault"));
	CHECK(is(e.access, "execute"));
	e = d(0x86000005); /* instruction abort at EL1, translation level 1 */
	CHECK(is(e.what, "instruction abort"));
	CHECK(is(e.fault, "translation fault"));
	CHECK_EQ(e.level, 1);
	e = d(0x96000021); /* alignment */
	CHECK(is(e.fault, "alignment fault"));
	CHECK_EQ(e.level, -1);
	e = d(0x92000009); /* access flag, level 1 */
	CHECK(is(e.fault, "access flag fault"));
	CHECK_EQ(e.level, 1);
	e = d(0x92000010);
	CHECK(is(e.fault, "synchronous external abort"));
	e = d(0x9200003f);
	CHECK(is(e.fault, "other abort"));
	/* Not aborts: no fault, level or access. */
	e = d(0x02000000);
	CHECK(is(e.what, "undefined instruction"));
	CHECK(e.fault == 0 && e.access == 0 && e.level == -1);
	CHECK(is(d(0x8a000000).what, "pc alignment fault"));
	CHECK(is(d(0x9a000000).what, "sp alignment fault"));
	CHECK(is(d(0xf2000000 | 0xdead).what, "BRK instruction"));
	CHECK(is(d(0xbe000000).what, "SError"));
	CHECK(is(d(0x62000000).what, "trapped system register access"));
	e = d(0xfc000000); /* EC 0x3f */
	CHECK(is(e.what, "other exception"));
	CHECK_EQ(e.ec, 0x3f);
	/* Bits above the syndrome do not change the class. */
	CHECK(is(d(0xffffffff00000000ULL | 0x92000006).what, "data abort"));
	return harness_report("esr");
}
