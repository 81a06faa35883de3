/* The kernel as a service that clients call sees it (svc_shim.c), for the
 * harnesses of the crypto and key services: a handle table, shared-memory
 * objects that clients made and sent, and the service's mappings of them.
 * A mapping is real: the object's own pages at the service's address, its
 * size exactly the object's, with the protection asked for; so a read or
 * write past an object, or a write through a read-only mapping, faults and
 * the fuzzer reports it. The harness plays the clients: it makes objects,
 * fills them through its own view, and puts handles to them in the
 * service's table as an IPC transfer would. */
#ifndef FUZZ_SVC_SHIM_H
#define FUZZ_SVC_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "mt.h"

#define FZ_POOL_PAGES 1024 /* the pages of every object of one input */
#define FZ_OBJ_MAX 64      /* objects of one input */

/* The harness's name, for messages ("crypto": "fuzz_crypto: ..."). */
extern const char fz_harness[];

/* Once per process. */
void fz_svc_init(void);
/* What exists now (objects, handles, mappings: a service's start) is kept
 * by every later fz_svc_reset. */
void fz_svc_checkpoint(void);
/* Per input: back to the checkpoint; every later mapping removed, handle
 * closed, object freed. */
void fz_svc_reset(void);

/* A client's shared-memory object of `pages` pages, zero-filled; -1 when
 * this input has used up the pool. */
int fz_obj_new(unsigned pages);
/* The client's view of it (its creator's mapping), and its size. */
uint8_t *fz_obj_mem(int obj);
size_t fz_obj_size(int obj);
/* Its creator revokes it: mapping it fails with MT_ESTATE from now on. */
void fz_obj_revoke(int obj);
/* A handle to it with these rights (MT_R_*) in the service's table. */
mt_handle_t fz_give(int obj, unsigned rights);
/* A handle to an object that is not shared memory (an endpoint). */
mt_handle_t fz_give_endpoint(void);

/* Accounting, beyond the checkpoint: handles the service holds, and its
 * mappings. */
unsigned fz_handles(void);
unsigned fz_mappings(void);
/* How many times the service has `obj` mapped; *prot gets the last one's
 * protection. */
unsigned fz_obj_mappings(int obj, unsigned *prot);

/* rng_shim.c: services/common/rng.h on a fixed seed; this seeds it again
 * (once per input, so that every input replays alike). */
void fz_rng_reset(void);

/* Aborts the input (a broken rule) with a message. */
__attribute__((noreturn)) void fz_fail(const char *what);

#endif
