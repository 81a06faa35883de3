/* A test TA built the way most TAs written for OP-TEE are: in GP v1.1
 * compatibility mode (CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y, 32-bit sizes),
 * single-session, with a stack larger than the runtime's main stack. */
#ifndef TEST_COMPAT_TA_H
#define TEST_COMPAT_TA_H

/* c85fc055-5234-44b8-aae9-8feb7253a087 */
/* clang-format off */
#define TA_TEST_COMPAT_UUID \
	{ 0xc85fc055, 0x5234, 0x44b8, { 0xaa, 0xe9, 0x8f, 0xeb, 0x72, 0x53, 0xa0, 0x87 } }
/* clang-format on */

/* Commands:
 * STACK   [0] value in: a = KiB of stack to use (at most 112)
 *         [1] value out: a = a checksum of what was written there
 * FILL    [0] memref inout: fills it with 0xA5 and reports a size one smaller
 * API     [0] memref out: the TA's appID property as text, through the v1.1
 *         functions; [1] value out: a = checks failed */
#define TA_TEST_COMPAT_CMD_STACK 0
#define TA_TEST_COMPAT_CMD_FILL  1
#define TA_TEST_COMPAT_CMD_API   2

#define TA_TEST_COMPAT_STACK_SIZE (128 * 1024)

#endif
