/* MicroTEE user runtime: system call wrappers and IPC helpers for S-EL0
 * processes. Every call returns MT_OK or a negative MT_E* code. */
#ifndef MT_RT_H
#define MT_RT_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/microtee/syscall.h"
#include "args.h"

typedef unsigned long mt_handle_t;

/* The handles init is given by the kernel. */
#define MT_SPAWNER_HANDLE 1 /* authority to spawn and power off */
#define MT_NWCALL_HANDLE 2  /* endpoint the kernel delivers normal-world calls to */
#define MT_NSMEM_HANDLE 3   /* authority to map normal-world RAM (SYS_NSSHM_CREATE) */

/* An IPC message: four words, up to four handles packed with MT_XFER (a
 * single handle number is such a packing), and on receive the sender's
 * badge. */
struct mt_msg {
	uint64_t w[4];
	mt_handle_t handle;
	uint64_t badge;
};

/* Raw call: a[0..6] in, results written back into a[1..6]. */
static inline long mt_syscall(unsigned long n, unsigned long a[7])
{
	register unsigned long x0 __asm__("x0") = a[0];
	register unsigned long x1 __asm__("x1") = a[1];
	register unsigned long x2 __asm__("x2") = a[2];
	register unsigned long x3 __asm__("x3") = a[3];
	register unsigned long x4 __asm__("x4") = a[4];
	register unsigned long x5 __asm__("x5") = a[5];
	register unsigned long x6 __asm__("x6") = a[6];
	register unsigned long x8 __asm__("x8") = n;
	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
			 : "r"(x8)
			 : "memory");
	a[1] = x1, a[2] = x2, a[3] = x3, a[4] = x4, a[5] = x5, a[6] = x6;
	return (long)x0;
}

#define MT_SYS(n, ...)                                                  \
	({                                                              \
		unsigned long a_[7] = {__VA_ARGS__};                    \
		mt_syscall((n), a_);                                    \
	})
#define MT_SYS_R1(out, n, ...)                                          \
	({                                                              \
		unsigned long a_[7] = {__VA_ARGS__};                    \
		long r_ = mt_syscall((n), a_);                          \
		*(out) = a_[1];                                         \
		r_;                                                     \
	})

/* Call `ep`: sends m, waits for the reply, which overwrites m. */
static inline long mt_call(mt_handle_t ep, struct mt_msg *m)
{
	register unsigned long x0 __asm__("x0") = ep;
	register unsigned long x1 __asm__("x1") = m->w[0];
	register unsigned long x2 __asm__("x2") = m->w[1];
	register unsigned long x3 __asm__("x3") = m->w[2];
	register unsigned long x4 __asm__("x4") = m->w[3];
	register unsigned long x5 __asm__("x5") = m->handle;
	register unsigned long x6 __asm__("x6") = 0;
	register unsigned long x8 __asm__("x8") = SYS_CALL;
	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
			 : "r"(x8)
			 : "memory");
	m->w[0] = x1, m->w[1] = x2, m->w[2] = x3, m->w[3] = x4, m->handle = x5, m->badge = x6;
	return (long)x0;
}

/* Optionally reply with *m to the pending caller, then (with MT_RR_RECV)
 * wait on `ep`; the received message overwrites *m. */
static inline long mt_reply_recv(mt_handle_t ep, struct mt_msg *m, unsigned long flags)
{
	register unsigned long x0 __asm__("x0") = ep;
	register unsigned long x1 __asm__("x1") = m->w[0];
	register unsigned long x2 __asm__("x2") = m->w[1];
	register unsigned long x3 __asm__("x3") = m->w[2];
	register unsigned long x4 __asm__("x4") = m->w[3];
	register unsigned long x5 __asm__("x5") = m->handle;
	register unsigned long x6 __asm__("x6") = flags;
	register unsigned long x8 __asm__("x8") = SYS_REPLY_RECV;
	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
			 : "r"(x8)
			 : "memory");
	m->w[0] = x1, m->w[1] = x2, m->w[2] = x3, m->w[3] = x4, m->handle = x5, m->badge = x6;
	return (long)x0;
}

static inline long mt_recv(mt_handle_t ep, struct mt_msg *m)
{
	*m = (struct mt_msg){{0, 0, 0, 0}, 0, 0};
	return mt_reply_recv(ep, m, MT_RR_RECV);
}

