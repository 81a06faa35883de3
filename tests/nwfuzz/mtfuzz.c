// SPDX-License-Identifier: GPL-2.0
/*
 * mtfuzz: a normal-world fuzzer for MicroTEE's OP-TEE interface, as a module
 * of Debian's own kernel. It speaks the SMC ABI itself (arm_smccc_smc), with
 * buffers of its own, so optee.ko must not be loaded in the same boot.
 *
 * One kthread per online CPU, bound to it, so that calls race: CPU 0's go
 * straight to the secure kernel, the others' are forwarded by the monitor.
 * Each thread sends `calls / threads` top-level calls:
 *   - OP-TEE messages (CALL_WITH_ARG) built from a small corpus of valid
 *     ones (open a session to the demo TA or to an unknown TA, invoke,
 *     close, register and unregister memory, cancel), then mutated:
 *     counts, attributes, offsets, sizes, cookies, sessions, the place of
 *     the message, and page lists with bad, looping, unaligned or
 *     out-of-RAM entries and next-page pointers;
 *   - fast calls (the OP-TEE ones, whose answers are known) and unknown
 *     function IDs in every owner range but PSCI's;
 *   - resumes (RETURN_FROM_RPC) of calls that do not exist.
 * RPC returns (ALLOC, FREE, FOREIGN_INTR, CMD) are answered, sometimes as a
 * driver would, sometimes with garbage. Every answer that can be predicted
 * is checked; in every message, the fields the secure world may not write
 * must come back unchanged. At the end the thread state is cleaned up and
 * a valid round trip (open, invoke ADD, registered memory, close) must work.
 *
 * Output: `ok - ...` / `not ok - ...` lines and `mtfuzz: ...` counts.
 * Parameters: seed (0: random, printed), calls (total), races (bit 0:
 * resume the other CPU's calls, bit 1: scribble on its pages), verbose.
 */
#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "microtee/optee_msg.h"
#include "microtee/smc.h"
#include "microtee/rpc_ipc.h"

static ulong seed;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "PRNG seed (0: pick one and print it)");
static ulong calls = 1000000;
module_param(calls, ulong, 0444);
MODULE_PARM_DESC(calls, "top-level calls in all, shared by the threads");
static int races = 3;
module_param(races, int, 0444);
MODULE_PARM_DESC(races, "bit 0: resume the other CPU's calls; bit 1: scribble on its pages (default 3)");
static int verbose;
module_param(verbose, int, 0444);
MODULE_PARM_DESC(verbose, "print every check that fails (default: the first 20)");

/* Values the secure world answers with (GlobalPlatform). */
#define TEE_SUCCESS 0x00000000U
#define TEE_ERROR_BAD_PARAMETERS 0xFFFF0006U
#define TEE_ERROR_ITEM_NOT_FOUND 0xFFFF0008U
#define TEE_ERROR_NOT_SUPPORTED 0xFFFF000AU
#define TEE_ERROR_OUT_OF_MEMORY 0xFFFF000CU
#define TEE_ERROR_BUSY 0xFFFF000DU
#define TEE_ERROR_COMMUNICATION 0xFFFF000EU
#define TEE_ERROR_TARGET_DEAD 0xFFFF3024U
#define TEE_ORIGIN_TEE 3

/* The demo TA (ta/demo/include/demo_ta.h) as the message carries it. */
#define DEMO_UUID_A 0xc148c372f8185843ULL
#define DEMO_UUID_B 0xb4cedbb39f1d0cb1ULL
#define DEMO_ADD 0
#define DEMO_INC_BUFFER 1
#define DEMO_REVERSE 2
#define DEMO_PANIC 3
#define DEMO_SPIN 4
#define DEMO_SESSIONS 5
#define DEMO_REE_TIME 7
#define DEMO_PLUGIN 8

#define SEC_RAM 0x0E000000ULL /* the secure world's RAM (secure-only) */

/* ---- each thread's memory: one block of FZ_PAGES pages ---- */
#define FZ_ORDER 4
#define FZ_PAGES (1 << FZ_ORDER)
#define PG_MSG 0       /* 2 pages: the message, wherever it is placed */
#define PG_LIST 2      /* 2 pages: REGISTER_SHM page lists */
#define PG_RPCLIST 4   /* the page list of SHM_ALLOC answers */
#define PG_DATA 5      /* 8 data pages for registrations */
#define N_DATA 8
#define PG_RPCDATA 13  /* the data page of SHM_ALLOC answers */
#define PG_RPC 14      /* 2 RPC_ALLOC buffers */
#define N_RPC 2
#define MSG_MAX (sizeof(struct optee_msg_arg) + 6 * sizeof(struct optee_msg_param))

#define MAX_SESS 48 /* the gateway has 32 */
#define KEEP_SESS 6
#define MAX_REGS 80 /* the gateway has 64 */
#define KEEP_REGS 6
#define COOKIE_RPC 0x5250430000000000ULL /* RPC_ALLOC cookies: | thread << 8 | buffer */

enum { X_OK, X_ETHREAD, X_EBUSY, X_ERESUME, X_EBADADDR, X_EBADCMD, X_ENOMEM, X_ENOTAVAIL,
       X_UNKNOWN, X_OTHER, X_N };
static const char *const x_names[X_N] = {"OK", "ETHREAD_LIMIT", "EBUSY", "ERESUME", "EBADADDR",
					 "EBADCMD", "ENOMEM", "ENOTAVAIL", "UNKNOWN_FUNCTION",
					 "other"};
enum { R_SUCCESS, R_BADPARAM, R_NOTSUP, R_NOTFOUND, R_OOM, R_BUSY, R_COMM, R_DEAD, R_OTHER, R_N };
static const char *const r_names[R_N] = {"SUCCESS", "BAD_PARAMETERS", "NOT_SUPPORTED",
					 "ITEM_NOT_FOUND", "OUT_OF_MEMORY", "BUSY",
					 "COMMUNICATION", "TARGET_DEAD", "other"};
enum { K_MSG, K_FAST, K_UNKNOWN_FID, K_BAD_RESUME, K_SCRIBBLE, K_N };
enum { P_ALLOC, P_FREE, P_FOREIGN, P_CMD, P_OTHER, P_GOOD, P_BAD, P_STEAL, P_STOLEN, P_N };
static const char *const p_names[P_N] = {"ALLOC", "FREE", "FOREIGN_INTR", "CMD", "other",
					 "answered well", "answered with garbage",
					 "resumed another CPU's call", "own call finished by another"};

struct fz_stats {
	u64 smcs;          /* every SMC issued */
	u64 kind[K_N];     /* top-level calls */
	u64 x0[X_N];       /* how CALL_WITH_ARG ended */
	u64 ret[R_N];      /* a message's ret, when x0 = OK */
	u64 rpc[P_N];
	u64 failures;      /* answers that break the ABI */
	u64 torn_rpcs;     /* RPC arguments read while a steal let the call go on */
	u64 opened, closed, registered, unregistered;
};

struct fz_thread {
	int idx, cpu;
	u64 rng;
	u64 todo;
	struct page *block;
	u8 *va;
	phys_addr_t pa;
	u32 sess[MAX_SESS];
	unsigned nsess;
	u64 regs[MAX_REGS];
	unsigned nregs;
	u64 next_cookie;
	int lost;        /* the last call was finished by another thread */
	unsigned rpc_off[N_RPC]; /* where in its page each RPC buffer was given */
	atomic_t scribbled;      /* odd while another thread may write our pages */
	u64 unsure[64];          /* cookies of registrations whose outcome we could not see */
	unsigned nunsure;
	int in_call;             /* our message is in the secure world */
	unsigned msg_off;        /* where in its pages (for the scribbler) */
	int steals_mark;         /* fz_steals_started when it began answering an RPC */
	struct fz_stats st;
	struct task_struct *task;
};

static struct fz_thread *fz_threads;
static int fz_nthreads;
static atomic_t fz_running;
static DECLARE_COMPLETION(fz_all_done);
static atomic_t fz_reported;
static u64 ram_start = 0x40000000ULL, ram_end = 0x80000000ULL;
/* The id (x3) of each thread's call while it is out in an RPC, or -1: what
 * another thread may resume instead of it, as a confused driver could. */
static long fz_out_id[NR_CPUS];
/* The largest session id the secure world handed out (the gateway counts
 * from 1), for the sweep at the end. */
static atomic_t fz_max_session;
/* Steals (resumes of another thread's call) begun and ended, by all. */
static atomic_t fz_steals_started, fz_steals_done;

