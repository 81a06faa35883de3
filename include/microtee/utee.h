/* The OP-TEE personality (services/utee): an OP-TEE TA binary, unmodified,
 * in a MicroTEE process beside the personality that serves its system
 * calls. init's loader (services/init/loader_utee.c) builds the process:
 * the personality's program from the boot file system, the TA's segments
 * at UTEE_TA_BASE with its relocations applied, and the page below it
 * (read-only) that tells the personality where everything is. */
#ifndef MICROTEE_UTEE_H
#define MICROTEE_UTEE_H

#include <stdint.h>

/* The personality's program in the boot file system. */
#define UTEE_PROGRAM "utee"
/* Where the TA goes: [UTEE_TA_BASE, UTEE_TA_BASE + UTEE_TA_SPAN); the
 * personality's own image must end below UTEE_INFO_VA. */
#define UTEE_TA_BASE 0x48000000UL
#define UTEE_TA_SPAN 0x07000000UL
#define UTEE_INFO_VA (UTEE_TA_BASE - 0x1000UL)
/* The TA's stack (the personality maps it): below this, with a guard. */
#define UTEE_STACK_TOP 0x4FFF0000UL
#define UTEE_STACK_MAX 0x00100000UL

#define UTEE_INFO_MAGIC 0x45455455U /* "UTEE" */
#define UTEE_MAX_SEGS   8
#define UTEE_MAX_PHDRS  16

/* OP-TEE's struct ta_head, as its kit lays it out in the TA's .ta_head:
 * the UUID as a TEE_UUID (little-endian fields), then the stack size, the
 * TA_FLAG_* bits and a deprecated entry point. */
struct utee_ta_head {
	uint32_t time_low;
	uint16_t time_mid, time_hi_and_version;
	uint8_t clock_seq_and_node[8];
	uint32_t stack_size;
	uint32_t flags;
	uint64_t depr_entry;
};
_Static_assert(sizeof(struct utee_ta_head) == 32, "OP-TEE's ta_head is 32 bytes");
#define UTEE_TA_FLAGS_MASK 0x1FFFU /* OP-TEE 4.5's TA_FLAGS_MASK: bits 0..12 */

/* One loaded segment of the TA, absolute addresses, MT_PROT_* bits. */
struct utee_seg {
	uint64_t start, end;
	uint32_t prot, pad;
};
_Static_assert(sizeof(struct utee_seg) == 24, "utee_seg layout");

/* libutee's struct dl_phdr_info (its link.h), which its dl_iterate_phdr
 * hands out and which the TA's __elf_phdr_info points at. */
struct utee_dl_phdr_info {
	uint64_t addr; /* the load base */
	uint64_t name; /* a NUL-terminated name */
	uint64_t phdr; /* the program headers */
	uint16_t phnum;
	uint16_t pad[3];
	uint64_t adds, subs;
	uint64_t tls_modid;
	uint64_t tls_data;
};
_Static_assert(sizeof(struct utee_dl_phdr_info) == 64, "dl_phdr_info layout");

/* libutee's struct __elf_phdr_info, in the TA (its symbol __elf_phdr_info). */
struct utee_elf_phdr_info {
	uint32_t reserved;
	uint16_t count;
	uint8_t reserved2;
	char zero;
	uint64_t dlpi; /* count entries */
};
_Static_assert(sizeof(struct utee_elf_phdr_info) == 16, "__elf_phdr_info layout");

/* The page at UTEE_INFO_VA. The modules: the TA first, then the shared
 * TA libraries it needs (DT_NEEDED), each loaded above the one before. */
#define UTEE_MAX_MODULES 3
struct utee_info {
	uint32_t magic, nseg;
	uint64_t base, span;                /* the TA's (module 0's) */
	uint64_t entry;                     /* the TA's entry function (absolute) */
	struct utee_ta_head head;           /* a copy of the TA's ta_head */
	struct utee_seg seg[UTEE_MAX_SEGS]; /* every module's segments */
	uint32_t nmod, pad;
	struct utee_dl_phdr_info dlpi[UTEE_MAX_MODULES];
	char name[UTEE_MAX_MODULES][40];                      /* "ta", then each library's UUID */
	uint8_t phdrs[UTEE_MAX_MODULES][UTEE_MAX_PHDRS * 56]; /* their program headers */
};
_Static_assert(sizeof(struct utee_info) == 32 + 32 + UTEE_MAX_SEGS * 24 + 8 +
                                               UTEE_MAX_MODULES * (64 + 40 + UTEE_MAX_PHDRS * 56),
               "utee_info layout");
_Static_assert(sizeof(struct utee_info) <= 4096, "utee_info fits its page");

/* OP-TEE's struct utee_params (libutee's utee_types.h): what the TA's
 * entry function gets, types and for each parameter value a/b or memref
 * buffer/size. */
struct utee_params {
	uint64_t types;
	uint64_t vals[8];
};
_Static_assert(sizeof(struct utee_params) == 72, "utee_params layout");

/* OP-TEE's entry function ids (enum utee_entry_func). */
#define UTEE_ENTRY_OPEN_SESSION   0
#define UTEE_ENTRY_CLOSE_SESSION  1
#define UTEE_ENTRY_INVOKE_COMMAND 2

#endif
