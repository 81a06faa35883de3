/* nwtest: a bare normal-world program that checks the monitor from the
 * other side: SMCCC dispatch and PSCI as the normal world sees them, calls
 * that travel to the secure kernel and back, and that neither those calls
 * nor secure timer interrupts taken while it runs disturb its registers
 * (general, EL1 system, FP/SIMD). It prints on UART0 and powers off. */
#include <stdarg.h>
#include <stdint.h>

#include "../../common/fmt.h"
#include "../../common/pl011.h"
#include "../../include/microtee/optee_msg.h"
#include "../../monitor/fdt.h"
#include "../../include/microtee/smc.h"
#include "../../platform/qemu-virt/platform.h"
#include "nwtest.h"

static int passed, failed;

static void putc_nw(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		pl011_putc(PLAT_UART0_BASE, '\r');
	pl011_putc(PLAT_UART0_BASE, c);
}

static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(putc_nw, 0, fmt, ap);
	va_end(ap);
}

static void check(int ok, const char *what)
{
	if (ok)
		passed++;
	else
		failed++, out("nwtest: FAILED %s\n", what);
}

#define RD(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define WR(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)))

static uint64_t smc(uint64_t fid, uint64_t a1)
{
	uint64_t r[18] = {fid, a1};
	nw_smc18(r);
	return r[0];
}

/* An SMC with patterns in x1..x17: returns 1 if x<first>..x17 came back
 * intact. */
static int smc_preserves(uint64_t fid, uint64_t *res, int first)
{
	uint64_t r[18];
	for (int i = 0; i < 18; i++)
		r[i] = 0x1111111111111111ULL * (uint64_t)(i % 15 + 1) + (uint64_t)i;
	r[0] = fid;
	uint64_t want[18];
	for (int i = 0; i < 18; i++)
		want[i] = r[i];
	nw_smc18(r);
	for (int i = 0; i < 4; i++)
		res[i] = r[i];
	for (int i = first; i < 18; i++)
		if (r[i] != want[i])
			return 0;
	return 1;
}

struct fpregs {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
};
static struct fpregs fp_pattern, fp_after;

static void set_patterns(void)
{
	WR(tpidr_el1, 0x1111000011110001ULL);
	WR(tpidr_el0, 0x2222000022220002ULL);
	WR(tpidrro_el0, 0x3333000033330003ULL);
	WR(contextidr_el1, 0x44440004ULL);
	WR(vbar_el1, 0x40280800ULL);
	WR(mair_el1, 0x00ff44ff04ULL);
	WR(ttbr0_el1, 0x41230000ULL);
	WR(ttbr1_el1, 0x45670000ULL);
	WR(elr_el1, 0x40201234ULL);
	WR(spsr_el1, 0x3c5ULL);
	WR(far_el1, 0x5555000055550005ULL);
	WR(esr_el1, 0x96000045ULL);
	WR(par_el1, 0x6660000ULL);
	WR(cntkctl_el1, 0x3ULL);
	WR(sp_el0, 0x40300000ULL);
	if (RD(id_aa64isar1_el1) & 0xff0000ff0ULL) {
		WR(s3_0_c2_c1_0, 0xA1A1A1A1A1A1A1A1ULL); /* APIAKeyLo_EL1 */
		WR(s3_0_c2_c3_1, 0xB2B2B2B2B2B2B2B2ULL); /* APGAKeyHi_EL1 */
	}
	for (int i = 0; i < 32; i++)
		fp_pattern.q[i] = ((__uint128_t)(0xA0A0A0A000000000ULL + i) << 64) | (0x0F0F0F0F00000000ULL + i);
	fp_pattern.fpcr = 0x3000000; /* round towards zero */
	fpsimd_restore(&fp_pattern);
}

