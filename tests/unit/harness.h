/* A tiny host test harness: CHECK macros that count passes and failures,
 * and host stand-ins for the kernel's printk and panic.
 *
 * Each suite is one binary, test_<module>.c, linked with harness.c and the
 * kernel source it tests. main() runs the suite's tests and returns
 * harness_report("<module>"), which prints `<module>: N passed, M failed`.
 * The unit.mk runner adds those up. */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdbool.h>
#include <stdio.h>

extern unsigned harness_passed, harness_failed;

void harness_check(bool ok, const char *file, int line, const char *what);
void harness_check_eq(unsigned long long got, unsigned long long want, const char *file, int line,
                      const char *got_expr, const char *want_expr);
void harness_check_str(const char *got, const char *want, const char *file, int line,
                       const char *what);

#define CHECK(c) harness_check((c), __FILE__, __LINE__, #c)
/* Integer equality; both sides are shown (as unsigned and signed) on failure. */
#define CHECK_EQ(got, want)                                                                        \
	harness_check_eq((unsigned long long)(got), (unsigned long long)(want), __FILE__,          \
	                 __LINE__, #got, #want)
#define CHECK_STR(got, want) harness_check_str((got), (want), __FILE__, __LINE__, #got)

/* Runs fn(arg) and reports whether it called panic() (or failed a kassert).
 * The panic message is left in harness_panic_msg. A panic outside this is
 * reported and aborts the suite. */
bool harness_panics(void (*fn)(void *arg), void *arg);
#define CHECK_PANICS(fn, arg)                                                                      \
	harness_check(harness_panics((fn), (arg)), __FILE__, __LINE__, "panics: " #fn "(" #arg ")")
extern char harness_panic_msg[256];

/* printk output is counted, and the last line kept, but not shown unless
 * UNIT_VERBOSE is set in the environment. */
extern unsigned harness_printk_count;
extern char harness_printk_last[256];

/* The suites' reproducible random numbers: xorshift64 over *state, which
 * must start non-zero (each suite seeds its own). */
#include <stdint.h>
static inline uint64_t harness_rand(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Prints the suite's summary; returns the process exit status. */
int harness_report(const char *suite);

#endif
