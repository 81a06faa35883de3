/* Properties: the three property sets (the TA's, from its image; the
 * current client's, from the session; the implementation's) and the
 * enumerators over them, with the type conversions GlobalPlatform asks for
 * (every property reads as a string; strings parse as other types). */
#include <stdio.h>
#include <string.h>

#include <mt_keys.h>
#include <tee_internal_api_extensions.h>

#include "tee_rt.h"

#define ENUMERATORS 8

/* An enumerator: what a TEE_PropSetHandle that is not one of the three
 * pseudo-handles points to. */
struct mt_tee_propset {
	bool used;
	bool started;
	TEE_PropSetHandle set;
	size_t index;
};

static struct mt_tee_propset enumerators[ENUMERATORS];

static const uint32_t u32_zero = 0;
static const uint32_t api_version = TEE_CORE_API_VERSION;
static const uint32_t time_protection = 1000; /* the TEE controls the timer */

static const uint32_t storage_protection = 1000;        /* secure flash, init's rollback counter */
static const uint32_t impl_binary_version = 0x00000001; /* 0.1 */
static const bool has_ecc = true;

/* gpd.tee.arith.maxBigIntSize is not here: the arithmetic API is not
 * implemented (stubs.c); OP-TEE's libutee answers it itself. */
static const struct user_ta_property tee_props[] = {
    {"gpd.tee.apiversion", USER_TA_PROP_TYPE_STRING, "1.3.1"},
    {"gpd.tee.internalCore.version", USER_TA_PROP_TYPE_U32, &api_version},
    {"gpd.tee.description", USER_TA_PROP_TYPE_STRING, "MicroTEE"},
    {"gpd.tee.systemTime.protectionLevel", USER_TA_PROP_TYPE_U32, &time_protection},
    {"gpd.tee.TAPersistentTime.protectionLevel", USER_TA_PROP_TYPE_U32, &time_protection},
    {"gpd.tee.cryptography.ecc", USER_TA_PROP_TYPE_BOOL, &has_ecc},
    {"gpd.tee.trustedStorage.antiRollback.protectionLevel", USER_TA_PROP_TYPE_U32,
     &storage_protection},
    {"gpd.tee.trustedos.manufacturer", USER_TA_PROP_TYPE_STRING, "MicroTEE"},
    {"gpd.tee.trustedos.implementation.version", USER_TA_PROP_TYPE_STRING, "0.1"},
    {"gpd.tee.trustedos.implementation.binaryversion", USER_TA_PROP_TYPE_U32, &impl_binary_version},
    {"gpd.tee.firmware.manufacturer", USER_TA_PROP_TYPE_STRING, "MicroTEE"},
    {"gpd.tee.firmware.implementation.version", USER_TA_PROP_TYPE_STRING, "0.1"},
    {"gpd.tee.firmware.implementation.binaryversion", USER_TA_PROP_TYPE_U32, &impl_binary_version},
};
#define TEE_NPROPS (sizeof(tee_props) / sizeof(tee_props[0]))

/* The last one, gpd.tee.deviceID, is the key service's (lib/tee/keys.c),
 * asked once; without an answer the set ends before it. */
static bool device_id_known;
static TEE_UUID device_id;

static bool device_id_prop(struct user_ta_property *out)
{
	if (!device_id_known &&
	    TEE_GetDevicePropertyAsUUID(TEE_DEVICE_PROP_ID, &device_id) == TEE_SUCCESS)
		device_id_known = true;
	if (!device_id_known)
		return false;
	*out = (struct user_ta_property){TEE_DEVICE_PROP_ID, USER_TA_PROP_TYPE_UUID, &device_id};
	return true;
}

static bool is_pseudo(TEE_PropSetHandle h)
{
	return h == TEE_PROPSET_CURRENT_TA || h == TEE_PROPSET_CURRENT_CLIENT ||
	       h == TEE_PROPSET_TEE_IMPLEMENTATION;
}

static struct mt_tee_propset *enumerator(TEE_PropSetHandle h)
{
	uintptr_t p = (uintptr_t)h, base = (uintptr_t)enumerators;
	if (p < base || p >= base + sizeof(enumerators) || (p - base) % sizeof(enumerators[0]))
		return 0;
	struct mt_tee_propset *e = (struct mt_tee_propset *)h;
	return e->used ? e : 0;
}

/* The i-th property of a set; false past the end. */
bool tee_rt_prop(TEE_PropSetHandle set, size_t i, struct user_ta_property *out)
{
	if (set == TEE_PROPSET_CURRENT_TA) {
		if (i >= mt_ta_num_props)
			return false;
		*out = mt_ta_props[i];
		return true;
	}
	if (set == TEE_PROPSET_CURRENT_CLIENT) {
		const struct tee_rt_session *s = tee_rt_current_session;
		if (!s || i >= 2)
			return false;
		*out = i == 0 ? (struct user_ta_property){"gpd.client.identity",
		                                          USER_TA_PROP_TYPE_IDENTITY, &s->client}
		              : (struct user_ta_property){"gpd.client.endian",
		                                          USER_TA_PROP_TYPE_U32, &u32_zero};
		return true;
	}
	if (set == TEE_PROPSET_TEE_IMPLEMENTATION) {
		if (i == TEE_NPROPS)
			return device_id_prop(out);
		if (i > TEE_NPROPS)
			return false;
		*out = tee_props[i];
		return true;
	}
	return false;
}