static int patterns_intact(void)
{
	fpsimd_save(&fp_after);
	int ok = RD(tpidr_el1) == 0x1111000011110001ULL && RD(tpidr_el0) == 0x2222000022220002ULL &&
		 RD(tpidrro_el0) == 0x3333000033330003ULL && RD(contextidr_el1) == 0x44440004ULL &&
		 RD(vbar_el1) == 0x40280800ULL && RD(mair_el1) == 0x00ff44ff04ULL &&
		 RD(ttbr0_el1) == 0x41230000ULL && RD(ttbr1_el1) == 0x45670000ULL &&
		 RD(elr_el1) == 0x40201234ULL && RD(spsr_el1) == 0x3c5ULL &&
		 RD(far_el1) == 0x5555000055550005ULL && RD(esr_el1) == 0x96000045ULL &&
		 RD(par_el1) == 0x6660000ULL && RD(cntkctl_el1) == 0x3ULL && RD(sp_el0) == 0x40300000ULL;
	if (RD(id_aa64isar1_el1) & 0xff0000ff0ULL)
		ok &= RD(s3_0_c2_c1_0) == 0xA1A1A1A1A1A1A1A1ULL && RD(s3_0_c2_c3_1) == 0xB2B2B2B2B2B2B2B2ULL;
	for (int i = 0; i < 32; i++)
		ok &= fp_after.q[i] == fp_pattern.q[i];
	ok &= fp_after.fpcr == fp_pattern.fpcr;
	return ok;
}

/* ---- malformed OP-TEE messages, straight from the normal world ----
 * Linux's driver never sends these; a hostile normal world can. Every one
 * must get an error code and leave the secure world serving. */

static uint8_t msg_page[3 * 4096] __attribute__((aligned(4096)));
static uint64_t page_list[512] __attribute__((aligned(4096)));

/* What this normal world answers an RPC_ALLOC with: the buffer's physical
 * address (0: it has none, the answer of a driver out of memory). */
static uint64_t rpc_alloc_pa;

/* A yielding call, resumed through any RPCs; returns x0 of the end. */
static uint64_t yield_call(uint64_t pa)
{
	uint64_t r[18] = {OPTEE_SMC_CALL_WITH_ARG, pa >> 32, pa & 0xffffffffU};
	nw_smc18(r);
	while ((r[0] & 0xFFFF0000U) == 0xFFFF0000U && r[0] != 0xFFFFFFFFU) {
		uint64_t resume[18] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, r[1], r[2], r[3]};
		if (r[0] == OPTEE_SMC_RETURN_RPC_ALLOC) {
			resume[1] = rpc_alloc_pa >> 32;
			resume[2] = rpc_alloc_pa & 0xffffffffU;
			resume[4] = 0x1234; /* a cookie */
		}
		nw_smc18(resume);
		for (int i = 0; i < 18; i++)
			r[i] = resume[i];
	}
	return r[0];
}

static struct optee_msg_arg *msg_init(unsigned offset, uint32_t cmd, uint32_t nparams)
{
	struct optee_msg_arg *a = (struct optee_msg_arg *)(msg_page + offset);
	for (unsigned i = 0; i < sizeof(struct optee_msg_arg) + 6 * 32; i++)
		((uint8_t *)a)[i] = 0;
	a->cmd = cmd;
	a->num_params = nparams;
	a->ret = 0x12345678; /* must be overwritten */
	return a;
}

