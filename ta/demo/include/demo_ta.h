/* The demo TA's interface, shared by the TA and its clients (secure-world
 * tests now, normal-world libteec clients later): its UUID and commands. */
#ifndef DEMO_TA_H
#define DEMO_TA_H

/* 435818f8-72c3-48c1-b10c-1d9fb3dbceb4, as a TEE_UUID / TEEC_UUID initialiser */
/* clang-format off */
#define TA_DEMO_UUID \
	{ 0x435818f8, 0x72c3, 0x48c1, { 0xb1, 0x0c, 0x1d, 0x9f, 0xb3, 0xdb, 0xce, 0xb4 } }
/* clang-format on */
#define TA_DEMO_UUID_STR "435818f8-72c3-48c1-b10c-1d9fb3dbceb4"

/* Commands, with their parameters:
 * ADD           [0] value in (a, b)            [1] value out: a = a + b
 * INC_BUFFER    [0] memref inout: every byte + 1
 * REVERSE       [0] memref in                  [1] memref out: the bytes reversed;
 *               TEE_ERROR_SHORT_BUFFER, with [1].size = what is needed, if it is too small
 * PANIC         none: the TA calls TEE_Panic(0xdead)
 * SPIN          [0] value in: a = milliseconds to compute without sleeping
 *               [1] value out: a = milliseconds spent, b = loop iterations
 * GET_SESSION_COUNT   [0] value out: a = sessions open on this instance
 * SELFTEST      [0] memref in (any bytes)      [1] value out: a = checks failed, b = run
 *               [2] memref out: the client identity property as a string
 *               The TA checks its own view of the Internal Core API (properties,
 *               heap, memory access rights, instance data).
 * REE_TIME      [0] value out: a = seconds, b = milliseconds of TEE_GetREETime
 *               (the normal world's clock, through an RPC: only from Linux)
 * PLUGIN        [0] memref inout: data for the plugin, its answer after
 *               [1] value in: a = cmd, b = sub_cmd   [2] value out: a = answer's length,
 *               b = tee_invoke_supp_plugin's result
 *               Calls tee-supplicant's plugin TA_DEMO_PLUGIN_UUID. */
#define TA_DEMO_CMD_ADD               0
#define TA_DEMO_CMD_INC_BUFFER        1
#define TA_DEMO_CMD_REVERSE           2
#define TA_DEMO_CMD_PANIC             3
#define TA_DEMO_CMD_SPIN              4
#define TA_DEMO_CMD_GET_SESSION_COUNT 5
#define TA_DEMO_CMD_SELFTEST          6
#define TA_DEMO_CMD_REE_TIME          7
#define TA_DEMO_CMD_PLUGIN            8

/* MicroTEE's test plugin for tee-supplicant (host/nw/test_plugin.c). */
#define TA_DEMO_PLUGIN_UUID                                \
	{0x5a1d8f2e, 0x0f44, 0x4b86,                       \
	 {0x9f, 0x3c, 0x7c, 0x2f, 0x8e, 0x2d, 0x6a, 0x11}}
#define TA_DEMO_PLUGIN_UPPER 0 /* the data in upper case, same length */
#define TA_DEMO_PLUGIN_HELLO 1 /* "hello from the normal world" */
#define TA_DEMO_PLUGIN_LIE   2 /* claims an answer longer than the buffer */

#define TA_DEMO_PANIC_CODE 0xdead

#endif
