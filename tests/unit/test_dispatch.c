/* kernel/dispatch.c: system call user dispatch, over a stand-in for the
 * user-memory copies (a small "user memory" of pages, each writable or
 * not): what SYS_DISPATCH_SET accepts, which svc is dispatched, the frame
 * the handler gets, and what SYS_DISPATCH_RETURN takes back (and refuses:
 * the thread must stay in user space, at EL0). */
#include <string.h>

#include "harness.h"
#include "kernel/dispatch.h"

/* User memory: 4 pages from MEM_VA; page 2 read-only, page 3 unmapped. */
#define MEM_VA 0x60000000UL
static uint8_t mem[4 * PAGE_SIZE];
static const int writable[4] = {1, 1, 0, 0}, mapped[4] = {1, 1, 1, 0};

static int range(vaddr_t va, size_t len, int write)
{
	if (va < MEM_VA || va + len > MEM_VA + sizeof(mem) || va + len < va)
		return MT_EFAULT;
	for (vaddr_t p = va & PAGE_MASK; p < va + len; p += PAGE_SIZE) {
		unsigned i = (unsigned)((p - MEM_VA) / PAGE_SIZE);
		if (!mapped[i] || (write && !writable[i]))
			return MT_EFAULT;
	}
	return MT_OK;
}
int copy_from_user(struct process *p, void *dst, vaddr_t src, size_t len)
{
	(void)p;
	int rc = range(src, len, 0);
	if (rc == MT_OK)
		memcpy(dst, mem + (src - MEM_VA), len);
	return rc;
}
int copy_to_user(struct process *p, vaddr_t dst, const void *src, size_t len)
{
	(void)p;
	int rc = range(dst, len, 1);
	if (rc == MT_OK)
		memcpy(mem + (dst - MEM_VA), src, len);
	return rc;
}

/* The arch layer's TPIDR_EL0: a register for the thread "running" on
 * this CPU, the saved copy for any other. */
static const struct thread *running;
static uint64_t live_tpidr;
uint64_t arch_thread_tls(const struct thread *th)
{
	return th == running ? live_tpidr : th->regs.tpidr;
}
void arch_thread_set_tls(struct thread *th, uint64_t v)
{
	th->regs.tpidr = v;
	if (th == running)
		live_tpidr = v;
}

#define LO      0x40000000UL
#define HI      0x40010000UL
#define HANDLER 0x40000100UL
#define FRAME   MEM_VA
#define SP      (MEM_VA + 2 * PAGE_SIZE)

static struct process proc;
static struct thread t;

static void fresh(void)
{
	memset(&t, 0, sizeof(t));
	memset(mem, 0x5a, sizeof(mem));
	t.proc = &proc;
	for (unsigned i = 0; i < 31; i++)
		t.regs.x[i] = 0x1000 + i;
	t.regs.sp = 0x7fff0000;
	t.regs.elr = 0x48000104;  /* after an svc at 0x48000100: outside [LO, HI) */
	t.regs.spsr = 0x60000000; /* EL0t, Z and C */
	t.regs.tpidr = 0x1234;
	running = 0;
}

static void test_set(void)
{
	fresh();
	CHECK_EQ(dispatch_set(&t, HI, LO, HANDLER, FRAME, SP), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, LO, LO, HANDLER, FRAME, SP), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, 0x1000, HI, HANDLER, FRAME, SP), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, LO, MT_USER_TOP + 1, HANDLER, FRAME, SP), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, LO, HI, HI, FRAME, SP), MT_EINVAL); /* handler outside */
	CHECK_EQ(dispatch_set(&t, LO, HI, LO - 4, FRAME, SP), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER + 1, FRAME, SP), MT_EINVAL); /* misaligned */
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME + 4, SP), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, SP + 8), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, MT_USER_BASE), MT_EINVAL);
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, MT_USER_TOP + 16), MT_EINVAL);
	/* A frame on the read-only page, across into it, on the unmapped one. */
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, MEM_VA + 2 * PAGE_SIZE, SP), MT_EFAULT);
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, MEM_VA + 2 * PAGE_SIZE - 64, SP), MT_EFAULT);
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, MEM_VA + 3 * PAGE_SIZE, SP), MT_EFAULT);
	CHECK_EQ(t.disp.hi, 0);
	CHECK_EQ(dispatch_wanted(&t), 0); /* refused: not marked */
	CHECK_EQ(dispatch_return(&t), MT_ESTATE);

	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, SP), MT_OK);
	CHECK_EQ(mem[0], 0); /* the frame was zeroed */
	CHECK_EQ(dispatch_wanted(&t), 1);
	t.regs.elr = HANDLER + 8; /* an svc inside the range */
	CHECK_EQ(dispatch_wanted(&t), 0);
	t.regs.elr = LO + 4; /* at LO: inside */
	CHECK_EQ(dispatch_wanted(&t), 0);
	t.regs.elr = HI + 4; /* at HI: outside */
	CHECK_EQ(dispatch_wanted(&t), 1);
	t.regs.elr = HI; /* at HI - 4: inside */
	CHECK_EQ(dispatch_wanted(&t), 0);
	CHECK_EQ(dispatch_set(&t, 0, 0, 0, 0, 0), MT_OK);
	CHECK_EQ(t.disp.hi, 0);
	t.regs.elr = HI + 4;
	CHECK_EQ(dispatch_wanted(&t), 0);
}