static void malformed_messages(void)
{
	uint64_t st;
	struct optee_msg_arg *a;

	/* An argument in secure memory, or unaligned, or nowhere. */
	check(yield_call(PLAT_SRAM_BASE) == OPTEE_SMC_RETURN_EBADADDR, "arg in secure RAM refused");
	check(yield_call(PLAT_KERNEL_BASE + 0x1000) == OPTEE_SMC_RETURN_EBADADDR,
	      "arg in kernel RAM refused");
	check(yield_call((uint64_t)(uintptr_t)msg_page + 3) == OPTEE_SMC_RETURN_EBADADDR,
	      "unaligned arg refused");
	check(yield_call(0x00001000) == OPTEE_SMC_RETURN_EBADADDR, "arg in flash refused");
	check(yield_call(0xFFFFFFFFFFFFF000ULL) == OPTEE_SMC_RETURN_EBADADDR, "arg beyond RAM refused");

	/* Too many parameters. */
	a = msg_init(0, OPTEE_MSG_CMD_INVOKE_COMMAND, 1000);
	check(yield_call((uintptr_t)a) == OPTEE_SMC_RETURN_EBADCMD, "1000 parameters refused");

	/* Unknown command, unknown session. */
	a = msg_init(0, 77, 0);
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF000A && a->ret_origin == 3,
	      "unknown command: NOT_SUPPORTED from the TEE");
	a = msg_init(0, OPTEE_MSG_CMD_INVOKE_COMMAND, 0);
	a->session = 0xdeadbeef;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "invoke on no session: BAD_PARAMETERS");
	a = msg_init(0, OPTEE_MSG_CMD_CLOSE_SESSION, 0);
	a->session = 7777;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "close of no session: BAD_PARAMETERS");

	/* Open session without the meta parameters; with an unknown TA. */
	a = msg_init(0, OPTEE_MSG_CMD_OPEN_SESSION, 2);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "open without meta: BAD_PARAMETERS");
	/* An unknown TA is not in the boot file system: the secure world asks
	 * this normal world for it (LOAD_TA), first without memory to lend for
	 * the request, then with an RPC buffer "in" secure RAM, which must be
	 * refused, not written. */
	static const struct {
		uint64_t rpc_pa;
		uint32_t want;
		const char *what;
	} unknown[] = {{0, 0xFFFF000C, "unknown TA, no RPC memory here: OUT_OF_MEMORY from the TEE"},
		       {0x0E000000, 0xFFFF000E,
			"RPC buffer in secure RAM: refused, COMMUNICATION from the TEE"}};
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		rpc_alloc_pa = unknown[i].rpc_pa;
		a = msg_init(0, OPTEE_MSG_CMD_OPEN_SESSION, 2);
		a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
		a->params[0].u.value.a = 0x1122334455667788ULL;
		a->params[0].u.value.b = 0x99aabbccddeeff00ULL;
		a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
		st = yield_call((uintptr_t)a);
		check(st == OPTEE_SMC_RETURN_OK && a->ret == unknown[i].want && a->ret_origin == 3,
		      unknown[i].what);
	}
	rpc_alloc_pa = 0;

	/* The message straddles two pages and is still read whole. */
	a = msg_init(4096 - 48, 77, 2);
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF000A, "message across a page boundary");

	/* Shared-memory registration with a page list pointing at secure
	 * memory, at a list in secure memory, unaligned entries, bad attr. */
	page_list[0] = PLAT_SRAM_BASE;
	page_list[1] = PLAT_SRAM_BASE + 0x1000;
	a = msg_init(0, OPTEE_MSG_CMD_REGISTER_SHM, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	a->params[0].u.tmem.buf_ptr = (uintptr_t)page_list;
	a->params[0].u.tmem.size = 8192;
	a->params[0].u.tmem.shm_ref = 42;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "register secure pages refused");
	a->params[0].u.tmem.buf_ptr = PLAT_KERNEL_BASE;
	a->ret = 0;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "page list in secure RAM refused");
	page_list[0] = (uintptr_t)msg_page + 8;
	a->params[0].u.tmem.buf_ptr = (uintptr_t)page_list;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "unaligned page refused");
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "contiguous registration refused");
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	a->params[0].u.tmem.size = 0x7FFFFFFFFFFFFFFFULL;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "absurd size refused");

	/* A good registration, then uses of it out of bounds. */
	page_list[0] = (uintptr_t)msg_page + 4096;
	page_list[1] = (uintptr_t)msg_page + 8192;
	a->params[0].u.tmem.size = 8000;
	a->params[0].u.tmem.buf_ptr = (uintptr_t)page_list | 16; /* starts 16 bytes in */
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "registration of normal memory");
	a->ret = 1;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "same cookie twice refused");
	a = msg_init(0, OPTEE_MSG_CMD_UNREGISTER_SHM, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
	a->params[0].u.rmem.shm_ref = 43;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "unregister unknown cookie refused");
	a->params[0].u.rmem.shm_ref = 42;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "unregister");

	/* Memory references into a TA: registered memory works, a raw
	 * physical buffer (never registered) is refused. */
	page_list[0] = (uintptr_t)msg_page + 4096;
	a = msg_init(0, OPTEE_MSG_CMD_REGISTER_SHM, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	a->params[0].u.tmem.buf_ptr = (uintptr_t)page_list;
	a->params[0].u.tmem.size = 64;
	a->params[0].u.tmem.shm_ref = 77;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "register a buffer for the TA");
	a = msg_init(0, OPTEE_MSG_CMD_OPEN_SESSION, 2);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	a->params[0].u.value.a = 0xc148c372f8185843ULL; /* demo TA 435818f8-72c3-48c1-... */
	a->params[0].u.value.b = 0xb4cedbb39f1d0cb1ULL;
	a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	st = yield_call((uintptr_t)a);
	uint32_t session = a->session;
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "open a session to the demo TA");
	uint8_t *data = msg_page + 4096;
	for (int i = 0; i < 64; i++)
		data[i] = (uint8_t)i;
	a = msg_init(0, OPTEE_MSG_CMD_INVOKE_COMMAND, 1);
	a->session = session;
	a->func = 1; /* TA_DEMO_CMD_INC_BUFFER */
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INOUT;
	a->params[0].u.rmem.shm_ref = 77;
	a->params[0].u.rmem.offs = 8;
	a->params[0].u.rmem.size = 16;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0 && data[7] == 7 && data[8] == 9 &&
		      data[23] == 24 && data[24] == 24,
	      "registered memory reference reaches the TA");
	a->params[0].u.rmem.offs = 60; /* beyond the registration's 64 bytes */
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006 && a->ret_origin == 3,
	      "reference past the registration refused");
	a->params[0].u.rmem.offs = 8;
	a->params[0].u.rmem.shm_ref = 78;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "unknown registration refused");
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INOUT;
	a->params[0].u.tmem.buf_ptr = (uintptr_t)data;
	a->params[0].u.tmem.size = 16;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006 && data[8] == 9,
	      "unregistered physical buffer refused");
	a->params[0].u.tmem.buf_ptr = PLAT_SRAM_BASE;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF0006, "secure RAM as a buffer refused");
	a = msg_init(0, OPTEE_MSG_CMD_CLOSE_SESSION, 0);
	a->session = session;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "close the session");

	/* Resuming a call that does not exist. */
	uint64_t r[18] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, 0, 0, 5};
	nw_smc18(r);
	check(r[0] == OPTEE_SMC_RETURN_ERESUME, "resume of no call: ERESUME");
	uint64_t r2[18] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, 0, 0, 0xFFFFFFFF};
	nw_smc18(r2);
	check(r2[0] == OPTEE_SMC_RETURN_ERESUME, "resume of a wild call id: ERESUME");

	/* After all that the secure world still answers properly. */
	check(smc(OPTEE_SMC_CALLS_REVISION, 0) == 2, "secure world alive after malformed calls");
}

