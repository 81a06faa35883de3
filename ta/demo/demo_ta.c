/* The demo TA: a few commands that exercise parameter passing (values,
 * memory references in every direction, short buffers), panics, long
 * computations, sessions, and a self-test of the Internal Core API as a TA
 * sees it. Commands and parameters: include/demo_ta.h. */
#include <string.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <demo_ta.h>

struct session {
	unsigned number;
};

static unsigned sessions_open, sessions_ever;
static const char instance_tag[] = "demo instance";

TEE_Result TA_CreateEntryPoint(void)
{
	DMSG("instance created");
	TEE_SetInstanceData(instance_tag);
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
	DMSG("instance destroyed");
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                                    void **sessionContext)
{
	(void)params;
	if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
	                                  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	struct session *s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	s->number = ++sessions_ever;
	sessions_open++;
	*sessionContext = s;
	IMSG("session %u opened (%u open)", s->number, sessions_open);
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sessionContext)
{
	struct session *s = sessionContext;
	sessions_open--;
	IMSG("session %u closed (%u open)", s->number, sessions_open);
	TEE_Free(s);
}

static TEE_Result cmd_add(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	p[1].value.a = p[0].value.a + p[0].value.b;
	p[1].value.b = 0;
	return TEE_SUCCESS;
}

static TEE_Result cmd_inc_buffer(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	uint8_t *b = p[0].memref.buffer;
	if (!b && p[0].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	for (size_t i = 0; i < p[0].memref.size; i++)
		b[i]++;
	return TEE_SUCCESS;
}

static TEE_Result cmd_reverse(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	const uint8_t *in = p[0].memref.buffer;
	uint8_t *out = p[1].memref.buffer;
	size_t n = p[0].memref.size;
	if (!in && n)
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[1].memref.size < n || (!out && n)) {
		p[1].memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = in[n - 1 - i];
	p[1].memref.size = n;
	return TEE_SUCCESS;
}

static uint64_t now_ms(void)
{
	TEE_Time t;
	TEE_GetSystemTime(&t);
	return (uint64_t)t.seconds * 1000 + t.millis;
}

/* Computes, without blocking, for the given time. */
static TEE_Result cmd_spin(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	uint64_t start = now_ms(), now = start;
	uint32_t iterations = 0;
	volatile uint32_t x = 1;
	while (now - start < p[0].value.a) {
		for (unsigned i = 0; i < 1000; i++)
			x = x * 1103515245U + 12345U;
		iterations++;
		now = now_ms();
	}
	p[1].value.a = (uint32_t)(now - start);
	p[1].value.b = iterations;
	return TEE_SUCCESS;
}

static TEE_Result cmd_ree_time(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Time t;
	TEE_GetREETime(&t);
	p[0].value.a = t.seconds;
	p[0].value.b = t.millis;
	return TEE_SUCCESS;
}

static TEE_Result cmd_plugin(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_VALUE_INPUT,
	                             TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	static const TEE_UUID plugin = TA_DEMO_PLUGIN_UUID;
	size_t out = 0;
	TEE_Result res = tee_invoke_supp_plugin(&plugin, p[1].value.a, p[1].value.b,
	                                        p[0].memref.buffer, p[0].memref.size, &out);
	p[2].value.a = (uint32_t)out;
	p[2].value.b = res;
	return TEE_SUCCESS;
}

static TEE_Result cmd_session_count(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	p[0].value.a = sessions_open;
	p[0].value.b = 0;
	return TEE_SUCCESS;
}

/* ---- self-test ---- */

static uint32_t checks, failures;

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		checks++;                                                                          \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			EMSG("selftest: line %d: %s", __LINE__, #cond);                            \
		}                                                                                  \
	} while (0)

