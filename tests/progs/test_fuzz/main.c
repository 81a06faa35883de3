/* test_fuzz: throws random system calls at the kernel, then checks the
 * kernel still works for us.
 *
 * Its argument string (the boot command line, from init) may set the
 * seed and the number of calls: `test=fuzz seed=0x1234 calls=1000000`.
 * Without `calls=`, FUZZ_CALLS. Without `seed=`, a fresh one: from the
 * CPU's RNDR if it has FEAT_RNG (SYS_CPU_INFO), else from the counter.
 * The seed is printed first, with the command line that replays the run:
 * the same seed and count make the same calls.
 *
 * Every call number (and out-of-range ones) is drawn from a seeded
 * xorshift generator, with arguments drawn from classes chosen to reach
 * the kernel's checks: NULL, kernel and monitor addresses, unmapped user
 * addresses, our own read-only text, our own buffers with random lengths,
 * addresses around 2^39 (the top of the translation range) and 2^64,
 * handles 0..70 and huge ones, random rights, protections and flags. The
 * registers a call does not use carry random garbage.
 *
 * We only sanitize what would legitimately end us or block us forever, or
 * trample the memory this program runs on. The rules, each applied in
 * shape_args() below:
 *  R1 SYS_EXIT and SYS_THREAD_EXIT are never made (they end us / this thread).
 *  R2 SYS_SLEEP is 0 (a yield) most of the time, otherwise under 1 ms: any
 *     non-zero sleep lasts until the next 10 ms tick, a big one for ages.
 *  R3 SYS_THREAD_CREATE's entry is one of three tiny threads, which touch
 *     no memory (so any stack pointer is safe) and end in SYS_THREAD_EXIT:
 *     tiny_thread exits at once; tiny_caller first makes a SYS_CALL (op 0)
 *     and tiny_receiver a receive, both on the handle given as the
 *     thread's argument. Or the entry is one the kernel must reject (below
 *     the user range, at or above its top, or misaligned). Any other entry
 *     would run random code. A tiny_caller's call is always answered: the
 *     only endpoints we hold are served (R5; echo and counter answer op 0
 *     with DEMO_EBADOP). A tiny_receiver waits for a pinger call at most,
 *     and exits holding it, which answers its caller MT_EPEERDEAD.
 *  R4 A SYS_MEM_UNMAP the kernel would accept must lie inside the fuzz
 *     zones (part of the shared region MT_USER_SHM.. and above the stack);
 *     otherwise it is moved there. Our image, stacks and heap stay mapped.
 *     Likewise a SYS_MEM_MAP/SYS_SHM_MAP address is in a fuzz zone, on
 *     something already mapped (EBUSY) or one the kernel rejects, so no
 *     mapping lands where we rely on "unmapped" and page tables stay few.
 *  R5 Endpoints: nothing serves an endpoint from SYS_EP_CREATE, so a call
 *     or receive on it would block forever; such handles are closed at
 *     once. Our own endpoint `own_ep` is served instead: a responder thread
 *     answers calls on it and a low-priority pinger thread keeps calling
 *     it, so our own SYS_REPLY_RECV receives too. A SYS_REPLY_RECV with
 *     valid flags that receives always also replies (MT_RR_REPLY): a
 *     receive without a reply would drop a pinger call we hold, and with
 *     nobody left to call us the next receive would never return. Copies
 *     of own_ep made by SYS_HANDLE_GRANT stay: they are served too.
 *  R6 echo_h, counter_h and own_ep are never closed: the checks at the end
 *     need them. Nothing else is protected.
 *  R7 Calls to echo never use ECHO_OP_CRASH or ECHO_OP_PEEK (test hooks
 *     that kill it) and send no handle with ECHO_OP_PING or ECHO_OP_UPPER:
 *     echo keeps a handle sent with a ping, and with UPPER maps the memory
 *     for the length we give and unmaps by that length, so a mismatched
 *     length leaves our pages mapped in echo for good. Either would leak
 *     into a service that outlives us. (Counter closes whatever it gets.)
 *  R8 SYS_DEBUG_WRITE prints at most 8 bytes, from a page of '.'
 *     characters: a readable pointer always points into that page, at
 *     most 8 bytes before its end, so a longer length runs off the page
 *     into the unmapped page after it and fails (EFAULT) before anything
 *     is printed (the kernel copies 128-byte chunks). Lengths over 4096
 *     (rejected) and unreadable pointers go through with any length.
 *  R9 Output pointers never point at memory we live on: they are NULL,
 *     kernel, unmapped, read-only (our text and rodata), the scratch
 *     buffers, fuzz-zone addresses, or out of range.
 * Between rounds, housekeeping (not counted as fuzz calls) unmaps what the
 * fuzz mapped and closes every unprotected handle, so quotas and tables do
 * not stay exhausted and the success paths keep being exercised. */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "mt.h"

