/* test_dispatch: system call user dispatch (SYS_DISPATCH_SET and
 * SYS_DISPATCH_RETURN, kernel/dispatch.c). The allowed range is all of this
 * program's text before section mtforeign (foreign.S), whose svc
 * instructions stand for another system's binary:
 *  - bad ranges, handlers, stacks and frames are refused with MT_EINVAL or
 *    MT_EFAULT, and SYS_DISPATCH_RETURN with dispatch off with MT_ESTATE;
 *  - an svc from mtforeign reaches the handler, on its own stack, with
 *    every register (x0..x28, NZCV, sp, pc) in the frame; the handler's
 *    changes to the frame come back to the foreign code; even x8 = SYS_EXIT
 *    is not executed;
 *  - a MicroTEE call from inside the range (the handler's, main's) still
 *    works and is not dispatched;
 *  - SYS_DISPATCH_RETURN refuses a frame whose pc or sp leaves the user
 *    space, changing nothing;
 *  - another thread of the process, and another process (echo), are not
 *    affected; with dispatch off the foreign svc is a MicroTEE call again.
 * With arg 2: the frame is unmapped and then a foreign svc is made: the
 * kernel ends the process (MT_FAULT_OTHER), and does not crash. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "mt.h"

#define TEST_NAME "test_dispatch"
#include "../check.h"

void foreign_regs(uint64_t r[32]);
long foreign_call(unsigned long n, unsigned long a0, unsigned long a1, unsigned long *out1);
void test_dispatch_entry(void);
void test_on_dispatch(struct mt_dispatch_frame *f);
void test_return_failed(long rc);
extern const char foreign_svc_addr[], foreign_regs_after_svc[];
extern const char __start_mtforeign[], __stop_mtforeign[];

_Static_assert(SYS_DISPATCH_RETURN == 33, "entry.S uses the number");

#define FOREIGN_NR 0x5aa5UL
#define FRAME_PAGE 0x61000000UL

static struct mt_dispatch_frame frame __attribute__((aligned(16)));
static uint8_t handler_stack[8192] __attribute__((aligned(16)));
static const struct mt_dispatch_frame rodata_frame = {.pad = 1};

static volatile unsigned dispatched;
static struct mt_dispatch_frame seen;
static uintptr_t handler_sp_seen;
static long handler_call_rc = 1;
static unsigned dispatched_in_handler;

static unsigned long lo(void)
{
	return MT_USER_BASE;
}
static unsigned long hi(void)
{
	return (unsigned long)__start_mtforeign;
}

static long set(unsigned long l, unsigned long h, unsigned long handler, unsigned long f,
                unsigned long sp)
{
	return MT_SYS(SYS_DISPATCH_SET, l, h, handler, f, sp);
}

static long set_ok(void)
{
	return set(lo(), hi(), (unsigned long)test_dispatch_entry, (unsigned long)&frame,
	           (unsigned long)(handler_stack + sizeof(handler_stack)));
}

/* The handler (inside the range): records the frame and changes it. */
void test_on_dispatch(struct mt_dispatch_frame *f)
{
	uintptr_t sp;
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	handler_sp_seen = sp;
	dispatched++;
	seen = *f;
	/* A MicroTEE call from the handler: executed, not dispatched. */
	unsigned before = dispatched;
	handler_call_rc = MT_SYS(SYS_YIELD);
	dispatched_in_handler = dispatched - before;
	if (f->x[8] == FOREIGN_NR) {
		f->x[0] = ~FOREIGN_NR;
		for (unsigned i = 1; i <= 28; i++)
			f->x[i] += i;
		f->pstate = 0x60000000UL; /* Z and C */
	} else {
		/* foreign_call: answer with the number and the first argument. */
		f->x[1] = f->x[0];
		f->x[0] = f->x[8] + 1000;
	}
}

void test_return_failed(long rc)
{
	printf("test_dispatch: FAIL SYS_DISPATCH_RETURN from the handler: %ld\n", rc);
	mt_exit(3);
}

