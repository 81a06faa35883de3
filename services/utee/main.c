/* The OP-TEE personality's entry side (utee.h): lib/tee's runtime serves
 * the gateway as for any TA and calls the entry points below, which call
 * the OP-TEE TA's entry function the way OP-TEE's core does: (function,
 * session id, struct utee_params *, command) on the TA's own stack; the TA
 * ends each call with _utee_return, which comes back here (utee_ta_ended).
 * The TA's header, flags and stack size come from its ta_head, through the
 * info page init's loader wrote. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <tee_internal_api.h>
#include <user_ta_header.h>

#include "../../lib/tee/tee_rt.h"
#include "mt.h"
#include "utee.h"

_Static_assert(SYS_DISPATCH_RETURN == 33, "entry.S uses the number");

/* lib/tee's defaults, for the kit's header: the real one is made at start. */
const struct ta_head mt_ta_head
    __attribute__((section(".ta_head"), used)) = {.magic = TA_HEAD_MAGIC, .version = 1};

static struct ta_head head;
static TEE_UUID ta_uuid;
/* lib/tee's current-TA property set: the TA's own properties (gpd.ta.*
 * but the UUID) are in the TA, which libutee reads itself. */
const struct user_ta_property mt_ta_props[] = {
    {"gpd.ta.appID", USER_TA_PROP_TYPE_UUID, &ta_uuid},
};
const size_t mt_ta_num_props = 1;

uint64_t utee_our_tpidr;
uint64_t utee_stack_lo, utee_stack_hi;
static uint64_t ta_tpidr; /* the TA's thread pointer, kept between its calls */
static struct mt_dispatch_frame frame __attribute__((aligned(16)));
static uint8_t handler_stack[0x8000] __attribute__((aligned(16)));
static jmp_buf back;
static uint32_t ta_res;
static uint64_t next_session = 1;

void utee_return_failed(long rc);
void utee_return_failed(long rc)
{
	printf("[utee] SYS_DISPATCH_RETURN failed: %ld\n", rc);
	mt_exit(1);
}

/* Called by lib/tee's mt_main before anything else. */
const struct ta_head *tee_rt_personality_head(void)
{
	const struct utee_info *in = UTEE_INFO;
	if (in->magic != UTEE_INFO_MAGIC) {
		printf("[utee] no TA: this program is started by init's loader only\n");
		return 0;
	}
	ta_uuid.timeLow = in->head.time_low;
	ta_uuid.timeMid = in->head.time_mid;
	ta_uuid.timeHiAndVersion = in->head.time_hi_and_version;
	memcpy(ta_uuid.clockSeqAndNode, in->head.clock_seq_and_node, 8);
	head = (struct ta_head){
	    .magic = TA_HEAD_MAGIC,
	    .version = 1,
	    .uuid = ta_uuid,
	    .flags = in->head.flags,
	    .stack_size = 0x4000, /* the runtime's own: the TA runs on its stack */
	    .data_size = 0,
	};
	/* The TA's stack, with an unmapped guard page below it. */
	uint64_t size = ((uint64_t)in->head.stack_size + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
	utee_stack_hi = UTEE_STACK_TOP;
	utee_stack_lo = UTEE_STACK_TOP - size;
	if (mt_mem_map(utee_stack_lo, size, MT_PROT_R | MT_PROT_W) != MT_OK) {
		printf("[utee] cannot map the TA's %lu-byte stack\n", (unsigned long)size);
		return 0;
	}
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(utee_our_tpidr));
	/* Every svc outside our own image is the TA's. */
	long rc =
	    MT_SYS(SYS_DISPATCH_SET, MT_USER_BASE, UTEE_INFO_VA, (unsigned long)utee_handler,
	           (unsigned long)&frame, (unsigned long)(handler_stack + sizeof(handler_stack)));
	if (rc != MT_OK) {
		printf("[utee] SYS_DISPATCH_SET: %ld\n", rc);
		return 0;
	}
	return &head;
}

void utee_ta_ended(uint32_t res, uint64_t tpidr)
{
	ta_res = res;
	ta_tpidr = tpidr;
	longjmp(back, 1);
}

/* One call of the TA's entry function, as OP-TEE's core makes it. */
static TEE_Result call_ta(unsigned long func, uint64_t session, struct utee_params *up,
                          unsigned long cmd)
{
	if (setjmp(back) == 0)
		utee_jump(UTEE_INFO->entry, utee_stack_hi, ta_tpidr, func, session, (uintptr_t)up,
		          cmd);
	__asm__ volatile("msr tpidr_el0, %0" ::"r"(utee_our_tpidr));
	return ta_res;
}

static bool is_memref(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_INPUT || t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
	       t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static void to_utee(uint32_t types, const TEE_Param p[TEE_NUM_PARAMS], struct utee_params *up)
{
	up->types = types;
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		if (is_memref(t)) {
			up->vals[2 * i] = (uintptr_t)p[i].memref.buffer;
			up->vals[2 * i + 1] = p[i].memref.size;
		} else if (t != TEE_PARAM_TYPE_NONE) {
			up->vals[2 * i] = p[i].value.a;
			up->vals[2 * i + 1] = p[i].value.b;
		} else {
			up->vals[2 * i] = up->vals[2 * i + 1] = 0;
		}
	}
}

/* What the TA may change: output values and the sizes of memory
 * references (lib/tee checks them against the buffers). */
static void from_utee(uint32_t types, const struct utee_params *up, TEE_Param p[TEE_NUM_PARAMS])
{
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		if (is_memref(t)) {
			p[i].memref.size = up->vals[2 * i + 1];
		} else if (t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT) {
			p[i].value.a = (uint32_t)up->vals[2 * i];
			p[i].value.b = (uint32_t)up->vals[2 * i + 1];
		}
	}
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS; /* libutee creates the instance at its first session */
}

void TA_DestroyEntryPoint(void)
{
	/* and destroys it at its last */
}

TEE_Result mt_ta_open_session(uint32_t types, union mt_tee_param params[TEE_NUM_PARAMS], void **ctx)
{
	static struct utee_params up;
	uint64_t id = next_session++;
	to_utee(types, params, &up);
	TEE_Result res = call_ta(UTEE_ENTRY_OPEN_SESSION, id, &up, 0);
	from_utee(types, &up, params);
	if (res == TEE_SUCCESS)
		*ctx = (void *)(uintptr_t)id;
	return res;
}

TEE_Result mt_ta_invoke_command(void *ctx, uint32_t cmd, uint32_t types,
                                union mt_tee_param params[TEE_NUM_PARAMS])
{
	static struct utee_params up;
	to_utee(types, params, &up);
	TEE_Result res = call_ta(UTEE_ENTRY_INVOKE_COMMAND, (uintptr_t)ctx, &up, cmd);
	from_utee(types, &up, params);
	return res;
}

void TA_CloseSessionEntryPoint(void *ctx)
{
	static struct utee_params up;
	memset(&up, 0, sizeof(up));
	call_ta(UTEE_ENTRY_CLOSE_SESSION, (uintptr_t)ctx, &up, 0);
}