#define fz_fail(t, fmt, ...)                                                              \
	do {                                                                              \
		(t)->st.failures++;                                                       \
		if (verbose || atomic_inc_return(&fz_reported) <= 20)                     \
			pr_info("mtfuzz: cpu%d: FAILED " fmt "\n", (t)->cpu, ##__VA_ARGS__); \
	} while (0)

/* ---- PRNG: xorshift64*, one stream per thread ---- */
static u64 rnd(struct fz_thread *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545F4914F6CDD1DULL;
}

static u32 below(struct fz_thread *t, u32 n)
{
	return (u32)(rnd(t) % n);
}

static int one_in(struct fz_thread *t, u32 n)
{
	return below(t, n) == 0;
}

static phys_addr_t page_pa(struct fz_thread *t, int pg)
{
	return t->pa + (phys_addr_t)pg * PAGE_SIZE;
}

static u8 *page_va(struct fz_thread *t, int pg)
{
	return t->va + (size_t)pg * PAGE_SIZE;
}

/* An address the secure world must never use as normal-world memory of
 * ours: secure RAM, flash, devices, past RAM's end, absurd, or unaligned
 * (never another part of Linux's own RAM: that would be written to). */
static u64 bad_addr(struct fz_thread *t)
{
	switch (below(t, 8)) {
	case 0:
		return SEC_RAM + (below(t, 4096) << 12);
	case 1:
		return below(t, 0x8000) << 12; /* flash */
	case 2:
		return 0x08000000ULL + (below(t, 0x1000) << 12); /* GIC, UARTs, ... */
	case 3:
		return ram_end + ((u64)below(t, 0x10000) << 12);
	case 4:
		return ram_end - PAGE_SIZE + PAGE_SIZE; /* exactly the end */
	case 5:
		return rnd(t) & ~0xfffULL;
	case 6:
		return page_pa(t, PG_DATA + below(t, N_DATA)) + 1 + below(t, 4095); /* unaligned */
	default:
		return 0;
	}
}

/* ---- SMCs ---- */
static void fz_smc(struct fz_thread *t, const u64 a[8], struct arm_smccc_res *r)
{
	t->st.smcs++;
	arm_smccc_smc(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], r);
}

static int is_rpc(u64 x0)
{
	return ((u32)x0 & 0xFFFF0000U) == 0xFFFF0000U && (u32)x0 != 0xFFFFFFFFU;
}

static int x0_index(u64 x0)
{
	u32 v = (u32)x0;
	if (v <= OPTEE_SMC_RETURN_ENOTAVAIL)
		return (int)v;
	return v == OPTEE_SMC_RETURN_UNKNOWN_FUNCTION ? X_UNKNOWN : X_OTHER;
}

static int ret_index(u32 ret)
{
	switch (ret) {
	case TEE_SUCCESS: return R_SUCCESS;
	case TEE_ERROR_BAD_PARAMETERS: return R_BADPARAM;
	case TEE_ERROR_NOT_SUPPORTED: return R_NOTSUP;
	case TEE_ERROR_ITEM_NOT_FOUND: return R_NOTFOUND;
	case TEE_ERROR_OUT_OF_MEMORY: return R_OOM;
	case TEE_ERROR_BUSY: return R_BUSY;
	case TEE_ERROR_COMMUNICATION: return R_COMM;
	case TEE_ERROR_TARGET_DEAD: return R_DEAD;
	default: return R_OTHER;
	}
}

/* ---- RPC answers ---- */

/* The RPC buffer a cookie of ours names, or NULL. */
static u8 *rpc_buf(struct fz_thread *t, u64 cookie)
{
	u64 k = cookie & 0xff;
	if ((cookie & ~0xffffULL) != COOKIE_RPC || ((cookie >> 8) & 0xff) != (u64)t->idx || k >= N_RPC)
		return NULL;
	return page_va(t, PG_RPC + (int)k) + t->rpc_off[k];
}

/* Fills SHM_ALLOC's answer: a page list of our own (the one data page,
 * repeated, the list looping onto itself when it is long). */
static void rpc_shm_alloc(struct fz_thread *t, struct optee_msg_param *p, int good)
{
	u64 *list = (u64 *)page_va(t, PG_RPCLIST);
	int i;
	for (i = 0; i < OPTEE_MSG_PAGELIST_ENTRIES; i++)
		list[i] = good || !one_in(t, 8) ? page_pa(t, PG_RPCDATA) : bad_addr(t);
	list[OPTEE_MSG_PAGELIST_ENTRIES] = good || !one_in(t, 4) ? page_pa(t, PG_RPCLIST) : bad_addr(t);
	p->attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	p->u.tmem.buf_ptr = page_pa(t, PG_RPCLIST) | (good ? 0 : below(t, 4096));
	p->u.tmem.shm_ref = 0x53484d0000000000ULL | below(t, 256);
	if (!good)
		p->u.tmem.size = one_in(t, 2) ? rnd(t) : p->u.value.b - 1;
	else
		p->u.tmem.size = p->u.value.b;
}

/* Answers an RPC_CMD in its buffer: as tee-supplicant and the driver
 * would (good), or with garbage in the header and the parameters. */
static void rpc_cmd(struct fz_thread *t, u8 *buf, int good)
{
	struct optee_msg_arg *a = (struct optee_msg_arg *)buf;
	struct optee_msg_param *p = a->params;
	u32 n = READ_ONCE(a->num_params);
	if (n > 6) {
		/* Another thread may have resumed this very call meanwhile
		 * (steal): the secure world then goes on and may write its next
		 * RPC into this buffer while we read it. That is our own
		 * confusion, not the secure world's. */
		if (atomic_read(&fz_steals_started) != t->steals_mark)
			t->st.torn_rpcs++;
		else
			fz_fail(t, "RPC_CMD with %u parameters", n);
		n = 6;
	}
	a->ret = TEE_SUCCESS;
	a->ret_origin = TEE_ORIGIN_TEE;
	switch (a->cmd) {
	case OPTEE_RPC_CMD_LOAD_TA:
		if (n < 2 || one_in(t, 2)) {
			a->ret = TEE_ERROR_ITEM_NOT_FOUND; /* no such TA file here */
		} else if ((p[1].attr & OPTEE_MSG_ATTR_TYPE_MASK) == OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT) {
			p[1].u.tmem.size = 256 + below(t, 16384); /* the size asked */
		} else {
			/* The image: random bytes, whatever size was asked. */
			u8 *d = page_va(t, PG_RPCDATA);
			int i;
			for (i = 0; i < PAGE_SIZE; i += 8)
				*(u64 *)(d + i) = rnd(t);
		}
		break;
	case OPTEE_RPC_CMD_GET_TIME:
		if (n >= 1) {
			p[0].u.value.a = 1700000000 + below(t, 1000);
			p[0].u.value.b = below(t, 1000000000);
		}
		break;
	case OPTEE_RPC_CMD_SHM_ALLOC:
		if (n >= 1 && p[0].u.value.b <= (u64)OPTEE_MSG_PAGELIST_ENTRIES * PAGE_SIZE)
			rpc_shm_alloc(t, &p[0], good);
		else
			a->ret = TEE_ERROR_OUT_OF_MEMORY;
		break;
	case OPTEE_RPC_CMD_SHM_FREE:
		break;
	case OPTEE_RPC_CMD_SUPP_PLUGIN:
		if (n >= 3)
			p[2].u.value.b = below(t, 64);
		break;
	default:
		a->ret = TEE_ERROR_NOT_SUPPORTED;
		break;
	}
	if (good)
		return;
	switch (below(t, 6)) {
	case 0:
		a->ret = (u32)rnd(t);
		break;
	case 1:
		a->num_params = below(t, 2) ? (u32)rnd(t) : below(t, 8);
		break;
	case 2:
		if (n)
			p[below(t, n)].attr = rnd(t) & 0x3ff;
		break;
	case 3:
		if (n) {
			u64 *w = (u64 *)&p[below(t, n)];
			w[1 + below(t, 3)] = one_in(t, 2) ? rnd(t) : bad_addr(t);
		}
		break;
	case 4:
		a->cmd = (u32)rnd(t);
		break;
	default:
		buf[below(t, MSG_MAX)] ^= (u8)(1 + below(t, 255));
		break;
	}
}