/* ---- a TA start in progress is not a leak (found by tests/nwfuzz) ----
 * init checks, whenever no TA instance runs, that the pools are as they
 * were at start-up. A TA that the secure world is fetching from the normal
 * world runs no process yet but holds its image buffer, so a check made
 * then must wait, not report the buffer as leaked. Here: a demo instance
 * ends (so init checks), an unknown TA's load is held at its first RPC,
 * and a second call keeps the secure world running for 2 s meanwhile. */
static void leak_check_during_load(void)
{
	struct optee_msg_arg *a = msg_init(0, OPTEE_MSG_CMD_OPEN_SESSION, 2);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	a->params[0].u.value.a = 0xc148c372f8185843ULL; /* the demo TA */
	a->params[0].u.value.b = 0xb4cedbb39f1d0cb1ULL;
	a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	uint64_t st = yield_call((uintptr_t)a);
	uint32_t session = a->session;
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "load race: open a demo session");
	a = msg_init(0, OPTEE_MSG_CMD_CLOSE_SESSION, 0);
	a->session = session;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "load race: close it (its instance ends)");

	/* The unknown TA: held at its first RPC (ALLOC). */
	a = msg_init(0, OPTEE_MSG_CMD_OPEN_SESSION, 2);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	a->params[0].u.value.a = 0x0123456789abcdefULL;
	a->params[0].u.value.b = 0x0f1e2d3c4b5a6978ULL;
	a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	uint64_t ra[18] = {OPTEE_SMC_CALL_WITH_ARG, 0, (uintptr_t)a};
	nw_smc18(ra);
	while (ra[0] == OPTEE_SMC_RETURN_RPC_FOREIGN_INTR) {
		uint64_t id = ra[3];
		for (int i = 0; i < 18; i++)
			ra[i] = 0;
		ra[0] = OPTEE_SMC_CALL_RETURN_FROM_RPC;
		ra[3] = id;
		nw_smc18(ra);
	}
	check(ra[0] == OPTEE_SMC_RETURN_RPC_ALLOC, "load race: the unknown TA's load asks for memory");
	uint64_t load_id = ra[3];

	/* Another call that waits behind the load, resumed for 2 s: a second
	 * open of the same TA, which the gateway holds until the first one's
	 * instance has started (its flags decide whether it may share it).
	 * Other calls go on meanwhile (the gateway's workers), so only a call
	 * that needs the loading TA waits. The first resume has garbage above
	 * w3: an SMC32 call's argument is w3. */
	struct optee_msg_arg *b = msg_init(2048, OPTEE_MSG_CMD_OPEN_SESSION, 2);
	b->params[0] = a->params[0];
	b->params[1] = a->params[1];
	uint64_t rb[18] = {OPTEE_SMC_CALL_WITH_ARG, 0, (uintptr_t)b};
	nw_smc18(rb);
	if (rb[0] == OPTEE_SMC_RETURN_RPC_FOREIGN_INTR) {
		uint64_t id = rb[3];
		for (int i = 0; i < 18; i++)
			rb[i] = 0;
		rb[0] = OPTEE_SMC_CALL_RETURN_FROM_RPC;
		rb[3] = id | 0xA5A5A5A500000000ULL;
		nw_smc18(rb);
		check(rb[0] == OPTEE_SMC_RETURN_RPC_FOREIGN_INTR && rb[3] == id,
		      "resume with garbage above w3 resumes the call (SMC32)");
	}
	uint64_t f = RD(cntfrq_el0), t0 = RD(cntvct_el0);
	while (rb[0] == OPTEE_SMC_RETURN_RPC_FOREIGN_INTR && RD(cntvct_el0) - t0 < 2 * f) {
		uint64_t id = rb[3];
		for (int i = 0; i < 18; i++)
			rb[i] = 0;
		rb[0] = OPTEE_SMC_CALL_RETURN_FROM_RPC;
		rb[3] = id;
		nw_smc18(rb);
	}
	check(rb[0] == OPTEE_SMC_RETURN_RPC_FOREIGN_INTR, "load race: the second call waits behind the load");

	/* Now the load gets no memory (as a driver out of it), and both end. */
	uint64_t r[18] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, 0, 0, load_id};
	nw_smc18(r);
	while ((r[0] & 0xFFFF0000U) == 0xFFFF0000U && r[0] != 0xFFFFFFFFU) {
		uint64_t resume[18] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, r[1], r[2], r[3]};
		if (r[0] == OPTEE_SMC_RETURN_RPC_ALLOC)
			resume[1] = resume[2] = 0;
		nw_smc18(resume);
		for (int i = 0; i < 18; i++)
			r[i] = resume[i];
	}
	check(r[0] == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF000C,
	      "load race: the load ends with OUT_OF_MEMORY from the TEE");
	/* The second open now loads the TA itself: it gets no memory either. */
	uint64_t rs[18] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, 0, 0, rb[3]};
	nw_smc18(rs);
	while ((rs[0] & 0xFFFF0000U) == 0xFFFF0000U && rs[0] != 0xFFFFFFFFU) {
		uint64_t resume[18] = {OPTEE_SMC_CALL_RETURN_FROM_RPC, rs[1], rs[2], rs[3]};
		if (rs[0] == OPTEE_SMC_RETURN_RPC_ALLOC)
			resume[1] = resume[2] = 0;
		nw_smc18(resume);
		for (int i = 0; i < 18; i++)
			rs[i] = resume[i];
	}
	check(rs[0] == OPTEE_SMC_RETURN_OK && b->ret == 0xFFFF000C,
	      "load race: the second call is served (OUT_OF_MEMORY: its own load got no memory)");
	/* A few spaced calls: init's check now runs with nothing in progress. */
	for (int i = 0; i < 10; i++) {
		t0 = RD(cntvct_el0);
		while (RD(cntvct_el0) - t0 < f / 20)
			;
		a = msg_init(0, OPTEE_MSG_CMD_CANCEL, 0);
		yield_call((uintptr_t)a);
	}
}