static void test_properties(void)
{
	TEE_UUID want = TA_DEMO_UUID, u;
	EXPECT(TEE_GetPropertyAsUUID(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID", &u) == TEE_SUCCESS &&
	       !memcmp(&u, &want, sizeof(u)));
	bool b = false;
	EXPECT(TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "gpd.ta.singleInstance", &b) ==
	           TEE_SUCCESS &&
	       b);
	EXPECT(TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "gpd.ta.multiSession", &b) ==
	           TEE_SUCCESS &&
	       b);
	EXPECT(TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "gpd.ta.instanceKeepAlive", &b) ==
	           TEE_SUCCESS &&
	       !b);
	uint32_t v = 0;
	EXPECT(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "gpd.ta.dataSize", &v) == TEE_SUCCESS &&
	       v == 32 * 1024);
	EXPECT(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "gpd.ta.stackSize", &v) ==
	           TEE_SUCCESS &&
	       v == 4 * 1024);
	EXPECT(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "org.microtee.demo.answer", &v) ==
	           TEE_SUCCESS &&
	       v == 42);
	EXPECT(TEE_GetPropertyAsU32(TEE_PROPSET_TEE_IMPLEMENTATION, "gpd.tee.internalCore.version",
	                            &v) == TEE_SUCCESS &&
	       v == TEE_CORE_API_VERSION);

	char s[64];
	size_t len = sizeof(s);
	EXPECT(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID", s, &len) ==
	           TEE_SUCCESS &&
	       len == 37 && !strcmp(s, TA_DEMO_UUID_STR));
	len = 4;
	EXPECT(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID", s, &len) ==
	           TEE_ERROR_SHORT_BUFFER &&
	       len == 37);
	len = sizeof(s);
	EXPECT(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "org.microtee.demo.greeting", s,
	                               &len) == TEE_SUCCESS &&
	       !strcmp(s, "hello"));
	len = sizeof(s);
	EXPECT(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.singleInstance", s, &len) ==
	           TEE_SUCCESS &&
	       !strcmp(s, "true"));
	uint8_t blob[8];
	len = sizeof(blob);
	EXPECT(TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA, "org.microtee.demo.blob", blob,
	                                    &len) == TEE_SUCCESS &&
	       len == 3 && blob[0] == 1 && blob[1] == 2 && blob[2] == 3);

	EXPECT(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "no.such.property", &v) ==
	       TEE_ERROR_ITEM_NOT_FOUND);
	EXPECT(TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "gpd.ta.dataSize", &b) ==
	       TEE_ERROR_BAD_FORMAT);

	/* Enumerate the TA's properties: the standard ones and ours. */
	TEE_PropSetHandle e;
	EXPECT(TEE_AllocatePropertyEnumerator(&e) == TEE_SUCCESS);
	TEE_StartPropertyEnumerator(e, TEE_PROPSET_CURRENT_TA);
	unsigned n = 0, ours = 0;
	do {
		len = sizeof(s);
		if (TEE_GetPropertyName(e, s, &len) != TEE_SUCCESS)
			break;
		n++;
		ours += !strncmp(s, "org.microtee.demo.", 18);
	} while (TEE_GetNextProperty(e) == TEE_SUCCESS);
	EXPECT(n >= 10 && ours == 3);
	TEE_ResetPropertyEnumerator(e);
	len = sizeof(s);
	EXPECT(TEE_GetPropertyName(e, s, &len) == TEE_ERROR_ITEM_NOT_FOUND);
	TEE_FreePropertyEnumerator(e);
}