/* Fills the resume a[] for RPC return r; returns 0 if r is not an RPC. */
static void rpc_answer(struct fz_thread *t, const struct arm_smccc_res *r, u64 a[8])
{
	int good = !one_in(t, 6);
	u32 fn = (u32)r->a0;
	memset(a, 0, 8 * sizeof(u64));
	a[0] = OPTEE_SMC_CALL_RETURN_FROM_RPC;
	a[1] = r->a1;
	a[2] = r->a2;
	a[3] = r->a3;
	t->st.rpc[good ? P_GOOD : P_BAD]++;
	switch (fn) {
	case OPTEE_SMC_RETURN_RPC_ALLOC: {
		u64 pa, cookie;
		u32 k = below(t, N_RPC);
		t->st.rpc[P_ALLOC]++;
		if (r->a1 == 0 || r->a1 > PAGE_SIZE) {
			fz_fail(t, "RPC_ALLOC of %lu bytes", (unsigned long)r->a1);
			good = 0;
		}
		pa = page_pa(t, PG_RPC + (int)k);
		cookie = COOKIE_RPC | ((u64)t->idx << 8) | k;
		t->rpc_off[k] = 0;
		if (!good) {
			switch (below(t, 4)) {
			case 0:
				/* (It may be usable: a data page of ours. Then the
				 * message is there, not in buffer k: a cookie
				 * naming no buffer says so.) */
				pa = bad_addr(t);
				cookie |= 0xff;
				break;
			case 1: pa = 0; break;
			case 2: cookie = rnd(t); break;
			default:
				/* Inside the page, never past it: the next one
				 * may not be ours. 8-aligned ones are used. */
				t->rpc_off[k] = 1 + below(t, PAGE_SIZE - MSG_MAX - 1);
				pa |= t->rpc_off[k];
				break;
			}
		}
		a[1] = pa >> 32;
		a[2] = (u32)pa;
		a[4] = cookie >> 32;
		a[5] = (u32)cookie;
		break;
	}
	case OPTEE_SMC_RETURN_RPC_FREE:
		t->st.rpc[P_FREE]++;
		break;
	case OPTEE_SMC_RETURN_RPC_FOREIGN_INTR:
		t->st.rpc[P_FOREIGN]++;
		break;
	case OPTEE_SMC_RETURN_RPC_CMD: {
		u8 *buf = rpc_buf(t, (r->a1 << 32) | (u32)r->a2);
		t->st.rpc[P_CMD]++;
		if (buf)
			rpc_cmd(t, buf, good);
		break;
	}
	default:
		t->st.rpc[P_OTHER]++;
		fz_fail(t, "unknown RPC return 0x%lx", (unsigned long)r->a0);
		break;
	}
	if (!good && one_in(t, 4)) {
		/* Registers the ABI does not read for this RPC. (Never an
		 * ALLOC's address: a random one could be Linux's memory.) */
		static const int unread_alloc[] = {6, 7}, unread[] = {1, 2, 4, 5, 6, 7};
		if (fn == OPTEE_SMC_RETURN_RPC_ALLOC)
			a[unread_alloc[below(t, 2)]] = rnd(t);
		else
			a[unread[below(t, 6)]] = rnd(t);
	}
}

/* Resumes the call another thread has out (a race: that thread may be
 * resuming it at the same moment) and drives it to its end. */
static void steal(struct fz_thread *t)
{
	int other = below(t, fz_nthreads);
	long id = READ_ONCE(fz_out_id[other]);
	u64 a[8] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, 0, 0, 0, 0, 0, 0, 0};
	struct arm_smccc_res r;
	unsigned long rounds = 0;
	if (other == t->idx || id < 0)
		return;
	a[3] = (u64)id;
	t->st.rpc[P_STEAL]++;
	/* By the time the SMC lands, that id may name a later call of its
	 * owner's, or of anyone's: every call in flight meanwhile is
	 * uncertain (fz_yield). */
	atomic_inc(&fz_steals_started);
	smp_mb__after_atomic();
	fz_smc(t, a, &r);
	while (is_rpc(r.a0) && ++rounds < 100000) {
		rpc_answer(t, &r, a);
		fz_smc(t, a, &r);
	}
	if (rounds == 100000)
		fz_fail(t, "a stolen call still answers RPCs after %lu rounds", rounds);
	smp_mb__before_atomic();
	atomic_inc(&fz_steals_done);
}

/* A yielding call to its end, through every RPC; returns x0 of the end. A
 * stray resume (a call id that names nothing) now and then must get
 * ERESUME and change nothing; and now and then this thread resumes
 * another's call first. If another thread finishes ours, the resume gets
 * ERESUME and t->lost is set. */
static u64 fz_yield(struct fz_thread *t, u64 fid, u64 pa)
{
	u64 a[8] = {fid, pa >> 32, (u32)pa, 0, 0, 0, 0, 0};
	struct arm_smccc_res r;
	unsigned long rounds = 0;
	int steals_done = atomic_read(&fz_steals_done);
	smp_mb();
	t->lost = 0;
	/* An SMC32 call's arguments are the low halves: garbage above them
	 * must change nothing. */
	if (one_in(t, 8)) {
		a[1] |= rnd(t) << 32;
		a[2] |= rnd(t) << 32;
	}
	fz_smc(t, a, &r);
	while (is_rpc(r.a0)) {
		if (++rounds == 100000) {
			fz_fail(t, "a call still answers RPCs after %lu rounds", rounds);
			break;
		}
		WRITE_ONCE(fz_out_id[t->idx], (long)(u32)r.a3);
		if (fz_nthreads > 1 && (races & 1) && one_in(t, 48))
			steal(t);
		if (one_in(t, 32)) {
			u64 s[8] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, rnd(t), rnd(t),
				    one_in(t, 2) ? 8 + below(t, 1000) : ~0ULL - below(t, 4)};
			struct arm_smccc_res e;
			t->st.kind[K_BAD_RESUME]++;
			fz_smc(t, s, &e);
			if ((u32)e.a0 != OPTEE_SMC_RETURN_ERESUME)
				fz_fail(t, "resume of call 0x%lx: 0x%lx, not ERESUME", (unsigned long)s[3],
					(unsigned long)e.a0);
		}
		t->steals_mark = atomic_read(&fz_steals_started);
		rpc_answer(t, &r, a);
		if (one_in(t, 8))
			a[3] |= rnd(t) << 32;
		if ((u32)r.a0 == OPTEE_SMC_RETURN_RPC_FOREIGN_INTR)
			cond_resched();
		WRITE_ONCE(fz_out_id[t->idx], -1);
		fz_smc(t, a, &r);
		if ((u32)r.a0 == OPTEE_SMC_RETURN_ERESUME) {
			/* Another thread took it to its end (or is taking it). */
			t->lost = 1;
			t->st.rpc[P_STOLEN]++;
			break;
		}
	}
	WRITE_ONCE(fz_out_id[t->idx], -1);
	smp_mb();
	/* A steal that overlapped this call may have taken it, or have
	 * given us another call's end. */
	if (atomic_read(&fz_steals_started) != steals_done)
		t->lost = 1;
	return r.a0;
}

/* ---- messages ---- */

struct fz_msg {
	u8 bytes[2 * PAGE_SIZE]; /* what we wrote: the message and around it */
	unsigned off;            /* where the message starts in the two pages */
	int placed_bad;          /* the address given is not the message's */
	u64 pa;
};

static struct optee_msg_arg *msg_hdr(struct fz_msg *m)
{
	return (struct optee_msg_arg *)(m->bytes + m->off);
}

static void msg_start(struct fz_thread *t, struct fz_msg *m, u32 cmd, u32 n)
{
	struct optee_msg_arg *a;
	memset(m->bytes, 0xa5, sizeof(m->bytes));
	/* Mostly at the start of the page; sometimes across the boundary or
	 * at the end of the second page. */
	switch (below(t, 8)) {
	case 0: m->off = PAGE_SIZE - 8 * (1 + below(t, 28)); break;
	case 1: m->off = 2 * PAGE_SIZE - MSG_MAX; break;
	default: m->off = 8 * below(t, 64); break;
	}
	a = msg_hdr(m);
	memset(a, 0, MSG_MAX);
	a->cmd = cmd;
	a->num_params = n;
	a->ret = 0x12345678;
	a->ret_origin = 0x9abc;
	m->placed_bad = 0;
}

static u32 pick_session(struct fz_thread *t)
{
	if (t->nsess && !one_in(t, 8))
		return t->sess[below(t, t->nsess)];
	return one_in(t, 2) ? below(t, 64) : (u32)rnd(t);
}

static u64 pick_cookie(struct fz_thread *t)
{
	if (t->nregs && !one_in(t, 8))
		return t->regs[below(t, t->nregs)];
	return one_in(t, 2) ? t->next_cookie + below(t, 4) : rnd(t);
}