static void test_bad_args(void)
{
	unsigned long h = (unsigned long)test_dispatch_entry, f = (unsigned long)&frame,
	              sp = (unsigned long)(handler_stack + sizeof(handler_stack));
	CHECK(MT_SYS(SYS_DISPATCH_RETURN) == MT_ESTATE, "return with dispatch off");
	CHECK(set(hi(), lo(), h, f, sp) == MT_EINVAL, "lo > hi");
	CHECK(set(lo(), lo(), h, f, sp) == MT_EINVAL, "empty range");
	CHECK(set(0x1000, hi(), h, f, sp) == MT_EINVAL, "range below the user space");
	CHECK(set(lo(), MT_USER_TOP + 0x1000, h, f, sp) == MT_EINVAL, "range above the user space");
	CHECK(set(lo(), hi(), (unsigned long)foreign_regs, f, sp) == MT_EINVAL,
	      "handler outside the range");
	CHECK(set(lo(), hi(), h + 2, f, sp) == MT_EINVAL, "misaligned handler");
	CHECK(set(lo(), hi(), h, f + 4, sp) == MT_EINVAL, "misaligned frame");
	CHECK(set(lo(), hi(), h, f, sp - 8) == MT_EINVAL, "misaligned stack");
	CHECK(set(lo(), hi(), h, f, 0x1000) == MT_EINVAL, "stack outside the user space");
	CHECK(set(lo(), hi(), h, 0x6f000000UL, sp) == MT_EFAULT, "unmapped frame");
	CHECK(set(lo(), hi(), h, (unsigned long)&rodata_frame, sp) == MT_EFAULT, "read-only frame");
	CHECK(set(lo(), hi(), h, 0xe080000UL, sp) == MT_EFAULT, "frame in the kernel");
	/* None of them turned dispatch on. */
	unsigned long t = 0;
	CHECK(foreign_call(SYS_TIME, 0, 0, &t) == MT_OK && t != 0 && dispatched == 0,
	      "foreign svc with dispatch off is a MicroTEE call");
}

static void test_round_trip(void)
{
	uint64_t r[32], in[32];
	for (unsigned i = 0; i < 32; i++)
		r[i] = 0x1111111111111111ULL * (i % 15 + 1) + i;
	r[8] = FOREIGN_NR;
	r[29] = 0x90000000UL; /* N and V */
	memcpy(in, r, sizeof(in));
	unsigned before = dispatched;
	foreign_regs(r);
	CHECK(dispatched == before + 1, "one dispatch: %u", dispatched - before);
	for (unsigned i = 0; i <= 28; i++)
		CHECK(seen.x[i] == in[i], "x%u in the frame: %lx, expected %lx", i, seen.x[i],
		      (unsigned long)in[i]);
	CHECK(seen.pstate == 0x90000000UL, "flags in the frame: %lx", seen.pstate);
	CHECK(seen.pc == (unsigned long)foreign_regs_after_svc &&
	          seen.pc == (unsigned long)foreign_svc_addr + 4,
	      "pc in the frame: %lx", seen.pc);
	CHECK(seen.x[30] == (unsigned long)r, "x30 in the frame");
	CHECK(seen.sp == r[31] - 112, "sp in the frame: %lx (foreign sp %lx)", seen.sp,
	      (unsigned long)r[31] - 112);
	CHECK(handler_sp_seen >= (uintptr_t)handler_stack &&
	          handler_sp_seen < (uintptr_t)handler_stack + sizeof(handler_stack),
	      "handler on its stack: %lx", (unsigned long)handler_sp_seen);
	CHECK(handler_call_rc == MT_OK && dispatched_in_handler == 0,
	      "MicroTEE call from the handler: %ld, %u dispatched", handler_call_rc,
	      dispatched_in_handler);
	CHECK(r[0] == ~FOREIGN_NR, "x0 back: %lx", (unsigned long)r[0]);
	for (unsigned i = 1; i <= 28; i++)
		CHECK(r[i] == in[i] + i, "x%u back: %lx, expected %lx", i, (unsigned long)r[i],
		      (unsigned long)(in[i] + i));
	CHECK(r[29] == 0x60000000UL, "flags back: %lx", (unsigned long)r[29]);
}

static void test_numbers(void)
{
	unsigned long out = 0;
	unsigned before = dispatched;
	/* Not executed: the process does not exit. */
	long rc = foreign_call(SYS_EXIT, 77, 0, &out);
	CHECK(rc == SYS_EXIT + 1000 && out == 77 && dispatched == before + 1,
	      "foreign SYS_EXIT dispatched: %ld %lu", rc, out);
	rc = foreign_call(SYS_DISPATCH_SET, 5, 0, &out);
	CHECK(rc == SYS_DISPATCH_SET + 1000 && out == 5, "foreign SYS_DISPATCH_SET dispatched: %ld",
	      rc);
	/* From inside the range: a MicroTEE call. */
	struct mt_proc_info info;
	before = dispatched;
	CHECK(mt_proc_info(0, &info) == MT_OK && info.pid != 0 && dispatched == before,
	      "MicroTEE call from inside the range");
}

