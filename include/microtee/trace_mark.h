/* The markers of a traced window (bench/prof/README.md, docs/debugging.md
 * "Tracing a call"): a normal-world program puts MT_TRACE_BEGIN() and
 * MT_TRACE_END() around the calls it wants traced, and make trace (or
 * scripts/trace.sh) prints what ran between them in every layer. They are
 * the unallocated hint instructions HINT #125 and #126: NOPs on any CPU,
 * seen only by QEMU's plugin bench/prof/tbprof.so. */
#ifndef MICROTEE_TRACE_MARK_H
#define MICROTEE_TRACE_MARK_H

#define MT_TRACE_BEGIN() __asm__ volatile("hint #125" ::: "memory")
#define MT_TRACE_END()   __asm__ volatile("hint #126" ::: "memory")

#endif
