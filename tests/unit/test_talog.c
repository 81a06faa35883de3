/* services/init/talog.c: ta_log= items, prefixes and bad input. */
#include "harness.h"

#include "services/init/talog.h"

static const char *A = "435818f8-72c3-48c1-b10c-1d9fb3dbceb4";
static const char *B = "23921ad1-1fd1-480a-963a-a82f9491ca6c";

static void test_none(void)
{
	CHECK_EQ(talog_level("ta_log=", A), -1);
	CHECK_EQ(talog_level(0, A), -1);
	CHECK_EQ(talog_level("ta_log= 3", A), -1); /* the value ends at the space */
	CHECK_EQ(talog_level("test=ta", A), -1);
	CHECK_EQ(talog_level("xta_log=3", A), -1); /* not a word of its own */
	CHECK_EQ(talog_level("ta_log=2392:4", A), -1);
}

static void test_global(void)
{
	CHECK_EQ(talog_level("ta_log=3", A), 3);
	CHECK_EQ(talog_level("ta_log=0", B), 0);
	CHECK_EQ(talog_level("ta_log=4 test=ta", A), 4); /* the rest of the line is not read */
	CHECK_EQ(talog_level("ta_log=1,3", A), 3);       /* the last bare level */
}

static void test_prefix(void)
{
	CHECK_EQ(talog_level("ta_log=4358:4", A), 4);
	CHECK_EQ(talog_level("ta_log=4358:4", B), -1);
	CHECK_EQ(talog_level("ta_log=1,4358:4", A), 4);
	CHECK_EQ(talog_level("ta_log=4358:4,1", A), 4); /* a prefix wins over a bare level */
	CHECK_EQ(talog_level("ta_log=4358:4,1", B), 1);
	CHECK_EQ(talog_level("ta_log=4358:4,435818f8:0", A), 0); /* the longer prefix */
	CHECK_EQ(talog_level("ta_log=435818f8:0,4358:4", A), 0);
	CHECK_EQ(talog_level("ta_log=435818f8-72c3-48c1-b10c-1d9fb3dbceb4:2", A), 2);
	CHECK_EQ(talog_level("ta_log=2392:3,4358:1", B), 3);
	/* One item a word, as QEMU's -fw_cfg needs. */
	CHECK_EQ(talog_level("test=ta ta_log=1 ta_log=4358:3", A), 3);
	CHECK_EQ(talog_level("test=ta ta_log=1 ta_log=4358:3", B), 1);
	CHECK_EQ(talog_level("ta_log=435818f8:0 nw ta_log=4358:4", A), 0);
}

static void test_malformed(void)
{
	CHECK_EQ(talog_level("ta_log=5", A), -1);
	CHECK_EQ(talog_level("ta_log=12", A), -1);
	CHECK_EQ(talog_level("ta_log=x", A), -1);
	CHECK_EQ(talog_level("ta_log=435:4", A), -1);  /* prefix too short */
	CHECK_EQ(talog_level("ta_log=4358:", A), -1);  /* no level */
	CHECK_EQ(talog_level("ta_log=4358:9", A), -1);
	CHECK_EQ(talog_level("ta_log=:3", A), -1);
	CHECK_EQ(talog_level("ta_log=,,,", A), -1);
	CHECK_EQ(talog_level("ta_log=4358:4:4", A), -1);
	CHECK_EQ(talog_level("ta_log=zz,4358:3,", A), 3); /* bad items skipped, good ones kept */
	CHECK_EQ(talog_level("ta_log=435818f8-72c3-48c1-b10c-1d9fb3dbceb4x:2", A), -1); /* longer than a UUID */
}

int main(void)
{
	test_none();
	test_global();
	test_prefix();
	test_malformed();
	return harness_report("talog");
}