static void test_round_trip(void)
{
	fresh();
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, SP), MT_OK);
	struct regs before = t.regs;
	CHECK_EQ(dispatch_enter(&t), MT_OK);
	struct mt_dispatch_frame f;
	memcpy(&f, mem, sizeof(f));
	for (unsigned i = 0; i < 31; i++)
		CHECK_EQ(f.x[i], before.x[i]);
	CHECK_EQ(f.sp, before.sp);
	CHECK_EQ(f.pc, before.elr);
	CHECK_EQ(f.pstate, 0x60000000);
	CHECK_EQ(f.tpidr, 0x1234);
	CHECK_EQ(t.regs.elr, HANDLER);
	CHECK_EQ(t.regs.sp, SP);
	CHECK_EQ(t.regs.x[0], FRAME);
	CHECK_EQ(t.regs.x[1], before.x[1]); /* the rest as it was */
	CHECK_EQ(t.regs.spsr, before.spsr);

	/* The handler's changes come back; of PSTATE only the flags. */
	f.x[0] = 77;
	f.x[30] = 0x40000abc;
	f.sp = 0x7ffe0000;
	f.pc = 0x48000200;
	f.pstate = 0xFFFFFFFFUL; /* every bit: only NZCV may be taken */
	f.tpidr = 0x5678;
	memcpy(mem, &f, sizeof(f));
	t.regs.spsr = 0x0;
	CHECK_EQ(dispatch_return(&t), MT_OK);
	CHECK_EQ(t.regs.x[0], 77);
	CHECK_EQ(t.regs.x[30], 0x40000abc);
	CHECK_EQ(t.regs.sp, 0x7ffe0000);
	CHECK_EQ(t.regs.elr, 0x48000200);
	CHECK_EQ(t.regs.spsr, 0xF0000000UL); /* EL0t, interrupts unmasked, flags set */
	CHECK_EQ(t.regs.tpidr, 0x5678);
}

/* The thread runs on this CPU: TPIDR_EL0 is the live register, which the
 * saved copy lags behind (it is saved only when the thread leaves the
 * CPU). The handler gets the live value, and its value goes live. (The
 * saved copy went to the handler once: the OP-TEE personality then gave
 * the TA a stale thread pointer back, and at -smp 2 its handle table broke.) */
static void test_live_tls(void)
{
	fresh();
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, SP), MT_OK);
	running = &t;
	live_tpidr = 0xabcd;
	CHECK_EQ(dispatch_enter(&t), MT_OK);
	struct mt_dispatch_frame f;
	memcpy(&f, mem, sizeof(f));
	CHECK_EQ(f.tpidr, 0xabcd);
	f.tpidr = 0x9999;
	memcpy(mem, &f, sizeof(f));
	CHECK_EQ(dispatch_return(&t), MT_OK);
	CHECK_EQ(live_tpidr, 0x9999);
	CHECK_EQ(t.regs.tpidr, 0x9999);
}

static void test_bad_return(void)
{
	static const uint64_t bad_pc[] = {0,           0xe080000,  LO - 4,
	                                  MT_USER_TOP, 0x48000202, 0xffff000000000000ULL};
	static const uint64_t bad_sp[] = {0, 0xe080000, MT_USER_TOP + 16, ~0ULL};
	for (unsigned i = 0;
	     i < sizeof(bad_pc) / sizeof(bad_pc[0]) + sizeof(bad_sp) / sizeof(bad_sp[0]); i++) {
		fresh();
		CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, SP), MT_OK);
		CHECK_EQ(dispatch_enter(&t), MT_OK);
		struct mt_dispatch_frame f;
		memcpy(&f, mem, sizeof(f));
		if (i < sizeof(bad_pc) / sizeof(bad_pc[0]))
			f.pc = bad_pc[i];
		else
			f.sp = bad_sp[i - sizeof(bad_pc) / sizeof(bad_pc[0])];
		memcpy(mem, &f, sizeof(f));
		struct regs keep = t.regs;
		CHECK_EQ(dispatch_return(&t), MT_EINVAL);
		CHECK(memcmp(&keep, &t.regs, sizeof(keep)) == 0);
	}
	/* A frame that became unreadable or unwritable. */
	fresh();
	CHECK_EQ(dispatch_set(&t, LO, HI, HANDLER, FRAME, SP), MT_OK);
	t.disp.frame = MEM_VA + 3 * PAGE_SIZE; /* as if unmapped since */
	struct regs keep = t.regs;
	CHECK_EQ(dispatch_enter(&t), MT_EFAULT);
	CHECK(memcmp(&keep, &t.regs, sizeof(keep)) == 0);
	CHECK_EQ(dispatch_return(&t), MT_EFAULT);
	t.disp.frame = MEM_VA + 2 * PAGE_SIZE; /* read-only now */
	CHECK_EQ(dispatch_enter(&t), MT_EFAULT);
	CHECK(memcmp(&keep, &t.regs, sizeof(keep)) == 0);
}

int main(void)
{
	test_set();
	test_round_trip();
	test_live_tls();
	test_bad_return();
	return harness_report("dispatch");
}
