/* Checks for the secure-world test programs. A program defines TEST_NAME
 * (its name, a string) before including this; CHECK counts into `passed`
 * and `failed` (safe from several threads) and prints each failure with
 * its line. */
#ifndef TESTS_PROGS_CHECK_H
#define TESTS_PROGS_CHECK_H
#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...)                                                             \
	do {                                                                         \
		if (cond) {                                                          \
			__atomic_fetch_add(&passed, 1, __ATOMIC_SEQ_CST);            \
		} else {                                                             \
			__atomic_fetch_add(&failed, 1, __ATOMIC_SEQ_CST);            \
			printf(TEST_NAME ": FAILED line %d: ", __LINE__);            \
			printf(__VA_ARGS__);                                         \
			printf("\n");                                                \
		}                                                                    \
	} while (0)
#endif