/* The property a getter names: by name in a set, or the one an enumerator
 * stands on. Panics on a handle that is neither. */
static TEE_Result find(TEE_PropSetHandle h, const char *name, struct user_ta_property *out)
{
	if (is_pseudo(h)) {
		if (!name)
			return TEE_ERROR_ITEM_NOT_FOUND;
		for (size_t i = 0; tee_rt_prop(h, i, out); i++)
			if (strcmp(out->name, name) == 0)
				return TEE_SUCCESS;
		return TEE_ERROR_ITEM_NOT_FOUND;
	}
	struct mt_tee_propset *e = enumerator(h);
	if (!e)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!e->started || !tee_rt_prop(e->set, e->index, out))
		return TEE_ERROR_ITEM_NOT_FOUND;
	return TEE_SUCCESS;
}

/* Copies a NUL-terminated string out with the GP short-buffer rule: *len is
 * the buffer's size on entry and the size needed (NUL included) on exit. */
static TEE_Result copy_string(const char *s, char *buf, size_t *len)
{
	size_t need = strlen(s) + 1;
	size_t have = *len;
	*len = need;
	if (!buf || have < need)
		return TEE_ERROR_SHORT_BUFFER;
	memcpy(buf, s, need);
	return TEE_SUCCESS;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			return false;
	}
	*out = v;
	return true;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 (padding optional); returns the decoded length, writing
 * only what fits in cap bytes, or -1 if s is not base64. */
static long b64_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	for (; *s && *s != '='; s++) {
		int v = b64_value(*s);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n < cap)
				out[n] = (uint8_t)(acc >> bits);
			n++;
		}
	}
	for (; *s == '='; s++)
		;
	return *s ? -1 : (long)n;
}

/* The property's value as text, in tmp if it is not a string already. */
static const char *as_text(const struct user_ta_property *p, char tmp[64])
{
	switch (p->type) {
	case USER_TA_PROP_TYPE_BOOL:
		return *(const bool *)p->value ? "true" : "false";
	case USER_TA_PROP_TYPE_U32:
		snprintf(tmp, 64, "%" PRIu32, *(const uint32_t *)p->value);
		return tmp;
	case USER_TA_PROP_TYPE_U64:
		snprintf(tmp, 64, "%" PRIu64, *(const uint64_t *)p->value);
		return tmp;
	case USER_TA_PROP_TYPE_UUID:
		tee_rt_uuid_to_str(p->value, tmp);
		return tmp;
	case USER_TA_PROP_TYPE_IDENTITY: {
		const TEE_Identity *id = p->value;
		char u[37];
		tee_rt_uuid_to_str(&id->uuid, u);
		snprintf(tmp, 64, "%" PRIu32 ":%s", id->login, u);
		return tmp;
	}
	case USER_TA_PROP_TYPE_STRING:
	case USER_TA_PROP_TYPE_BINARY_BLOCK:
		return p->value;
	default:
		return 0;
	}
}

TEE_Result TEE_GetPropertyAsString(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                   char *valueBuffer, size_t *valueBufferLen)
{
	struct user_ta_property p;
	TEE_Result res = find(propsetOrEnumerator, name, &p);
	if (res != TEE_SUCCESS)
		return res;
	char tmp[64];
	const char *s = as_text(&p, tmp);
	if (!s)
		return TEE_ERROR_BAD_FORMAT;
	return copy_string(s, valueBuffer, valueBufferLen);
}