/* An instruction that traps to EL3 and that the monitor does not emulate:
 * the normal world gets an undefined-instruction exception at EL1 (where it
 * runs), as if EL3 were not there, and goes on. */
static void trapped_instruction(void)
{
	uint64_t vbar = RD(vbar_el1);
	WR(vbar_el1, (uintptr_t)nw_vectors);
	__asm__ volatile("isb");
	nw_sync_seen.count = 0;
	nw_trap_to_el3();
	nw_trap_to_el3();
	WR(vbar_el1, vbar);
	__asm__ volatile("isb");
	check(nw_sync_seen.count == 2, "trapped instruction: one EL1 exception each time");
	check(nw_sync_seen.esr == 0x02000000, "trapped instruction: ESR_EL1 = undefined (EC 0, IL 1)");
	check(nw_sync_seen.elr == (uintptr_t)nw_trap_insn, "trapped instruction: ELR_EL1 = the instruction");
	check((nw_sync_seen.spsr & 0x3df) == 0x3c5, "trapped instruction: SPSR_EL1 = EL1h, DAIF as it ran");
	check(smc(OPTEE_SMC_CALLS_REVISION, 0) == 2, "trapped instruction: the secure world still answers");
}

/* ---- what normal RAM shows of the secure world's device-tree node ----
 * QEMU writes /secure-chosen (the secure world's kaslr-seed and rng-seed)
 * into its tree at 0x4000_0000; the monitor must leave no trace of it in
 * normal RAM. The names are kept XOR 0x5a here, so that this payload's own
 * image never contains what it looks for. */
