/* Host side of the unit tests: counters, and printk/panic for the kernel
 * code under test. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"

unsigned harness_passed, harness_failed;
char harness_panic_msg[256];
unsigned harness_printk_count;
char harness_printk_last[256];

static jmp_buf *panic_jmp;

void harness_check(bool ok, const char *file, int line, const char *what)
{
	if (ok) {
		harness_passed++;
		return;
	}
	harness_failed++;
	fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
}

void harness_check_eq(unsigned long long got, unsigned long long want, const char *file, int line,
                      const char *got_expr, const char *want_expr)
{
	if (got == want) {
		harness_passed++;
		return;
	}
	harness_failed++;
	fprintf(stderr, "%s:%d: FAILED: %s == %s: got %#llx (%lld), want %#llx (%lld)\n", file,
	        line, got_expr, want_expr, got, (long long)got, want, (long long)want);
}

void harness_check_str(const char *got, const char *want, const char *file, int line,
                       const char *what)
{
	if (strcmp(got, want) == 0) {
		harness_passed++;
		return;
	}
	harness_failed++;
	fprintf(stderr, "%s:%d: FAILED: %s: got \"%s\", want \"%s\"\n", file, line, what, got,
	        want);
}

bool harness_panics(void (*fn)(void *arg), void *arg)
{
	jmp_buf jb;
	jmp_buf *outer = panic_jmp;
	harness_panic_msg[0] = '\0';
	panic_jmp = &jb;
	if (setjmp(jb) == 0) {
		fn(arg);
		panic_jmp = outer;
		return false;
	}
	panic_jmp = outer;
	return true;
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(harness_panic_msg, sizeof(harness_panic_msg), fmt, ap);
	va_end(ap);
	if (panic_jmp)
		longjmp(*panic_jmp, 1);
	fprintf(stderr, "FAILED: unexpected panic: %s\n", harness_panic_msg);
	abort();
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(harness_printk_last, sizeof(harness_printk_last), fmt, ap);
	va_end(ap);
	harness_printk_count++;
	if (getenv("UNIT_VERBOSE"))
		fprintf(stderr, "printk: %s", harness_printk_last);
}

int harness_report(const char *suite)
{
	printf("%s: %u passed, %u failed\n", suite, harness_passed, harness_failed);
	fflush(stdout);
	return harness_failed ? 1 : 0;
}