/* A page list in PG_LIST for `npages` data pages of ours, usually good. */
static u64 build_list(struct fz_thread *t, unsigned npages, int mutate)
{
	u64 *l0 = (u64 *)page_va(t, PG_LIST), *l1 = (u64 *)page_va(t, PG_LIST + 1);
	unsigned i;
	for (i = 0; i < 2 * (OPTEE_MSG_PAGELIST_ENTRIES + 1); i++) {
		u64 *e = i <= OPTEE_MSG_PAGELIST_ENTRIES ? &l0[i] : &l1[i - OPTEE_MSG_PAGELIST_ENTRIES - 1];
		*e = page_pa(t, PG_DATA + (int)((i + below(t, 2)) % N_DATA));
	}
	l0[OPTEE_MSG_PAGELIST_ENTRIES] = page_pa(t, PG_LIST + 1);
	l1[OPTEE_MSG_PAGELIST_ENTRIES] = page_pa(t, PG_LIST); /* loops back: fine if never followed */
	if (mutate) {
		unsigned k = 1 + below(t, 3);
		while (k--) {
			switch (below(t, 5)) {
			case 0:
				l0[below(t, npages < 511 ? npages : 511)] = bad_addr(t);
				break;
			case 1:
				l0[OPTEE_MSG_PAGELIST_ENTRIES] = one_in(t, 2) ? page_pa(t, PG_LIST) : bad_addr(t);
				break;
			case 2:
				l1[OPTEE_MSG_PAGELIST_ENTRIES] = one_in(t, 2) ? page_pa(t, PG_LIST + 1) : bad_addr(t);
				break;
			case 3:
				l1[below(t, 511)] = bad_addr(t);
				break;
			default:
				l0[below(t, 512)] |= 1 + below(t, 4095);
				break;
			}
		}
	}
	return page_pa(t, PG_LIST);
}