#define MASK 0x5a
static const uint8_t secure_chosen_x[] = {0x29, 0x3f, 0x39, 0x2f, 0x28, 0x3f, 0x77, 0x39, 0x32, 0x35, 0x29, 0x3f, 0x34};   /* "secure-chosen" */
static const uint8_t optee_compat_x[] = {0x36, 0x33, 0x34, 0x3b, 0x28, 0x35, 0x76, 0x35, 0x2a, 0x2e, 0x3f, 0x3f, 0x77, 0x2e, 0x20}; /* "linaro,optee-tz" */

/* The first address in [from, to) where the masked pattern appears, or 0. */
static uint64_t find_masked(uint64_t from, uint64_t to, const uint8_t *pat, unsigned n)
{
	const volatile uint8_t *p = (const volatile uint8_t *)from;
	for (uint64_t i = 0; i + n <= to - from; i++) {
		if ((p[i] ^ MASK) != pat[0])
			continue;
		unsigned k = 1;
		while (k < n && (p[i + k] ^ MASK) == pat[k])
			k++;
		if (k == n)
			return from + i;
	}
	return 0;
}

static void secure_nodes_scrubbed(void)
{
	/* QEMU's tree, this payload, the edited tree: all in the first 8 MiB. */
	uint64_t from = PLAT_NSRAM_BASE, to = PLAT_NSRAM_BASE + 0x800000;
	uint64_t at = find_masked(from, to, secure_chosen_x, sizeof(secure_chosen_x));
	if (at)
		out("nwtest: the secure node's name found at 0x%lx\n", (unsigned long)at);
	check(at == 0, "QEMU's secure node named nowhere in the first 8 MiB of normal RAM");
	/* The scan does see device trees: the monitor's edited one. */
	check(find_masked(from, to, optee_compat_x, sizeof(optee_compat_x)) != 0,
	      "the scan finds the edited device tree (linaro,optee-tz)");
	const volatile uint32_t *q = (const volatile uint32_t *)PLAT_NSRAM_BASE;
	check(q[0] == 0 && q[1] == 0, "QEMU's original tree at 0x40000000 wiped");
}

/* ---- the PMU does not count the secure world ----
 * Event counter 0 counts CPU cycles filtered to the secure state only
 * (PMEVTYPER: NSK != P leaves out NS EL1, NSU != U NS EL0, NSH clear EL2;
 * M == P keeps EL3), across secure calls. With MDCR_EL3.SPME clear (every
 * build but the benchmark's) counting is prohibited there: it stays 0. The
 * same counter filtered to NS EL1 shows that it does count. */
#define PMEVTYPER_U   (1UL << 30)
#define PMEVTYPER_NSK (1UL << 29)
#define PMEVTYPER_NSU (1UL << 28)
#define PMEVTYPER_M   (1UL << 26)
#define PMU_CPU_CYCLES 0x11

static uint64_t count_cycles(uint64_t filter, int secure_calls)
{
	WR(pmcr_el0, 1); /* E */
	WR(pmevtyper0_el0, filter | PMU_CPU_CYCLES);
	WR(pmevcntr0_el0, 0);
	WR(pmcntenset_el0, 1);
	__asm__ volatile("isb");
	if (secure_calls) {
		for (int i = 0; i < secure_calls; i++)
			smc(OPTEE_SMC_CALLS_UID, 0);
	} else {
		uint64_t f = RD(cntfrq_el0), t0 = RD(cntvct_el0);
		while (RD(cntvct_el0) - t0 < f / 100) /* 10 ms */
			;
	}
	__asm__ volatile("isb");
	uint64_t n = RD(pmevcntr0_el0);
	WR(pmcntenclr_el0, 1);
	WR(pmcr_el0, 0);
	__asm__ volatile("isb");
	return n;
}

static void secure_pmu_off(void)
{
	uint64_t sec = count_cycles(PMEVTYPER_NSK | PMEVTYPER_NSU, 50);
	uint64_t ns = count_cycles(PMEVTYPER_U | PMEVTYPER_NSU | PMEVTYPER_M, 0);
	out("nwtest: PMU cycles counted in the secure state across 50 secure calls: %lu; "
	    "in NS EL1 over 10 ms: %lu\n", (unsigned long)sec, (unsigned long)ns);
	check(sec == 0, "PMU counts nothing of the secure world (MDCR_EL3.SPME clear)");
	check(ns > 0, "PMU counts the normal world's own cycles");
}

