/*
 * test_plugin — a tee-supplicant plugin (/usr/lib/tee-supplicant/plugins/),
 * for tests/system/nw_tee.sh: TAs reach it with tee_invoke_supp_plugin. Its
 * commands (ta/demo/include/demo_ta.h): UPPER answers the data in upper
 * case; HELLO answers a fixed string; LIE claims an answer longer than the
 * buffer, which the secure world must refuse.
 */
#include <stddef.h>
#include <string.h>
#include <tee_plugin_method.h>

#include "../../ta/demo/include/demo_ta.h"

static TEEC_Result plugin_init(void)
{
	return TEEC_SUCCESS;
}

static TEEC_Result plugin_invoke(unsigned int cmd, unsigned int sub_cmd, void *data, size_t in_len,
				 size_t *out_len)
{
	(void)sub_cmd;
	char *d = data;
	static const char hello[] = "hello from the normal world";
	switch (cmd) {
	case TA_DEMO_PLUGIN_UPPER:
		for (size_t i = 0; i < in_len; i++)
			if (d[i] >= 'a' && d[i] <= 'z')
				d[i] = (char)(d[i] - 'a' + 'A');
		*out_len = in_len;
		return TEEC_SUCCESS;
	case TA_DEMO_PLUGIN_HELLO:
		if (in_len < sizeof(hello))
			return TEEC_ERROR_SHORT_BUFFER;
		memcpy(d, hello, sizeof(hello));
		*out_len = sizeof(hello);
		return TEEC_SUCCESS;
	case TA_DEMO_PLUGIN_LIE:
		*out_len = in_len + 4096;
		return TEEC_SUCCESS;
	default:
		return TEEC_ERROR_NOT_SUPPORTED;
	}
}

struct plugin_method plugin_method = {
	"microtee-test",
	TA_DEMO_PLUGIN_UUID,
	plugin_init,
	plugin_invoke,
};
