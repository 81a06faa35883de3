/* Panic, time, cancellation, trace output, attribute initialisers and UUID
 * text: the parts of the API that need no other service. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <tee_internal_api_extensions.h>

#include "../../include/microtee/rpc_ipc.h"
#include "mt.h"
#include "tatime.h"
#include "tee_rt.h"

/* The image's build id note (lib/rt/user.ld): a 12-byte header, the name
 * "GNU\0", then the id. */
extern const uint8_t __mt_build_id[], __mt_build_id_end[];

/* A panic's crash report, in the lines init prints for a fault
 * (services/init/crash.c) so that scripts/symbolize reads both: #0 is
 * TEE_Panic, then the return addresses of the frame records above it.
 * The walk stays on the TA's stack, between its own frame and the top:
 * memory that is mapped, whatever the records say. */
static void __attribute__((noinline)) panic_report(TEE_Result code)
{
#define PANIC_PREFIX "[ta %s] crash: "
	printf(PANIC_PREFIX "TA %s panicked: TEE_Panic(0x%08" PRIx32 ")\n", tee_rt_uuid_str,
	       tee_rt_uuid_str, code);
	char hex[2 * 32 + 1] = "none";
	size_t note = (size_t)(__mt_build_id_end - __mt_build_id);
	if (note > 16 && note - 16 <= 32) {
		static const char digits[] = "0123456789abcdef";
		for (size_t i = 0; i < note - 16; i++) {
			hex[2 * i] = digits[__mt_build_id[16 + i] >> 4];
			hex[2 * i + 1] = digits[__mt_build_id[16 + i] & 15];
		}
		hex[2 * (note - 16)] = '\0';
	}
	printf(PANIC_PREFIX "  build id %s\n", tee_rt_uuid_str, hex);
	printf(PANIC_PREFIX "  backtrace:\n", tee_rt_uuid_str);
	printf(PANIC_PREFIX "  #0 0x%lx\n", tee_rt_uuid_str, (unsigned long)(uintptr_t)&TEE_Panic);
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0), lo = sp, hi = tee_rt_stack_hi;
	/* This frame's record holds panic_report's return into TEE_Panic: skip it. */
	const uint64_t *rec = (const uint64_t *)sp;
	uintptr_t fp = sp >= tee_rt_stack_lo && sp < hi ? (uintptr_t)rec[0] : 0;
	unsigned n = 1;
	for (; fp && n <= MT_BT_MAX; n++) {
		if ((fp & 7) || fp <= lo || fp > hi - 16)
			break;
		rec = (const uint64_t *)fp;
		printf(PANIC_PREFIX "  #%u 0x%lx\n", tee_rt_uuid_str, n, (unsigned long)rec[1]);
		lo = fp;
		fp = (uintptr_t)rec[0];
	}
	printf(PANIC_PREFIX "  (%s)\n", tee_rt_uuid_str, fp ? "cut" : "end of the chain");
#undef PANIC_PREFIX
}

void TEE_Panic(TEE_Result panicCode)
{
	printf("[ta %s] TEE_Panic(0x%08" PRIx32 "): instance ends\n", tee_rt_uuid_str, panicCode);
	panic_report(panicCode);
	mt_exit(TEE_RT_PANIC_EXIT(panicCode));
}

/* ---- Time ---- */

void TEE_GetSystemTime(TEE_Time *time)
{
	uint64_t freq = 0, c = mt_time(&freq);
	if (!freq)
		TEE_Panic(TEE_ERROR_GENERIC);
	time->seconds = (uint32_t)(c / freq);
	time->millis = (uint32_t)((c % freq) * 1000 / freq);
}

/* Sleeps in slices of one scheduler tick, so that a cancellation (which
 * the gateway writes into the parameter page while we sleep) ends the wait
 * within a tick when cancellation is unmasked. */
#define WAIT_SLICE_NS 10000000ULL