#ifndef FUZZ_CALLS
#define FUZZ_CALLS 100000
#endif
#define FUZZ_MIN_STATS 10000 /* calls below which the mix of results is not checked */
#define ROUND 500 /* fuzz calls between housekeeping */

#define XSTR(x)        STR(x)
#define STR(x)         #x
#define MT_RR_RECV_NUM 2 /* MT_RR_RECV, spelled for the assembler */
_Static_assert(MT_RR_RECV == (1U << 1), "MT_RR_RECV_NUM");

/* R3: thread entries that use registers only: no stack, no memory. */
__asm__(".text\n"
        ".balign 16\n"
        ".global tiny_thread\n"
        "tiny_thread:\n"
        "	mov x8, #" XSTR(SYS_THREAD_EXIT) "\n"
                                                 "	svc #0\n"
                                                 "	b tiny_thread\n");
__asm__(
    ".text\n"
    ".balign 16\n"
    ".global tiny_caller\n"
    "tiny_caller:\n"
    "	mov x8, #" XSTR(
        SYS_CALL) "\n"
                  "	svc #0\n"
                  "	mov x8, #" XSTR(
                      SYS_THREAD_EXIT) "\n"
                                       "	svc #0\n"
                                       "	b tiny_caller\n"
                                       ".balign 16\n"
                                       ".global tiny_receiver\n"
                                       "tiny_receiver:\n"
                                       "	mov x6, #" XSTR(
                                           MT_RR_RECV_NUM) "\n"
                                                           "	mov x8, #" XSTR(
                                                               SYS_REPLY_RECV) "\n"
                                                                               "	svc #0\n"
                                                                               "	mov x8, "
                                                                               "#" XSTR(
                                                                                   SYS_THREAD_EXIT) "\n"
                                                                                                    "	svc #0\n"
                                                                                                    "	b tiny_receiver\n");
extern char tiny_thread[], tiny_caller[], tiny_receiver[];

/* ---- fixed places ---- */

#define TEXT_PAGE    0x7e800000UL /* '.'s for SYS_DEBUG_WRITE; next page unmapped */
#define SCRATCH_PAGE 0x7e900000UL /* the kernel may write here; next page unmapped */

/* Fuzz zones: maps start in the first 2 MiB of each zone (a big one may
 * run into the second); unmaps must stay inside one. */
static const unsigned long zones[] = {0x60000000UL, 0x60200000UL, 0x6a000000UL, 0x7e000000UL,
                                      0x80000000UL, 0xc0000000UL, 0xffe00000UL};
#define NZONES        (sizeof(zones) / sizeof(zones[0]))
#define ZONE_MAP_SPAN 0x200000UL
#define ZONE_SPAN     0x400000UL

static const char rodata_probe[] = "read-only data";
static volatile unsigned char scratch[4096 + 128] __attribute__((aligned(4096)));

/* ---- PRNG ---- */

static uint64_t rng;

/* The generator's state from a seed: any seed, 0 included, gives a
 * non-zero state (xorshift stays at 0 forever), and nearby seeds give
 * unrelated sequences (one round of splitmix64's mixing). */
static void rng_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	rng = z ? z : 0x9e3779b97f4a7c15ULL;
}

/* A fresh seed: RNDR if the CPU has it (it may say "not now": retry),
 * else the counter. */
static uint64_t fresh_seed(const char **from)
{
	unsigned long a[7] = {0};
	if (mt_syscall(SYS_CPU_INFO, a) == MT_OK && (a[1] & MT_CPU_RNDR)) {
		for (int i = 0; i < 1000; i++) {
			uint64_t v, ok;
			__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
			                 : "=r"(v), "=r"(ok)
			                 :
			                 : "cc");
			if (ok) {
				*from = "RNDR";
				return v;
			}
		}
	}
	*from = "the counter";
	return mt_time(0);
}

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* ---- what we hold ---- */

enum kind { K_NONE, K_PROTECTED, K_OWN_EP, K_SHM, K_THREAD, K_OTHER };
#define NH 64
static unsigned char kind[NH];
static unsigned shm_pages[NH];
static mt_handle_t echo_h, counter_h, own_ep;

struct rec {
	unsigned long va, size; /* size 0: a shared mapping of unknown size */
	int shared;
};
static struct rec recs[256];
static unsigned nrecs;

static volatile unsigned long responder_msgs, pinger_calls, pinger_errors;

/* ---- argument classes ---- */

