/* The store's rollback counter, the pure part (docs/storage.md,
 * "Rollback"): what a mount makes of the store's head (fs_head(), the
 * newest committed sequence number, raised by one per update) against the
 * monotonic counter the service raises to it after each commit (an entry
 * of init's anti-rollback table, storage_ipc.h). main.c does the calls. */
#ifndef STORAGE_FSCOUNTER_H
#define STORAGE_FSCOUNTER_H

#include <stdint.h>

enum fsc_verdict {
	FSC_EQUAL,    /* head == counter: the normal case */
	FSC_CUT,      /* head == counter + 1: a cut between a commit and its raise: raise it */
	FSC_AHEAD,    /* head > counter + 1: no counter yet (a store from before it), or raises
		       * that failed: raise it */
	FSC_ROLLBACK, /* head < counter: the region was put back or its newest records
		       * removed: the store is CORRUPT_OBJECT */
};

/* The verdict of a mount whose store has `head` against `counter`. */
enum fsc_verdict fsc_judge(uint64_t head, uint64_t counter);

/* Must the counter be raised before the reply to the request that left the
 * store at `head`, the counter being `counter`? (Every committed update
 * raises it; nothing lowers it.) */
static inline int fsc_must_raise(uint64_t head, uint64_t counter)
{
	return head > counter;
}

#endif