TEE_Result TEE_Wait(uint32_t timeout)
{
	uint64_t freq = 0, start = mt_time(&freq);
	uint64_t total_ns = (uint64_t)timeout * 1000000ULL;
	if (!freq)
		TEE_Panic(TEE_ERROR_GENERIC);
	for (;;) {
		if (TEE_GetCancellationFlag())
			return TEE_ERROR_CANCEL;
		uint64_t left = WAIT_SLICE_NS;
		if (timeout != TEE_TIMEOUT_INFINITE) {
			uint64_t d = mt_time(0) - start;
			uint64_t done_ns =
			    d / freq * 1000000000ULL + d % freq * 1000000000ULL / freq;
			if (done_ns >= total_ns)
				return TEE_SUCCESS;
			if (total_ns - done_ns < left)
				left = total_ns - done_ns;
		}
		mt_sleep_ns(left);
	}
}

/* TA persistent time: an offset from the system time (tatime.c), kept by
 * the instance. It lasts as long as the instance: a new instance, like a
 * new boot under OP-TEE, starts with TEE_ERROR_TIME_NOT_SET. */
static bool ta_time_set;
static int64_t ta_time_offset_ms;

static uint64_t system_ms(void)
{
	uint64_t freq = 0, c = mt_time(&freq);
	if (!freq)
		TEE_Panic(TEE_ERROR_GENERIC);
	return c / freq * 1000 + c % freq * 1000 / freq;
}

TEE_Result TEE_GetTAPersistentTime(TEE_Time *time)
{
	if (!time)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!ta_time_set) {
		time->seconds = time->millis = 0;
		return TEE_ERROR_TIME_NOT_SET;
	}
	uint32_t sec, ms;
	bool over = tee_tatime_read(ta_time_offset_ms, system_ms(), &sec, &ms);
	time->seconds = sec;
	time->millis = ms;
	return over ? TEE_ERROR_OVERFLOW : TEE_SUCCESS;
}

TEE_Result TEE_SetTAPersistentTime(const TEE_Time *time)
{
	if (!time)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	int64_t off;
	if (!tee_tatime_offset(time->seconds, time->millis, system_ms(), &off))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	ta_time_offset_ms = off;
	ta_time_set = true;
	return TEE_SUCCESS;
}

/* The normal world's clock (its CLOCK_REALTIME), asked of Linux's optee
 * driver by the RPC service on the call this TA is serving. GP gives the
 * function no way to fail: without an answer the TA panics, as under
 * OP-TEE. */
void TEE_GetREETime(TEE_Time *time)
{
	struct mt_msg m = {{RPC_OP_GET_TIME}, 0, 0};
	long rc = tee_rt_rpc_ep ? mt_call(tee_rt_rpc_ep, &m) : MT_EBADH;
	if (rc != MT_OK)
		TEE_Panic(TEE_ERROR_COMMUNICATION);
	if ((uint32_t)m.w[0] != TEE_SUCCESS)
		TEE_Panic((uint32_t)m.w[0]);
	time->seconds = (uint32_t)m.w[1];
	time->millis = (uint32_t)(m.w[2] / 1000000U);
}

/* ---- Cancellation ---- */

bool TEE_GetCancellationFlag(void)
{
	return !tee_rt_cancel_masked && tee_rt_cancel_requested();
}

bool TEE_UnmaskCancellation(void)
{
	bool was = tee_rt_cancel_masked;
	tee_rt_set_cancel_mask(false);
	return was;
}

bool TEE_MaskCancellation(void)
{
	bool was = tee_rt_cancel_masked;
	tee_rt_set_cancel_mask(true);
	return was;
}

/* ---- Attributes (plain structure set-up, no crypto) ---- */

void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t attributeID, const void *buffer,
                          size_t length)
{
	if (attributeID & TEE_ATTR_FLAG_VALUE)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	attr->attributeID = attributeID;
	attr->content.ref.buffer = (void *)buffer;
	attr->content.ref.length = length;
}

void TEE_InitValueAttribute(TEE_Attribute *attr, uint32_t attributeID, uint32_t a, uint32_t b)
{
	if (!(attributeID & TEE_ATTR_FLAG_VALUE))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}

/* ---- Trace ---- */

int mt_trace_level = TRACE_MAX; /* until mt_main sets the instance's */
/* A TA's kit-built header (user_ta_header.c) defines its own; this one is
 * for programs that link lib/tee without being a kit-built TA. */
__attribute__((weak)) const int mt_ta_log_default = TRACE_INFO;
__attribute__((weak)) const char mt_ta_name[] = "";

