/* lib/rt/args.c: how a program reads its argument string, such as
 * test_fuzz's `seed=` and `calls=` from the boot command line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "include/microtee/syscall.h"
#include "lib/rt/args.h"

/* mt_arg_u64 on a copy in a heap block of exactly its size (ASan sees a
 * read past the end). */
static long u64_of(const char *args, const char *key, uint64_t *out)
{
	size_t n = strlen(args) + 1;
	char *copy = malloc(n);
	memcpy(copy, args, n);
	long rc = mt_arg_u64(copy, key, out);
	free(copy);
	return rc;
}

static void test_words(void)
{
	const char *cl = "test=fuzz seed=0x1234 calls=1000000";
	CHECK_STR(mt_arg(cl, "test="), "fuzz seed=0x1234 calls=1000000");
	CHECK_STR(mt_arg(cl, "calls="), "1000000");
	CHECK(mt_arg(cl, "nw") == 0);
	CHECK(mt_arg(0, "seed=") == 0);
	CHECK(mt_arg("", "seed=") == 0);
	/* Only at the start of a word: xseed= is not seed=. */
	CHECK(mt_arg("xseed=5", "seed=") == 0);
	CHECK_STR(mt_arg("xseed=5 seed=6", "seed="), "6");
	/* The first of two. */
	CHECK_STR(mt_arg("seed=1 seed=2", "seed="), "1 seed=2");
}

static void test_numbers(void)
{
	uint64_t v = 77;
	CHECK_EQ(u64_of("test=fuzz seed=0x1234 calls=1000000", "seed=", &v), MT_OK);
	CHECK_EQ(v, 0x1234);
	CHECK_EQ(u64_of("test=fuzz seed=0x1234 calls=1000000", "calls=", &v), MT_OK);
	CHECK_EQ(v, 1000000);
	CHECK_EQ(u64_of("seed=0", "seed=", &v), MT_OK);
	CHECK_EQ(v, 0);
	CHECK_EQ(u64_of("seed=0XdeadBEEF", "seed=", &v), MT_OK);
	CHECK_EQ(v, 0xdeadbeef);
	CHECK_EQ(u64_of("seed=0xffffffffffffffff", "seed=", &v), MT_OK);
	CHECK_EQ(v, UINT64_MAX);
	CHECK_EQ(u64_of("calls=18446744073709551615", "calls=", &v), MT_OK);
	CHECK_EQ(v, UINT64_MAX);

	/* Absent, or not a number: *out is left alone. */
	v = 77;
	CHECK_EQ(u64_of("test=fuzz", "seed=", &v), MT_ENOENT);
	CHECK_EQ(u64_of("seed=", "seed=", &v), MT_EINVAL);
	CHECK_EQ(u64_of("seed= calls=5", "seed=", &v), MT_EINVAL);
	CHECK_EQ(u64_of("seed=0x", "seed=", &v), MT_EINVAL);
	CHECK_EQ(u64_of("seed=12ab", "seed=", &v), MT_EINVAL);
	CHECK_EQ(u64_of("seed=-1", "seed=", &v), MT_EINVAL);
	CHECK_EQ(u64_of("seed=0x1g", "seed=", &v), MT_EINVAL);
	/* One more than fits. */
	CHECK_EQ(u64_of("seed=0x10000000000000000", "seed=", &v), MT_EINVAL);
	CHECK_EQ(u64_of("calls=18446744073709551616", "calls=", &v), MT_EINVAL);
	CHECK_EQ(u64_of("calls=99999999999999999999", "calls=", &v), MT_EINVAL);
	CHECK_EQ(v, 77);
}

/* Every prefix of a command line parses without reading past its end,
 * and a number cut short is still a number (or no number at all). */
static void test_prefixes(void)
{
	const char *cl = "test=fuzz seed=0x4d5445455a5a5546 calls=1000000";
	for (size_t n = 0; n <= strlen(cl); n++) {
		char *p = malloc(n + 1);
		memcpy(p, cl, n);
		p[n] = '\0';
		uint64_t v;
		long rc = mt_arg_u64(p, "calls=", &v);
		CHECK(rc == (n < strlen("test=fuzz seed=0x4d5445455a5a5546 calls=")
		                 ? MT_ENOENT
		                 : n == strlen("test=fuzz seed=0x4d5445455a5a5546 calls=") ? MT_EINVAL
		                                                                          : MT_OK));
		rc = mt_arg_u64(p, "seed=", &v);
		CHECK(rc == MT_OK || rc == MT_ENOENT || rc == MT_EINVAL);
		free(p);
	}
}

int main(void)
{
	test_words();
	test_numbers();
	test_prefixes();
	return harness_report("args");
}
