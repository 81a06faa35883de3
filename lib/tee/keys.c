/* The TA's side of the key service (include/microtee/key_ipc.h): sealing,
 * derived keys, attestation and the device identity (lib/tee/include/
 * mt_keys.h).
 *
 * The service is reached through the instance's badged handle, which init
 * grants before any other (TA_KEYS_HANDLE; the runtime's copy of the start
 * argument, if it keeps one, wins), checked once with KEY_OP_HELLO. Data
 * moves through one shared-memory object of ours, sent with every request
 * (the service maps it only for that request): created on first use, grown
 * when a request needs more. The service keeps nothing for us between
 * requests, so a call that fails because it died (MT_EPEERDEAD) is simply
 * sent once more; init restarts it meanwhile. */
#include <string.h>

#include <mt_keys.h>

#include "../../include/microtee/key_ipc.h"
#include "../../include/microtee/ta_ipc.h"
#include "mt.h"

_Static_assert(TEE_SEALED_DATA_OVERHEAD == KEY_SEALED_OVERHEAD, "sealing overhead");
_Static_assert(TEE_SEALED_DATA_MAX == KEY_SEAL_MAX, "sealing limit");
_Static_assert(TEE_DERIVED_KEY_MIN == KEY_DERIVE_MIN && TEE_DERIVED_KEY_MAX == KEY_DERIVE_MAX,
               "derived key sizes");
_Static_assert(TEE_DERIVE_LABEL_MAX == KEY_LABEL_MAX, "label size");
_Static_assert(TEE_ATTESTATION_NONCE_MAX == KEY_NONCE_MAX, "nonce size");
_Static_assert(TEE_ATTESTATION_REPORT_MAX == KEY_REPORT_MAX, "report size");

/* If the runtime records the key service's handle from the start argument
 * (TA_START_ARG_KEYS), it defines this; otherwise it stays 0. */
extern unsigned long tee_rt_keys_ep __attribute__((weak));

#define WIN_STEP (16 * 1024)

/* Wipes 8 bytes at a time; kept from being turned into a memset call the
 * compiler could drop. (Copies use memcpy: TAs link picolibc's word-wise
 * release build.) */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) static void bulk_wipe(void *p,
                                                                                    size_t n)
{
	uint8_t *d = p;
	const uint64_t z = 0;
	for (; n >= 8; n -= 8, d += 8)
		__builtin_memcpy(d, &z, 8);
	for (; n; n--)
		*d++ = 0;
	__asm__ volatile("" : : "r"(p) : "memory");
}

static int keys_state; /* 0: not asked yet, 1: there, -1: none */
static mt_handle_t keys_h;
static mt_handle_t win_shm;
static uint8_t *win;
static size_t win_size;

static mt_handle_t service(void)
{
	if (keys_state)
		return keys_state > 0 ? keys_h : 0;
	keys_h = &tee_rt_keys_ep && tee_rt_keys_ep ? tee_rt_keys_ep : TA_KEYS_HANDLE;
	keys_state = -1;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct mt_msg m = {{KEY_OP_HELLO, 0, 0, 0}, 0, 0};
		long rc = mt_call(keys_h, &m);
		if (rc == MT_EPEERDEAD)
			continue;
		if (rc == MT_OK && m.w[0] == TEE_SUCCESS && m.w[1] == KEY_HELLO_MAGIC &&
		    m.w[2] == KEY_PROTOCOL_VERSION)
			keys_state = 1;
		break;
	}
	return keys_state > 0 ? keys_h : 0;
}

/* Makes the data object at least `need` bytes; returns it mapped, or 0. */
static uint8_t *window(size_t need)
{
	if (need > KEY_WINDOW_MAX)
		return 0;
	if (win && win_size >= need)
		return win;
	size_t want = (need + WIN_STEP - 1) / WIN_STEP * WIN_STEP, size = 0;
	mt_handle_t h;
	if (mt_shm_create(want, &h) != MT_OK)
		return 0;
	uint8_t *p = mt_shm_map_any(h, MT_PROT_R | MT_PROT_W, &size);
	if (!p) {
		mt_handle_close(h);
		return 0;
	}
	if (win) {
		mt_mem_unmap((uintptr_t)win, win_size);
		mt_handle_close(win_shm);
	}
	win_shm = h;
	win = p;
	win_size = size;
	return win;
}