void mt_trace_printf(const char *func, int line, int level, bool raw, const char *fmt, ...)
{
	static const char levels[] = " EIDF";
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	/* "[ta NAME 435818f8]", or without a name "[ta 435818f8]" */
	const char *sep = mt_ta_name[0] ? " " : "";
	if (raw)
		printf("%s\n", msg);
	else if (level > TRACE_MIN && level <= TRACE_MAX)
		printf("[ta %s%s%.8s] %c %s:%d %s\n", mt_ta_name, sep, tee_rt_uuid_str, levels[level],
		       func, line, msg);
	else
		printf("[ta %s%s%.8s] %s\n", mt_ta_name, sep, tee_rt_uuid_str, msg);
}

/* ---- UUIDs ---- */

void tee_rt_uuid_to_str(const TEE_UUID *u, char out[37])
{
	snprintf(out, 37, "%08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", u->timeLow,
	         u->timeMid, u->timeHiAndVersion, u->clockSeqAndNode[0], u->clockSeqAndNode[1],
	         u->clockSeqAndNode[2], u->clockSeqAndNode[3], u->clockSeqAndNode[4],
	         u->clockSeqAndNode[5], u->clockSeqAndNode[6], u->clockSeqAndNode[7]);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

TEE_Result tee_uuid_from_str(TEE_UUID *uuid, const char *s)
{
	uint8_t b[16];
	unsigned n = 0;
	for (unsigned i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return TEE_ERROR_BAD_FORMAT;
			continue;
		}
		int hi = hexval(s[i]), lo = hi < 0 ? -1 : hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return TEE_ERROR_BAD_FORMAT;
		b[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	if (s[36])
		return TEE_ERROR_BAD_FORMAT;
	uuid->timeLow = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	uuid->timeMid = (uint16_t)(b[4] << 8 | b[5]);
	uuid->timeHiAndVersion = (uint16_t)(b[6] << 8 | b[7]);
	memcpy(uuid->clockSeqAndNode, b + 8, 8);
	return TEE_SUCCESS;
}

/* ---- OP-TEE's normal-world plug-ins, through the RPC service ---- */

/* Where the request's shared memory is mapped while the call lasts. */
#define PLUGIN_VA (MT_USER_SHM + 0x0C000000UL)

TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid, uint32_t cmd, uint32_t sub_cmd, void *buf,
                                  size_t len, size_t *outlen)
{
	if (!uuid || (len && !buf) || len > RPC_PLUGIN_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!tee_rt_rpc_ep)
		return TEE_ERROR_NOT_SUPPORTED;
	mt_handle_t shm;
	if (mt_shm_create(16 + len, &shm) != MT_OK)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (mt_shm_map(shm, PLUGIN_VA, MT_PROT_R | MT_PROT_W) != MT_OK) {
		mt_handle_close(shm);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	uint8_t *req = (uint8_t *)PLUGIN_VA;
	/* The UUID as octets, the wire order of OP-TEE's ABI. */
	req[0] = (uint8_t)(uuid->timeLow >> 24);
	req[1] = (uint8_t)(uuid->timeLow >> 16);
	req[2] = (uint8_t)(uuid->timeLow >> 8);
	req[3] = (uint8_t)uuid->timeLow;
	req[4] = (uint8_t)(uuid->timeMid >> 8);
	req[5] = (uint8_t)uuid->timeMid;
	req[6] = (uint8_t)(uuid->timeHiAndVersion >> 8);
	req[7] = (uint8_t)uuid->timeHiAndVersion;
	memcpy(req + 8, uuid->clockSeqAndNode, 8);
	if (len)
		memcpy(req + 16, buf, len);
	struct mt_msg m = {{RPC_OP_PLUGIN, cmd, sub_cmd, len}, MT_XFER(shm, 0, 0, 0), 0};
	long rc = mt_call(tee_rt_rpc_ep, &m);
	TEE_Result res = rc == MT_OK ? (TEE_Result)m.w[0] : TEE_ERROR_COMMUNICATION;
	/* The service checked the answer's length; check it again here. */
	if (res == TEE_SUCCESS && m.w[1] > len)
		res = TEE_ERROR_COMMUNICATION;
	if (res == TEE_SUCCESS) {
		if (m.w[1])
			memcpy(buf, req + 16, m.w[1]);
		if (outlen)
			*outlen = m.w[1];
	}
	mt_mem_unmap(PLUGIN_VA, (16 + len + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1));
	mt_handle_close(shm);
	return res;
}