static void meta_uuid(struct optee_msg_param *p, u64 a, u64 b)
{
	p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	p[0].u.value.a = a;
	p[0].u.value.b = b;
	p[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	p[1].u.value.c = 0; /* login: public */
}

/* One valid message from the corpus. */
static void msg_corpus(struct fz_thread *t, struct fz_msg *m)
{
	struct optee_msg_arg *a;
	struct optee_msg_param *p;
	u32 which = below(t, 100);
	if (which < 12 || (!t->nsess && which < 40)) { /* open the demo TA */
		msg_start(t, m, OPTEE_MSG_CMD_OPEN_SESSION, 2 + below(t, 2));
		p = msg_hdr(m)->params;
		meta_uuid(p, DEMO_UUID_A, DEMO_UUID_B);
		if (msg_hdr(m)->num_params == 3) {
			p[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
			p[2].u.value.a = rnd(t);
		}
		return;
	}
	if (which < 16) { /* an unknown TA: the secure world asks for it (LOAD_TA) */
		msg_start(t, m, OPTEE_MSG_CMD_OPEN_SESSION, 2);
		meta_uuid(msg_hdr(m)->params, rnd(t), rnd(t));
		return;
	}
	if (which < 24) { /* register up to 8 pages, or more with a looping list */
		unsigned npages = one_in(t, 8) ? 1 + below(t, 256) : 1 + below(t, N_DATA);
		unsigned off = one_in(t, 2) ? 0 : below(t, 4096);
		msg_start(t, m, OPTEE_MSG_CMD_REGISTER_SHM, 1);
		p = msg_hdr(m)->params;
		p->attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
		p->u.tmem.buf_ptr = build_list(t, npages, one_in(t, 3)) | off;
		p->u.tmem.size = (u64)npages * PAGE_SIZE - off - below(t, 64);
		p->u.tmem.shm_ref = t->next_cookie++;
		return;
	}
	if (which < 30) {
		msg_start(t, m, OPTEE_MSG_CMD_UNREGISTER_SHM, 1);
		p = msg_hdr(m)->params;
		p->attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
		p->u.rmem.shm_ref = pick_cookie(t);
		return;
	}
	if (which < 36) {
		msg_start(t, m, OPTEE_MSG_CMD_CLOSE_SESSION, 0);
		msg_hdr(m)->session = pick_session(t);
		return;
	}
	if (which < 38) {
		msg_start(t, m, OPTEE_MSG_CMD_CANCEL, 0);
		msg_hdr(m)->session = pick_session(t);
		msg_hdr(m)->cancel_id = (u32)rnd(t);
		return;
	}
	/* invoke */
	msg_start(t, m, OPTEE_MSG_CMD_INVOKE_COMMAND, 0);
	a = msg_hdr(m);
	p = a->params;
	a->session = pick_session(t);
	switch (below(t, 10)) {
	case 0:
	case 1:
	case 2:
		a->func = DEMO_ADD;
		a->num_params = 2;
		p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
		p[0].u.value.a = below(t, 1000);
		p[0].u.value.b = below(t, 1000);
		p[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
		break;
	case 3:
	case 4:
		a->func = DEMO_INC_BUFFER;
		a->num_params = 1;
		p[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INOUT;
		p[0].u.rmem.shm_ref = pick_cookie(t);
		p[0].u.rmem.offs = below(t, 4096);
		p[0].u.rmem.size = 1 + below(t, 4096);
		break;
	case 5:
		a->func = DEMO_REVERSE;
		a->num_params = 2;
		p[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
		p[0].u.rmem.shm_ref = pick_cookie(t);
		p[0].u.rmem.size = 1 + below(t, 256);
		p[1].attr = OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT;
		p[1].u.rmem.shm_ref = pick_cookie(t);
		p[1].u.rmem.offs = below(t, 512);
		p[1].u.rmem.size = below(t, 300);
		break;
	case 6:
		a->func = DEMO_REE_TIME; /* GET_TIME RPC */
		a->num_params = 1;
		p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
		break;
	case 7:
		a->func = DEMO_PLUGIN; /* SHM_ALLOC, SUPP_PLUGIN, SHM_FREE RPCs */
		a->num_params = 3;
		p[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INOUT;
		p[0].u.rmem.shm_ref = pick_cookie(t);
		p[0].u.rmem.size = 1 + below(t, 64);
		p[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
		p[1].u.value.a = below(t, 3);
		p[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
		break;
	case 8:
		a->func = one_in(t, 16) ? DEMO_PANIC : DEMO_SESSIONS;
		a->num_params = 1;
		p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
		break;
	default:
		a->func = DEMO_SPIN;
		a->num_params = 2;
		p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
		p[0].u.value.a = below(t, 2);
		p[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
		break;
	}
}

static const u64 interesting[] = {0, 1, 7, 8, 0xfff, 0x1000, 0x1001, 0x100000, 0x100001,
				  0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
				  0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 0xfff};

static u64 interesting_value(struct fz_thread *t)
{
	return interesting[below(t, ARRAY_SIZE(interesting))];
}

/* 1 to 4 mutations of the message. */
static void msg_mutate(struct fz_thread *t, struct fz_msg *m)
{
	struct optee_msg_arg *a = msg_hdr(m);
	unsigned k = 1 + below(t, 4);
	while (k--) {
		u32 n = a->num_params < 6 ? a->num_params : 6;
		struct optee_msg_param *p = &a->params[n ? below(t, n) : 0];
		u64 *w = (u64 *)p;
		switch (below(t, 12)) {
		case 0:
			a->num_params = one_in(t, 4) ? (u32)rnd(t) : below(t, 8);
			break;
		case 1:
			p->attr = one_in(t, 2) ? (rnd(t) & 0x3ff) : (below(t, 12) | (u64)below(t, 4) << 8);
			break;
		case 2:
			w[1 + below(t, 3)] = interesting_value(t) + (u64)(s64)((int)below(t, 3) - 1);
			break;
		case 3:
			w[1 + below(t, 3)] = rnd(t);
			break;
		case 4:
			p->u.rmem.shm_ref = pick_cookie(t);
			break;
		case 5:
			a->session = one_in(t, 2) ? pick_session(t) : (u32)interesting_value(t);
			break;
		case 6:
			a->cmd = one_in(t, 2) ? below(t, 8) : (u32)rnd(t);
			break;
		case 7:
			a->func = below(t, 12);
			break;
		case 8:
			/* Another message's parameters: meta UUIDs in an invoke, a
			 * page list in an open, ... */
			p->attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
			p->u.tmem.buf_ptr = one_in(t, 2) ? build_list(t, 8, 1) : bad_addr(t);
			p->u.tmem.size = interesting_value(t);
			break;
		case 9:
			m->bytes[m->off + below(t, MSG_MAX)] ^= (u8)(1 + below(t, 255));
			break;
		case 10:
			if (one_in(t, 2))
				meta_uuid(a->params, DEMO_UUID_A, DEMO_UUID_B);
			else
				p->attr |= OPTEE_MSG_ATTR_META;
			break;
		default:
			m->placed_bad = 1;
			break;
		}
	}
	/* The demo TA computes for value a milliseconds: keep that short. */
	if (a->func == DEMO_SPIN)
		a->params[0].u.value.a &= 3;
}

/* The fields the secure world may not write are as we wrote them, and
 * nothing around the message changed. */
static void msg_check(struct fz_thread *t, const struct fz_msg *m, const u8 *ns)
{
	const struct optee_msg_arg *s = (const struct optee_msg_arg *)(m->bytes + m->off);
	const struct optee_msg_arg *g = (const struct optee_msg_arg *)(ns + m->off);
	size_t len = sizeof(*s) + (size_t)s->num_params * sizeof(s->params[0]);
	u32 i;
	if (s->num_params > 6)
		return; /* answered OK: already reported as a wrong x0 */
	if (s->cmd != g->cmd || s->func != g->func || s->cancel_id != g->cancel_id ||
	    s->pad != g->pad || s->num_params != g->num_params)
		fz_fail(t, "cmd %u: a read-only header field was written", s->cmd);
	if (g->ret_origin < 1 || g->ret_origin > 4)
		fz_fail(t, "cmd %u: ret_origin %u", s->cmd, g->ret_origin);
	if (s->cmd != OPTEE_MSG_CMD_OPEN_SESSION && s->session != g->session)
		fz_fail(t, "cmd %u: session changed from %u to %u", s->cmd, s->session, g->session);
	for (i = 0; i < s->num_params; i++) {
		const struct optee_msg_param *ps = &s->params[i], *pg = &g->params[i];
		u32 type = (u32)(ps->attr & OPTEE_MSG_ATTR_TYPE_MASK);
		if (ps->attr != pg->attr)
			fz_fail(t, "cmd %u: attr of parameter %u written", s->cmd, i);
		else if (type >= OPTEE_MSG_ATTR_TYPE_RMEM_INPUT && type <= OPTEE_MSG_ATTR_TYPE_TMEM_INOUT &&
			 (ps->u.tmem.buf_ptr != pg->u.tmem.buf_ptr || ps->u.tmem.shm_ref != pg->u.tmem.shm_ref))
			fz_fail(t, "cmd %u: buf_ptr/offs or shm_ref of parameter %u written", s->cmd, i);
		else if ((type == OPTEE_MSG_ATTR_TYPE_NONE || type > OPTEE_MSG_ATTR_TYPE_TMEM_INOUT ||
			  type == 4 || type == 8) && memcmp(ps, pg, sizeof(*ps)))
			fz_fail(t, "cmd %u: parameter %u of type %u written", s->cmd, i, type);
		else if (type == OPTEE_MSG_ATTR_TYPE_VALUE_INPUT && memcmp(ps, pg, sizeof(*ps)))
			fz_fail(t, "cmd %u: input value %u written", s->cmd, i);
		else if ((type == OPTEE_MSG_ATTR_TYPE_RMEM_INPUT || type == OPTEE_MSG_ATTR_TYPE_TMEM_INPUT) &&
			 ps->u.tmem.size != pg->u.tmem.size)
			fz_fail(t, "cmd %u: size of input memory reference %u written", s->cmd, i);
	}
	if (memcmp(m->bytes, ns, m->off) ||
	    memcmp(m->bytes + m->off + len, ns + m->off + len, sizeof(m->bytes) - m->off - len))
		fz_fail(t, "cmd %u: bytes around the message written", s->cmd);
}

/* A session id the secure world handed out in a reply that nobody else
 * wrote to: the sweep at the end closes every id up to the largest. */
static void saw_session(u32 id)
{
	for (;;) {
		int cur = atomic_read(&fz_max_session);
		if (id > 0x7fffffff || (int)id <= cur || atomic_cmpxchg(&fz_max_session, cur, (int)id) == cur)
			return;
	}
}

static void track(struct fz_thread *t, const struct fz_msg *m, const struct optee_msg_arg *g)
{
	const struct optee_msg_arg *s = (const struct optee_msg_arg *)(m->bytes + m->off);
	unsigned i;
	if (g->ret != TEE_SUCCESS)
		return;
	switch (s->cmd) {
	case OPTEE_MSG_CMD_OPEN_SESSION:
		t->st.opened++;
		if (t->nsess < MAX_SESS)
			t->sess[t->nsess++] = g->session;
		else
			fz_fail(t, "more sessions than tracked"); /* cannot happen: we close first */
		break;
	case OPTEE_MSG_CMD_CLOSE_SESSION:
		t->st.closed++;
		for (i = 0; i < t->nsess; i++)
			if (t->sess[i] == s->session)
				t->sess[i--] = t->sess[--t->nsess];
		break;
	case OPTEE_MSG_CMD_REGISTER_SHM:
		t->st.registered++;
		if (t->nregs < MAX_REGS)
			t->regs[t->nregs++] = s->params[0].u.tmem.shm_ref;
		else
			fz_fail(t, "more registrations than tracked");
		break;
	case OPTEE_MSG_CMD_UNREGISTER_SHM:
		t->st.unregistered++;
		for (i = 0; i < t->nregs; i++)
			if (t->regs[i] == s->params[0].u.rmem.shm_ref)
				t->regs[i--] = t->regs[--t->nregs];
		break;
	}
}

static void unregister(struct fz_thread *t, u64 cookie);

/* Sends message m from the thread's pages; returns x0, and the secure
 * world's view of the message in the pages. */
static u64 msg_send(struct fz_thread *t, struct fz_msg *m)
{
	u8 *ns = page_va(t, PG_MSG);
	u64 pa = page_pa(t, PG_MSG) + m->off, x0;
	const struct optee_msg_arg *s = (const struct optee_msg_arg *)(m->bytes + m->off);
	int expect = -1; /* an x0 we know in advance */
	memcpy(ns, m->bytes, sizeof(m->bytes));
	if (m->placed_bad) {
		switch (below(t, 3)) {
		case 0: pa = bad_addr(t); break;
		case 1: pa |= 1 + below(t, 7); break;
		default: pa = ram_end - 8 * below(t, 4); break; /* a header across RAM's end */
		}
		if (pa & 7)
			expect = OPTEE_SMC_RETURN_EBADADDR;
		else if (pa < ram_start || pa + 32 > ram_end)
			expect = OPTEE_SMC_RETURN_EBADADDR;
	} else if (s->num_params > 6) {
		expect = OPTEE_SMC_RETURN_EBADCMD;
	}
	int sc;
	WRITE_ONCE(t->msg_off, m->off);
	WRITE_ONCE(t->in_call, 1);
	smp_mb();
	sc = atomic_read(&t->scribbled);
	t->st.kind[K_MSG]++;
	x0 = fz_yield(t, OPTEE_SMC_CALL_WITH_ARG, pa);
	WRITE_ONCE(t->in_call, 0);
	smp_mb();
	while (atomic_read(&t->scribbled) & 1)
		cpu_relax();
	if (atomic_read(&t->scribbled) != sc) {
		/* Another CPU wrote the message while it was in the secure
		 * world: nothing is known of its answer but that it came.
		 * Whatever it opened or registered is read from the page. */
		const struct optee_msg_arg *g = (const struct optee_msg_arg *)(ns + m->off);
		t->st.x0[x0_index(x0)]++;
		u64 cookie = s->params[0].u.tmem.shm_ref; /* never scribbled */
		if ((u32)x0 == OPTEE_SMC_RETURN_OK && !m->placed_bad && g->num_params <= 6) {
			struct fz_msg *seen = kmalloc(sizeof(*seen), GFP_KERNEL);
			if (seen) {
				memcpy(seen, m, sizeof(*m));
				memcpy(seen->bytes, ns, sizeof(seen->bytes));
				track(t, seen, g);
				kfree(seen);
			}
		}
		/* It may have become a registration, whatever the page says
		 * now: undo it (if it was one of ours, it is gone). */
		unregister(t, cookie);
		return x0;
	}
	t->st.x0[x0_index(x0)]++;
	if (expect >= 0 && (u32)x0 != (u32)expect && !t->lost)
		fz_fail(t, "message at 0x%llx (%u parameters): x0 0x%lx, expected 0x%x",
			(unsigned long long)pa, s->num_params, (unsigned long)x0, expect);
	if ((u32)x0 == OPTEE_SMC_RETURN_ETHREAD_LIMIT)
		fz_fail(t, "ETHREAD_LIMIT with at most %d calls of ours in flight", fz_nthreads);
	if (m->placed_bad)
		return x0;
	if (t->lost) {
		/* Another thread ended it: the result is in the page, if it
		 * has been written yet. Track what it opened or registered. */
		const struct optee_msg_arg *g = (const struct optee_msg_arg *)(ns + m->off);
		int tries = 0;
		if (s->cmd == OPTEE_MSG_CMD_REGISTER_SHM && s->num_params >= 1)
			t->unsure[t->nunsure++ % ARRAY_SIZE(t->unsure)] = s->params[0].u.tmem.shm_ref;
		if (s->cmd == OPTEE_MSG_CMD_OPEN_SESSION || s->cmd == OPTEE_MSG_CMD_REGISTER_SHM)
			while (READ_ONCE(g->ret) == 0x12345678 && tries++ < 200)
				msleep(1);
		if (READ_ONCE(g->ret) != 0x12345678) {
			track(t, m, g);
			if (s->cmd == OPTEE_MSG_CMD_OPEN_SESSION && g->ret == TEE_SUCCESS)
				saw_session(g->session);
		}
		return x0;
	}
	if ((u32)x0 == OPTEE_SMC_RETURN_OK) {
		const struct optee_msg_arg *g = (const struct optee_msg_arg *)(ns + m->off);
		t->st.ret[ret_index(g->ret)]++;
		msg_check(t, m, ns);
		track(t, m, g);
		if (s->cmd == OPTEE_MSG_CMD_OPEN_SESSION && g->ret == TEE_SUCCESS)
			saw_session(g->session);
	} else if (memcmp(ns, m->bytes, sizeof(m->bytes))) {
		fz_fail(t, "cmd %u: refused with 0x%lx, yet the message was written", s->cmd,
			(unsigned long)x0);
	}
	return x0;
}

/* Valid messages that keep the thread's tables small. */
static void close_session(struct fz_thread *t, u32 id)
{
	struct fz_msg *m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return;
	msg_start(t, m, OPTEE_MSG_CMD_CLOSE_SESSION, 0);
	m->off = 0;
	memset(m->bytes, 0, MSG_MAX);
	msg_hdr(m)->cmd = OPTEE_MSG_CMD_CLOSE_SESSION;
	msg_hdr(m)->session = id;
	msg_send(t, m);
	/* Gone either way (another thread may have closed it). */
	if (t->nsess && t->sess[0] == id)
		t->sess[0] = t->sess[--t->nsess];
	kfree(m);
}

static void unregister(struct fz_thread *t, u64 cookie)
{
	struct fz_msg *m = kmalloc(sizeof(*m), GFP_KERNEL);
	unsigned i;
	if (!m)
		return;
	msg_start(t, m, OPTEE_MSG_CMD_UNREGISTER_SHM, 1);
	m->off = 0;
	memset(m->bytes, 0, MSG_MAX);
	msg_hdr(m)->cmd = OPTEE_MSG_CMD_UNREGISTER_SHM;
	msg_hdr(m)->num_params = 1;
	msg_hdr(m)->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
	msg_hdr(m)->params[0].u.rmem.shm_ref = cookie;
	msg_send(t, m);
	for (i = 0; i < t->nregs; i++) /* gone either way */
		if (t->regs[i] == cookie)
			t->regs[i--] = t->regs[--t->nregs];
	kfree(m);
}

static void tidy(struct fz_thread *t, unsigned keep)
{
	while (t->nsess > keep)
		close_session(t, t->sess[0]);
	while (t->nregs > keep)
		unregister(t, t->regs[0]);
}

/* ---- fast calls and unknown IDs ---- */

static void fast_call(struct fz_thread *t)
{
	static const u32 known[] = {OPTEE_SMC_CALLS_UID, OPTEE_SMC_CALLS_REVISION,
				    OPTEE_SMC_GET_OS_REVISION, OPTEE_SMC_EXCHANGE_CAPABILITIES,
				    OPTEE_SMC_DISABLE_SHM_CACHE, OPTEE_SMC_ENABLE_SHM_CACHE};
	u64 a[8];
	struct arm_smccc_res r;
	int i;
	for (i = 1; i < 8; i++)
		a[i] = rnd(t);
	if (one_in(t, 3)) {
		u32 fid = known[below(t, ARRAY_SIZE(known))];
		a[0] = fid;
		t->st.kind[K_FAST]++;
		fz_smc(t, a, &r);
		switch (fid) {
		case OPTEE_SMC_CALLS_UID:
			if (r.a0 != 0x384fb3e0 || r.a1 != 0xe7f811e3 || r.a2 != 0xaf630002 || r.a3 != 0xa5d5c51b)
				fz_fail(t, "CALLS_UID: 0x%lx 0x%lx 0x%lx 0x%lx", r.a0, r.a1, r.a2, r.a3);
			break;
		case OPTEE_SMC_CALLS_REVISION:
			if (r.a0 != 2 || r.a1 != 0)
				fz_fail(t, "CALLS_REVISION: %lu.%lu", r.a0, r.a1);
			break;
		case OPTEE_SMC_GET_OS_REVISION:
			if (r.a0 != 0 || r.a1 != 1 || r.a2 != 0)
				fz_fail(t, "GET_OS_REVISION: %lu.%lu %lu", r.a0, r.a1, r.a2);
			break;
		case OPTEE_SMC_EXCHANGE_CAPABILITIES:
			if (r.a0 != 0 || r.a1 != OPTEE_SMC_SEC_CAP_DYNAMIC_SHM)
				fz_fail(t, "EXCHANGE_CAPABILITIES: 0x%lx 0x%lx", r.a0, r.a1);
			break;
		case OPTEE_SMC_DISABLE_SHM_CACHE:
			if (r.a0 != OPTEE_SMC_RETURN_ENOTAVAIL)
				fz_fail(t, "DISABLE_SHM_CACHE: 0x%lx", r.a0);
			break;
		default:
			if (r.a0 != 0)
				fz_fail(t, "ENABLE_SHM_CACHE: 0x%lx", r.a0);
			break;
		}
		return;
	}
	/* Unknown: every owner but PSCI's (4), fast or yielding, 32 or 64-bit,
	 * and the secure world's own return IDs, which the normal world may
	 * not use. */
	for (;;) {
		u32 owner = below(t, 64), fn = one_in(t, 2) ? below(t, 16) : (u32)rnd(t) & 0xffff;
		u32 fid = (one_in(t, 4) ? 0 : SMCCC_FAST) | (one_in(t, 2) ? SMCCC_SMC64 : 0) |
			  owner << SMCCC_OWNER_SHIFT | fn;
		if (one_in(t, 8))
			fid = MT_SMC_RETURN_ENTRY_DONE + below(t, 3);
		if (one_in(t, 16))
			fid = MT_SMC_SELFTEST_ECHO;
		if (owner == SMCCC_OWNER_STD || fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES ||
		    fid == MT_SMC_GET_STATS || (fid & 0xBFFFFFFFU) == OPTEE_SMC_CALL_WITH_ARG ||
		    (fid & 0xBFFFFFFFU) == OPTEE_SMC_CALL_RETURN_FROM_RPC)
			continue;
		for (i = 0; i < (int)ARRAY_SIZE(known); i++)
			if (fid == known[i])
				break;
		if (i < (int)ARRAY_SIZE(known) || (owner == 0 && (fn & 0xff00) == 0x8000))
			continue; /* known, or an SMCCC workaround call */
		a[0] = fid;
		break;
	}
	t->st.kind[K_UNKNOWN_FID]++;
	fz_smc(t, a, &r);
	if ((u32)r.a0 != 0xFFFFFFFFU)
		fz_fail(t, "unknown function 0x%08lx answered 0x%lx", (unsigned long)a[0], r.a0);
}

static void stray_resume(struct fz_thread *t)
{
	u64 a[8] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, rnd(t), rnd(t), 8 + below(t, 0x10000),
		    rnd(t), rnd(t), 0, 0};
	struct arm_smccc_res r;
	if (one_in(t, 2))
		a[3] = rnd(t) | 0x100;
	t->st.kind[K_BAD_RESUME]++;
	fz_smc(t, a, &r);
	if ((u32)r.a0 != OPTEE_SMC_RETURN_ERESUME)
		fz_fail(t, "resume of call 0x%lx: 0x%lx, not ERESUME", (unsigned long)a[3], r.a0);
}

/* Writes random bytes into another thread's message and page-list pages,
 * while its call may be in the secure world (which must have copied what
 * it reads, once). */
static void scribble(struct fz_thread *t)
{
	struct fz_thread *v = &fz_threads[below(t, fz_nthreads)];
	int i;
	if (v == t)
		return;
	t->st.kind[K_SCRIBBLE]++;
	atomic_inc(&v->scribbled);
	smp_mb();
	/* Only while its message is away: its checks afterwards need the
	 * pages to stay as they came back (msg_send). */
	for (i = 0; i < 256 && READ_ONCE(v->in_call); i++) {
		int pg = below(t, 2) ? PG_MSG + (int)below(t, 2) : PG_LIST + (int)below(t, 2);
		unsigned at = below(t, PAGE_SIZE), cookie = READ_ONCE(v->msg_off) + 56;
		/* Anything but the first parameter's cookie, so that the owner
		 * knows what a registration it cannot see was made under. */
		if (pg == PG_MSG + (int)(cookie / PAGE_SIZE) && at - cookie % PAGE_SIZE < 8)
			continue;
		WRITE_ONCE(page_va(v, pg)[at], (u8)rnd(t));
	}
	smp_mb();
	atomic_inc(&v->scribbled);
}

/* ---- the threads ---- */

static int fz_thread_fn(void *arg)
{
	struct fz_thread *t = arg;
	struct fz_msg *m = kmalloc(sizeof(*m), GFP_KERNEL);
	u64 i;
	if (!m) {
		fz_fail(t, "no memory for a message");
		goto out;
	}
	for (i = 0; i < t->todo; i++) {
		u32 kind = below(t, 100);
		if (kind >= 10 && kind < 13 && fz_nthreads > 1 && (races & 2)) {
			scribble(t); /* not a call: does not count */
			i--;
			continue;
		}
		if (kind < 8) {
			fast_call(t);
		} else if (kind < 10) {
			stray_resume(t);

		} else {
			msg_corpus(t, m);
			if (!one_in(t, 3))
				msg_mutate(t, m);
			msg_send(t, m);
		}
		if (t->nsess >= KEEP_SESS || t->nregs >= KEEP_REGS)
			tidy(t, 2);
		if ((i & 63) == 0)
			cond_resched();
	}
	tidy(t, 0);
	kfree(m);
out:
	if (atomic_dec_and_test(&fz_running))
		complete(&fz_all_done);
	return 0;
}

/* ---- capacity: how many sessions and registrations the secure world
 * takes at once (its tables, the TA runtime's), measured before and after
 * the run: a slot that the fuzzing leaked shows as a smaller number. ---- */

struct fz_capacity {
	int sessions, regs;
	u32 sessions_ret, regs_ret; /* what the first refused one got */
};

static void capacity(struct fz_thread *t, struct fz_capacity *c)
{
	struct fz_msg *m = kzalloc(sizeof(*m), GFP_KERNEL);
	struct optee_msg_arg *g = (struct optee_msg_arg *)page_va(t, PG_MSG), *a;
	u64 x0;
	int j;
	memset(c, 0, sizeof(*c));
	if (!m)
		return;
	for (j = 0; j < 40; j++) {
		msg_start(t, m, OPTEE_MSG_CMD_OPEN_SESSION, 2);
		m->off = 0;
		memset(m->bytes, 0, MSG_MAX);
		a = msg_hdr(m);
		a->cmd = OPTEE_MSG_CMD_OPEN_SESSION;
		a->num_params = 2;
		meta_uuid(a->params, DEMO_UUID_A, DEMO_UUID_B);
		x0 = msg_send(t, m); /* tracks what it opens */
		if (x0 || g->ret != TEE_SUCCESS)
			break;
	}
	c->sessions = j;
	c->sessions_ret = x0 ? (u32)x0 : g->ret;
	for (j = 0; j < 80; j++) {
		msg_start(t, m, OPTEE_MSG_CMD_REGISTER_SHM, 1);
		m->off = 0;
		memset(m->bytes, 0, MSG_MAX);
		a = msg_hdr(m);
		a->cmd = OPTEE_MSG_CMD_REGISTER_SHM;
		a->num_params = 1;
		a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
		a->params[0].u.tmem.buf_ptr = build_list(t, 1, 0);
		a->params[0].u.tmem.size = 64;
		a->params[0].u.tmem.shm_ref = 0xCA9A000000000000ULL | (u64)j;
		x0 = msg_send(t, m);
		if (x0 || g->ret != TEE_SUCCESS)
			break;
	}
	c->regs = j;
	c->regs_ret = x0 ? (u32)x0 : g->ret;
	kfree(m);
	tidy(t, 0); /* and it all goes again */
}

/* ---- the final round trip, on one CPU, with every answer checked ---- */

static struct fz_capacity fz_before;

static int final_checks(struct fz_thread *t)
{
	struct fz_capacity after;
	struct fz_msg *m = kzalloc(sizeof(*m), GFP_KERNEL);
	struct optee_msg_arg *g = (struct optee_msg_arg *)page_va(t, PG_MSG);
	u8 *data = page_va(t, PG_DATA);
	u64 before = t->st.failures, x0;
	u32 sess = 0;
	int ok = 1, i;
	if (!m)
		return 0;
#define SEND(build)                                               \
	do {                                                      \
		msg_start(t, m, 0, 0);                            \
		m->off = 0;                                       \
		memset(m->bytes, 0, MSG_MAX);                     \
		build;                                            \
		x0 = msg_send(t, m);                              \
	} while (0)
#define CHECK(cond, what)                                          \
	do {                                                       \
		int c_ = (cond);                                   \
		pr_info("%s - mtfuzz: final: %s\n", c_ ? "ok" : "not ok", what); \
		if (!c_)                                           \
			pr_info("mtfuzz: final: x0 0x%llx ret 0x%x origin %u\n", x0, g->ret, g->ret_origin); \
		ok &= c_;                                          \
	} while (0)
	t->nsess = 0;
	t->nregs = 0;
	{
		/* What the threads lost track of (a message another CPU wrote
		 * while it was away may have opened or registered something
		 * its page no longer shows): close every session id handed
		 * out, unregister every cookie of the threads' ranges. */
		int max = atomic_read(&fz_max_session) + 64, j, k;
		u64 swept_s = 0, swept_r = 0, c;
		for (j = 1; j <= max; j++) {
			SEND(({ msg_hdr(m)->cmd = OPTEE_MSG_CMD_CLOSE_SESSION; msg_hdr(m)->session = j; }));
			swept_s += x0 == 0 && g->ret == TEE_SUCCESS;
		}
		for (k = 0; k < fz_nthreads; k++)
			for (j = 0; j < (int)ARRAY_SIZE(fz_threads[k].unsure) &&
				    j < (int)fz_threads[k].nunsure; j++) {
				c = fz_threads[k].unsure[j];
				SEND(({ struct optee_msg_arg *a = msg_hdr(m);
					a->cmd = OPTEE_MSG_CMD_UNREGISTER_SHM; a->num_params = 1;
					a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
					a->params[0].u.rmem.shm_ref = c; }));
				swept_r += x0 == 0 && g->ret == TEE_SUCCESS;
			}
		pr_info("mtfuzz: final: swept %llu sessions (ids 1..%d) and %llu registrations left behind\n",
			swept_s, max, swept_r);
		/* Now every slot must be free again. */
		capacity(t, &after);
		CHECK(after.sessions == fz_before.sessions && after.sessions_ret == fz_before.sessions_ret &&
			      after.regs == fz_before.regs && after.regs_ret == fz_before.regs_ret,
		      "as many sessions and registrations at once as before the run");
		pr_info("mtfuzz: final: sessions at once %d (then 0x%x), before %d (0x%x); registrations %d (0x%x), before %d (0x%x)\n",
			after.sessions, after.sessions_ret, fz_before.sessions, fz_before.sessions_ret,
			after.regs, after.regs_ret, fz_before.regs, fz_before.regs_ret);
	}
	SEND(({ msg_hdr(m)->cmd = OPTEE_MSG_CMD_OPEN_SESSION; msg_hdr(m)->num_params = 2;
		meta_uuid(msg_hdr(m)->params, DEMO_UUID_A, DEMO_UUID_B); }));
	sess = g->session;
	CHECK(x0 == 0 && g->ret == TEE_SUCCESS, "open a session to the demo TA");
	SEND(({ struct optee_msg_arg *a = msg_hdr(m); a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
		a->session = sess; a->func = DEMO_ADD; a->num_params = 2;
		a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT; a->params[0].u.value.a = 40;
		a->params[0].u.value.b = 2; a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT; }));
	CHECK(x0 == 0 && g->ret == TEE_SUCCESS && g->params[1].u.value.a == 42, "invoke ADD: 40 + 2 = 42");
	SEND(({ struct optee_msg_arg *a = msg_hdr(m); a->cmd = OPTEE_MSG_CMD_REGISTER_SHM;
		a->num_params = 1; a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
		a->params[0].u.tmem.buf_ptr = build_list(t, 1, 0); a->params[0].u.tmem.size = 64;
		a->params[0].u.tmem.shm_ref = 0xF1A1; }));
	CHECK(x0 == 0 && g->ret == TEE_SUCCESS, "register 64 bytes");
	data = page_va(t, PG_DATA + (int)((((u64 *)page_va(t, PG_LIST))[0] - page_pa(t, PG_DATA)) / PAGE_SIZE));
	for (i = 0; i < 64; i++)
		data[i] = (u8)i;
	SEND(({ struct optee_msg_arg *a = msg_hdr(m); a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
		a->session = sess; a->func = DEMO_INC_BUFFER; a->num_params = 1;
		a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INOUT; a->params[0].u.rmem.offs = 8;
		a->params[0].u.rmem.size = 16; a->params[0].u.rmem.shm_ref = 0xF1A1; }));
	CHECK(x0 == 0 && g->ret == TEE_SUCCESS && data[7] == 7 && data[8] == 9 && data[23] == 24 &&
		      data[24] == 24,
	      "invoke INC_BUFFER on registered memory");
	SEND(({ struct optee_msg_arg *a = msg_hdr(m); a->cmd = OPTEE_MSG_CMD_UNREGISTER_SHM;
		a->num_params = 1; a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
		a->params[0].u.rmem.shm_ref = 0xF1A1; }));
	CHECK(x0 == 0 && g->ret == TEE_SUCCESS, "unregister");
	SEND(({ msg_hdr(m)->cmd = OPTEE_MSG_CMD_CLOSE_SESSION; msg_hdr(m)->session = sess; }));
	CHECK(x0 == 0 && g->ret == TEE_SUCCESS, "close the session");
	for (i = 0; i < 6; i++) {
		struct arm_smccc_res r;
		u64 a[8] = {OPTEE_SMC_CALLS_REVISION};
		fz_smc(t, a, &r);
		if (r.a0 != 2)
			ok = 0;
	}
	CHECK(t->st.failures == before, "fast calls and the round trip answered as the ABI says");
	/* The secure world runs its threads only during yielding calls: a few
	 * more, spaced out, let it reap the last TA instance and run init's
	 * leak check (tests/system/nw_fuzz.sh reads its verdict). */
	for (i = 0; i < 20; i++) {
		msleep(50);
		SEND(({ msg_hdr(m)->cmd = OPTEE_MSG_CMD_CANCEL; }));
	}
	kfree(m);
	return ok;
#undef SEND
#undef CHECK
}

static void ram_bounds(void)
{
	struct device_node *np = of_find_node_by_type(NULL, "memory");
	struct resource res;
	if (np && of_address_to_resource(np, 0, &res) == 0) {
		ram_start = res.start;
		ram_end = res.end + 1;
	}
	of_node_put(np);
}

static void print_counts(const struct fz_stats *s, ktime_t ns)
{
	int i;
	u64 top = 0;
	for (i = 0; i < K_N; i++)
		top += s->kind[i];
	top -= s->kind[K_SCRIBBLE]; /* not a call */
	pr_info("mtfuzz: %llu calls (%llu messages, %llu fast calls, %llu unknown IDs, %llu stray resumes), %llu SMCs in all, in %lld ms; %llu scribbles on the other CPU's pages\n",
		top, s->kind[K_MSG], s->kind[K_FAST], s->kind[K_UNKNOWN_FID], s->kind[K_BAD_RESUME],
		s->smcs, ktime_to_ms(ns), s->kind[K_SCRIBBLE]);
	if (s->torn_rpcs)
		pr_info("mtfuzz: %llu RPC arguments torn by a steal (not the secure world's doing)\n",
			s->torn_rpcs);
	for (i = 0; i < X_N; i++)
		if (s->x0[i])
			pr_info("mtfuzz: x0 %-16s %llu\n", x_names[i], s->x0[i]);
	for (i = 0; i < R_N; i++)
		if (s->ret[i])
			pr_info("mtfuzz: ret %-16s %llu\n", r_names[i], s->ret[i]);
	for (i = 0; i < P_N; i++)
		pr_info("mtfuzz: rpc %-22s %llu\n", p_names[i], s->rpc[i]);
	pr_info("mtfuzz: sessions opened %llu closed %llu, registrations %llu unregistered %llu\n",
		s->opened, s->closed, s->registered, s->unregistered);
}

static int __init mtfuzz_init(void)
{
	struct fz_stats sum;
	ktime_t t0, t1;
	int cpu, i, n = 0, final_ok;
	u64 done = 0;
	if (!seed)
		seed = get_random_u64() | 1;
	for (i = 0; i < NR_CPUS; i++)
		fz_out_id[i] = -1;
	ram_bounds();
	fz_nthreads = num_online_cpus();
	fz_threads = kcalloc(fz_nthreads, sizeof(*fz_threads), GFP_KERNEL);
	if (!fz_threads)
		return -ENOMEM;
	pr_info("mtfuzz: seed=%lu calls=%lu threads=%d races=%d normal RAM 0x%llx-0x%llx\n", seed, calls,
		fz_nthreads, races, (unsigned long long)ram_start, (unsigned long long)ram_end);
	for_each_online_cpu(cpu) {
		struct fz_thread *t = &fz_threads[n];
		if (n == fz_nthreads)
			break;
		t->idx = n;
		t->cpu = cpu;
		t->rng = seed * 0x9E3779B97F4A7C15ULL + (u64)(n + 1) * 0xBF58476D1CE4E5B9ULL;
		t->rng |= 1;
		t->todo = calls / fz_nthreads + (n < (int)(calls % fz_nthreads));
		t->next_cookie = ((u64)n + 1) << 40;
		t->block = alloc_pages(GFP_KERNEL | __GFP_ZERO, FZ_ORDER);
		if (!t->block) {
			pr_info("not ok - mtfuzz: no memory for the buffers\n");
			return -ENOMEM;
		}
		t->va = page_address(t->block);
		t->pa = page_to_phys(t->block);
		n++;
	}
	capacity(&fz_threads[0], &fz_before);
	pr_info("mtfuzz: before: %d sessions at once (then 0x%x), %d registrations (then 0x%x)\n",
		fz_before.sessions, fz_before.sessions_ret, fz_before.regs, fz_before.regs_ret);
	atomic_set(&fz_running, n);
	t0 = ktime_get();
	for (i = 0; i < n; i++) {
		struct fz_thread *t = &fz_threads[i];
		t->task = kthread_create(fz_thread_fn, t, "mtfuzz/%d", t->cpu);
		if (IS_ERR(t->task)) {
			pr_info("not ok - mtfuzz: cannot start a thread\n");
			return PTR_ERR(t->task);
		}
		kthread_bind(t->task, t->cpu);
	}
	for (i = 0; i < n; i++)
		wake_up_process(fz_threads[i].task);
	/* Wake up now and then: insmod is not a hung task. */
	while (!wait_for_completion_timeout(&fz_all_done, 10 * HZ))
		;
	t1 = ktime_get();
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < n; i++) {
		const struct fz_stats *s = &fz_threads[i].st;
		int k;
		sum.smcs += s->smcs;
		for (k = 0; k < K_N; k++)
			sum.kind[k] += s->kind[k];
		for (k = 0; k < X_N; k++)
			sum.x0[k] += s->x0[k];
		for (k = 0; k < R_N; k++)
			sum.ret[k] += s->ret[k];
		for (k = 0; k < P_N; k++)
			sum.rpc[k] += s->rpc[k];
		sum.failures += s->failures;
		sum.torn_rpcs += s->torn_rpcs;
		sum.opened += s->opened;
		sum.closed += s->closed;
		sum.registered += s->registered;
		sum.unregistered += s->unregistered;
		pr_info("mtfuzz: cpu%d: %llu SMCs, %llu failures\n", fz_threads[i].cpu, s->smcs, s->failures);
	}
	print_counts(&sum, ktime_sub(t1, t0));
	for (i = 0; i < K_SCRIBBLE; i++)
		done += sum.kind[i];
	pr_info("%s - mtfuzz: %llu calls sent from %d CPUs (asked %lu)\n", done >= calls ? "ok" : "not ok",
		done, n, calls);
	pr_info("%s - mtfuzz: every predictable answer as the ABI says (%llu failures)\n",
		sum.failures ? "not ok" : "ok", sum.failures);
	pr_info("%s - mtfuzz: no ETHREAD_LIMIT (no call slot lost)\n", sum.x0[X_ETHREAD] ? "not ok" : "ok");
	final_ok = final_checks(&fz_threads[0]);
	pr_info("%s - mtfuzz: the secure world still serves a valid round trip\n", final_ok ? "ok" : "not ok");
	pr_info("mtfuzz: done, seed=%lu\n", seed);
	for (i = 0; i < n; i++)
		__free_pages(fz_threads[i].block, FZ_ORDER);
	kfree(fz_threads);
	return 0;
}

static void __exit mtfuzz_exit(void)
{
}

module_init(mtfuzz_init);
module_exit(mtfuzz_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("MicroTEE normal-world OP-TEE message fuzzer");