/* The same data object serves the storage service (lib/tee/storage.c):
 * each service maps it for one request only, and a TA's calls to them do
 * not overlap, so one shared-memory object of the instance's quota does. */
uint8_t *tee_rt_window(size_t need, mt_handle_t *shm)
{
	uint8_t *p = window(need);
	*shm = p ? win_shm : 0;
	return p;
}

void tee_rt_window_release(void)
{
	if (!win)
		return;
	mt_mem_unmap((uintptr_t)win, win_size);
	mt_handle_close(win_shm);
	win = 0;
	win_size = 0;
	win_shm = 0;
}

/* One request with the data object; *out1 gets reply word 1. */
static TEE_Result call(uint64_t op, uint64_t w1, uint64_t w2, uint64_t *out1)
{
	mt_handle_t h = service();
	if (!h)
		return TEE_ERROR_NOT_SUPPORTED;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct mt_msg m = {{op, w1, w2, 0}, win_shm, 0};
		long rc = mt_call(h, &m);
		if (rc == MT_EPEERDEAD)
			continue;
		if (rc != MT_OK)
			return TEE_ERROR_COMMUNICATION;
		*out1 = m.w[1];
		return (TEE_Result)m.w[0];
	}
	return TEE_ERROR_COMMUNICATION;
}

static size_t align16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/* Sends `in` (n bytes) and receives up to *out_len bytes into out. */
static TEE_Result exchange(uint64_t op, const void *in, size_t n, void *out, size_t *out_len)
{
	if ((n && !in) || !out_len || (*out_len && !out))
		return TEE_ERROR_BAD_PARAMETERS;
	size_t cap = *out_len > KEY_WINDOW_MAX ? KEY_WINDOW_MAX : *out_len;
	size_t out_off = align16(n);
	if (n > KEY_WINDOW_MAX || cap > KEY_WINDOW_MAX - out_off)
		return TEE_ERROR_BAD_PARAMETERS;
	uint8_t *w = window(out_off + cap > 0 ? out_off + cap : 1);
	if (!w)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(w, in, n);
	uint64_t len = 0;
	TEE_Result res = call(op, KEY_SPAN(0, n), KEY_SPAN(out_off, cap), &len);
	if (res == TEE_SUCCESS && len > cap)
		res = TEE_ERROR_COMMUNICATION;
	if (res == TEE_SUCCESS)
		memcpy(out, w + out_off, len);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		*out_len = len;
	/* Leave no plaintext or key behind in shared memory. */
	bulk_wipe(w, n);
	if (res == TEE_SUCCESS)
		bulk_wipe(w + out_off, len);
	return res;
}