static int in_zone(unsigned long va, unsigned long end)
{
	for (unsigned i = 0; i < NZONES; i++) {
		unsigned long top = zones[i] + ZONE_SPAN;
		if (top > MT_USER_TOP)
			top = MT_USER_TOP;
		if (va >= zones[i] && end <= top && va < end)
			return 1;
	}
	return 0;
}

/* User addresses nothing ever maps. */
static unsigned long unmapped_addr(void)
{
	static const unsigned long bases[] = {0x48000000UL, 0x70000000UL, 0x90000000UL,
	                                      0xe0000000UL};
	return bases[rn(4)] + rn(0x1000000);
}

static unsigned long kernel_addr(void)
{
	static const unsigned long a[] = {0x0e000000UL, 0x0e080000UL, 0x0e081000UL, 0x0e100000UL,
	                                  0x0e7ff000UL, 0x09040000UL, 0x08000000UL, 0x00000000UL,
	                                  0x04000000UL, 0x3ffff000UL, 0x0effffffUL};
	return a[rn(sizeof(a) / sizeof(a[0]))] + (rn(4) ? 0 : rn(4096));
}

static unsigned long far_addr(void)
{
	switch (rn(6)) {
	case 0:
		return (1UL << 39) - 1 - rn(8192);
	case 1:
		return (1UL << 39) + rn(8192);
	case 2:
		return ~0UL - rn(8192);
	case 3:
		return MT_USER_TOP + rn(8192);
	case 4:
		return 0x8000000000000000UL + rn(8192);
	default: {
		unsigned long v = rnd();
		return (v >= MT_USER_BASE && v < MT_USER_TOP) ? v | (1UL << 40) : v;
	}
	}
}

/* A pointer the kernel will read from (R8: readable ones are text). */
static unsigned long in_ptr(void)
{
	switch (rn(6)) {
	case 0:
		return 0;
	case 1:
		return kernel_addr();
	case 2:
		return unmapped_addr();
	case 3:
		return far_addr();
	case 4:
		return TEXT_PAGE + rn(4096 - 8);
	default:
		return TEXT_PAGE + 4096 - 1 - rn(8);
	}
}

/* A pointer the kernel will write to (R9). */
static unsigned long out_ptr(void)
{
	switch (rn(10)) {
	case 0:
		return 0;
	case 1:
		return kernel_addr();
	case 2:
		return unmapped_addr();
	case 3:
		return far_addr();
	case 4:
		return (unsigned long)tiny_thread + rn(64); /* read-only text */
	case 5:
		return (unsigned long)rodata_probe + rn(8); /* read-only data */
	case 6:
		return (unsigned long)scratch + rn(4096); /* our buffer */
	case 7:
		return SCRATCH_PAGE + 4096 - 1 - rn(128); /* runs off its end */
	case 8:
		return SCRATCH_PAGE + rn(4096);
	default:
		return zones[rn(NZONES)] + rn(ZONE_MAP_SPAN);
	}
}

static unsigned long any_len(void)
{
	switch (rn(8)) {
	case 0:
		return 0;
	case 1:
		return 1 + rn(16);
	case 2:
		return 56 + rn(3) - 1;
	case 3:
		return 4095 + rn(3);
	case 4:
		return (1 + rn(300)) * MT_PAGE_SIZE;
	case 5:
		return (unsigned long[]){1UL << 32,
		                         1UL << 39,
		                         ~0UL,
		                         ~0UL - 4095,
		                         0x8000000000000000UL,
		                         0x7fffffffUL}[rn(6)];
	case 6:
		return rn(65536);
	default:
		return rnd();
	}
}

/* A mapping address (R4): fuzz zone, something mapped, or rejected. */
static unsigned long map_va(void)
{
	unsigned r = rn(20);
	if (r < 12)
		return zones[rn(NZONES)] + rn(ZONE_MAP_SPAN / MT_PAGE_SIZE) * MT_PAGE_SIZE;
	switch (r) {
	case 12:
		return zones[rn(NZONES)] + rn(ZONE_MAP_SPAN); /* likely unaligned */
	case 13:                                              /* our text or rodata: EBUSY */
		return (rn(2) ? (unsigned long)tiny_thread : (unsigned long)rodata_probe) &
		       ~(MT_PAGE_SIZE - 1);
	case 14:
		return MT_USER_STACK_TOP - (1 + rn(4)) * MT_PAGE_SIZE; /* our stack: EBUSY */
	case 15:
		return TEXT_PAGE; /* EBUSY */
	case 16:
		return kernel_addr() & ~(MT_PAGE_SIZE - 1);
	case 17:
		return MT_USER_TOP - rn(2) * MT_PAGE_SIZE;
	case 18:
		return far_addr() & ~(MT_PAGE_SIZE - 1);
	default: {
		unsigned long v = rnd();
		return (v >= MT_USER_BASE && v < MT_USER_TOP) ? v | 1 : v;
	}
	}
}

