/*
 * hello_teec — smallest normal-world GlobalPlatform TEE Client API program.
 *
 * Built with the cross compiler against Debian's optee-client-dev headers and
 * linked with Debian's libteec.so.2 (see scripts/nw/nw.mk). It opens a context
 * on the default TEE device (/dev/tee0) and prints the TEEC result code:
 *   0x00000000 TEEC_SUCCESS           a TEE answered (optee.ko probed)
 *   0xffff0008 TEEC_ERROR_ITEM_NOT_FOUND   no /dev/tee* device (no TEE)
 * Exit status 0 on success, 1 otherwise.
 */
#include <stdio.h>
#include <tee_client_api.h>

int main(void)
{
	TEEC_Context ctx;
	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);

	printf("hello_teec: TEEC_InitializeContext -> 0x%08x%s\n", (unsigned)res,
	       res == TEEC_SUCCESS ? " (TEEC_SUCCESS)" :
	       res == TEEC_ERROR_ITEM_NOT_FOUND ? " (TEEC_ERROR_ITEM_NOT_FOUND: no TEE device)" : "");
	if (res != TEEC_SUCCESS)
		return 1;
	TEEC_FinalizeContext(&ctx);
	return 0;
}