TEE_Result TEE_GetPropertyAsBool(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                 bool *value)
{
	struct user_ta_property p;
	TEE_Result res = find(propsetOrEnumerator, name, &p);
	if (res != TEE_SUCCESS)
		return res;
	if (p.type == USER_TA_PROP_TYPE_BOOL) {
		*value = *(const bool *)p.value;
		return TEE_SUCCESS;
	}
	if (p.type == USER_TA_PROP_TYPE_STRING) {
		if (strcmp(p.value, "true") == 0 || strcmp(p.value, "false") == 0) {
			*value = strcmp(p.value, "true") == 0;
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_BAD_FORMAT;
}

static TEE_Result get_u64(TEE_PropSetHandle h, const char *name, uint64_t *value, bool u32)
{
	struct user_ta_property p;
	TEE_Result res = find(h, name, &p);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t v;
	if (p.type == USER_TA_PROP_TYPE_U32)
		v = *(const uint32_t *)p.value;
	else if (p.type == USER_TA_PROP_TYPE_U64 && !u32)
		v = *(const uint64_t *)p.value;
	else if (p.type != USER_TA_PROP_TYPE_STRING || !parse_u64(p.value, &v))
		return TEE_ERROR_BAD_FORMAT;
	if (u32 && v > UINT32_MAX)
		return TEE_ERROR_BAD_FORMAT;
	*value = v;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                uint32_t *value)
{
	uint64_t v;
	TEE_Result res = get_u64(propsetOrEnumerator, name, &v, true);
	if (res == TEE_SUCCESS)
		*value = (uint32_t)v;
	return res;
}

TEE_Result TEE_GetPropertyAsU64(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                uint64_t *value)
{
	return get_u64(propsetOrEnumerator, name, value, false);
}

TEE_Result TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                        void *valueBuffer, size_t *valueBufferLen)
{
	struct user_ta_property p;
	TEE_Result res = find(propsetOrEnumerator, name, &p);
	if (res != TEE_SUCCESS)
		return res;
	if (p.type != USER_TA_PROP_TYPE_BINARY_BLOCK && p.type != USER_TA_PROP_TYPE_STRING)
		return TEE_ERROR_BAD_FORMAT;
	size_t have = valueBuffer ? *valueBufferLen : 0;
	long n = b64_decode(p.value, valueBuffer, have);
	if (n < 0)
		return TEE_ERROR_BAD_FORMAT;
	*valueBufferLen = (size_t)n;
	return (size_t)n > have ? TEE_ERROR_SHORT_BUFFER : TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsUUID(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                 TEE_UUID *value)
{
	struct user_ta_property p;
	TEE_Result res = find(propsetOrEnumerator, name, &p);
	if (res != TEE_SUCCESS)
		return res;
	if (p.type == USER_TA_PROP_TYPE_UUID) {
		*value = *(const TEE_UUID *)p.value;
		return TEE_SUCCESS;
	}
	if (p.type == USER_TA_PROP_TYPE_STRING && tee_uuid_from_str(value, p.value) == TEE_SUCCESS)
		return TEE_SUCCESS;
	return TEE_ERROR_BAD_FORMAT;
}

TEE_Result TEE_GetPropertyAsIdentity(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                     TEE_Identity *value)
{
	struct user_ta_property p;
	TEE_Result res = find(propsetOrEnumerator, name, &p);
	if (res != TEE_SUCCESS)
		return res;
	if (p.type != USER_TA_PROP_TYPE_IDENTITY)
		return TEE_ERROR_BAD_FORMAT;
	*value = *(const TEE_Identity *)p.value;
	return TEE_SUCCESS;
}

TEE_Result TEE_AllocatePropertyEnumerator(TEE_PropSetHandle *enumeratorOut)
{
	for (unsigned i = 0; i < ENUMERATORS; i++) {
		if (!enumerators[i].used) {
			enumerators[i] = (struct mt_tee_propset){true, false, 0, 0};
			*enumeratorOut = &enumerators[i];
			return TEE_SUCCESS;
		}
	}
	*enumeratorOut = TEE_HANDLE_NULL;
	return TEE_ERROR_OUT_OF_MEMORY;
}

static struct mt_tee_propset *valid_enumerator(TEE_PropSetHandle h)
{
	struct mt_tee_propset *e = enumerator(h);
	if (!e)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return e;
}

void TEE_FreePropertyEnumerator(TEE_PropSetHandle e)
{
	if (e == TEE_HANDLE_NULL)
		return;
	valid_enumerator(e)->used = false;
}

void TEE_StartPropertyEnumerator(TEE_PropSetHandle e, TEE_PropSetHandle propSet)
{
	struct mt_tee_propset *en = valid_enumerator(e);
	if (!is_pseudo(propSet))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	en->set = propSet;
	en->index = 0;
	en->started = true;
}

void TEE_ResetPropertyEnumerator(TEE_PropSetHandle e)
{
	valid_enumerator(e)->started = false;
}

TEE_Result TEE_GetPropertyName(TEE_PropSetHandle e, void *nameBuffer, size_t *nameBufferLen)
{
	struct mt_tee_propset *en = valid_enumerator(e);
	struct user_ta_property p;
	if (!en->started || !tee_rt_prop(en->set, en->index, &p))
		return TEE_ERROR_ITEM_NOT_FOUND;
	return copy_string(p.name, nameBuffer, nameBufferLen);
}

TEE_Result TEE_GetNextProperty(TEE_PropSetHandle e)
{
	struct mt_tee_propset *en = valid_enumerator(e);
	struct user_ta_property p;
	if (!en->started || !tee_rt_prop(en->set, en->index, &p))
		return TEE_ERROR_ITEM_NOT_FOUND;
	en->index++;
	return tee_rt_prop(en->set, en->index, &p) ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND;
}
