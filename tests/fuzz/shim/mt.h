/* A host stand-in for lib/rt/mt.h, for the harnesses of services: the same
 * types and calls, but a system call is a function call into the
 * harness's kernel model: tests/fuzz/gw_shim.c for the gateway (normal-world
 * and private shared memory, mappings, handles; it plays init and the TAs),
 * tests/fuzz/svc_shim.c for the crypto and key services (the shared memory
 * clients send, mappings, handles). Only what those services use. */
#ifndef MT_RT_H
#define MT_RT_H

#include <stddef.h>
#include <stdint.h>

#include "include/microtee/syscall.h"

typedef unsigned long mt_handle_t;

struct mt_msg {
	uint64_t w[4];
	mt_handle_t handle;
	uint64_t badge;
};

/* The shim's kernel: a[0..6] in, results in a[1..6], status returned. */
long fz_syscall(unsigned long n, unsigned long a[7]);
/* SYS_CALL and SYS_REPLY_RECV, which carry a whole message. */
long fz_call(mt_handle_t ep, struct mt_msg *m);
long fz_reply_recv(mt_handle_t ep, struct mt_msg *m, unsigned long flags);

#define MT_SYS(n, ...)                                                  \
	({                                                              \
		unsigned long a_[7] = {__VA_ARGS__};                    \
		fz_syscall((n), a_);                                    \
	})
#define MT_SYS_R1(out, n, ...)                                          \
	({                                                              \
		unsigned long a_[7] = {__VA_ARGS__};                    \
		long r_ = fz_syscall((n), a_);                          \
		*(out) = a_[1];                                         \
		r_;                                                     \
	})

static inline long mt_call(mt_handle_t ep, struct mt_msg *m)
{
	return fz_call(ep, m);
}
static inline long mt_reply_recv(mt_handle_t ep, struct mt_msg *m, unsigned long flags)
{
	return fz_reply_recv(ep, m, flags);
}
static inline long mt_recv(mt_handle_t ep, struct mt_msg *m)
{
	*m = (struct mt_msg){{0, 0, 0, 0}, 0, 0};
	return mt_reply_recv(ep, m, MT_RR_RECV);
}
/* The gateway's workers: the harness drives one, which never has to wait
 * (sleeps and yields return at once) nor starts threads. */
static inline long mt_sleep_ns(uint64_t ns)
{
	return MT_SYS(SYS_SLEEP, ns);
}
static inline long mt_yield(void)
{
	return MT_SYS(SYS_YIELD, 0);
}
static inline long mt_ep_create(mt_handle_t *out)
{
	return MT_SYS_R1(out, SYS_EP_CREATE, 0);
}
long mt_thread_create(void (*fn)(void *), void *arg, unsigned prio, mt_handle_t *out);
static inline long mt_handle_close(mt_handle_t h)
{
	return MT_SYS(SYS_HANDLE_CLOSE, h);
}
static inline long mt_handle_grant(mt_handle_t proc, mt_handle_t h, unsigned rights,
				   uint64_t badge, mt_handle_t *out)
{
	return MT_SYS_R1(out, SYS_HANDLE_GRANT, proc, h, rights, badge);
}
static inline long mt_proc_kill(mt_handle_t proc)
{
	return MT_SYS(SYS_PROC_KILL, proc);
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

/* The system counter: the harnesses run no time limits, so it stands still. */
static inline uint64_t mt_time(uint64_t *freq)
{
	if (freq)
		*freq = 62500000;
	return 0;
}
__attribute__((noreturn)) static inline void mt_exit(long code)
{
	MT_SYS(SYS_EXIT, (unsigned long)code);
	__builtin_unreachable();
}

int mt_main(unsigned long arg, unsigned long arg2);

#endif