static inline long mt_ep_create(mt_handle_t *out)
{
	return MT_SYS_R1(out, SYS_EP_CREATE, 0);
}
static inline long mt_handle_close(mt_handle_t h)
{
	return MT_SYS(SYS_HANDLE_CLOSE, h);
}
/* Copies handle h into process `proc` (0 = ourselves) with at most `rights`
 * and the given badge; *out gets the handle's number there. */
static inline long mt_handle_grant(mt_handle_t proc, mt_handle_t h, unsigned rights,
				   uint64_t badge, mt_handle_t *out)
{
	return MT_SYS_R1(out, SYS_HANDLE_GRANT, proc, h, rights, badge);
}
/* Starts proc's main thread: its mt_main gets (arg, 0). */
static inline long mt_proc_start(mt_handle_t proc, unsigned long arg)
{
	return MT_SYS(SYS_PROC_START, proc, arg, 0);
}
/* The same, with an argument string: `args` (NUL-terminated, shorter than
 * MT_USER_ARGS_MAX, else MT_EINVAL) is copied to proc's MT_USER_ARGS and
 * its mt_main gets (arg, MT_USER_ARGS). */
long mt_proc_start_args(mt_handle_t proc, unsigned long arg, const char *args);
/* Reading an argument string: mt_arg, mt_arg_u64 (args.h). */
static inline long mt_proc_kill(mt_handle_t proc)
{
	return MT_SYS(SYS_PROC_KILL, proc);
}
static inline long mt_wait_child(struct mt_child_event *ev, uint64_t timeout_ns)
{
	return MT_SYS(SYS_WAIT_CHILD, (unsigned long)ev, timeout_ns);
}
static inline long mt_proc_info(mt_handle_t proc, struct mt_proc_info *out)
{
	return MT_SYS(SYS_PROC_INFO, proc, (unsigned long)out);
}
static inline long mt_mem_map(uintptr_t va, size_t size, unsigned prot)
{
	return MT_SYS(SYS_MEM_MAP, va, size, prot);
}
static inline long mt_mem_unmap(uintptr_t va, size_t size)
{
	return MT_SYS(SYS_MEM_UNMAP, va, size);
}
static inline long mt_shm_create(size_t size, mt_handle_t *out)
{
	return MT_SYS_R1(out, SYS_SHM_CREATE, size);
}
static inline long mt_shm_map(mt_handle_t shm, uintptr_t va, unsigned prot)
{
	return MT_SYS(SYS_SHM_MAP, shm, va, prot);
}
static inline long mt_sleep_ns(uint64_t ns)
{
	return MT_SYS(SYS_SLEEP, ns);
}
static inline long mt_yield(void)
{
	return MT_SYS(SYS_YIELD, 0);
}
static inline uint64_t mt_time(uint64_t *freq)
{
	unsigned long a[7] = {0};
	mt_syscall(SYS_TIME, a);
	if (freq)
		*freq = a[2];
	return a[1];
}
static inline long mt_poweroff(void)
{
	return MT_SYS(SYS_POWEROFF, MT_SPAWNER_HANDLE);
}
__attribute__((noreturn)) static inline void mt_exit(long code)
{
	MT_SYS(SYS_EXIT, (unsigned long)code);
	__builtin_unreachable();
}

/* A program's entry point: `arg` is what its parent passed to
 * mt_proc_start; arg2 is 0 or its argument string (mt_proc_start_args;
 * init passes a scenario's programs the boot command line). For init, arg
 * is the boot command line and arg2 its length. */
int mt_main(unsigned long arg, unsigned long arg2);

/* Starts a thread in this process running fn(arg) on a fresh stack. */
long mt_thread_create(void (*fn)(void *), void *arg, unsigned prio, mt_handle_t *out);
/* Maps a whole shared-memory object at a free address in the shared region
 * and returns it (or 0); *size (if not 0) gets its size. */
void *mt_shm_map_any(mt_handle_t shm, unsigned prot, size_t *size);

/* Reads the instruction counter the kernel enabled for benchmarks. */
static inline uint64_t mt_pmu_insns(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v));
	return v;
}

#endif