TEE_Result TEE_SealData(const void *data, size_t dataLen, void *sealed, size_t *sealedLen)
{
	if (dataLen > KEY_SEAL_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	if (sealedLen && *sealedLen < KEY_SEALED_SIZE(dataLen)) {
		*sealedLen = KEY_SEALED_SIZE(dataLen);
		return TEE_ERROR_SHORT_BUFFER;
	}
	return exchange(KEY_OP_SEAL, data, dataLen, sealed, sealedLen);
}

TEE_Result TEE_UnsealData(const void *sealed, size_t sealedLen, void *data, size_t *dataLen)
{
	if (sealedLen > KEY_SEALED_SIZE(KEY_SEAL_MAX))
		return TEE_ERROR_BAD_FORMAT;
	return exchange(KEY_OP_UNSEAL, sealed, sealedLen, data, dataLen);
}

TEE_Result TEE_DeriveTAKey(const void *label, size_t labelLen, void *key, size_t keyLen)
{
	if (labelLen > KEY_LABEL_MAX || keyLen < KEY_DERIVE_MIN || keyLen > KEY_DERIVE_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	size_t len = keyLen;
	TEE_Result res = exchange(KEY_OP_DERIVE, label, labelLen, key, &len);
	if (res == TEE_SUCCESS && len != keyLen)
		res = TEE_ERROR_COMMUNICATION;
	return res;
}

TEE_Result TEE_GetAttestationReport(const void *nonce, size_t nonceLen, void *report,
                                    size_t *reportLen)
{
	if (nonceLen == 0 || nonceLen > KEY_NONCE_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	return exchange(KEY_OP_ATTEST, nonce, nonceLen, report, reportLen);
}

/* ---- device properties ---- */

static TEE_Result device_info(struct key_device_info *info)
{
	size_t len = sizeof(*info);
	TEE_Result res = exchange(KEY_OP_DEVICE_INFO, 0, 0, info, &len);
	if (res == TEE_SUCCESS && len != sizeof(*info))
		res = TEE_ERROR_COMMUNICATION;
	return res;
}

enum prop { PROP_ID, PROP_KEY, PROP_STATE, PROP_NONE };

static enum prop prop_of(const char *name)
{
	if (!name)
		return PROP_NONE;
	if (strcmp(name, TEE_DEVICE_PROP_ID) == 0)
		return PROP_ID;
	if (strcmp(name, TEE_DEVICE_PROP_ATTESTATION_KEY) == 0)
		return PROP_KEY;
	if (strcmp(name, TEE_DEVICE_PROP_KEY_STATE) == 0)
		return PROP_STATE;
	return PROP_NONE;
}

static TEE_Result put(const void *src, size_t n, void *dst, size_t *len)
{
	if (!len)
		return TEE_ERROR_BAD_PARAMETERS;
	size_t have = *len;
	*len = n;
	if (!dst || have < n)
		return TEE_ERROR_SHORT_BUFFER;
	memcpy(dst, src, n);
	return TEE_SUCCESS;
}

TEE_Result TEE_GetDevicePropertyAsUUID(const char *name, TEE_UUID *value)
{
	enum prop p = prop_of(name);
	if (p == PROP_NONE)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (p != PROP_ID)
		return TEE_ERROR_BAD_FORMAT;
	if (!value)
		return TEE_ERROR_BAD_PARAMETERS;
	struct key_device_info info;
	TEE_Result res = device_info(&info);
	if (res != TEE_SUCCESS)
		return res;
	const uint8_t *u = info.device_id;
	value->timeLow = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
	value->timeMid = (uint16_t)(u[4] << 8 | u[5]);
	value->timeHiAndVersion = (uint16_t)(u[6] << 8 | u[7]);
	memcpy(value->clockSeqAndNode, u + 8, 8);
	return TEE_SUCCESS;
}

TEE_Result TEE_GetDevicePropertyAsBinaryBlock(const char *name, void *value, size_t *valueLen)
{
	enum prop p = prop_of(name);
	if (p == PROP_NONE)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (p == PROP_STATE)
		return TEE_ERROR_BAD_FORMAT;
	struct key_device_info info;
	TEE_Result res = device_info(&info);
	if (res != TEE_SUCCESS)
		return res;
	return p == PROP_ID ? put(info.device_id, sizeof(info.device_id), value, valueLen)
	                    : put(info.pubkey, sizeof(info.pubkey), value, valueLen);
}

TEE_Result TEE_GetDevicePropertyAsString(const char *name, char *value, size_t *valueLen)
{
	static const char hex[] = "0123456789abcdef";
	enum prop p = prop_of(name);
	if (p == PROP_NONE)
		return TEE_ERROR_ITEM_NOT_FOUND;
	struct key_device_info info;
	TEE_Result res = device_info(&info);
	if (res != TEE_SUCCESS)
		return res;
	char s[2 * sizeof(info.pubkey) + 1], *q = s;
	if (p == PROP_ID) {
		for (int i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				*q++ = '-';
			*q++ = hex[info.device_id[i] >> 4];
			*q++ = hex[info.device_id[i] & 15];
		}
	} else if (p == PROP_KEY) {
		for (size_t i = 0; i < sizeof(info.pubkey); i++) {
			*q++ = hex[info.pubkey[i] >> 4];
			*q++ = hex[info.pubkey[i] & 15];
		}
	} else {
		uint32_t v = info.flags;
		char d[11];
		int n = 0;
		do
			d[n++] = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		while (n)
			*q++ = d[--n];
	}
	*q++ = '\0';
	return put(s, (size_t)(q - s), value, valueLen);
}

TEE_Result TEE_GetDevicePropertyAsU32(const char *name, uint32_t *value)
{
	enum prop p = prop_of(name);
	if (p == PROP_NONE)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (p != PROP_STATE)
		return TEE_ERROR_BAD_FORMAT;
	if (!value)
		return TEE_ERROR_BAD_PARAMETERS;
	struct key_device_info info;
	TEE_Result res = device_info(&info);
	if (res == TEE_SUCCESS)
		*value = info.flags;
	return res;
}