/* ---- messages at the very end of normal RAM (issue 13 item 8) ----
 * Where normal RAM ends, as the monitor's device tree (x0 at entry) says:
 * QEMU's -m decides it, and the secure kernel takes the same end from the
 * same tree. 0 if the tree cannot be read. */
static uint64_t ram_end_from_dtb(uint64_t dtb)
{
	const uint8_t *blob = (const uint8_t *)(uintptr_t)dtb;
	if (dtb < PLAT_NSRAM_BASE || (dtb & 7) || fdt_be32(blob) != FDT_MAGIC)
		return 0;
	uint32_t size = fdt_be32(blob + 4);
	if (size > (2u << 20) || fdt_check(blob, size) != 0)
		return 0;
	struct fdt f = {(uint8_t *)blob, size};
	uint32_t len;
	const uint8_t *ac = fdt_getprop(&f, 0, "#address-cells", &len);
	const uint8_t *sc = fdt_getprop(&f, 0, "#size-cells", &len);
	int mem = fdt_path_offset(&f, "/memory");
	const uint8_t *reg = mem >= 0 ? fdt_getprop(&f, mem, "reg", &len) : 0;
	if (!ac || !sc || fdt_be32(ac) != 2 || fdt_be32(sc) != 2 || !reg || len < 16)
		return 0;
	return fdt_be64(reg) + fdt_be64(reg + 8);
}

/* A message of n parameters that ends exactly at `end`. */
static struct optee_msg_arg *msg_at_end(uint64_t end, uint32_t cmd, uint32_t n)
{
	struct optee_msg_arg *a =
		(struct optee_msg_arg *)(uintptr_t)(end - sizeof(*a) - n * sizeof(a->params[0]));
	for (unsigned i = 0; i < sizeof(*a) + n * sizeof(a->params[0]); i++)
		((uint8_t *)a)[i] = 0;
	a->cmd = cmd;
	a->num_params = n;
	a->ret = 0x12345678; /* must be overwritten */
	return a;
}

static void messages_at_ram_end(uint64_t dtb)
{
	uint64_t end = ram_end_from_dtb(dtb);
	out("nwtest: normal RAM ends at 0x%lx (device tree)\n", (unsigned long)end);
	check(end > PLAT_NSRAM_BASE + (8u << 20) && (end & 0xfff) == 0,
	      "normal RAM's end read from the device tree");
	if (!(end > PLAT_NSRAM_BASE + (8u << 20)))
		return;
	/* Open a session with a message in the last 96 bytes of RAM: a
	 * gateway that maps 224 bytes whatever the message says refuses it. */
	struct optee_msg_arg *a = msg_at_end(end, OPTEE_MSG_CMD_OPEN_SESSION, 2);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	a->params[0].u.value.a = 0xc148c372f8185843ULL; /* the demo TA */
	a->params[0].u.value.b = 0xb4cedbb39f1d0cb1ULL;
	a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	uint64_t st = yield_call((uintptr_t)a);
	uint32_t session = a->session;
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "open session: message in RAM's last 96 bytes");
	/* Invoke with two values, in the last 96 bytes (TA_DEMO_CMD_ADD). */
	a = msg_at_end(end, OPTEE_MSG_CMD_INVOKE_COMMAND, 2);
	a->session = session;
	a->func = 0;
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	a->params[0].u.value.a = 40;
	a->params[0].u.value.b = 2;
	a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0 && a->params[1].u.value.a == 42,
	      "invoke: message in RAM's last 96 bytes, value written back");
	/* Close with no parameters: the header alone, RAM's last 32 bytes. */
	a = msg_at_end(end, OPTEE_MSG_CMD_CLOSE_SESSION, 0);
	a->session = session;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0, "close session: message in RAM's last 32 bytes");
	/* The largest message, exactly to the end (224 bytes). */
	a = msg_at_end(end, 77, 6);
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_OK && a->ret == 0xFFFF000A,
	      "6-parameter message ending at RAM's end: read, NOT_SUPPORTED");
	/* Messages that do run past the end are still refused: parameters
	 * beyond it, a header across it. */
	a = msg_at_end(end, OPTEE_MSG_CMD_CLOSE_SESSION, 0);
	a->num_params = 1;
	st = yield_call((uintptr_t)a);
	check(st == OPTEE_SMC_RETURN_EBADADDR && a->ret == 0x12345678,
	      "header at RAM's end declaring one parameter past it: EBADADDR");
	check(yield_call(end - 16) == OPTEE_SMC_RETURN_EBADADDR, "header across RAM's end: EBADADDR");
	check(yield_call(end) == OPTEE_SMC_RETURN_EBADADDR, "message at RAM's end: EBADADDR");
}

