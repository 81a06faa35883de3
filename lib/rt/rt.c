/* Process start-up and the picolibc glue: stdout on the secure console,
 * the heap, exit and threads. */
#include <stdio.h>
#include <string.h>

#include "mt.h"

#include <stdlib.h>
extern char __tls_base[];
void _set_tls(void *tls);
void _init_tls(void *tls);

/* Each thread buffers its own line (thread-local), so threads that print
 * at once never share a buffer: a shared one let two threads step its
 * index past its end. Lines still go out whole up to 128 bytes. */
static _Thread_local char outbuf[128];
static _Thread_local size_t outlen;

static void out_flush(void)
{
	if (outlen)
		MT_SYS(SYS_DEBUG_WRITE, (unsigned long)outbuf, outlen);
	outlen = 0;
}

static int rt_putc(char c, FILE *f)
{
	(void)f;
	outbuf[outlen++] = c;
	if (c == '\n' || outlen == sizeof(outbuf))
		out_flush();
	return (unsigned char)c;
}

static FILE rt_stdio = FDEV_SETUP_STREAM(rt_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &rt_stdio;
FILE *const stdout = &rt_stdio;
FILE *const stderr = &rt_stdio;

void _exit(int code)
{
	out_flush();
	mt_exit(code);
}

/* ---- arguments ---- */

long mt_proc_start_args(mt_handle_t proc, unsigned long arg, const char *args)
{
	size_t len = strlen(args);
	if (len >= MT_USER_ARGS_MAX)
		return MT_EINVAL;
	long rc = MT_SYS(SYS_PROC_WRITE, proc, MT_USER_ARGS, (unsigned long)args, len + 1);
	if (rc != MT_OK)
		return rc;
	return MT_SYS(SYS_PROC_START, proc, arg, MT_USER_ARGS);
}

/* The heap grows from MT_USER_HEAP, mapped on demand. */
static uintptr_t brk_cur = MT_USER_HEAP, brk_mapped = MT_USER_HEAP;

void *sbrk(ptrdiff_t incr)
{
	uintptr_t old = brk_cur, want = brk_cur + (uintptr_t)incr;
	if (incr < 0 || want > MT_USER_SHM)
		return (void *)-1;
	if (want > brk_mapped) {
		uintptr_t end = (want + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
		if (mt_mem_map(brk_mapped, end - brk_mapped, MT_PROT_R | MT_PROT_W) != MT_OK)
			return (void *)-1;
		brk_mapped = end;
	}
	brk_cur = want;
	return (void *)old;
}

void __rt_start(unsigned long arg, unsigned long arg2)
{
	_set_tls(__tls_base);
	exit(mt_main(arg, arg2));
}

/* ---- threads ---- */

#define THREAD_STACK_PAGES 4
#define THREAD_STACK_AREA (MT_USER_STACK_TOP - 0x01000000UL)
/* Stacks for 15 threads take 300 KiB at the bottom of the 16 MiB stack
 * area; the main stack grows down from its top. */
#define RT_MAX_THREADS 15
static unsigned thread_slots;

struct thread_start {
	void (*fn)(void *);
	void *arg;
};

extern char __tls_size[];

static void thread_trampoline(struct thread_start *ts)
{
	char tls[512] __attribute__((aligned(16)));
	/* The thread's copy of the thread-local data (the TCB offset of 16
	 * bytes, then .tdata and .tbss) must fit; the build keeps it small. */
	if ((uintptr_t)__tls_size + 16 > sizeof(tls))
		MT_SYS(SYS_THREAD_EXIT, 0);
	_init_tls(tls);
	_set_tls(tls);
	ts->fn(ts->arg);
	out_flush();
	MT_SYS(SYS_THREAD_EXIT, 0);
}

long mt_thread_create(void (*fn)(void *), void *arg, unsigned prio, mt_handle_t *out)
{
	if (thread_slots >= RT_MAX_THREADS) /* the thread quota may allow fewer */
		return MT_ENOSPACE;
	/* Each thread gets its own stack with an unmapped guard page below.
	 * Stacks are not reused: a process creates at most RT_MAX_THREADS
	 * threads. */
	uintptr_t base = THREAD_STACK_AREA + thread_slots * (THREAD_STACK_PAGES + 1) * MT_PAGE_SIZE;
	long rc = mt_mem_map(base + MT_PAGE_SIZE, THREAD_STACK_PAGES * MT_PAGE_SIZE,
			     MT_PROT_R | MT_PROT_W);
	if (rc != MT_OK)
		return rc;
	uintptr_t top = base + (THREAD_STACK_PAGES + 1) * MT_PAGE_SIZE;
	struct thread_start *ts = (struct thread_start *)(top - 32);
	ts->fn = fn;
	ts->arg = arg;
	rc = MT_SYS_R1(out, SYS_THREAD_CREATE, (unsigned long)thread_trampoline, top - 32,
		       (unsigned long)ts, prio);
	if (rc != MT_OK) {
		mt_mem_unmap(base + MT_PAGE_SIZE, THREAD_STACK_PAGES * MT_PAGE_SIZE);
		return rc;
	}
	thread_slots++;
	return MT_OK;
}

static uintptr_t shm_next = MT_USER_SHM;

void *mt_shm_map_any(mt_handle_t shm, unsigned prot, size_t *size)
{
	unsigned long mapped;
	uintptr_t va = shm_next;
	if (MT_SYS_R1(&mapped, SYS_SHM_MAP, shm, va, prot) != MT_OK)
		return 0;
	if (va + mapped > THREAD_STACK_AREA) {
		mt_mem_unmap(va, mapped);
		return 0;
	}
	shm_next += mapped + MT_PAGE_SIZE; /* leave a gap between mappings */
	if (size)
		*size = mapped;
	return (void *)va;
}
