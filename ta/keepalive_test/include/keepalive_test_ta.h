/* The keep-alive test TA's interface (ta/keepalive_test), shared with its
 * client, host/nw/tee_test.c. */
#ifndef KEEPALIVE_TEST_TA_H
#define KEEPALIVE_TEST_TA_H

/* 78250007-270e-4ab9-a102-f0994670a42d */
/* clang-format off */
#define TA_KEEPALIVE_TEST_UUID \
	{ 0x78250007, 0x270e, 0x4ab9, { 0xa1, 0x02, 0xf0, 0x99, 0x46, 0x70, 0xa4, 0x2d } }
/* clang-format on */

/* Commands, with their parameters:
 * COUNT  [0] value out: a = the instance's counter after adding 1 (it
 *            starts at 0 when the instance is created), b = the number of
 *            sessions open now
 * WAIT   [0] value in: a = milliseconds for TEE_Wait, b = 1 to unmask
 *            cancellation first
 *        [1] value out: a = milliseconds the wait took
 *        Returns what TEE_Wait returned (TEE_ERROR_CANCEL when cancelled).
 *        (The parameters of wait_test's WAIT, so one client call does both.)
 * PANIC  no parameters: TEE_Panic, which ends the instance (a kept-alive
 *            instance ends no other way) */
#define TA_KEEPALIVE_TEST_CMD_COUNT 0
#define TA_KEEPALIVE_TEST_CMD_WAIT  1
#define TA_KEEPALIVE_TEST_CMD_PANIC 2

#endif