void nw_main(uint64_t dtb)
{
	uint64_t res[4];
	out("nwtest: normal world running at EL%lu\n", (unsigned long)((RD(CurrentEL) >> 2) & 3));

	/* Arch and PSCI, answered by the monitor. */
	check(smc(SMCCC_VERSION, 0) == SMCCC_VERSION_1_1, "SMCCC_VERSION");
	check(smc(PSCI_VERSION, 0) == 0x10001, "PSCI_VERSION");
	check(smc(PSCI_FEATURES, PSCI_SYSTEM_OFF) == 0, "PSCI_FEATURES(SYSTEM_OFF)");
	check(smc(PSCI_FEATURES, 0x84000077) == (uint64_t)-1, "PSCI_FEATURES(unknown)");
	check(smc(PSCI_MIGRATE_INFO_TYPE, 0) == 2, "MIGRATE_INFO_TYPE: MP-capable, no migration needed");
	check(smc(PSCI_MIGRATE_INFO_UP_CPU, 0) == 0, "MIGRATE_INFO_UP_CPU: CPU 0");

	/* Unknown IDs in every owner range, fast and yielding, 32 and 64-bit:
	 * NOT_SUPPORTED, and nothing else changes. */
	static const uint32_t unknown[] = {0x80000100, 0xC1000000, 0x82000010, 0xC3000001, 0x85000000,
					   0x86000000, 0xB0000000, 0xF1000000, 0x02000000, 0x43000000,
					   0x80FF0000, 0xB200E0F0 /* secure-only */};
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		int kept = smc_preserves(unknown[i], res, 1);
		/* SMCCC's Unknown Function, -1, the same from the monitor and
		 * from the secure kernel (0xB200E0F0 reaches the kernel): all
		 * ones, so W0 = 0xFFFFFFFF for SMC32 and X0 = -1 for SMC64. */
		check(res[0] == (uint64_t)-1, "unknown SMC answered -1");
		check(kept, "unknown SMC left x1..x17 alone");
	}

	/* Calls that go through the world switch to the secure kernel. */
	set_patterns();
	int kept = smc_preserves(OPTEE_SMC_CALLS_UID, res, 4);
	int intact = patterns_intact();
	check(kept, "x4..x17 across a secure call");
	check(intact, "EL1 and FP/SIMD state across a secure call");
	check(res[0] == 0x384fb3e0 && res[1] == 0xe7f811e3 && res[2] == 0xaf630002 &&
		      res[3] == 0xa5d5c51b,
	      "OP-TEE UID from the secure kernel");
	check(smc(OPTEE_SMC_CALLS_REVISION, 0) == 2, "OP-TEE revision");

	/* Secure timer interrupts arrive while we spin; each one is a round
	 * trip through the secure world that must leave us untouched. */
	uint64_t ticks0 = 0, ticks1 = 0;
	uint64_t r[18] = {MT_SMC_GET_STATS};
	nw_smc18(r);
	ticks0 = r[1];
	set_patterns();
	uint64_t f = RD(cntfrq_el0), t0 = RD(cntvct_el0);
	while (RD(cntvct_el0) - t0 < f / 10) /* 100 ms */
		;
	intact = patterns_intact();
	uint64_t r2[18] = {MT_SMC_GET_STATS};
	nw_smc18(r2);
	ticks1 = r2[1];
	out("nwtest: %lu secure timer interrupts while spinning\n", (unsigned long)(ticks1 - ticks0));
	check(ticks1 - ticks0 >= 5, "secure interrupts taken while the normal world runs");
	check(intact, "EL1 and FP/SIMD state across secure interrupts");

	secure_nodes_scrubbed();
	secure_pmu_off();
	trapped_instruction();
	malformed_messages();
	messages_at_ram_end(dtb);
	leak_check_during_load();

	out("nwtest: %d checks passed, %d failed\n", passed, failed);
	out("nwtest: %s\n", failed ? "FAIL" : "PASS");
	smc(PSCI_SYSTEM_OFF, 0);
}
