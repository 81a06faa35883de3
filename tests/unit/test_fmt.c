/* common/fmt.c: the freestanding printf used by the monitor and kernel. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/fmt.h"
#include "harness.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* fmt_snprintf without the compiler's format checking, for the formats
 * ISO C does not define. */
static int (*volatile fmt_unchecked)(char *, size_t, const char *, ...) = fmt_snprintf;

/* fmt_snprintf into a roomy buffer: the text and the returned length. */
#define FMT_IS(want, ...)                                                                          \
	do {                                                                                       \
		char buf_[256];                                                                    \
		int n_ = fmt_snprintf(buf_, sizeof(buf_), __VA_ARGS__);                            \
		harness_check_str(buf_, (want), __FILE__, __LINE__, #__VA_ARGS__);                 \
		harness_check_eq((unsigned long long)n_, strlen(want), __FILE__, __LINE__,         \
		                 "length of " #__VA_ARGS__, "strlen(" #want ")");                  \
	} while (0)

static void test_conversions(void)
{
	FMT_IS("", "%s", "");
	FMT_IS("plain text", "plain text");
	FMT_IS("0", "%d", 0);
	FMT_IS("42", "%d", 42);
	FMT_IS("-42", "%d", -42);
	FMT_IS("-7", "%i", -7);
	FMT_IS("2147483647", "%d", INT_MAX);
	FMT_IS("-2147483648", "%d", INT_MIN);
	FMT_IS("4294967295", "%u", UINT_MAX);
	FMT_IS("4294967295", "%u", -1); /* an int passed as unsigned */
	FMT_IS("-9223372036854775808", "%ld", LONG_MIN);
	FMT_IS("9223372036854775807", "%lld", LLONG_MAX);
	FMT_IS("18446744073709551615", "%lu", ULONG_MAX);
	FMT_IS("18446744073709551615", "%llu", ULLONG_MAX);
	FMT_IS("123456789", "%zu", (size_t)123456789);
	FMT_IS("0", "%x", 0);
	FMT_IS("deadbeef", "%x", 0xDEADBEEFu);
	FMT_IS("DEADBEEF", "%X", 0xDEADBEEFu);
	FMT_IS("ffffffff", "%x", -1); /* only 32 bits without l */
	FMT_IS("123456789abcdef0", "%lx", 0x123456789ABCDEF0UL);
	FMT_IS("ffffffffffffffff", "%lx", ~0UL);
	FMT_IS("1000", "%zx", (size_t)4096);
	FMT_IS("hello", "%s", "hello");
	FMT_IS("x", "%c", 'x');
	FMT_IS("a b", "%c%c%c", 'a', ' ', 'b');
	FMT_IS("100%", "%d%%", 100);
	FMT_IS("%", "%%");
	FMT_IS("0x0", "%p", (void *)0);
	FMT_IS("0x1000", "%p", (void *)0x1000);
	FMT_IS("0xffffffffffffffff", "%p", (void *)~(uintptr_t)0);
	FMT_IS("pid 3 at 0x40000000 is init (R-X)", "pid %u at 0x%lx is %s (%c%c%c)", 3u,
	       0x40000000UL, "init", 'R', '-', 'X');
}

static void test_width(void)
{
	FMT_IS("   42", "%5d", 42);
	FMT_IS("00042", "%05d", 42);
	FMT_IS("  -42", "%5d", -42);
	FMT_IS("-0042", "%05d", -42);
	FMT_IS("42", "%1d", 42); /* width smaller than the number */
	FMT_IS("123456", "%03d", 123456);
	FMT_IS("0000000000", "%010u", 0u);
	FMT_IS("000000ff", "%08x", 0xFFu);
	FMT_IS("      ff", "%8x", 0xFFu);
	FMT_IS("00000000cafef00d", "%016lx", 0xCAFEF00DUL);
}

static void test_strings_and_p(void)
{
	FMT_IS("   hi", "%5s", "hi");
	FMT_IS("toolong", "%3s", "toolong");
	/* Width applies to the digits of %p, after the 0x. */
	FMT_IS("0x    1000", "%8p", (void *)0x1000);
	char buf[32];
	CHECK_EQ(fmt_unchecked(buf, sizeof(buf), "%08p", (void *)0x1000), 10);
	CHECK_STR(buf, "0x00001000");
	/* A null string prints as (null) rather than faulting. */
	CHECK_EQ(fmt_unchecked(buf, sizeof(buf), "%s", (char *)0), 6);
	CHECK_STR(buf, "(null)");
	CHECK_EQ(fmt_unchecked(buf, sizeof(buf), "%8s|", (char *)0), 9);
	CHECK_STR(buf, "  (null)|");
}

static void test_unknown(void)
{
	/* Unknown conversions print as written; a lone % at the end is dropped
	 * without reading past the string. */
	char buf[32];
	CHECK_EQ(fmt_unchecked(buf, sizeof(buf), "%q"), 2);
	CHECK_STR(buf, "%q");
	CHECK_EQ(fmt_unchecked(buf, sizeof(buf), "abc%"), 3);
	CHECK_STR(buf, "abc");
	CHECK_EQ(fmt_unchecked(buf, sizeof(buf), "%d %y %d", 7, 8), 6);
	CHECK_STR(buf, "7 %y 8");
	CHECK_EQ(fmt_unchecked(buf, sizeof(buf), "%5"), 0);
	CHECK_STR(buf, "");
}

static void test_truncation(void)
{
	char buf[16];
	/* Fits exactly, with its NUL. */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(fmt_snprintf(buf, 6, "%s", "hello"), 5);
	CHECK_STR(buf, "hello");
	CHECK(buf[6] == '#');

	/* One too many: cut, terminated, and the full length returned. */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(fmt_snprintf(buf, 5, "%s", "hello"), 5);
	CHECK_STR(buf, "hell");
	CHECK(buf[5] == '#');

	memset(buf, '#', sizeof(buf));
	CHECK_EQ(fmt_snprintf(buf, 8, "%d-%08x", -12345, 0xABCu), 15);
	CHECK_STR(buf, "-12345-");
	CHECK(buf[8] == '#');

	/* Size 1: just the NUL. */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(fmt_snprintf(buf, 1, "%s", "hello"), 5);
	CHECK_EQ(buf[0], '\0');
	CHECK(buf[1] == '#');

	/* Size 0: nothing written at all, not even the NUL. */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(fmt_snprintf(buf, 0, "%s", "hello"), 5);
	CHECK(buf[0] == '#');
	CHECK_EQ(fmt_snprintf(0, 0, "%d", 123), 3);

	/* Each size from 0 to past the end agrees with the C library. */
	const char *s = "name=%s n=%05d x=%lx";
	char want[64], got[64];
	bool same = true;
	for (size_t size = 0; size < sizeof(want); size++) {
		memset(want, '#', sizeof(want));
		memset(got, '#', sizeof(got));
		int nw = snprintf(want, size, s, "init", -3, 0xFEEDUL);
		int ng = fmt_snprintf(got, size, s, "init", -3, 0xFEEDUL);
		same &= nw == ng && memcmp(want, got, sizeof(want)) == 0;
	}
	CHECK(same);
}

static uint64_t rng = 0x0123456789ABCDEFULL;
static uint64_t rnd(void)
{
	return harness_rand(&rng);
}

/* Random integer conversions, widths and zero padding, against snprintf. */
static void test_against_libc(unsigned rounds)
{
	static const char *convs[] = {"d",  "i",  "u",   "x",   "X", "ld",
	                              "lu", "lx", "lld", "llx", "zu"};
	unsigned mismatches = 0;
	for (unsigned r = 0; r < rounds; r++) {
		char f[32], want[128], got[128];
		const char *conv = convs[rnd() % ARRAY_SIZE(convs)];
		unsigned width = rnd() % 4 ? (unsigned)(rnd() % 25) : 0;
		snprintf(f, sizeof(f), "<%%%s%.0u%s>", rnd() % 2 ? "0" : "", width, conv);
		/* Values near 0 and the extremes, as well as anywhere. */
		uint64_t v = rnd();
		switch (rnd() % 4) {
		case 0:
			v = v % 300 - 150;
			break;
		case 1:
			v = (rnd() % 2 ? (uint64_t)1 << 63 : 0) + v % 5 - 2;
			break;
		case 2:
			v >>= rnd() % 64;
			break;
		}
		int nw, ng;
		size_t size = rnd() % 3 ? sizeof(want) : rnd() % 40;
		memset(want, '#', sizeof(want));
		memset(got, '#', sizeof(got));
		if (conv[0] == 'l' || conv[0] == 'z') {
			nw = snprintf(want, size, f, (unsigned long)v);
			ng = fmt_snprintf(got, size, f, (unsigned long)v);
		} else {
			nw = snprintf(want, size, f, (unsigned)v);
			ng = fmt_snprintf(got, size, f, (unsigned)v);
		}
		if (nw != ng || memcmp(want, got, sizeof(want)) != 0) {
			if (mismatches++ < 5)
				fprintf(
				    stderr,
				    "fmt: \"%s\" of %#llx: libc \"%.*s\" (%d), fmt \"%.*s\" (%d)\n",
				    f, (unsigned long long)v, (int)size, want, nw, (int)size, got,
				    ng);
		}
	}
	CHECK_EQ(mismatches, 0);
}

int main(void)
{
	test_conversions();
	test_width();
	test_strings_and_p();
	test_unknown();
	test_truncation();
	test_against_libc(20000);
	return harness_report("fmt");
}