static void test_memory(const TEE_Param *in, const TEE_Param *out)
{
	uint8_t *z = TEE_Malloc(100, TEE_MALLOC_FILL_ZERO);
	EXPECT(z != NULL);
	if (z) {
		bool zero = true;
		for (unsigned i = 0; i < 100; i++)
			zero = zero && z[i] == 0;
		EXPECT(zero);
		TEE_MemFill(z, 0x5a, 100);
		EXPECT(z[0] == 0x5a && z[99] == 0x5a);
		z = TEE_Realloc(z, 5000);
		EXPECT(z != NULL && z[99] == 0x5a);
		if (z) {
			EXPECT(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ |
			                                       TEE_MEMORY_ACCESS_WRITE,
			                                   z, 5000) == TEE_SUCCESS);
			TEE_MemMove(z + 1, z, 99); /* overlapping */
			EXPECT(TEE_MemCompare(z, z + 1, 99) == 0);
		}
		TEE_Free(z);
	}
	uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 9, 4};
	EXPECT(TEE_MemCompare(a, b, 4) < 0 && TEE_MemCompare(b, a, 4) > 0);
	void *nf = TEE_Malloc(16, TEE_MALLOC_NO_FILL);
	EXPECT(nf != NULL);
	TEE_Free(nf);
	void *empty = TEE_Malloc(0, 0);
	EXPECT(empty != NULL);
	TEE_Free(empty);
	TEE_Free(NULL);

	/* The client's buffers are shared: only with ANY_OWNER, and an input is
	 * read-only. */
	const uint32_t r = TEE_MEMORY_ACCESS_READ, w = TEE_MEMORY_ACCESS_WRITE,
	               any = TEE_MEMORY_ACCESS_ANY_OWNER;
	EXPECT(TEE_CheckMemoryAccessRights(r | any, in->memref.buffer, in->memref.size) ==
	       TEE_SUCCESS);
	EXPECT(TEE_CheckMemoryAccessRights(r, in->memref.buffer, in->memref.size) ==
	       TEE_ERROR_ACCESS_DENIED);
	EXPECT(TEE_CheckMemoryAccessRights(r | w | any, in->memref.buffer, in->memref.size) ==
	       TEE_ERROR_ACCESS_DENIED);
	EXPECT(TEE_CheckMemoryAccessRights(r | any, in->memref.buffer, in->memref.size + 1) ==
	       TEE_ERROR_ACCESS_DENIED);
	EXPECT(TEE_CheckMemoryAccessRights(r | w | any, out->memref.buffer, out->memref.size) ==
	       TEE_SUCCESS);
	/* Our own memory. */
	uint32_t local = 0;
	EXPECT(TEE_CheckMemoryAccessRights(r | w, &local, sizeof(local)) == TEE_SUCCESS);
	EXPECT(TEE_CheckMemoryAccessRights(r | w, &checks, sizeof(checks)) == TEE_SUCCESS);
	EXPECT(TEE_CheckMemoryAccessRights(r, (void *)instance_tag, sizeof(instance_tag)) ==
	       TEE_SUCCESS);
	EXPECT(TEE_CheckMemoryAccessRights(w, (void *)instance_tag, sizeof(instance_tag)) ==
	       TEE_ERROR_ACCESS_DENIED);
	EXPECT(TEE_CheckMemoryAccessRights(r, (void *)0x1000, 16) == TEE_ERROR_ACCESS_DENIED);

	EXPECT(TEE_GetInstanceData() == instance_tag);
}

static void test_time(void)
{
	uint64_t t0 = now_ms();
	EXPECT(TEE_Wait(30) == TEE_SUCCESS);
	uint64_t t1 = now_ms();
	EXPECT(t1 >= t0 + 20);
	EXPECT(TEE_MaskCancellation() == true);
	EXPECT(TEE_UnmaskCancellation() == true);
	EXPECT(TEE_UnmaskCancellation() == false);
	EXPECT(!TEE_GetCancellationFlag());
}

static TEE_Result cmd_selftest(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	checks = failures = 0;
	test_properties();
	test_memory(&p[0], &p[2]);
	test_time();

	/* Report the client as this session sees it. */
	size_t len = p[2].memref.size;
	TEE_Result res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_CLIENT, "gpd.client.identity",
	                                         p[2].memref.buffer, &len);
	p[2].memref.size = len;
	p[1].value.a = failures;
	p[1].value.b = checks;
	IMSG("selftest: %u of %u checks failed", (unsigned)failures, (unsigned)checks);
	return res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID, uint32_t paramTypes,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sessionContext;
	switch (commandID) {
	case TA_DEMO_CMD_ADD:
		return cmd_add(paramTypes, params);
	case TA_DEMO_CMD_INC_BUFFER:
		return cmd_inc_buffer(paramTypes, params);
	case TA_DEMO_CMD_REVERSE:
		return cmd_reverse(paramTypes, params);
	case TA_DEMO_CMD_PANIC:
		IMSG("panicking on request");
		TEE_Panic(TA_DEMO_PANIC_CODE);
		return TEE_ERROR_GENERIC; /* not reached; GP does not mark TEE_Panic noreturn */
	case TA_DEMO_CMD_SPIN:
		return cmd_spin(paramTypes, params);
	case TA_DEMO_CMD_GET_SESSION_COUNT:
		return cmd_session_count(paramTypes, params);
	case TA_DEMO_CMD_SELFTEST:
		return cmd_selftest(paramTypes, params);
	case TA_DEMO_CMD_REE_TIME:
		return cmd_ree_time(paramTypes, params);
	case TA_DEMO_CMD_PLUGIN:
		return cmd_plugin(paramTypes, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
