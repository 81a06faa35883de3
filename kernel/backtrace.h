/* Backtraces of a faulted process: the walk of its frame-pointer chain.
 *
 * An AArch64 frame record is two 64-bit words, the caller's frame pointer
 * then the return address (x29, x30), and x29 points at the innermost one.
 * The chain is the faulted process's own memory, so every word of it is
 * hostile: the walk reads it only through `read` (the kernel's is
 * copy_from_user, which walks the process's page tables and refuses what
 * EL0 cannot read, device and normal-world memory), stops at the first
 * record that is misaligned, unreadable or not above the one before it
 * (so it always ends), and takes at most `max` frames. Pure code: the
 * unit tests run it over a made-up memory (tests/unit/test_backtrace.c). */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H
#include "kernel.h"

/* Reads the frame record at va into rec[0] (the caller's fp) and rec[1]
 * (the return address); MT_OK, or an error if the process cannot read it. */
typedef int (*backtrace_read_fn)(void *ctx, vaddr_t va, uint64_t rec[2]);

/* Follows the chain from frame pointer fp, putting each record's return
 * address in frames[0..), at most max of them; *n is how many. Returns
 * why the walk stopped: MT_BT_END_* (include/microtee/syscall.h). */
unsigned long backtrace_walk(vaddr_t fp, backtrace_read_fn read, void *ctx, uint64_t *frames,
                             unsigned max, unsigned *n);

#endif