static unsigned long map_size(void)
{
	unsigned r = rn(10);
	if (r < 6)
		return (1 + rn(rn(4) ? 8 : 64)) * MT_PAGE_SIZE;
	switch (r) {
	case 6:
		return 0;
	case 7:
		return 1 + rn(3 * 4096);
	case 8:
		return (unsigned long[]){
		    300 * MT_PAGE_SIZE, 4096 * MT_PAGE_SIZE, ~0UL & ~4095UL,
		    1UL << 39,          1UL << 32,           (1UL << 63)}[rn(6)];
	default:
		return rnd();
	}
}

static unsigned long any_handle(void)
{
	switch (rn(12)) {
	case 0:
		return (unsigned long[]){64, 65, 255, 256, 1UL << 32, 1UL << 63, ~0UL}[rn(7)];
	case 1:
		return rnd();
	default:
		return rn(71);
	}
}

static unsigned long small_bits(unsigned width)
{
	return rn(8) ? rn(1U << width) : rnd();
}

/* ---- helper threads (R5) ---- */

/* Serves own_ep: answers w1 + 1 and the badge, closes handles sent to it. */
static void responder(void *arg)
{
	(void)arg;
	struct mt_msg m;
	long rc = mt_recv(own_ep, &m);
	for (;;) {
		if (rc != MT_OK) {
			mt_sleep_ns(1000000);
			rc = mt_recv(own_ep, &m);
			continue;
		}
		responder_msgs++;
		if (m.handle)
			mt_handle_close(m.handle);
		struct mt_msg r = {{MT_OK, m.w[1] + 1, m.badge, 0}, 0, 0};
		m = r;
		rc = mt_reply_recv(own_ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}

/* Keeps calling own_ep at the lowest priority, so a receive there
 * returns; it yields after each call so the fuzz's priority-0 threads get
 * to run (and exit) too. */
static void pinger(void *arg)
{
	(void)arg;
	for (uint64_t n = 0;; n++) {
		mt_yield();
		struct mt_msg m = {{0x70696e67, n, 0, 0}, 0, 0};
		long rc = mt_call(own_ep, &m);
		pinger_calls++;
		if (rc != MT_OK)
			pinger_errors++;
		else if (m.handle)
			mt_handle_close(m.handle);
	}
}

/* ---- one fuzz call ---- */

static int valid_range(unsigned long va, unsigned long size)
{
	unsigned long end;
	return !((va | size) & (MT_PAGE_SIZE - 1)) && size &&
	       !__builtin_add_overflow(va, size, &end) && va >= MT_USER_BASE && end <= MT_USER_TOP;
}

static void record(unsigned long va, unsigned long size, int shared)
{
	if (nrecs < sizeof(recs) / sizeof(recs[0]))
		recs[nrecs++] = (struct rec){va, size, shared};
}

static unsigned long pick_call(void)
{
	for (;;) {
		unsigned r = rn(100);
		if (r < 8) /* out of range */
			return (unsigned long[]){SYS_COUNT, SYS_COUNT + 1, 64,   255,
			                         0x10000,   1UL << 32,     ~0UL, rnd()}[rn(8)];
		unsigned long n = r < 20 ? (rn(2) ? SYS_CALL : SYS_REPLY_RECV) : rn(SYS_COUNT);
		if (n == SYS_EXIT || n == SYS_THREAD_EXIT) /* R1 */
			continue;
		if (n == SYS_DEBUG_WRITE && rn(3)) /* keep the console quiet */
			continue;
		return n;
	}
}

/* Fills a[] for call n; applies the rules. */
static void shape_args(unsigned long n, unsigned long a[7])
{
	for (int i = 0; i < 7; i++)
		a[i] = rn(4) ? rnd() : rn(100);
	switch (n) {
	case SYS_DEBUG_WRITE: /* R8 */
		a[0] = in_ptr();
		a[1] = rn(4) ? rn(9) : any_len();
		if (a[0] >= TEXT_PAGE && a[0] < TEXT_PAGE + 4096 && a[1] <= 4096 &&
		    a[1] > TEXT_PAGE + 4096 - a[0]) {
			/* Runs off the page: fails without printing, unless it starts
			 * more than 8 bytes before the end. */
			if (TEXT_PAGE + 4096 - a[0] > 8)
				a[1] = rn(9);
		}
		break;
	case SYS_CALL:
		a[0] = rn(3) ? any_handle() : (rn(2) ? echo_h : (rn(2) ? counter_h : own_ep));
		a[1] = rn(4) ? rn(6) : rnd();
		a[5] = rn(2) ? 0 : any_handle();
		if (a[0] == echo_h) { /* R7 */
			if (a[1] == ECHO_OP_CRASH || a[1] == ECHO_OP_PEEK)
				a[1] = rn(2) ? ECHO_OP_PING : 999;
			if (a[1] == ECHO_OP_PING || a[1] == ECHO_OP_UPPER)
				a[5] = 0;
		}
		break;
	case SYS_REPLY_RECV:
		a[0] = rn(3) ? any_handle() : own_ep;
		a[5] = rn(2) ? 0 : any_handle();
		a[6] = rn(8) ? rn(8) : rnd();
		if (a[6] && !(a[6] & ~3UL) && (a[6] & MT_RR_RECV)) /* R5 */
			a[6] |= MT_RR_REPLY;
		break;
	case SYS_HANDLE_CLOSE:
		a[0] = any_handle();
		while (a[0] == echo_h || a[0] == counter_h || a[0] == own_ep) /* R6 */
			a[0] = any_handle();
		break;
	case SYS_HANDLE_GRANT:
		a[0] = rn(4) ? 0 : any_handle();
		a[1] = any_handle();
		a[2] = small_bits(7);
		a[3] = rn(2) ? 0 : rnd();
		break;
	case SYS_SPAWN: /* gone: must answer MT_ENOSYS whatever comes */
	case SYS_PROC_CREATE:
		a[0] = any_handle();
		a[1] = in_ptr();
		a[2] = any_len();
		a[3] = rn(40);
		a[4] = rn(2) ? rn(5000) : rnd();
		a[5] = rn(2) ? MT_USER_BASE + 4 * rn(1000) : rnd();
		a[6] = rn(4);
		break;
	case SYS_PROC_MAP:
	case SYS_PROC_WRITE:
	case SYS_NW_RPC:
		a[0] = any_handle(); /* we hold no process or NWRPC handle */
		a[1] = rn(2) ? MT_USER_BASE + 4096 * rn(100) : rnd();
		a[2] = rn(2) ? in_ptr() : rnd();
		a[3] = rn(2) ? any_len() : rnd();
		break;
	case SYS_PROC_START:
	case SYS_PROC_KILL:
	case SYS_POWEROFF:
	case SYS_BENCH_CTL:
		a[0] = any_handle(); /* we hold no process or spawner handle */
		a[1] = rn(4);
		break;
	case SYS_WAIT_CHILD:
		a[0] = out_ptr();
		a[1] = rn(2) ? 0 : rnd();
		break;
	case SYS_MEM_MAP:
		a[0] = map_va();
		a[1] = map_size();
		a[2] = small_bits(4);
		break;
	case SYS_MEM_UNMAP: /* R4 */
		a[0] = map_va();
		a[1] = map_size();
		if (valid_range(a[0], a[1]) && !in_zone(a[0], a[0] + a[1])) {
			unsigned z = rn(NZONES);
			a[0] = zones[z] + rn(ZONE_MAP_SPAN / MT_PAGE_SIZE) * MT_PAGE_SIZE;
			a[1] = (1 + rn(64)) * MT_PAGE_SIZE;
			if (!in_zone(a[0], a[0] + a[1]))
				a[1] = MT_PAGE_SIZE;
		}
		break;
	case SYS_SHM_CREATE:
		a[0] = rn(4) ? 1 + rn(8 * 4096) : any_len();
		break;
	case SYS_SHM_MAP: {
		a[0] = any_handle();
		if (rn(2)) { /* prefer a handle we know is shared memory */
			unsigned s = rn(NH);
			for (unsigned i = 0; i < NH; i++)
				if (kind[(s + i) % NH] == K_SHM) {
					a[0] = (s + i) % NH;
					break;
				}
		}
		a[1] = map_va();
		a[2] = small_bits(4);
		break;
	}
	case SYS_THREAD_CREATE: /* R3 */
		if (rn(4)) {
			unsigned r = rn(4);
			a[0] = (unsigned long)(r < 2    ? tiny_thread
			                       : r == 2 ? tiny_caller
			                                : tiny_receiver);
		} else {
			static const unsigned long bad[] = {
			    0,         0x0e080000UL, MT_USER_BASE - 4, MT_USER_TOP,
			    1UL << 39, ~0UL & ~3UL,  0x40000002UL,     0x40000001UL};
			a[0] = rn(2) ? bad[rn(8)] : (unsigned long)tiny_thread + 1 + rn(3);
		}
		a[1] = rn(2) ? out_ptr() & ~15UL : any_len();
		a[2] = rn(2) ? any_handle() : (rn(2) ? own_ep : (rn(2) ? echo_h : counter_h));
		a[3] = rn(8) ? rn(12) : rnd();
		break;
	case SYS_SLEEP: /* R2 */
		a[0] = rn(16) ? 0 : rn(1000000);
		break;
	case SYS_PROC_INFO:
		a[0] = rn(2) ? 0 : any_handle();
		a[1] = out_ptr();
		break;
	default:
		break;
	}
}

/* Keeps our view of the handle table up to date after call n. */
static void note_result(unsigned long n, const unsigned long a_in[7], long rc,
                        const unsigned long a[7])
{
	if (rc != MT_OK)
		return;
	switch (n) {
	case SYS_EP_CREATE: /* R5 */
		mt_handle_close(a[1]);
		break;
	case SYS_HANDLE_CLOSE:
		if (a_in[0] < NH)
			kind[a_in[0]] = K_NONE;
		break;
	case SYS_HANDLE_GRANT:
		if (a[1] < NH) {
			unsigned k = a_in[1] < NH ? kind[a_in[1]] : K_OTHER;
			kind[a[1]] = k == K_PROTECTED ? K_OTHER : k;
			shm_pages[a[1]] = a_in[1] < NH ? shm_pages[a_in[1]] : 0;
		}
		break;
	case SYS_SHM_CREATE:
		if (a[1] < NH) {
			kind[a[1]] = K_SHM;
			shm_pages[a[1]] = (unsigned)((a_in[0] + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE);
		}
		break;
	case SYS_SHM_MAP:
		record(a_in[1],
		       a_in[0] < NH && kind[a_in[0]] == K_SHM ? shm_pages[a_in[0]] * MT_PAGE_SIZE
		                                              : 0,
		       1);
		break;
	case SYS_MEM_MAP:
		record(a_in[0], a_in[1], 0);
		break;
	case SYS_THREAD_CREATE:
		if (a[1] < NH)
			kind[a[1]] = K_THREAD;
		break;
	case SYS_CALL:
	case SYS_REPLY_RECV:
		if (a[5] && a[5] < NH && kind[a[5]] == K_NONE)
			kind[a[5]] = K_OTHER;
		break;
	default:
		break;
	}
}

/* Unmaps what the fuzz mapped and closes every unprotected handle. */
static void housekeeping(void)
{
	for (unsigned i = 0; i < nrecs; i++) {
		struct rec *r = &recs[i];
		if (!r->shared)
			continue;
		if (r->size) {
			mt_mem_unmap(r->va, r->size);
			continue;
		}
		for (unsigned long p = 1; p <= 256; p++) /* size unknown: find it */
			if (mt_mem_unmap(r->va, p * MT_PAGE_SIZE) == MT_OK)
				break;
	}
	for (unsigned i = 0; i < nrecs; i++)
		if (!recs[i].shared)
			mt_mem_unmap(recs[i].va, recs[i].size);
	nrecs = 0;
	for (unsigned h = 1; h < NH; h++) {
		if (kind[h] == K_PROTECTED)
			continue;
		mt_handle_close(h);
		kind[h] = K_NONE;
	}
}

/* ---- the end-of-run checks ---- */

static int failures;

static void expect(int ok, const char *what, long got)
{
	if (!ok) {
		failures++;
		printf("test_fuzz: check failed: %s (got %ld)\n", what, got);
	}
}

static void final_checks(unsigned long pages_before)
{
	struct mt_proc_info info;
	long rc = mt_proc_info(0, &info);
	expect(rc == MT_OK, "proc_info", rc);
	expect(info.handles == 3, "only echo, counter and own_ep left", (long)info.handles);
	printf("test_fuzz: after cleanup: %lu pages used (%lu before fuzzing), %lu handles, %lu "
	       "threads\n",
	       info.pages_used, pages_before, info.handles, info.threads);
	/* What stays is page tables: at most an L3 table per 2 MiB the fuzz
	 * zones span and an L2 table per new GiB. */
	expect(info.pages_used <= pages_before + 2 * NZONES + 3, "no pages left behind",
	       (long)(info.pages_used - pages_before));

	mt_handle_t ep;
	rc = mt_ep_create(&ep);
	expect(rc == MT_OK, "endpoint create", rc);
	if (rc == MT_OK)
		expect(mt_handle_close(ep) == MT_OK, "endpoint close", 0);

	/* Somewhere the fuzz never mapped; the first map may add a table. */
	const unsigned long va = 0x71000000UL;
	if (mt_mem_map(va, MT_PAGE_SIZE, MT_PROT_R) != MT_OK ||
	    mt_mem_unmap(va, MT_PAGE_SIZE) != MT_OK)
		expect(0, "map and unmap one page", 0);
	mt_proc_info(0, &info);
	unsigned long used0 = info.pages_used;
	rc = mt_mem_map(va, 4 * MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W);
	expect(rc == MT_OK, "map 4 pages", rc);
	if (rc == MT_OK) {
		volatile unsigned long *p = (volatile unsigned long *)va;
		p[0] = 0x1234, p[1535] = 0x5678;
		expect(p[0] == 0x1234 && p[1535] == 0x5678 && p[1] == 0, "mapped memory",
		       (long)p[1]);
		mt_proc_info(0, &info);
		expect(info.pages_used == used0 + 4, "4 pages charged",
		       (long)(info.pages_used - used0));
		expect(mt_mem_unmap(va, 4 * MT_PAGE_SIZE) == MT_OK, "unmap", 0);
		mt_proc_info(0, &info);
		expect(info.pages_used == used0, "pages returned", (long)(info.pages_used - used0));
	}

	mt_handle_t shm;
	rc = mt_shm_create(2 * MT_PAGE_SIZE, &shm);
	expect(rc == MT_OK, "shm create", rc);
	if (rc == MT_OK) {
		rc = mt_shm_map(shm, 0x71100000UL, MT_PROT_R | MT_PROT_W);
		expect(rc == MT_OK, "shm map", rc);
		if (rc == MT_OK) {
			*(volatile int *)(0x71100000UL + MT_PAGE_SIZE) = 7;
			expect(mt_mem_unmap(0x71100000UL, 2 * MT_PAGE_SIZE) == MT_OK, "shm unmap",
			       0);
		}
		expect(mt_handle_close(shm) == MT_OK, "shm close", 0);
	}

	struct mt_msg m = {{ECHO_OP_PING, 41, 0, 0}, 0, 0};
	rc = mt_call(echo_h, &m);
	expect(rc == MT_OK && m.w[0] == MT_OK && m.w[1] == 42, "echo ping", rc ? rc : (long)m.w[1]);
	struct mt_msg c = {{COUNTER_OP_GET, 0, 0, 0}, 0, 0};
	rc = mt_call(counter_h, &c);
	expect(rc == MT_OK && c.w[0] == MT_OK, "counter get", rc ? rc : (long)c.w[0]);
	struct mt_msg o = {{0, 99, 0, 0}, 0, 0};
	rc = mt_call(own_ep, &o);
	expect(rc == MT_OK && o.w[0] == MT_OK && o.w[1] == 100, "own endpoint call",
	       rc ? rc : (long)o.w[1]);
	rc = MT_SYS(SYS_THREAD_CREATE, (unsigned long)tiny_thread, MT_USER_STACK_TOP, 0, 5);
	expect(rc == MT_OK, "thread create", rc);

	unsigned long a[7] = {0};
	rc = mt_syscall(SYS_CPU_INFO, a);
	expect(rc == MT_OK && !(a[1] & ~(unsigned long)MT_CPU_RNDR), "SYS_CPU_INFO: known bits",
	       rc ? rc : (long)a[1]);
}

static const char *err_name(long e)
{
	static const char *names[] = {"OK",    "EINVAL",    "EBADH",    "ENOMEM", "EFAULT",
	                              "EPERM", "EPEERDEAD", "ENOSYS",   "ENOENT", "ENOSPACE",
	                              "EBUSY", "ESTATE",    "ETIMEDOUT", "EQUOTA"};
	return e <= 0 && e >= MT_EQUOTA ? names[-e] : "other";
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	const char *args = (const char *)arg2;
	uint64_t seed, calls = FUZZ_CALLS;
	const char *from = "the command line";
	long rc_seed = mt_arg_u64(args, "seed=", &seed);
	if (rc_seed == MT_ENOENT)
		seed = fresh_seed(&from);
	long rc_calls = mt_arg_u64(args, "calls=", &calls);
	if ((rc_seed != MT_OK && rc_seed != MT_ENOENT) ||
	    (rc_calls != MT_OK && rc_calls != MT_ENOENT) || calls == 0) {
		printf("test_fuzz: FAIL bad seed= or calls= in '%s'\n", args ? args : "");
		return 1;
	}
	rng_seed(seed);
	printf("test_fuzz: seed 0x%016lx (from %s), %lu calls; replay with: test=fuzz seed=0x%016lx "
	       "calls=%lu\n",
	       (unsigned long)seed, from, (unsigned long)calls, (unsigned long)seed,
	       (unsigned long)calls);
	echo_h = DEMO_ARG_ECHO(arg);
	counter_h = DEMO_ARG_COUNTER(arg);
	printf("test_fuzz: echo %lu, counter %lu\n", echo_h, counter_h);

	/* Fixed places: a page of text and a scratch page, each with an
	 * unmapped page after it. */
	if (mt_mem_map(TEXT_PAGE, MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W) != MT_OK ||
	    mt_mem_map(SCRATCH_PAGE, MT_PAGE_SIZE, MT_PROT_R | MT_PROT_W) != MT_OK) {
		printf("test_fuzz: FAIL cannot map the fixed pages\n");
		return 1;
	}
	memset((void *)TEXT_PAGE, '.', MT_PAGE_SIZE);

	mt_handle_t t1, t2;
	if (mt_ep_create(&own_ep) != MT_OK || mt_thread_create(responder, 0, 10, &t1) != MT_OK ||
	    mt_thread_create(pinger, 0, 0, &t2) != MT_OK) {
		printf("test_fuzz: FAIL cannot set up the helper threads\n");
		return 1;
	}
	kind[echo_h] = kind[counter_h] = kind[own_ep] = K_PROTECTED;
	kind[t1] = kind[t2] = K_THREAD;

	struct mt_proc_info info;
	mt_proc_info(0, &info);
	unsigned long pages_before = info.pages_used;
	printf("test_fuzz: %lu of %lu pages used, %lu handles before fuzzing\n", info.pages_used,
	       info.page_quota, info.handles);

	static unsigned long hist[15]; /* by -rc; [14] = anything else */
	static unsigned long by_call[SYS_COUNT], ok_by_call[SYS_COUNT];
	unsigned long errors = 0, oor = 0;
	uint64_t freq, t0 = mt_time(&freq);
	const unsigned long progress = calls / 10 < 20000 ? 20000 : calls / 10;
	for (unsigned long i = 0; i < calls; i++) {
		unsigned long n = pick_call(), a[7], a_in[7];
		shape_args(n, a);
		memcpy(a_in, a, sizeof(a));
		long rc = mt_syscall(n, a);
		note_result(n, a_in, rc, a);
		if (n >= SYS_COUNT)
			oor++;
		if (rc < 0)
			errors++;
		hist[rc <= 0 && rc >= MT_EQUOTA ? -rc : 14]++;
		if (n < SYS_COUNT) {
			by_call[n]++;
			ok_by_call[n] += rc == MT_OK;
		}
		if ((i + 1) % ROUND == 0)
			housekeeping();
		if ((i + 1) % progress == 0)
			printf(
			    "\ntest_fuzz: %lu calls, %lu errors, pinger %lu calls, responder %lu\n",
			    i + 1, errors, (unsigned long)pinger_calls,
			    (unsigned long)responder_msgs);
	}
	uint64_t t1_ = mt_time(0);
	/* Let go of a pinger call we may hold, then clean up. */
	struct mt_msg r = {{0, 0, 0, 0}, 0, 0};
	mt_reply_recv(0, &r, MT_RR_REPLY);
	/* Let the helpers close any handle we sent them before we close
	 * everything (they would close a number we reuse). */
	mt_sleep_ns(30000000);
	housekeeping();
	kind[t1] = kind[t2] = K_NONE;

	printf("\ntest_fuzz: %lu calls, %lu returned errors\n", (unsigned long)calls, errors);
	printf("test_fuzz: %lu ms; %lu out-of-range call numbers; own endpoint: %lu pinger calls, "
	       "%lu answered by the responder\n",
	       (unsigned long)((t1_ - t0) * 1000 / freq), oor, (unsigned long)pinger_calls,
	       (unsigned long)responder_msgs);
	unsigned kinds = 0;
	printf("test_fuzz: results:");
	for (int e = 0; e < 15; e++) {
		if (!hist[e])
			continue;
		printf(" %s=%lu", e == 14 ? "other" : err_name(-e), hist[e]);
		if (e > 0 && e < 14)
			kinds++;
	}
	printf("\ntest_fuzz: succeeded/made by call number:");
	for (int c = 0; c < SYS_COUNT; c++)
		printf(" %d:%lu/%lu", c, ok_by_call[c], by_call[c]);
	printf("\n");
	expect(hist[14] == 0, "no unknown status codes", (long)hist[14]);
	/* Whether the calls reach past the first checks: only a statistic
	 * over enough calls (a short replay may have too few). */
	if (calls >= FUZZ_MIN_STATS) {
		expect(kinds >= 8, "at least 8 different error codes", kinds);
		expect(hist[-MT_ENOSYS] * 2 < errors, "ENOSYS is not most errors",
		       (long)hist[-MT_ENOSYS]);
		expect(hist[0] > calls / 20, "some calls succeed", (long)hist[0]);
		printf("test_fuzz: %u different error codes, not only ENOSYS\n", kinds);
	} else {
		printf("test_fuzz: %u different error codes (fewer than %d calls: not checked)\n",
		       kinds, FUZZ_MIN_STATS);
	}

	final_checks(pages_before);
	if (failures) {
		printf("test_fuzz: FAIL %d checks failed\n", failures);
		return 1;
	}
	printf("test_fuzz: PASS\n");
	return 0;
}