static void test_bad_return(void)
{
	struct mt_dispatch_frame keep = frame;
	unsigned long t = 0;
	frame.pc = 0xe080000UL; /* the kernel's */
	CHECK(MT_SYS(SYS_DISPATCH_RETURN) == MT_EINVAL, "return to a kernel pc");
	frame.pc = keep.pc + 2;
	CHECK(MT_SYS(SYS_DISPATCH_RETURN) == MT_EINVAL, "return to a misaligned pc");
	frame.pc = keep.pc;
	frame.sp = 0x1000;
	CHECK(MT_SYS(SYS_DISPATCH_RETURN) == MT_EINVAL, "return to a bad sp");
	frame = keep;
	/* Still working. */
	CHECK(foreign_call(SYS_TIME, 1, 0, &t) == SYS_TIME + 1000 && t == 1,
	      "dispatch after the refused returns");
}

static volatile long thread_rc = 1;
static volatile unsigned long thread_time;
static volatile int thread_done;

static void other_thread(void *arg)
{
	(void)arg;
	unsigned long t = 0;
	thread_rc = foreign_call(SYS_TIME, 0, 0, &t);
	thread_time = t;
	__atomic_store_n(&thread_done, 1, __ATOMIC_RELEASE);
}

static void test_others(mt_handle_t echo)
{
	unsigned before = dispatched;
	mt_handle_t th;
	CHECK(mt_thread_create(other_thread, 0, 5, &th) == MT_OK, "thread");
	for (int i = 0; i < 1000 && !__atomic_load_n(&thread_done, __ATOMIC_ACQUIRE); i++)
		mt_sleep_ns(1000000);
	CHECK(thread_done && thread_rc == MT_OK && thread_time != 0 && dispatched == before,
	      "another thread's foreign svc is a MicroTEE call: %ld", thread_rc);
	/* Another process serves us while we are marked. */
	struct mt_msg m = {{ECHO_OP_PING, 42, 0, 0}, 0, 0};
	long rc = mt_call(echo, &m);
	CHECK(rc == MT_OK && dispatched == before, "echo while marked: %ld", rc);
}

static void test_off(void)
{
	CHECK(set(0, 0, 0, 0, 0) == MT_OK, "off");
	unsigned long t = 0;
	unsigned before = dispatched;
	CHECK(foreign_call(SYS_TIME, 0, 0, &t) == MT_OK && t != 0 && dispatched == before,
	      "foreign svc after off");
	CHECK(MT_SYS(SYS_DISPATCH_RETURN) == MT_ESTATE, "return after off");
}

static int frame_gone(void)
{
	CHECK(mt_mem_map(FRAME_PAGE, MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W) == MT_OK, "frame page");
	CHECK(set(lo(), hi(), (unsigned long)test_dispatch_entry, FRAME_PAGE,
	          (unsigned long)(handler_stack + sizeof(handler_stack))) == MT_OK,
	      "set on the page");
	CHECK(mt_mem_unmap(FRAME_PAGE, MT_PAGE_SIZE) == MT_OK, "unmap the frame");
	printf("test_dispatch: foreign svc with the frame unmapped\n");
	foreign_call(SYS_TIME, 0, 0, 0);
	printf("test_dispatch: FAIL still running after a dispatch with no frame\n");
	return 1;
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t echo = DEMO_ARG_ECHO(arg);
	printf("test_dispatch: allowed [%lx, %lx), foreign [%lx, %lx)\n", lo(), hi(),
	       (unsigned long)__start_mtforeign, (unsigned long)__stop_mtforeign);
	/* The layout the test relies on: mtforeign after every other text. */
	CHECK((uintptr_t)test_dispatch_entry < hi() && (uintptr_t)mt_main < hi() &&
	          (uintptr_t)printf < hi() && (uintptr_t)foreign_regs >= hi(),
	      "mtforeign is last");
	if (DEMO_ARG_TEST(arg) == 2)
		return frame_gone();
	test_bad_args();
	CHECK(set_ok() == MT_OK, "set");
	test_round_trip();
	test_numbers();
	test_bad_return();
	test_others(echo);
	test_off();
	printf("test_dispatch: %d passed, %d failed\n", passed, failed);
	if (failed) {
		printf("test_dispatch: FAIL %d checks failed\n", failed);
		return 1;
	}
	printf("test_dispatch: PASS\n");
	return 0;
}
