/* The gateway harness's kernel model (gw_shim.c): normal-world RAM is a
 * buffer the fuzzer fills, at FZ_NSRAM_BASE; the replies of init and of
 * the TAs come from a tape of fuzzer bytes. */
#ifndef FUZZ_GW_SHIM_H
#define FUZZ_GW_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "mt.h"

#define FZ_NSRAM_BASE 0x40000000ULL
#define FZ_NSRAM_PAGES 8
#define FZ_NSRAM_SIZE (FZ_NSRAM_PAGES * MT_PAGE_SIZE)

/* The normal-world RAM, as the normal world sees it (shared with every
 * mapping the gateway makes of it). */
extern uint8_t *fz_nsram;

/* Once per process: the RAM and the handles the gateway starts with. */
void fz_shim_init(mt_handle_t *nsmem, mt_handle_t *sup);
/* Per input: a fresh tape; every object but the starting ones freed and
 * every mapping removed. */
void fz_shim_reset(const uint8_t *tape, size_t len);
/* Normal-world shared-memory objects open and normal-world pages mapped:
 * both must be 0 between calls. */
unsigned fz_ns_objects(void);
unsigned fz_ns_mapped_pages(void);
/* Handles a TA sent back in its replies that the gateway still holds. */
unsigned fz_stray_handles(void);
/* Aborts the input (a broken rule of the model) with a message. */
void fz_fail(const char *what);

#endif
