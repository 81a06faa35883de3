/* AArch64 exception syndromes (ESR_ELx) in words: what kind of fault a
 * crash report names. Pure code, no formatting (the caller prints the
 * parts); tests/unit/test_esr.c. */
#ifndef COMMON_ESR_H
#define COMMON_ESR_H
#include <stdint.h>

struct esr_info {
	unsigned ec;      /* exception class, ESR[31:26] */
	const char *what; /* the class: "data abort", "undefined instruction", ... */
	/* Aborts only (0 otherwise): */
	const char *fault;  /* from the fault status code: "translation fault", ... */
	int level;          /* its translation-table level (0..3), or -1 if it has none */
	const char *access; /* "read", "write" (data aborts) or "execute" (instruction aborts) */
};

/* Decodes esr; never fails (an unknown class is "exception class 0xNN"
 * in spirit: what = "other exception", with ec to print). */
void esr_decode(uint64_t esr, struct esr_info *out);

#endif
