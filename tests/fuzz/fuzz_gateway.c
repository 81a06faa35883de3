/* libFuzzer harness: the gateway (services/gateway), the normal world's way
 * in: its handling of one CALL_WITH_ARG (main.c handle_call: mapping and
 * copying the optee_msg_arg, the commands, the write-back) and of page
 * lists (shm.c REGISTER_SHM, memory references), with sessions and TA
 * instances (session.c) behind them. The gateway's sources are compiled
 * into this file, so that its state can be reset between inputs; the
 * kernel, init and the TAs are the model in gw_shim.c.
 *
 * Input: byte 0, the number of calls (1 to 4); bytes 1-8, each call's
 * message address as a 16-bit offset into normal-world RAM (from 0xff00 up:
 * an address outside it); bytes 9-31, the tape init's and the TAs' replies
 * come from; then normal-world RAM (8 pages from FZ_NSRAM_BASE, the rest
 * zero).
 *
 * Checked after every call: the return code is one the ABI has; the
 * gateway wrote to normal-world RAM only the fields the ABI lets it change
 * (nothing at all for a refused message); it holds no normal-world object
 * or mapping between calls; every registration is consistent. The model
 * aborts on a handle misused or a memory reference outside its object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_shim.h"

#include "../../services/gateway/main.c"
#include "../../services/gateway/session.c"
#include "../../services/gateway/shm.c"

#define CTL_SIZE 32

static uint8_t before[FZ_NSRAM_SIZE];

static void require(int ok, const char *what)
{
	if (!ok)
		fz_fail(what);
}

/* Whether byte `off` of the message at `msg` (offsets in RAM) is one the
 * gateway may write: the header's ret, ret_origin and session, and per
 * parameter the value (a, b, c) or the memory reference's size. */
static int writable(size_t msg, size_t off)
{
	if (off < msg)
		return 0;
	size_t rel = off - msg;
	if (rel < sizeof(struct optee_msg_arg))
		return (rel >= 8 && rel < 12) || (rel >= 20 && rel < 28);
	struct optee_msg_arg hdr;
	memcpy(&hdr, before + msg, sizeof(hdr));
	size_t i = (rel - sizeof(hdr)) / sizeof(struct optee_msg_param);
	size_t in = (rel - sizeof(hdr)) % sizeof(struct optee_msg_param);
	if (i >= hdr.num_params)
		return 0;
	uint64_t attr;
	memcpy(&attr, before + msg + sizeof(hdr) + i * sizeof(struct optee_msg_param), 8);
	uint32_t t = (uint32_t)(attr & OPTEE_MSG_ATTR_TYPE_MASK);
	if (t >= OPTEE_MSG_ATTR_TYPE_VALUE_INPUT && t <= OPTEE_MSG_ATTR_TYPE_VALUE_INOUT)
		return in >= 8;
	if ((t >= OPTEE_MSG_ATTR_TYPE_RMEM_INPUT && t <= OPTEE_MSG_ATTR_TYPE_RMEM_INOUT) ||
	    (t >= OPTEE_MSG_ATTR_TYPE_TMEM_INPUT && t <= OPTEE_MSG_ATTR_TYPE_TMEM_INOUT))
		return in >= 16 && in < 24;
	return 0;
}

static void check_registrations(void)
{
	for (unsigned i = 0; i < GW_MAX_SHM; i++) {
		const struct shm_reg *r = &regs[i];
		if (!r->pages)
			continue;
		require(r->size > 0 && r->offset < OPTEE_MSG_NONCONTIG_PAGE_SIZE,
			"a registration with a bad size or offset");
		require(r->npages == (r->offset + r->size + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE &&
				r->npages <= GW_MAX_SHM_PAGES,
			"a registration whose pages do not cover it");
		for (unsigned j = 0; j < r->npages; j++)
			require(!(r->pages[j] & (MT_PAGE_SIZE - 1)) && r->pages[j] >= FZ_NSRAM_BASE &&
					r->pages[j] < FZ_NSRAM_BASE + FZ_NSRAM_SIZE,
				"a registered page outside normal-world RAM");
	}
}

/* Back to a gateway that has just started. */
static void reset_gateway(void)
{
	for (unsigned i = 0; i < GW_MAX_SHM; i++)
		free(regs[i].pages);
	memset(regs, 0, sizeof(regs));
	memset(instances, 0, sizeof(instances));
	memset(sessions, 0, sizeof(sessions));
	next_session_id = 1;
	budget = GW_CALL_SHMS;
	memset(gw_workers, 0, sizeof(gw_workers));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	mt_handle_t sup;
	fz_shim_init(&gw_nsmem, &sup);
	session_init(sup);
	/* The gateway's console lines (a TA died) would flood the log. */
	if (!freopen("/dev/null", "w", stdout))
		return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < CTL_SIZE)
		return 0;
	size_t ram = size - CTL_SIZE < FZ_NSRAM_SIZE ? size - CTL_SIZE : FZ_NSRAM_SIZE;
	reset_gateway();
	fz_shim_reset(data + 9, CTL_SIZE - 9);
	memset(fz_nsram, 0, FZ_NSRAM_SIZE);
	memcpy(fz_nsram, data + CTL_SIZE, ram);

	unsigned calls = 1 + data[0] % 4;
	for (unsigned c = 0; c < calls; c++) {
		uint16_t off = (uint16_t)(data[1 + 2 * c] | data[2 + 2 * c] << 8);
		/* Outside RAM: just below it, or past its end. */
		uint64_t pa = off < 0xff00 ? FZ_NSRAM_BASE + off
			      : (off & 1) ? FZ_NSRAM_BASE + FZ_NSRAM_SIZE - 32 + (off & 0xf0)
					  : FZ_NSRAM_BASE - 0x100 + (off & 0xf8);
		memcpy(before, fz_nsram, FZ_NSRAM_SIZE);
		uint64_t rc = handle_call(&gw_workers[0], pa);
		require(rc == OPTEE_SMC_RETURN_OK || rc == OPTEE_SMC_RETURN_EBADADDR ||
				rc == OPTEE_SMC_RETURN_EBADCMD,
			"a return code outside the ABI");
		int handled = rc == OPTEE_SMC_RETURN_OK;
		if (handled)
			require(pa >= FZ_NSRAM_BASE && pa + sizeof(struct optee_msg_arg) <= FZ_NSRAM_BASE + FZ_NSRAM_SIZE,
				"a message outside normal-world RAM was handled");
		size_t msg = (size_t)(pa - FZ_NSRAM_BASE);
		/* (By 64-byte blocks first: a byte loop over all of RAM would be
		 * most of the run time.) */
		for (size_t blk = 0; blk < FZ_NSRAM_SIZE; blk += 64) {
			if (memcmp(fz_nsram + blk, before + blk, 64) == 0)
				continue;
			for (size_t i = blk; i < blk + 64; i++)
				if (fz_nsram[i] != before[i])
					require(handled && writable(msg, i),
						"the gateway wrote a field of normal-world memory it may not");
		}
		require(fz_ns_objects() == 0, "a normal-world object left open after a call");
		require(fz_ns_mapped_pages() == 0, "normal-world memory left mapped after a call");
		require(fz_stray_handles() == 0, "a handle a TA sent back left in the gateway's table");
		check_registrations();
		require(budget == GW_CALL_SHMS && gw_workers[0].nwake == 0,
			"a call kept objects of the budget, or handed an instance on");
	}
	return 0;
}
